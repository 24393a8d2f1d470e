// Importing a fair's visitor log in the real window, on a fresh book that already knows Anna
// (by her email, under her married name): the preview (detected format, counts, the merge into
// Anna with the name the book keeps, every row that cannot be read rejected with its reason,
// every cell that cannot be used kept as typed with a warning), a column mapping changed and
// the preview re-run, the rejected rows saved as CSV,
// the commit and its summary, the new people in the list, and the whole import undone
// (the people it created gone, Anna as she was).

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, REPO_ROOT, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { click, shown, sel, textOf, textUntil, texts, typeInto } from '../lib/ui.mjs';

const FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'import', 'fair-visitors-with-problems.csv');
/** In the book already; the file calls her Anna Smith, with the same email. */
const ANNA = 'Anna Smith-Jones';
/** A bad email (Ben), a bad phone (Carl) and an impossible birthday (Gill) cost only the cell. */
const NEW_PEOPLE = ['Ben Jones', 'Carl Brown', 'Eve Adams', 'Gill Hart', 'Harry Day'];
/** Lines of the fixture that cannot be read as rows, and a word of each reason. */
const REJECTED = [
  [5, 'quoted'],
  [7, 'fields'],
];
/** Lines imported with a cell kept as typed, and a word of each warning. */
const WARNED = [
  [3, 'email'],
  [4, 'unverified'],
  [9, '31/02/1990'],
];

let dir;
let db;
let rejectedOut;
/** What the app's "Choose a file…" answers; the steps put different files there. */
let importFile;
let app;
const step = stepper(() => app?.browser);

before(async () => {
  dir = tempBookDir('import');
  db = path.join(dir, 'book.sqlite3');
  rejectedOut = path.join(dir, 'rejected.csv');
  importFile = path.join(dir, path.basename(FIXTURE));
  copyFileSync(FIXTURE, importFile);
  app = await launchApp(db, { env: { LOUPE_IMPORT_FILE: importFile, LOUPE_REJECTED_FILE: rejectedOut } });
  // The window's storage outlives a run: start in English whatever an earlier run left.
  await inEnglish(app.browser);
});

async function inEnglish(browser) {
  await browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'en'));
  await browser.refresh();
  await shown(browser, 'nav-import');
}

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

/** Customers the CLI finds in the same book for `query`. */
function cliSearch(query) {
  return JSON.parse(loupeCli(['--db', db, 'customers', 'search', query, '--json'])).customers;
}

async function count(browser, testid) {
  return (await textOf(browser, await shown(browser, testid))).trim();
}

async function previewRevision(browser) {
  return Number(await (await shown(browser, 'import-preview')).getAttribute('data-revision'));
}

step('(a) Anna is already in the book', {}, async (browser) => {
  await click(browser, 'new-customer-button');
  await shown(browser, 'customer-form');
  await typeInto(browser, 'field-full_name', ANNA);
  await typeInto(browser, 'email-address-0', 'anna@example.com');
  await click(browser, 'save-customer');
  await textUntil(browser, 'customer-name', (t) => t.includes(ANNA), `to show ${ANNA}`);
});

const ANNA_IN = '(a) Anna is already in the book';

step('(b) the preview shows the format, the counts, the merge and every rejected row with its reason', { needs: [ANNA_IN] }, async (browser) => {
  await click(browser, 'nav-import');
  await shown(browser, 'import-batches-empty');
  await screenshot(browser, '40-import-start.png');
  await click(browser, 'import-choose');
  await shown(browser, 'import-preview', { timeout: 30_000 });
  await textUntil(browser, 'import-file-name', (t) => t.includes('fair-visitors-with-problems.csv'), 'to name the file');
  assert.equal(await (await shown(browser, 'import-encoding')).getValue(), 'utf-8', 'the detected encoding is not UTF-8');
  assert.equal(await (await shown(browser, 'import-delimiter')).getValue(), ',', 'the detected delimiter is not a comma');
  const counts = {
    new: await count(browser, 'count-new'),
    merge: await count(browser, 'count-merge'),
    duplicates: await count(browser, 'count-duplicates'),
    likely: await count(browser, 'count-likely'),
    rejected: await count(browser, 'count-rejected'),
  };
  assert.deepEqual(counts, { new: '5', merge: '1', duplicates: '1', likely: '0', rejected: '2' }, 'the counts are wrong');

  const anna = await shown(browser, 'preview-row', { extra: '[data-line="2"]' });
  assert.equal(await anna.getAttribute('data-outcome'), 'merge', 'Anna (line 2) is not a merge');
  const annaText = await textOf(browser, anna);
  assert.ok(annaText.includes(`Merge into ${ANNA}`), `line 2 does not say it merges into ${ANNA}: ${annaText}`);
  const conflict = await textOf(browser, await anna.$(sel('preview-conflict')));
  assert.ok(conflict.includes(`“${ANNA}”`) && conflict.includes('“Anna Smith”'), `the name conflict is not listed: ${conflict}`);
  const again = await shown(browser, 'preview-row', { extra: '[data-line="8"]' });
  assert.equal(await again.getAttribute('data-outcome'), 'duplicate_in_file', 'Anna again (line 8) is not a duplicate in the file');

  const rejected = await browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="rejected-row"]')).map((el) => [Number(el.getAttribute('data-line')), el.innerText]),
  );
  assert.deepEqual(
    rejected.map(([line]) => line),
    REJECTED.map(([line]) => line),
    `the rejected lines are wrong: ${JSON.stringify(rejected)}`,
  );
  for (const [line, word] of REJECTED) {
    const text = rejected.find(([l]) => l === line)[1];
    assert.ok(text.toLowerCase().includes(word.toLowerCase()), `line ${line}'s reason does not mention ${word}: ${text}`);
  }
  const warned = await browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="import-warning"]')).map((el) => [Number(el.getAttribute('data-line')), el.innerText]),
  );
  assert.deepEqual(warned.map(([line]) => line), WARNED.map(([line]) => line), `the warned lines are wrong: ${JSON.stringify(warned)}`);
  for (const [line, word] of WARNED) {
    const text = warned.find(([l]) => l === line)[1];
    assert.ok(text.toLowerCase().includes(word.toLowerCase()), `line ${line}'s warning does not mention ${word}: ${text}`);
  }
  // The birthday column's order was clear from the file (25/12), so Loupe does not ask.
  await shown(browser, 'date-decided', { extra: '[data-column="Birthday"]' });
  assert.equal((await browser.$$(sel('date-ask'))).length, 0, 'Loupe asks for a date order the file already shows');
  await screenshot(browser, '41-import-preview.png');
});

const PREVIEW = '(b) the preview shows the format, the counts, the merge and every rejected row with its reason';

step('(c) leaving out the Notes column re-runs the preview with that mapping', { needs: [PREVIEW] }, async (browser) => {
  const before = await previewRevision(browser);
  const row = await shown(browser, 'mapping-row', { extra: '[data-column="Notes"]' });
  const select = await row.$(sel('mapping-target'));
  assert.equal(await select.getValue(), 'note', 'the Notes column does not start as a note');
  await select.selectByAttribute('value', 'ignore');
  await browser.waitUntil(async () => (await previewRevision(browser)) > before, {
    timeoutMsg: 'the preview did not run again after the mapping changed',
  });
  const after = await (await shown(browser, 'mapping-row', { extra: '[data-column="Notes"]' })).$(sel('mapping-target'));
  assert.equal(await after.getValue(), 'ignore', 'the new preview does not keep Notes ignored');
  assert.equal(await count(browser, 'count-new'), '5', 'ignoring Notes changed who is new');
  assert.equal(await count(browser, 'count-rejected'), '2', 'ignoring Notes changed the rejected rows');
  assert.equal((await browser.$$(sel('import-error'))).length, 0, 'the re-run preview shows an error');
});

step('(d) the rejected rows are saved as CSV with the reason beside each', { needs: [PREVIEW] }, async (browser) => {
  await click(browser, 'save-rejected');
  await textUntil(browser, 'import-notice', (t) => t.includes(rejectedOut), `to say the rows went to ${rejectedOut}`);
  assert.ok(existsSync(rejectedOut), `${rejectedOut} was not written`);
  const text = readFileSync(rejectedOut, 'utf8');
  // Laid out for the spreadsheet the dealer corrects it in: a byte-order mark and CRLF.
  assert.ok(text.startsWith('\uFEFFLine in file,Reason left out,') && text.includes('\r\n'), `the file does not start as Excel needs: ${JSON.stringify(text.slice(0, 40))}`);
  const lines = text.slice(1).trim().split('\r\n');
  assert.equal(lines.length, 1 + REJECTED.length, `expected ${REJECTED.length} rejected rows:\n${lines.join('\n')}`);
  assert.ok(lines.some((l) => l.startsWith('7,') && l.includes('8 fields where the header has 6')), 'line 7 is not in the file with its reason');
});

step('(e) the commit imports everyone it can and says so', { needs: [PREVIEW] }, async (browser) => {
  await textUntil(browser, 'import-commit', (t) => t.includes('6'), 'to offer to import 6 people');
  await click(browser, 'import-commit');
  await shown(browser, 'import-summary', { timeout: 30_000 });
  const summary = {
    created: await count(browser, 'summary-created'),
    merged: await count(browser, 'summary-merged'),
    duplicates: await count(browser, 'summary-duplicates'),
    rejected: await count(browser, 'summary-rejected'),
  };
  assert.deepEqual(summary, { created: '5', merged: '1', duplicates: '1', rejected: '2' }, 'the summary is wrong');
  assert.equal((await browser.$$(sel('summary-import-warning'))).length, WARNED.length, 'the summary does not list the warnings');
  const conflicts = await texts(browser, 'summary-conflict');
  // Line 2 merged into Anna; line 8 (Anna again) went to her too.
  assert.ok(
    conflicts.length >= 1 && conflicts.every((c) => c.includes(`the book keeps “${ANNA}”`)),
    `the summary does not list the kept name: ${JSON.stringify(conflicts)}`,
  );
  await screenshot(browser, '42-import-summary.png');
  // Anna got the phone number the file had for her.
  assert.ok(cliSearch('7911100200').some((c) => c.full_name === ANNA), 'Anna was not merged with her phone number');
});

const COMMITTED = '(e) the commit imports everyone it can and says so';

step('(f) the customers list shows the new people once, and Anna once', { needs: [COMMITTED] }, async (browser) => {
  await click(browser, 'summary-view-customers');
  await shown(browser, 'customer-list');
  let rows = [];
  await browser.waitUntil(
    async () => {
      rows = await texts(browser, 'customer-row');
      return NEW_PEOPLE.every((n) => rows.some((r) => r.includes(n)));
    },
    { timeoutMsg: `the list does not show ${NEW_PEOPLE.join(' and ')}` },
  );
  assert.equal(rows.filter((r) => r.includes(ANNA)).length, 1, `Anna is listed more than once: ${JSON.stringify(rows)}`);
  assert.equal(rows.length, 6, `expected 6 customers: ${JSON.stringify(rows)}`);
});

step('(g) undoing the import removes the people it created and gives Anna back what she had', { needs: [COMMITTED] }, async (browser) => {
  await click(browser, 'nav-import');
  const batch = await shown(browser, 'import-batch');
  const text = await textOf(browser, batch);
  assert.ok(text.includes('fair-visitors-with-problems.csv'), `the batch does not name the file: ${text}`);
  assert.ok(/New 5/.test(text) && /merged 1/.test(text) && /rejected 2/.test(text), `the batch counts are wrong: ${text}`);
  await screenshot(browser, '43-import-batches.png');
  await click(browser, 'import-undo');
  await shown(browser, 'confirm-dialog');
  await click(browser, 'confirm-delete');
  await textUntil(browser, 'import-notice', (t) => t.includes('removed 5, restored 1'), 'to say what was undone');
  await shown(browser, 'import-batch-undone');
  assert.equal((await browser.$$(sel('import-undo'))).length, 0, 'an undone import still offers Undo');
  await screenshot(browser, '44-import-undone.png');

  let rows = [];
  await click(browser, 'nav-list');
  await browser.waitUntil(
    async () => {
      rows = await texts(browser, 'customer-row');
      return rows.length === 1;
    },
    { timeoutMsg: 'the list still shows the imported people' },
  );
  assert.ok(rows[0].includes(ANNA), `Anna is not the one left: ${JSON.stringify(rows)}`);
  assert.ok(!cliSearch('7911100200').some((c) => c.full_name === ANNA), 'Anna kept the phone number the undone import gave her');
  assert.ok(cliSearch('Eve Adams').length === 0, 'Eve Adams is still in the book');
});

step('(h) a large file shows the progress bar, and a cancel leaves the book as it was', {}, async (browser) => {
  const rows = ['Name,Email,Phone,Company'];
  for (let i = 0; i < 300_000; i++) {
    rows.push(`Visitor ${i},visitor${i}@example.com,07911 ${String(100000 + (i % 100000)).padStart(6, '0')},Stand ${i % 97}`);
  }
  writeFileSync(importFile, rows.join('\n') + '\n');
  await click(browser, 'nav-import');
  // The screen loads when first shown and then reads its past imports: count them once listed.
  await browser.waitUntil(
    async () => (await browser.$$(sel('import-batch'))).length + (await browser.$$(sel('import-batches-empty'))).length > 0,
    { timeoutMsg: 'the import screen never listed its past imports' },
  );
  const batchesBefore = (await browser.$$(sel('import-batch'))).length;
  const previewsBefore = (await browser.$$(sel('import-preview'))).length;
  await click(browser, 'import-choose');
  const bar = await shown(browser, 'import-progress', { timeout: 20_000 });
  // Wait for a real percentage from the progress events before cancelling.
  await browser.waitUntil(async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0) > 0, {
    timeout: 20_000,
    timeoutMsg: 'the progress bar never showed a percentage',
  });
  await screenshot(browser, '45-import-progress.png');
  await click(browser, 'import-cancel');
  await textUntil(browser, 'import-notice', (t) => t.includes('nothing was changed'), 'to say the cancel changed nothing', {
    timeout: 30_000,
  });
  // Back where the dealer was: the screen as before the file was chosen, never the cancelled preview.
  assert.equal((await browser.$$(sel('import-preview'))).length, previewsBefore, 'a cancelled preview is shown anyway');
  await shown(browser, 'import-choose');
  assert.equal((await browser.$$(sel('import-batch'))).length, batchesBefore, 'a cancelled preview left a batch');
});

step('(i) in Chinese: the phone region is chosen, a date column nothing decides is asked about, and both answers are kept', {}, async (browser) => {
  writeFileSync(
    importFile,
    [
      '姓名,邮箱,手机,生日',
      '王小明,wang@example.cn,138 0013 8000,03/04/1985',
      '李娜,lina@example.cn,139 0013 9000,05/06/1990',
      '张伟,zhang@example.cn,137 0013 7000,07/08/1975,展台 3',
      '',
    ].join('\n'),
  );
  await browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'zh'));
  await browser.refresh();
  try {
    await inChinese(browser);
  } finally {
    await inEnglish(browser);
  }
});

async function inChinese(browser) {
  await click(browser, 'nav-import');
  await click(browser, 'import-choose');
  await shown(browser, 'import-preview', { timeout: 30_000 });
  // The book reads national numbers as British: 138… is no British mobile. The visitors come in
  // all the same, each number kept as typed and marked unverified, and the warnings say so in
  // Chinese: the column, what is wrong with the number, and what became of it.
  assert.equal(await count(browser, 'count-new'), '2', 'the visitors with mainland mobiles are not imported');
  const warnings = await browser.execute(() =>
    [...document.querySelectorAll('[data-testid="import-warning"]')].map((row) => row.innerText),
  );
  assert.equal(warnings.length, 2, `the numbers are not listed as warnings: ${JSON.stringify(warnings)}`);
  for (const warning of warnings) {
    assert.ok(
      warning.includes('“手机”列') && warning.includes('不是英国的有效电话号码') && warning.includes('未验证'),
      `a warning is not in Chinese: ${warning}`,
    );
  }
  // A row with a cell too many cannot be read as a row: rejected, its reason in Chinese.
  assert.equal(await count(browser, 'count-rejected'), '1', 'the row with a cell too many is not rejected');
  const reasons = await browser.execute(() =>
    [...document.querySelectorAll('[data-testid="rejected-row"]')].map((row) => row.innerText),
  );
  assert.ok(reasons.length === 1 && reasons[0].includes('有 5 个字段，而表头有 4 个'), `the reason is not in Chinese: ${JSON.stringify(reasons)}`);
  await screenshot(browser, '46-import-rejected-zh.png');
  // The saved file gives the same reason, under Chinese column titles.
  rmSync(rejectedOut, { force: true });
  await click(browser, 'save-rejected');
  await textUntil(browser, 'import-notice', (t) => t.includes(rejectedOut), `to say the rows went to ${rejectedOut}`);
  const saved = readFileSync(rejectedOut, 'utf8').trimEnd().split('\r\n');
  assert.ok(saved[0].startsWith('\uFEFF原文件行号,未导入原因,姓名,邮箱,手机'), `the saved header is ${saved[0]}`);
  assert.equal(saved.length, 2, `expected the 1 rejected row:\n${saved.join('\n')}`);
  assert.ok(saved[1].startsWith('4,') && saved[1].includes('有 5 个字段，而表头有 4 个'), `the saved reason is not in Chinese: ${saved[1]}`);
  let revision = await previewRevision(browser);
  await (await shown(browser, 'import-region')).selectByAttribute('value', 'CN');
  await browser.waitUntil(async () => (await previewRevision(browser)) > revision, {
    timeoutMsg: 'the preview did not run again after the region was chosen',
  });
  assert.equal(await (await shown(browser, 'import-region')).getValue(), 'CN', 'the chosen region was not kept');
  assert.equal(await count(browser, 'count-new'), '2', 'with the region China, the two visitors are not new');
  assert.equal((await browser.$$(sel('import-warning'))).length, 0, 'with the region China, the mainland mobiles are still unverified');
  const ask = await shown(browser, 'date-ask', { extra: '[data-column="生日"]' });
  assert.ok((await textOf(browser, ask)).includes('03/04'), 'the date question does not explain itself');
  revision = await previewRevision(browser);
  const order = await ask.$(sel('date-order'));
  await order.selectByAttribute('value', 'month_first');
  await browser.waitUntil(async () => (await previewRevision(browser)) > revision, {
    timeoutMsg: 'the preview did not run again after the date order was chosen',
  });
  const again = await shown(browser, 'date-ask', { extra: '[data-column="生日"]' });
  assert.equal(await (await again.$(sel('date-order'))).getValue(), 'month_first', 'the chosen date order was not kept');
  await screenshot(browser, '46-import-preview-zh.png');
}
