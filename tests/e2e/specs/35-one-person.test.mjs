// One person, one customer, in the real window: the possible-duplicates screen lists Grace Wilson
// typed in twice (certain: the same email under agreeing names) first, her husband who shares
// the home email and two colleagues on one switchboard after; the husband is marked as someone
// else; the two Graces are merged after the dialog shows what moves; her page shows the merge
// with the other record's sale, and Undo gives "G. Wilson" back; the same screen in Chinese, and
// at the counter in Chinese the form names Grace, "9,150" counts and leaving a form asks first.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { click, gone, nth, searchFinds, shown, textOf, textUntil, typeInto } from '../lib/ui.mjs';

let dir;
let app;
const step = stepper(() => app?.browser);

/** Adds a customer through the CLI and returns their id. */
function add(db, args) {
  return JSON.parse(loupeCli(['--db', db, 'customers', 'add', ...args, '--json'])).id;
}

const ids = {};

before(async () => {
  dir = tempBookDir('one-person');
  const db = path.join(dir, 'book.sqlite3');
  ids.grace = add(db, ['--name', 'Grace Wilson', '--email', 'grace@wilson.example', '--phone', '+44 7400 997207', '--tag', 'VIP']);
  ids.card = add(db, ['--name', 'G. Wilson', '--email', 'Grace@Wilson.example', '--company', 'Wilson & Co', '--tag', 'fair 2026']);
  ids.tom = add(db, ['--name', 'Tom Smith', '--email', 'grace@wilson.example']);
  ids.ada = add(db, ['--name', 'Ada Brunner', '--phone', '+41 44 123 45 67']);
  ids.beat = add(db, ['--name', 'Beat Keller', '--phone', '0041 44 123 45 67']);
  loupeCli(['--db', db, 'purchases', 'add', String(ids.card), '--date', '2025-06-16', '--item', 'brand=Audemars Piguet,model=Royal Oak,serial=K0010008,price=9150']);
  app = await launchApp(db);
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

/** The pairs the screen lists, as "firstId-secondId". */
async function pairsShown(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="duplicate-pair"]')).map((el) => `${el.dataset.first}-${el.dataset.second}`),
  );
}

const LISTED = '(a) the possible duplicates: the two Graces first, the husband and the switchboard after';
step(LISTED, {}, async (browser) => {
  // The window keeps its language between runs: start in English.
  await browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'en'));
  await browser.refresh();
  await click(browser, 'open-duplicates');
  await textUntil(browser, 'duplicates-count', (t) => t.includes('4 pairs'), 'to count 4 pairs');
  const pairs = await pairsShown(browser);
  assert.equal(pairs[0], `${ids.grace}-${ids.card}`, `the certain pair first: ${pairs}`);
  assert.ok(pairs.includes(`${ids.grace}-${ids.tom}`), `the shared email under another name: ${pairs}`);
  assert.ok(pairs.includes(`${ids.ada}-${ids.beat}`), `the shared switchboard: ${pairs}`);
  const first = await nth(browser, 'duplicate-pair', 0);
  const text = await textOf(browser, first);
  assert.match(text, /Same person/);
  assert.match(text, /Same email/);
  await screenshot(browser, '35-duplicates.png');
});

const DIFFERENT = '(b) the husband is someone else: no longer listed';
step(DIFFERENT, { needs: [LISTED] }, async (browser) => {
  for (const other of [ids.grace, ids.card]) {
    const pair = await browser.$(`[data-testid="duplicate-pair"][data-first="${other}"][data-second="${ids.tom}"]`);
    await pair.waitForDisplayed();
    await (await pair.$('[data-testid="duplicate-different"]')).click();
    await textUntil(browser, 'duplicates-done', (t) => t.includes('different people'), 'to say they are different people');
  }
  await textUntil(browser, 'duplicates-count', (t) => t.includes('2 pairs'), 'to count 2 pairs');
});

const MERGED = '(c) the two Graces merged after the dialog shows what moves';
step(MERGED, { needs: [DIFFERENT] }, async (browser) => {
  const pair = await browser.$(`[data-testid="duplicate-pair"][data-first="${ids.grace}"][data-second="${ids.card}"]`);
  await (await pair.$('[data-testid="duplicate-merge"]')).click();
  const dialog = await shown(browser, 'merge-dialog');
  // G. Wilson has the sale: that record is kept by default; the dealer keeps the older one.
  const kept = await browser.$(`[data-testid="merge-keep-choice"][value="${ids.grace}"]`);
  await kept.click();
  await textUntil(browser, 'merge-plan', (t) => t.includes('Everything of G. Wilson moves to Grace Wilson'), 'to plan G. Wilson into Grace');
  const plan = await textOf(browser, await shown(browser, 'merge-plan'));
  assert.match(plan, /1 sale/);
  assert.match(plan, /Company/, `G. Wilson's company fills Grace's empty one: ${plan}`);
  await screenshot(browser, '35-merge-dialog.png');
  await (await dialog.$('[data-testid="merge-confirm"]')).click();
  await gone(browser, 'merge-dialog');
  await textUntil(browser, 'duplicates-done', (t) => t.includes('G. Wilson was merged into Grace Wilson'), 'to say so');
  await textUntil(browser, 'duplicates-count', (t) => t.includes('1 pair'), 'to count the switchboard pair only');
});

const ON_HER_PAGE = '(d) her page holds the sale and the merge; Undo gives G. Wilson back';
step(ON_HER_PAGE, { needs: [MERGED] }, async (browser) => {
  await searchFinds(browser, 'K0010008', 'Grace Wilson');
  await browser.keys('Enter');
  await textUntil(browser, 'customer-name', (t) => t.includes('Grace Wilson'), 'to open Grace');
  const entry = await shown(browser, 'merge-entry');
  const text = await textOf(browser, entry);
  assert.match(text, /Merged in G\. Wilson’s record/);
  assert.match(text, /1 sale/);
  await screenshot(browser, '35-merged-page.png');
  await click(browser, 'merge-undo');
  await textUntil(browser, 'app-notice', (t) => t.includes('G. Wilson is back'), 'to say G. Wilson is back');
  await searchFinds(browser, 'K0010008', 'G. Wilson');
  await browser.keys('Escape');
});

const CHINESE = '(e) the duplicates screen and the merge dialog in Chinese';
step(CHINESE, { needs: [ON_HER_PAGE] }, async (browser) => {
  await browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'zh'));
  await browser.refresh();
  await click(browser, 'nav-list');
  await click(browser, 'open-duplicates');
  await textUntil(browser, 'duplicates-view', (t) => t.includes('可能重复的客户'), 'to be in Chinese');
  await textUntil(browser, 'duplicates-count', (t) => t.includes('2 对'), 'to count 2 pairs again');
  await click(browser, 'duplicate-merge');
  await textUntil(browser, 'merge-plan', (t) => t.includes('的所有内容将移到'), 'to plan in Chinese');
  await screenshot(browser, '35-merge-dialog-zh.png');
  await click(browser, 'merge-cancel');
});

step('(f) at the counter in Chinese: the form names Grace, "9,150" counts, and leaving asks first', { needs: [CHINESE] }, async (browser) => {
  try {
    await click(browser, 'new-customer-button');
    await shown(browser, 'customer-form');
    await typeInto(browser, 'field-full_name', 'G. Wilson');
    await typeInto(browser, 'email-address-0', 'grace@wilson.example');
    await textUntil(browser, 'duplicate-warning', (t) => t.includes('这看起来就是 Grace Wilson'), 'to name Grace Wilson in Chinese');
    await screenshot(browser, '35-duplicate-warning-zh.png');
    // Leaving the half-filled form asks first, in Chinese; the dealer discards it.
    await click(browser, 'nav-wishes');
    await textUntil(browser, 'confirm-dialog', (t) => t.includes('放弃刚才输入的内容？'), 'to ask in Chinese before discarding');
    await click(browser, 'confirm-delete');
    await shown(browser, 'wishes-view');

    await searchFinds(browser, 'Grace', 'Grace Wilson');
    await browser.keys('Enter');
    await textUntil(browser, 'customer-name', (t) => t.includes('Grace Wilson'), 'to open Grace');
    await click(browser, 'add-purchase');
    const form = await shown(browser, 'entry-form');
    const price = await nth(browser, 'item-price', 0, { parent: form });
    await price.click();
    await browser.keys('9,150');
    await textUntil(browser, 'sale-total', (t) => t.includes('9,150.00'), 'to count "9,150" as 9,150.00 in the Chinese window');
    await screenshot(browser, '35-amount-zh.png');
    await click(browser, 'entry-cancel');
    await gone(browser, 'entry-form');
  } finally {
    await browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'en'));
    await browser.refresh();
  }
});
