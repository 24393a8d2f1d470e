// Importing contacts, the edge cases, in the real window: a likely match (same name at the same
// company, no shared email or phone) confirmed as the same person and merged; files that are not
// contacts at all (empty, a PNG, no column Loupe recognises), each refused with one message and
// nothing written; and a row naming someone erased from the book, left out unless the dealer
// ticks "Import anyway".

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { click, sel, shown, textOf, textUntil, typeInto } from '../lib/ui.mjs';

const MARGARET = 'Margaret Chen';
const COMPANY = 'Harbour Watches Ltd';
const ERASED = 'Peter Gone';
const ERASED_EMAIL = 'peter@gone.example';

/** A 1×1 PNG: what a dealer gets choosing a photo instead of a contacts file. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f80f00000101000518d84e0000000049454e44ae426082',
  'hex',
);

let dir;
let db;
/** What the app's "Choose a file…" answers; each step writes what it needs there. */
let importFile;
let app;
const step = stepper(() => app?.browser);

function cli(...args) {
  return loupeCli(['--db', db, ...args]);
}

function customerCount() {
  return JSON.parse(cli('stats', '--json')).customers;
}

function cliSearch(query) {
  return JSON.parse(cli('customers', 'search', query, '--json')).customers;
}

before(async () => {
  dir = tempBookDir('import-edge');
  db = path.join(dir, 'book.sqlite3');
  importFile = path.join(dir, 'contacts.csv');
  cli('customers', 'add', '--name', MARGARET, '--company', COMPANY, '--email', 'margaret@harbour.example');
  const peter = JSON.parse(cli('customers', 'add', '--name', ERASED, '--email', ERASED_EMAIL, '--json'));
  cli('customers', 'erase', String(peter.id));
  const ann = JSON.parse(cli('customers', 'add', '--name', 'Ann Erased', '--email', 'ann@erased.example', '--json'));
  cli('customers', 'erase', String(ann.id));
  app = await launchApp(db, { env: { LOUPE_IMPORT_FILE: importFile } });
  await inLanguage(app.browser, 'en');
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

async function inLanguage(browser, lang) {
  await browser.execute((l) => localStorage.setItem('loupe.uiLanguage', l), lang);
  await browser.refresh();
  await shown(browser, 'nav-import');
}

async function count(browser, testid) {
  return (await textOf(browser, await shown(browser, testid))).trim();
}

/** Opens the import screen afresh and chooses the file, waiting for the preview. */
async function previewFile(browser, content) {
  writeFileSync(importFile, content);
  await click(browser, 'nav-list');
  await click(browser, 'nav-import');
  await click(browser, 'import-choose');
  await shown(browser, 'import-preview', { timeout: 30_000 });
}

step('(a) a likely match shows as "Perhaps Margaret Chen"; confirming it makes it a merge, and the commit merges her', {}, async (browser) => {
  const before = customerCount();
  await previewFile(browser, `Name,Email,Company\n${MARGARET},m.chen@mail.example,${COMPANY}\nTom Newman,tom@new.example,\n`);
  assert.deepEqual(
    { likely: await count(browser, 'count-likely'), merge: await count(browser, 'count-merge'), new: await count(browser, 'count-new') },
    { likely: '1', merge: '0', new: '1' },
    'the counts before confirming are wrong',
  );
  const row = await shown(browser, 'preview-row', { extra: '[data-line="2"]' });
  assert.equal(await row.getAttribute('data-outcome'), 'likely_match', 'line 2 is not a likely match');
  const text = await textOf(browser, row);
  assert.ok(text.includes(`Perhaps ${MARGARET}`), `line 2 does not say "Perhaps ${MARGARET}": ${text}`);
  // Unconfirmed, she would be added as a new customer beside the one in the book, and the row says so.
  assert.ok(text.includes('Unticked, a new customer is added'), `line 2 does not say what happens unticked: ${text}`);
  await textUntil(browser, 'import-commit', (t) => t.includes('2'), 'to offer to import 2 people before confirming');
  await screenshot(browser, '47-import-likely.png');

  await (await row.$(sel('confirm-match'))).click();
  await textUntil(browser, 'count-merge', (t) => t.trim() === '1', 'to count the confirmed match as a merge');
  assert.equal(await count(browser, 'count-likely'), '0', 'the confirmed match is still counted as likely');
  assert.equal(await count(browser, 'count-new'), '1', 'confirming the match changed who is new');
  await textUntil(browser, 'import-commit', (t) => t.includes('2'), 'to offer to import 2 people (one new, one merged)');
  await screenshot(browser, '47-import-likely-confirmed.png');

  await click(browser, 'import-commit');
  await shown(browser, 'import-summary', { timeout: 30_000 });
  assert.equal(await count(browser, 'summary-merged'), '1', 'the summary does not count the merge');
  assert.equal(await count(browser, 'summary-created'), '1', 'the summary does not count Tom as new');
  assert.equal(customerCount(), before + 1, 'Margaret was added a second time instead of merged');
  const found = cliSearch('m.chen@mail.example');
  assert.ok(found.length === 1 && found[0].full_name === MARGARET, `Margaret did not get the file's email: ${JSON.stringify(found)}`);
});

step('(a2) two colleagues sharing a switchboard stay two people, and a mistyped number costs only the cell', {}, async (browser) => {
  const before = customerCount();
  await previewFile(
    browser,
    'Name,Company,Email,Phone\r\n' +
      'Anna Smith,Acme Ltd,anna@acme.example,+44 20 7946 0000\r\n' +
      'Ben Mueller,Acme Ltd,ben@acme.example,+44 20 7946 0000\r\n' +
      'Cora Typo,,cora@typo.example,+44 20 7946 00\r\n',
  );
  assert.deepEqual(
    { likely: await count(browser, 'count-likely'), new: await count(browser, 'count-new'), rejected: await count(browser, 'count-rejected') },
    { likely: '1', new: '2', rejected: '0' },
    'Ben must be a likely match of Anna (same phone, another name), nobody rejected',
  );
  const ben = await shown(browser, 'preview-row', { extra: '[data-line="3"]' });
  assert.equal(await ben.getAttribute('data-outcome'), 'likely_match', 'Ben is not offered as a likely match');
  const text = await textOf(browser, ben);
  assert.ok(text.includes('Perhaps Anna Smith') && text.includes('same phone, another name'), `Ben's row does not say why: ${text}`);
  assert.ok((await textOf(browser, await shown(browser, 'import-match-rule'))).includes('names that agree'), 'the matching rule is not stated');
  const warning = await shown(browser, 'import-warning', { extra: '[data-line="4"]' });
  const warned = await textOf(browser, warning);
  assert.ok(warned.includes('Phone') && warned.includes('unverified number'), `the warning for line 4 is unclear: ${warned}`);
  await screenshot(browser, '47-import-switchboard.png');
  await click(browser, 'import-commit');
  await shown(browser, 'import-summary', { timeout: 30_000 });
  assert.equal(customerCount(), before + 3, 'Anna, Ben and Cora are not three customers');
  for (const [name, email] of [['Anna Smith', 'anna@acme.example'], ['Ben Mueller', 'ben@acme.example']]) {
    const [found] = cliSearch(email);
    const profile = JSON.parse(cli('customers', 'show', String(found.id), '--json'));
    assert.equal(profile.full_name, name, `${email} belongs to ${profile.full_name}`);
    assert.deepEqual(profile.emails.map((e) => e.address), [email], `${name} holds another's email`);
    assert.equal(profile.phones[0]?.e164, '+442079460000', `${name} lost the shared number`);
  }
  const [cora] = cliSearch('cora@typo.example');
  await click(browser, 'nav-list');
  await typeInto(browser, 'search-input', 'cora@typo');
  await click(browser, 'customer-row', { extra: `[data-id="${cora.id}"]` });
  await shown(browser, 'phone-unverified');
  await screenshot(browser, '47-customer-unverified-phone.png');
});

for (const [label, content, words] of [
  ['an empty file', '', ['empty']],
  ['a PNG picture', PNG, ['not a text file']],
  ['a file with no column Loupe recognises', 'Colour,Size,Weight\nred,10,3\nblue,12,4\n', ['No column', 'Colour']],
]) {
  step(`(b) ${label} is refused with one clear message, and nothing is written`, {}, async (browser) => {
    const before = customerCount();
    writeFileSync(importFile, content);
    await click(browser, 'nav-list');
    await click(browser, 'nav-import');
    await click(browser, 'import-choose');
    const error = await shown(browser, 'import-error', { timeout: 30_000 });
    const errors = await browser.$$(sel('import-error'));
    assert.equal(errors.length, 1, `expected one message, found ${errors.length}`);
    const message = (await textOf(browser, await error.$('.message'))).trim();
    assert.ok(message.includes('contacts.csv'), `the message does not name the file: ${message}`);
    for (const word of words) assert.ok(message.includes(word), `the message does not say "${word}": ${message}`);
    const text = await textOf(browser, error);
    assert.ok(text.includes('Nothing was written'), `the message does not say nothing was written: ${text}`);
    assert.equal((await browser.$$(sel('import-preview'))).length, 0, 'a preview is shown for a refused file');
    assert.equal(customerCount(), before, 'the customer count changed');
    if (label === 'a PNG picture') await screenshot(browser, '48-import-not-text.png');
  });
}

step('(c) a row naming an erased customer is shown as erased, counted, and left out of the commit', {}, async (browser) => {
  const before = customerCount();
  await previewFile(browser, `Name,Email\n${ERASED},${ERASED_EMAIL}\nUna Other,una@other.example\n`);
  assert.equal(await count(browser, 'count-erased'), '1', 'the erased row is not counted');
  const row = await shown(browser, 'preview-row', { extra: '[data-line="2"]' });
  assert.equal(await row.getAttribute('data-outcome'), 'erased', 'line 2 is not shown as erased');
  assert.ok((await textOf(browser, row)).includes('Erased from the book'), 'line 2 does not say "Erased from the book"');
  await textUntil(browser, 'import-commit', (t) => t.includes('1'), 'to offer to import only Una');
  await screenshot(browser, '49-import-erased.png');
  await click(browser, 'import-commit');
  await shown(browser, 'import-summary', { timeout: 30_000 });
  assert.equal(await count(browser, 'summary-erased'), '1', 'the summary does not count the erased row');
  assert.equal(customerCount(), before + 1, 'the erased customer came back');
  assert.equal(cliSearch(ERASED_EMAIL).length, 0, `${ERASED} is in the book again`);
});

step('(d) ticking "Import anyway" brings the erased row in', {}, async (browser) => {
  const before = customerCount();
  await previewFile(browser, `Name,Email\n${ERASED},${ERASED_EMAIL}\n`);
  const row = await shown(browser, 'preview-row', { extra: '[data-line="2"]' });
  await textUntil(browser, 'import-commit', (t) => !/\d/.test(t), 'to offer nothing to import before the tick');
  assert.equal(await (await shown(browser, 'import-commit')).isEnabled(), false, 'the commit is offered with nothing to import');
  const tick = await row.$(sel('confirm-erased'));
  assert.ok((await textOf(browser, await row.$('label.same'))).includes('Import anyway'), 'the tick is not labelled "Import anyway"');
  await tick.click();
  await textUntil(browser, 'import-commit', (t) => t.includes('1'), 'to offer to import Peter after the tick');
  await click(browser, 'import-commit');
  await shown(browser, 'import-summary', { timeout: 30_000 });
  assert.equal(customerCount(), before + 1, 'the erased customer was not imported after "Import anyway"');
  assert.equal(cliSearch(ERASED_EMAIL).length, 1, `${ERASED} is not in the book after "Import anyway"`);
});

step('(e) in Chinese: the likely match and the erased row read clearly', {}, async (browser) => {
  await inLanguage(browser, 'zh');
  try {
    await previewFile(
      browser,
      `Name,Email,Company\n${MARGARET},margaret.chen@other.example,${COMPANY}\nAnn Erased,ann@erased.example,\n`,
    );
    await shown(browser, 'preview-row', { extra: '[data-outcome="likely_match"]' });
    await screenshot(browser, '49-import-edge-zh.png');
  } finally {
    await inLanguage(browser, 'en');
  }
});
