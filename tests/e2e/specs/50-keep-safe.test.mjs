// Keeping the book safe, in the real window: a mailing list previewed and written (nobody who
// opted out or was never asked on it, as many rows as the preview said), a customer erased
// (gone from the list and from search), a backup made and restored (a later change undone), and
// a damaged book met with the recovery screen, restored from its backup, and worked on again; and a
// script in the window refused when it names a path itself.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir, WAIT_MS } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { click, gone, searchFinds, searchMisses, sel, shown, textOf, textUntil, texts, typeInto } from '../lib/ui.mjs';

let dir;
let db;
let exportFile;
/** The folder "Back up to…" chooses (a USB drive for the dealer). */
let offsiteDir;
let app;
/** The second app, on the damaged book. */
let recovery;
const step = stepper(() => recovery?.browser ?? app?.browser);

/** Who is in the book, and what an email list makes of each. */
const WRITTEN = ['Alice Collector', 'Bob Buyer'];
const OPTED_OUT = 'Dan Declined';
const UNASKED = 'Carol Unasked';
const NO_ADDRESS = 'Eve Nowhere';
const LATER = 'Zoe After Backup';

function cli(...args) {
  return loupeCli(['--db', db, ...args]);
}

before(async () => {
  dir = tempBookDir('keep-safe');
  db = path.join(dir, 'book.sqlite3');
  exportFile = path.join(dir, 'list.csv');
  cli('customers', 'add', '--name', 'Alice Collector', '--email', 'alice@example.com', '--type', 'collector', '--tag', 'VIP', '--email-opt-in', 'shop counter');
  cli('customers', 'add', '--name', 'Bob Buyer', '--email', 'bob@example.com', '--phone', '07911 123456', '--email-opt-in', 'fair');
  cli('customers', 'add', '--name', UNASKED, '--email', 'carol@example.com');
  cli('customers', 'add', '--name', NO_ADDRESS, '--email-opt-in', 'shop counter');
  // An opt-out comes from what a file states: Dan said no to emails.
  const optOut = path.join(dir, 'opt-out.csv');
  writeFileSync(optOut, 'Name,Email,Email consent\nDan Declined,dan@example.com,no\n');
  cli('import', 'contacts', optOut);
  offsiteDir = path.join(dir, 'usb');
  mkdirSync(offsiteDir);
  app = await launchApp(db, { env: { LOUPE_EXPORT_FILE: exportFile, LOUPE_OFFSITE_DIR: offsiteDir } });
  await inEnglish(app.browser);
});

after(async () => {
  await app?.close();
  await recovery?.close();
  if (dir) removeDir(dir);
});

async function inEnglish(browser) {
  await browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'en'));
  await browser.refresh();
  await browser.waitUntil(async () => (await browser.execute(() => document.readyState)) === 'complete', { timeout: WAIT_MS });
}

async function count(browser, testid) {
  return (await textOf(browser, await shown(browser, testid))).trim();
}

async function mailingCounts(browser) {
  return {
    rows: await count(browser, 'mailing-count-rows'),
    matching: await count(browser, 'mailing-count-matching'),
    opted_out: await count(browser, 'mailing-count-opted_out'),
    unknown: await count(browser, 'mailing-count-unknown'),
    no_address: await count(browser, 'mailing-count-no_address'),
  };
}

async function waitForCounts(browser, expected, what) {
  let last;
  await browser.waitUntil(
    async () => {
      last = await mailingCounts(browser);
      return JSON.stringify(last) === JSON.stringify(expected);
    },
    { timeout: WAIT_MS, timeoutMsg: `${what}: expected ${JSON.stringify(expected)}, the screen shows ${JSON.stringify(last)}` },
  );
}

async function listNames(browser) {
  await shown(browser, 'customer-list');
  return texts(browser, 'customer-row');
}

step('(a) the mailing list preview says who is written and who is left out, and why', {}, async (browser) => {
  await click(browser, 'nav-mailing');
  await textUntil(browser, 'mailing-promise', (t) => t.includes('Nobody who said no is ever on a list'), 'to promise that opted-out people are never written');
  await waitForCounts(browser, { rows: '2', matching: '5', opted_out: '1', unknown: '1', no_address: '1' }, 'the email list of the whole book');
  const sample = await texts(browser, 'mailing-sample-row');
  assert.equal(sample.length, 2, `the sample shows ${sample.length} rows: ${JSON.stringify(sample)}`);
  for (const name of WRITTEN) assert.ok(sample.some((r) => r.includes(name)), `${name} is not in the sample`);
  for (const name of [OPTED_OUT, UNASKED, NO_ADDRESS]) assert.ok(!sample.some((r) => r.includes(name)), `${name} is in the sample`);
  await screenshot(browser, '50-mailing.png');

  // Filters narrow the list live: the VIP tag leaves Alice only.
  // A tag chosen is added to the filter (a chip) and the choice goes back to "Tags…".
  await (await shown(browser, 'mailing-tag')).selectByAttribute('value', 'VIP');
  await waitForCounts(browser, { rows: '1', matching: '1', opted_out: '0', unknown: '0', no_address: '0' }, 'the VIP email list');
  // A spend band that is not an amount is refused next to its field (behind "More filters").
  await click(browser, 'mailing-more');
  await typeInto(browser, 'mailing-min-spend', 'lots');
  await shown(browser, 'field-error', { extra: '[data-field="min_spend"]' });
  assert.equal(await (await shown(browser, 'mailing-export')).isEnabled(), false, 'an export is offered with an unreadable amount');
  await screenshot(browser, '50-mailing-invalid.png');
  await click(browser, 'mailing-clear');
  await gone(browser, 'field-error', { extra: '[data-field="min_spend"]' });
  await waitForCounts(browser, { rows: '2', matching: '5', opted_out: '1', unknown: '1', no_address: '1' }, 'the list with the filters cleared');
});

const PREVIEWED = '(a) the mailing list preview says who is written and who is left out, and why';

step('(b) the list written to the file holds exactly the previewed people, none who opted out, each given a contact of its campaign', { needs: [PREVIEWED] }, async (browser) => {
  const previewed = Number(await count(browser, 'mailing-count-rows'));
  await typeInto(browser, 'mailing-campaign', 'Winter letter');
  await click(browser, 'mailing-export');
  const summary = await textUntil(browser, 'mailing-summary', (t) => t.includes(exportFile), 'to name the file written');
  assert.equal(Number(await (await shown(browser, 'mailing-summary-campaign')).getAttribute('data-recorded')), previewed, 'everyone written has a contact naming the campaign');
  const winter = JSON.parse(cli('campaigns', '--json')).find((result) => result.name === 'Winter letter');
  assert.ok(winter, 'writing the list recorded the campaign');
  assert.deepEqual([winter.channel, winter.targeted], ['email', previewed]);
  assert.ok(summary.includes(`${previewed} people written`), `the summary does not say ${previewed} people: ${summary}`);
  assert.ok(summary.includes('Exactly the people shown in the preview'), `the summary does not confirm the preview: ${summary}`);
  assert.equal(Number(await (await shown(browser, 'mailing-summary')).getAttribute('data-rows')), previewed);
  await screenshot(browser, '51-mailing-written.png');

  const text = readFileSync(exportFile, 'utf8');
  assert.ok(text.startsWith('\uFEFF'), 'the file for Excel has no byte order mark');
  const lines = text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  assert.ok(lines[0].includes('Email'), `the header is ${lines[0]}`);
  const rows = lines.slice(1);
  assert.equal(rows.length, previewed, `the file holds ${rows.length} rows, the preview said ${previewed}:\n${text}`);
  for (const name of WRITTEN) assert.ok(rows.some((r) => r.includes(name)), `${name} is not in the file`);
  for (const who of [OPTED_OUT, 'dan@example.com', UNASKED, NO_ADDRESS]) assert.ok(!text.includes(who), `${who} is in the file:\n${text}`);
});

step('(b2) a script in the window cannot make Loupe write or read a path the dealer did not choose', {}, async (browser) => {
  const target = path.join(dir, 'stolen.csv');
  const folder = path.join(dir, 'stolen-book');
  // What an injected script would do: call the shell's commands itself.
  const tried = await browser.execute(
    async (target, folder) => {
      const invoke = window.__TAURI_INTERNALS__.invoke;
      const attempt = (cmd, args) =>
        invoke(cmd, args).then(
          () => ({ cmd, refused: false }),
          (e) => ({ cmd, refused: true, code: e?.code ?? null, message: e?.message ?? String(e) }),
        );
      const filter = { channel: 'email', customer_type: null, tags: [], language: null, min_spend: null, max_spend: null, bought_since: null, not_bought_since: null, brand: null };
      const options = { format: 'generic', spreadsheet: false, delimiter: ',' };
      // A long job's progress channel, as @tauri-apps/api's Channel sends it.
      const progress = `__CHANNEL__:${window.__TAURI_INTERNALS__.transformCallback(() => {})}`;
      // A token the shell did issue, for a file chosen to be written (LOUPE_EXPORT_FILE answers the dialog).
      const chosen = await invoke('choose_export_file', { suggested: 'list.csv', title: 'Save' });
      return {
        chosenName: chosen?.name ?? null,
        attempts: [
          await attempt('export_mailing_list', { filter, options, file: target, progress }),
          await attempt('export_mailing_list', { filter, options, file: 'f'.repeat(32), progress }),
          await attempt('export_book', { folder, progress }),
          await attempt('inspect_backup', { file: target }),
          await attempt('restore_backup', { file: target, progress }),
          // A file chosen to be written is not a backup to read, nor a folder to export into.
          await attempt('inspect_backup', { file: chosen?.token }),
          await attempt('export_book', { folder: chosen?.token, progress }),
        ],
      };
    },
    target,
    folder,
  );
  assert.equal(tried.chosenName, exportFile, 'the save dialog does not name the file the dealer chose');
  for (const attempt of tried.attempts) {
    assert.equal(attempt.refused, true, `${attempt.cmd} did what the script asked: ${JSON.stringify(tried)}`);
    assert.equal(attempt.code, 'invalid_input', `${attempt.cmd} was refused for another reason: ${JSON.stringify(attempt)}`);
    assert.match(attempt.message, /chosen/, `${attempt.cmd} does not say why: ${attempt.message}`);
  }
  assert.equal(existsSync(target), false, `${target} was written`);
  assert.equal(existsSync(folder), false, `${folder} was created`);
});

step('(c) erasing a customer takes them out of the list and out of search', {}, async (browser) => {
  await searchFinds(browser, 'Bob', 'Bob Buyer');
  await browser.keys('Enter');
  await textUntil(browser, 'customer-name', (t) => t.includes('Bob Buyer'), 'to open Bob');
  const zone = await shown(browser, 'erase-zone');
  await zone.scrollIntoView();
  await screenshot(browser, '52-erase-zone.png');
  // The window makes the day's backup in the background when it opens; it holds Bob.
  await browser.waitUntil(async () => JSON.parse(cli('backup', '--list', '--json')).length === 1, {
    timeout: 30_000,
    timeoutMsg: 'the day\'s backup was not made',
  });
  await click(browser, 'erase-customer');
  const dialog = await shown(browser, 'erase-dialog');
  // The day's backup, made when the window opened, holds Bob: the dialog says so before he is erased.
  await textUntil(browser, 'erase-holding', (t) => t.includes('1 earlier backup still holds them; restoring it erases them again.'), 'to say the day\'s backup still holds Bob');
  const words = await textOf(browser, dialog);
  assert.ok(words.includes('hashes') && words.includes('Backups made before now'), `the dialog does not explain what stays: ${words}`);
  assert.equal(await (await shown(browser, 'erase-confirm')).isEnabled(), false, 'Erase works before the name is typed');
  await typeInto(browser, 'erase-name', 'Bob Buyer');
  await screenshot(browser, '53-erase-dialog.png');
  await click(browser, 'erase-confirm');
  await textUntil(browser, 'app-notice', (t) => t.includes('Bob Buyer was erased'), 'to say Bob was erased');
  let rows = [];
  await browser.waitUntil(
    async () => {
      rows = await listNames(browser);
      return rows.length === 4;
    },
    { timeout: WAIT_MS, timeoutMsg: 'the list does not show the 4 people left' },
  );
  assert.ok(!rows.some((r) => r.includes('Bob')), `Bob is still in the list: ${JSON.stringify(rows)}`);
  await screenshot(browser, '54-erased.png');
  await searchMisses(browser, 'Bob', 'Bob Buyer');
  await searchMisses(browser, '7911 123456', 'Bob Buyer');
  assert.deepEqual(JSON.parse(cli('customers', 'search', 'bob@example.com', '--json')).customers, [], 'the book still finds Bob by his email');
  await browser.keys('Escape');
});

const ERASED = '(c) erasing a customer takes them out of the list and out of search';

step('(d) the backups screen lists the day\'s backup and makes one by hand', {}, async (browser) => {
  await click(browser, 'nav-backups');
  // The window made the day's backup by itself, in the background, when it opened.
  await browser.waitUntil(async () => (await browser.$$(sel('backup-row', '[data-kind="daily"]'))).length === 1, {
    timeout: 30_000,
    timeoutMsg: 'the day\'s backup is not listed',
  });
  await click(browser, 'backup-now');
  await textUntil(browser, 'backups-notice', (t) => t.includes('Backup made'), 'to say the backup was made');
  await browser.waitUntil(async () => (await browser.$$(sel('backup-row'))).length === 2, { timeoutMsg: 'the new backup is not listed' });
  const first = await shown(browser, 'backup-row');
  assert.equal(await first.getAttribute('data-kind'), 'manual', 'the newest backup is not the one just made');
  await screenshot(browser, '55-backups.png');
});

const BACKED_UP = "(d) the backups screen lists the day's backup and makes one by hand";

step('(d2) backing up to another drive: the folder chosen, a copy made there and listed', { needs: [BACKED_UP] }, async (browser) => {
  await click(browser, 'nav-backups');
  await shown(browser, 'offsite-none');
  await click(browser, 'offsite-choose');
  await textUntil(browser, 'offsite-folder', (t) => t === 'usb', 'to show the chosen folder');
  // A temporary folder is on the book's own disk: the window says a copy there dies with it.
  await shown(browser, 'offsite-same-disk');
  await click(browser, 'offsite-back-up');
  await textUntil(browser, 'backups-notice', (t) => t.includes('Copy made in “usb”'), 'to say the copy was made');
  await browser.waitUntil(async () => (await browser.$$(sel('offsite-row'))).length === 1, { timeoutMsg: 'the copy is not listed' });
  const copies = readdirSync(offsiteDir).filter((name) => name.endsWith('-offsite.sqlite3'));
  assert.equal(copies.length, 1, `one copy in the folder: ${copies}`);
  assert.equal(statSync(path.join(offsiteDir, copies[0])).mode & 0o777, 0o600, 'the copy is the dealer\'s alone');
  const row = await shown(browser, 'offsite-row');
  assert.equal(await row.getAttribute('data-file'), copies[0]);
  await screenshot(browser, '56-backups-offsite.png');
});

step('(e) restoring the backup undoes a later change, and the whole window reads the book again', { needs: [BACKED_UP, ERASED] }, async (browser) => {
  await click(browser, 'new-customer-button');
  await shown(browser, 'customer-form');
  await typeInto(browser, 'field-full_name', LATER);
  await click(browser, 'save-customer');
  await textUntil(browser, 'customer-name', (t) => t.includes(LATER), `to show ${LATER}`);

  await click(browser, 'nav-backups');
  const manual = await shown(browser, 'backup-row', { extra: '[data-kind="manual"]' });
  await (await manual.$(sel('backup-restore'))).click();
  await shown(browser, 'restore-dialog');
  const backupCustomers = await textUntil(
    browser,
    'restore-backup-contents',
    (t) => t.length > 0,
    'to show what the backup holds',
  );
  const holds = async (testid) =>
    (await browser.execute((id) => document.querySelector(`[data-testid="${id}"] [data-stat="customers"]`)?.innerText ?? '', testid)).trim();
  assert.equal(await holds('restore-backup-contents'), '4', `the backup should hold 4 customers: ${backupCustomers}`);
  await browser.waitUntil(async () => (await holds('restore-current-contents')) === '5', { timeoutMsg: 'the book now should hold 5 customers' });
  await screenshot(browser, '56-restore-dialog.png');
  await click(browser, 'restore-confirm');
  await textUntil(browser, 'backups-notice', (t) => t.includes('4 customers'), 'to say the backup is back', { timeout: 30_000 });
  await gone(browser, 'restore-dialog');
  await browser.waitUntil(async () => (await browser.$$(sel('backup-row', '[data-kind="before_restore"]'))).length === 1, {
    timeoutMsg: 'the book as it was before the restore is not kept as a backup',
  });
  await screenshot(browser, '57-restored.png');

  await click(browser, 'nav-list');
  let rows = [];
  await browser.waitUntil(
    async () => {
      rows = await listNames(browser);
      return rows.length === 4;
    },
    { timeout: WAIT_MS, timeoutMsg: `the list does not show the 4 people of the backup: ${JSON.stringify(rows)}` },
  );
  assert.ok(!rows.some((r) => r.includes(LATER)), `${LATER} is still in the list after the restore`);
  await searchMisses(browser, 'Zoe', LATER);
  await browser.keys('Escape');
  await searchFinds(browser, 'Alice', 'Alice Collector');
  await browser.keys('Escape');
});

step('(f) the backups and mailing screens in Chinese', { needs: [BACKED_UP] }, async (browser) => {
  await browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'zh'));
  await browser.refresh();
  await click(browser, 'nav-backups');
  await textUntil(browser, 'backups-view', (t) => t.includes('备份'), 'to be in Chinese');
  await shown(browser, 'backup-row');
  await screenshot(browser, '58-backups-zh.png');
  await click(browser, 'nav-mailing');
  await shown(browser, 'mailing-count-rows');
  await screenshot(browser, '58-mailing-zh.png');
  await inEnglish(browser);
});

step('(g) a damaged book opens on the recovery screen, and its backup brings it back', {}, async () => {
  await app?.close();
  app = null;
  const damagedDb = path.join(dir, 'damaged', 'loupe.sqlite3');
  loupeCli(['--db', damagedDb, 'demo', '--customers', '300', '--seed', '7']);
  loupeCli(['--db', damagedDb, 'backup']);
  // Scribble over the middle of the (checkpointed) file, where the tables' pages are.
  const bytes = readFileSync(damagedDb);
  const middle = Math.floor(bytes.length / 2);
  bytes.fill(0x5a, middle, middle + 8192);
  writeFileSync(damagedDb, bytes);

  recovery = await launchApp(damagedDb);
  const browser = recovery.browser;
  await inEnglish(browser);
  await textUntil(browser, 'recovery-screen', (t) => t.includes('The customer book is damaged'), 'to say the book is damaged');
  await shown(browser, 'recovery-backup');
  const holds = (await browser.execute(() => document.querySelector('[data-testid="recovery-contents"] [data-stat="customers"]')?.innerText ?? '')).trim();
  assert.equal(holds, '300', `the backup offered should hold 300 customers, it shows ${holds}`);
  assert.equal((await browser.$$(sel('customer-list'))).length, 0, 'the damaged book is shown as if sound');
  await screenshot(browser, '59-recovery.png');

  await click(browser, 'recovery-restore');
  await textUntil(browser, 'app-notice', (t) => t.includes('restored from the backup'), 'to say the book was restored', { timeout: 30_000 });
  await textUntil(browser, 'customer-count', (t) => t.includes('300'), 'to list the 300 customers of the backup');
  await screenshot(browser, '59-recovered.png');
  // Kept with the backups (it may hold people erased since), the dealer's alone.
  const damagedFolder = path.join(path.dirname(damagedDb), 'backups', 'damaged');
  const aside = readdirSync(damagedFolder).filter((f) => f.startsWith('loupe.sqlite3.damaged-'));
  assert.ok(aside.length >= 1, `the damaged file is not kept with the backups: ${readdirSync(damagedFolder).join(', ')}`);
  assert.equal(statSync(damagedFolder).mode & 0o777, 0o700, 'the damaged folder is the dealer\'s alone');
  assert.equal(statSync(path.join(damagedFolder, aside[0])).mode & 0o777, 0o600, 'the damaged file is the dealer\'s alone');

  // And work goes on: a new customer is saved in the recovered book.
  await click(browser, 'new-customer-button');
  await typeInto(browser, 'field-full_name', 'After Recovery');
  await click(browser, 'save-customer');
  await textUntil(browser, 'customer-name', (t) => t.includes('After Recovery'), 'to save a customer in the recovered book');
});
