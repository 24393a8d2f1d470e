// The files a dealer has at hand, imported in the real window: an Excel workbook of two sheets
// (the shop's list first, the Basel fair's visitor log second; tests/fixtures/import/
// fair-workbook.xlsx, saved by LibreOffice) whose second sheet is chosen in the preview, with
// its dates and phones read as the spreadsheet shows them, then a phone's vCard export (2.1
// quoted-printable and 4.0, one card of someone the workbook brought in). The dialog's answer
// is one path with no extension for both files: Loupe tells them apart by their content.

import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, REPO_ROOT, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { click, sel, shown, textOf, textUntil, texts } from '../lib/ui.mjs';

const WORKBOOK = path.join(REPO_ROOT, 'tests', 'fixtures', 'import', 'fair-workbook.xlsx');
/** A phone's export: Flora again (her email; a birthday without a year) and 王小明 in 2.1's quoted-printable. */
const VCARDS = [
  'BEGIN:VCARD',
  'VERSION:4.0',
  'FN:Flora Martin',
  'N:Martin;Flora;;;',
  'EMAIL;TYPE=home:flora@example.com',
  'BDAY:--0315',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:2.1',
  'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E5=B0=8F=E6=98=8E;;;',
  'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B=E5=B0=8F=E6=98=8E',
  'TEL;CELL;PREF:+86 138 1234 5678',
  'NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=83=B3=E8=A6=81=E9=87=91=E8=89=B2=',
  '=E8=A1=A8=E7=9B=98',
  'END:VCARD',
  '',
].join('\r\n');

let dir;
let db;
/** What the app's "Choose a file…" answers: the workbook first, then the vCards. */
let importFile;
let app;
const step = stepper(() => app?.browser);

before(async () => {
  dir = tempBookDir('import-workbook');
  db = path.join(dir, 'book.sqlite3');
  importFile = path.join(dir, 'from-the-desk');
  copyFileSync(WORKBOOK, importFile);
  app = await launchApp(db, { env: { LOUPE_IMPORT_FILE: importFile } });
  // The window's storage outlives a run: start in English whatever an earlier run left.
  await app.browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'en'));
  await app.browser.refresh();
  await shown(app.browser, 'nav-import');
});

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

/** The example values the mapping shows for `column`. */
async function sample(browser, column) {
  const row = await shown(browser, 'mapping-row', { extra: `[data-column="${column}"]` });
  return textOf(browser, await row.$('.sample'));
}

step('(a) a workbook previews its first sheet and offers the others', {}, async (browser) => {
  await click(browser, 'nav-import');
  await click(browser, 'import-choose');
  await shown(browser, 'import-preview', { timeout: 30_000 });
  await textUntil(browser, 'import-file-kind', (t) => t.includes('Excel workbook, sheet “Shop”'), 'to say it read the sheet Shop');
  assert.equal((await browser.$$(sel('import-encoding'))).length, 0, 'a workbook offers an encoding');
  assert.equal((await browser.$$(sel('import-delimiter'))).length, 0, 'a workbook offers a delimiter');
  const sheets = await browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="import-sheet"] option')).map((o) => o.value),
  );
  assert.deepEqual(sheets, ['Shop', 'Basel 2024'], 'the sheets offered are wrong');
  assert.equal(await count(browser, 'count-new'), '1', 'the Shop sheet does not hold one new person');
  await screenshot(browser, '42-workbook-first-sheet.png');
});

const FIRST_SHEET = '(a) a workbook previews its first sheet and offers the others';

step('(b) the second sheet shows real dates and phones, with the sheet\'s row numbers', { needs: [FIRST_SHEET] }, async (browser) => {
  const before = await previewRevision(browser);
  // Selected directly: the preview re-runs at once and renders a new select.
  await (await shown(browser, 'import-sheet')).selectByAttribute('value', 'Basel 2024');
  await browser.waitUntil(async () => (await previewRevision(browser)) > before, {
    timeoutMsg: 'the preview did not run again for the chosen sheet',
  });
  await textUntil(browser, 'import-file-kind', (t) => t.includes('sheet “Basel 2024”'), 'to say it read Basel 2024');
  assert.equal(await (await shown(browser, 'import-sheet')).getValue(), 'Basel 2024', 'the select does not show the sheet read');
  const dates = await sample(browser, 'Visit date');
  assert.ok(dates.includes('2024-03-21') && dates.includes('2024-03-22'), `the visit dates are not dates: ${dates}`);
  const phones = await sample(browser, 'Mobile');
  assert.ok(phones.includes('447911123456') && phones.includes('07911 123457'), `the phones are not as typed: ${phones}`);
  assert.ok(!/E\+/.test(phones), `a phone is in exponent form: ${phones}`);
  const lines = await browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="preview-row"]')).map((el) => Number(el.getAttribute('data-line'))),
  );
  assert.deepEqual(lines, [2, 4], 'the rows are not the sheet\'s own (row 3 is empty)');
  assert.equal(await count(browser, 'count-new'), '2', 'the fair sheet does not hold two new people');
  assert.equal((await browser.$$(sel('import-error'))).length, 0, 'the sheet\'s preview shows an error');
  assert.equal((await browser.$$(sel('date-ask'))).length, 0, 'Loupe asks the order of date cells that cannot be read two ways');
  await screenshot(browser, '42-workbook-second-sheet.png');
});

const SECOND_SHEET = "(b) the second sheet shows real dates and phones, with the sheet's row numbers";

step('(c) the import brings the fair\'s visitors in, found in the list', { needs: [SECOND_SHEET] }, async (browser) => {
  await textUntil(browser, 'import-commit', (t) => t.includes('2'), 'to offer to import 2 people');
  await click(browser, 'import-commit');
  await shown(browser, 'import-summary', { timeout: 30_000 });
  await textUntil(browser, 'summary-file-kind', (t) => t.includes('sheet “Basel 2024”'), 'to name the sheet imported');
  assert.equal(await count(browser, 'summary-created'), '2', 'the summary does not count two new people');
  await screenshot(browser, '42-workbook-summary.png');
  const flora = cliSearch('flora@example.com');
  assert.equal(flora.length, 1, 'Flora was not imported');
  assert.equal(flora[0].phones[0].number, '447911123456', 'her phone is not as the sheet holds it');
  await click(browser, 'summary-view-customers');
  await shown(browser, 'customer-list');
  let rows = [];
  await browser.waitUntil(
    async () => {
      rows = await texts(browser, 'customer-row');
      return ['Flora Martin', 'George Hill'].every((n) => rows.some((r) => r.includes(n)));
    },
    { timeoutMsg: 'the list does not show Flora Martin and George Hill' },
  );
  assert.ok(!rows.some((r) => r.includes('Carl Brown')), 'the Shop sheet was imported too');
});

const WORKBOOK_IMPORTED = "(c) the import brings the fair's visitors in, found in the list";

step('(d) a phone\'s vCards merge the person already in and add the other', { needs: [WORKBOOK_IMPORTED] }, async (browser) => {
  writeFileSync(importFile, VCARDS);
  await click(browser, 'nav-list');
  await click(browser, 'nav-import');
  await click(browser, 'import-choose');
  await shown(browser, 'import-preview', { timeout: 30_000 });
  await textUntil(browser, 'import-file-kind', (t) => t.includes('vCard, 2 cards'), 'to say it read 2 vCards');
  assert.equal((await browser.$$(sel('import-sheet'))).length, 0, 'vCards offer a sheet');
  const counts = { new: await count(browser, 'count-new'), merge: await count(browser, 'count-merge') };
  assert.deepEqual(counts, { new: '1', merge: '1' }, 'the vCards are not one merge and one new');
  const flora = await shown(browser, 'preview-row', { extra: '[data-line="1"]' });
  assert.ok((await textOf(browser, flora)).includes('Merge into Flora Martin'), 'the first card does not merge into Flora');
  const wang = await textOf(browser, await shown(browser, 'preview-row', { extra: '[data-line="8"]' }));
  assert.ok(wang.includes('王小明') && wang.includes('+86 138 1234 5678'), `the 2.1 card is not read: ${wang}`);
  await screenshot(browser, '42-vcard-preview.png');
  await click(browser, 'import-commit');
  await shown(browser, 'import-summary', { timeout: 30_000 });
  assert.deepEqual(
    { created: await count(browser, 'summary-created'), merged: await count(browser, 'summary-merged') },
    { created: '1', merged: '1' },
    'the vCard summary is wrong',
  );
  await screenshot(browser, '42-vcard-summary.png');
  const found = cliSearch('王小明');
  assert.equal(found.length, 1, '王小明 was not imported');
  const shownFlora = JSON.parse(loupeCli(['--db', db, 'customers', 'show', String(cliSearch('flora@example.com')[0].id), '--json']));
  assert.equal(shownFlora.birthday, '--03-15', 'Flora did not get her birthday without a year');
});
