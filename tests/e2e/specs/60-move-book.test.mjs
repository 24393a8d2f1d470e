// Moving the whole book to another computer, in the real window: the old laptop's book exported
// into a new folder on a "USB stick" (and refused into a folder that holds files); the folder
// imported into the new laptop's empty book, which then holds exactly the same; the same folder
// merged into a shop's book that already has customers (a backup made first, the shared customer
// merged by email, everyone else added); and a folder with a wrong value refused with the file,
// line and column, nothing written.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { click, gone, sel, shown, textOf, textUntil, texts } from '../lib/ui.mjs';

const SHARED = 'Alice Move';
const SHARED_EMAIL = 'alice@move.example';
const DEMO = 300;

let dir;
let exportDir;
/** The books: the old laptop's, the new laptop's (empty), a shop's with customers, an empty one for the bad folder. */
let oldBook;
let newBook;
let shopBook;
let badBook;
let badDir;
let app;
const step = stepper(() => app?.browser);

const cli = (db, ...args) => loupeCli(['--db', db, ...args]);
const stats = (db) => JSON.parse(cli(db, 'stats', '--json'));

before(async () => {
  dir = tempBookDir('move');
  mkdirSync(path.join(dir, 'usb'));
  exportDir = path.join(dir, 'usb', 'loupe-book');
  badDir = path.join(dir, 'usb', 'damaged-copy');
  oldBook = path.join(dir, 'old.sqlite3');
  newBook = path.join(dir, 'new.sqlite3');
  shopBook = path.join(dir, 'shop.sqlite3');
  badBook = path.join(dir, 'bad.sqlite3');
  cli(oldBook, 'demo', '--customers', String(DEMO), '--seed', '7');
  cli(oldBook, 'customers', 'add', '--name', SHARED, '--email', SHARED_EMAIL);
  cli(shopBook, 'customers', 'add', '--name', 'Alice M.', '--email', SHARED_EMAIL, '--phone', '07911 123456');
  cli(shopBook, 'customers', 'add', '--name', 'Larry Local', '--email', 'larry@local.example');
  // Each step opens the app on the book it needs; the old laptop's first.
  await openOn(oldBook, { LOUPE_EXPORT_DIR: exportDir });
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

/** Opens the app on `db` (closing the one before) in `lang`, on the backups screen. */
async function openOn(db, env, lang = 'en') {
  await app?.close();
  app = await launchApp(db, { env });
  const browser = app.browser;
  await browser.execute((l) => localStorage.setItem('loupe.uiLanguage', l), lang);
  await browser.refresh();
  await click(browser, 'nav-backups');
  await shown(browser, 'book-move');
  return browser;
}

async function stat(browser, testid, key) {
  return (
    await browser.execute(
      (id, k) => document.querySelector(`[data-testid="${id}"] [data-stat="${k}"]`)?.innerText ?? '',
      testid,
      key,
    )
  ).trim();
}

const plain = (s) => s.replace(/[,\s]/g, '');

step('(a) the old laptop exports the whole book into a new folder, and says what it wrote and where', {}, async (browser) => {
  await screenshot(browser, '60-move-card.png');
  await click(browser, 'book-export');
  await shown(browser, 'book-export-dialog');
  const summary = await textUntil(browser, 'book-export-summary', (t) => t.length > 0, 'to summarise the export', { timeout: 60_000 });
  assert.ok(plain(summary).includes(`${DEMO + 1}customers`), `the summary does not count ${DEMO + 1} customers: ${summary}`);
  const manifest = JSON.parse(readFileSync(path.join(exportDir, 'manifest.json'), 'utf8'));
  assert.ok(summary.includes(`in ${manifest.files.length} files`), `the summary does not count the files: ${summary}`);
  assert.equal((await textOf(browser, await shown(browser, 'book-export-dir'))).trim(), exportDir, 'the dialog does not say where');
  await screenshot(browser, '60-move-exported.png');
  assert.equal(manifest.files.find((f) => f.table === 'customers').rows, DEMO + 1, 'the manifest does not hold every customer');
  await click(browser, 'book-export-close');
  await gone(browser, 'book-export-dialog');

  // Again into the same folder, which now holds the book: refused, nothing mixed in.
  await click(browser, 'book-export');
  const error = await textUntil(browser, 'book-export-error', (t) => t.length > 0, 'to refuse a folder that holds files');
  assert.ok(error.includes('already holds files') && error.includes('new folder, or an empty one'), `the refusal is unclear: ${error}`);
  await screenshot(browser, '60-move-export-not-empty.png');
  await click(browser, 'book-export-close');
});

const EXPORTED = '(a) the old laptop exports the whole book into a new folder, and says what it wrote and where';

step('(b) the new laptop\'s empty book imports the folder and then holds exactly the same', { needs: [EXPORTED] }, async () => {
  const browser = await openOn(newBook, { LOUPE_IMPORT_DIR: exportDir });
  await click(browser, 'book-import');
  await shown(browser, 'book-import-dialog');
  await browser.waitUntil(async () => plain(await stat(browser, 'book-import-folder-contents', 'customers')) === String(DEMO + 1), {
    timeoutMsg: 'the dialog does not show the folder\'s customers',
  });
  assert.equal(await stat(browser, 'book-import-current-contents', 'customers'), '0', 'the new book is not shown empty');
  const explain = await shown(browser, 'book-import-explain');
  assert.equal(await explain.getAttribute('data-merge'), 'false', 'an empty book is offered a merge');
  assert.ok((await textOf(browser, explain)).includes('exactly'), 'the dialog does not say the book is restored exactly');
  await screenshot(browser, '61-move-import-empty.png');
  await click(browser, 'book-import-confirm');
  const summary = await textUntil(browser, 'book-import-summary', (t) => t.length > 0, 'to summarise the import', { timeout: 60_000 });
  assert.ok(plain(summary).includes(`${DEMO + 1}customers`), `the summary does not count the customers: ${summary}`);
  await screenshot(browser, '61-move-imported.png');

  const was = stats(oldBook);
  const now = stats(newBook);
  for (const key of ['customers', 'purchases', 'purchase_items', 'notes', 'interactions', 'wishes', 'emails', 'phones']) {
    assert.equal(now[key], was[key], `the new book holds ${now[key]} ${key}, the old one ${was[key]}`);
  }
  await click(browser, 'book-import-view');
  await shown(browser, 'customer-list');
  await browser.waitUntil(async () => (await texts(browser, 'customer-row')).length > 10, {
    timeoutMsg: 'the list does not show the imported customers',
  });
});

step('(c) a shop\'s book with customers: the merge is explained, a backup made first, the shared customer merged', { needs: [EXPORTED] }, async () => {
  const browser = await openOn(shopBook, { LOUPE_IMPORT_DIR: exportDir });
  await click(browser, 'book-import');
  const explain = await shown(browser, 'book-import-explain');
  assert.equal(await explain.getAttribute('data-merge'), 'true', 'a book with customers is not offered a merge');
  const text = await textOf(browser, explain);
  for (const words of ['same email or phone under a name that agrees is the same person', 'nothing already in the book is overwritten', 'cannot be undone', 'backup']) {
    assert.ok(text.includes(words), `the explanation does not say "${words}": ${text}`);
  }
  assert.equal(await stat(browser, 'book-import-current-contents', 'customers'), '2', 'the shop\'s book is not shown with its 2 customers');
  await textUntil(browser, 'book-import-confirm', (t) => t.includes('Back up, then merge'), 'to say it backs up first');
  await screenshot(browser, '62-move-merge.png');
  await click(browser, 'book-import-confirm');
  const summary = await textUntil(browser, 'book-import-summary', (t) => t.length > 0, 'to summarise the merge', { timeout: 60_000 });
  assert.ok(summary.includes(`Customers added: ${DEMO}. Merged into customers already in the book: 1.`), `the merge summary is wrong: ${summary}`);
  const backup = await textOf(browser, await shown(browser, 'book-import-backup'));
  assert.ok(/kept as the backup .*before-merge/.test(backup), `the summary does not name the backup: ${backup}`);
  await screenshot(browser, '62-move-merged.png');
  await browser.waitUntil(async () => (await browser.$$(sel('backup-row', '[data-kind="before_merge"]'))).length === 1, {
    timeoutMsg: 'the backup made before the merge is not listed',
  });
  assert.equal(stats(shopBook).customers, DEMO + 2, 'the shop\'s book does not hold its 2 customers and the 300 others');
  const shared = JSON.parse(cli(shopBook, 'customers', 'search', SHARED_EMAIL, '--json')).customers;
  assert.equal(shared.length, 1, `the shared customer is in the book twice: ${JSON.stringify(shared)}`);
  assert.equal(shared[0].full_name, 'Alice M.', 'the merge overwrote the name the shop keeps');
  await click(browser, 'book-import-close');
});

step('(d) in Chinese: the move card and the merge explained', { needs: [EXPORTED] }, async () => {
  const browser = await openOn(shopBook, { LOUPE_IMPORT_DIR: exportDir }, 'zh');
  await textUntil(browser, 'book-move', (t) => t.includes('迁移到另一台电脑'), 'to be in Chinese');
  await screenshot(browser, '63-move-backups-zh.png');
  await click(browser, 'book-import');
  await textUntil(browser, 'book-import-explain', (t) => t.includes('邮箱或电话相同且姓名相符即为同一人'), 'to explain the merge in Chinese');
  await screenshot(browser, '63-move-merge-zh.png');
  await click(browser, 'book-import-cancel');
  await gone(browser, 'book-import-dialog');
});

step('(e) a folder with a wrong value is refused with the file, line and column, and nothing is written', { needs: [EXPORTED] }, async () => {
  // A copy whose sixth line has a customer type Loupe does not know (the checksum made to match).
  cpSync(exportDir, badDir, { recursive: true });
  const file = path.join(badDir, 'customers.csv');
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l, i) => i >= 5 && l.includes(',retail,'));
  assert.ok(at > 0, 'no retail customer to spoil in the export');
  lines[at] = lines[at].replace(',retail,', ',gold_member,');
  const data = Buffer.from(lines.join('\n'));
  writeFileSync(file, data);
  const manifestPath = path.join(badDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entry = manifest.files.find((f) => f.name === 'customers.csv');
  entry.sha256 = createHash('sha256').update(data).digest('hex');
  entry.bytes = data.length;
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');

  const browser = await openOn(badBook, { LOUPE_IMPORT_DIR: badDir });
  await click(browser, 'book-import');
  await shown(browser, 'book-import-explain');
  await click(browser, 'book-import-confirm');
  const error = await textUntil(browser, 'book-import-error', (t) => t.length > 0, 'to refuse the folder', { timeout: 60_000 });
  assert.ok(error.includes(`customers.csv: line ${at + 1}, column 'customer_type'`), `the error does not name the file, line and column: ${error}`);
  assert.ok(error.includes('Nothing was written'), `the error does not say nothing was written: ${error}`);
  assert.equal(await (await shown(browser, 'book-import-confirm')).isEnabled(), false, 'the import is offered again on a folder that failed');
  await screenshot(browser, '64-move-bad-folder.png');
  assert.equal(stats(badBook).customers, 0, 'the refused folder wrote customers');
  assert.ok(existsSync(exportDir), 'the export folder went missing');
});
