// Printing from the window: a sheet of address labels from the postal mailing list, a customer's
// card from their page and a sale's receipt from its timeline entry, each written to the file
// the save dialog's stand-in names (a real PDF) and handed to the system's viewer, which a test
// build records in LOUPE_OPENED_FILE instead of opening.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { choose, click, inLanguage, searchFinds, sel, shown, textOf, textUntil, timelineEntries } from '../lib/ui.mjs';

let dir;
let db;
let labelsFile;
let receiptFile;
let cardFile;
let openedLog;
let app;
const step = stepper(() => app?.browser);

/** The customer who spent most: a page with sales on its timeline. */
let buyer;

function cli(...args) {
  return loupeCli(['--db', db, ...args]);
}

before(async () => {
  dir = tempBookDir('print');
  db = path.join(dir, 'book.sqlite3');
  labelsFile = path.join(dir, 'labels.pdf');
  receiptFile = path.join(dir, 'receipt.pdf');
  cardFile = path.join(dir, 'card.pdf');
  openedLog = path.join(dir, 'opened.txt');
  cli('demo', '--customers', '80', '--seed', '19');
  cli('settings', 'set', 'shop_name', 'Maison Horlogère');
  [buyer] = JSON.parse(cli('customers', 'list', '--sort', 'spend', '--desc', '--limit', '1', '--json')).rows;
  app = await launchApp(db, {
    env: { LOUPE_LABELS_FILE: labelsFile, LOUPE_RECEIPT_FILE: receiptFile, LOUPE_CARD_FILE: cardFile, LOUPE_OPENED_FILE: openedLog },
  });
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

/** Finds the demo's buyer with the search box and opens their page, as a dealer would. */
async function openBuyer(browser) {
  await searchFinds(browser, buyer.full_name, buyer.full_name);
  for (const result of await browser.$$(sel('search-result'))) {
    if ((await result.isDisplayed()) && (await textOf(browser, result)).includes(buyer.full_name)) {
      await result.click();
      break;
    }
  }
  await textUntil(browser, 'customer-name', (t) => t.includes(buyer.full_name), `to show ${buyer.full_name}`);
}

/** The file exists, is a PDF, and was handed to the viewer (the last line of the opened log). */
function assertPrinted(file, what) {
  assert.ok(existsSync(file), `${what}: nothing was written to ${file}`);
  assert.equal(readFileSync(file).subarray(0, 5).toString('latin1'), '%PDF-', `${what}: ${file} is not a PDF`);
  const opened = existsSync(openedLog) ? readFileSync(openedLog, 'utf8').trim().split('\n') : [];
  assert.equal(opened.at(-1), file, `${what}: the viewer was not asked to open it (opened: ${JSON.stringify(opened)})`);
}

step('(a) a postal list prints as address labels on the chosen sheet, exactly its people', {}, async (browser) => {
  await inLanguage(browser, 'en');
  const expected = JSON.parse(cli('export', 'mailing-list', '--channel', 'post', '--dry-run', '--json')).rows;
  assert.ok(expected > 0, 'the demo book has customers who opted in to post with an address');
  await click(browser, 'nav-mailing');
  assert.equal((await browser.$$(sel('print-labels'))).length, 0, 'labels are offered for an email list');
  // The channel's radio is drawn as a segmented button: the dealer clicks its label.
  await (await browser.$('label:has([data-testid="mailing-channel-post"])')).click();
  await textUntil(browser, 'mailing-count-rows', (t) => t.trim() === String(expected), `the postal list of ${expected}`);
  await choose(browser, 'labels-layout', 'l7160');
  await screenshot(browser, '52-print-labels.png');
  await click(browser, 'print-labels');
  const notice = await textUntil(browser, 'mailing-notice', (t) => t.includes(labelsFile), 'to say where the labels went');
  assert.ok(notice.includes(`Printed ${expected} label`), `the notice does not count ${expected} labels: ${notice}`);
  assertPrinted(labelsFile, 'the labels');
  await screenshot(browser, '52-print-labels-done.png');
});

step('(b) a customer card prints from the page header in the window’s language', {}, async (browser) => {
  await inLanguage(browser, 'zh');
  await openBuyer(browser);
  await shown(browser, 'print-card');
  await screenshot(browser, '52-print-card-button.png');
  await click(browser, 'print-card');
  await textUntil(browser, 'app-notice', (t) => t.includes(cardFile), 'to say where the card went');
  assertPrinted(cardFile, 'the card');
  await inLanguage(browser, 'en');
});

step('(c) a sale prints its receipt from its timeline entry', {}, async (browser) => {
  await openBuyer(browser);
  const entries = await timelineEntries(browser);
  assert.ok(entries.some((entry) => entry.kind === 'purchase'), `${buyer.full_name} has no sale on the timeline`);
  if (existsSync(receiptFile)) rmSync(receiptFile);
  const [button] = await browser.$$(sel('entry-print-receipt'));
  assert.ok(button, 'no "Print receipt…" on a sale');
  await button.scrollIntoView({ block: 'center' });
  await screenshot(browser, '52-print-receipt-button.png');
  await button.click();
  await textUntil(browser, 'app-notice', (t) => t.includes(receiptFile), 'to say where the receipt went');
  assertPrinted(receiptFile, 'the receipt');
  await screenshot(browser, '52-print-receipt-done.png');
});
