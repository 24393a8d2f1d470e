// The sale as a dealer makes it, in the real window: the staff list kept in Settings and offered
// as the salesperson; a sale paid by card, bank transfer and a trade-in watch (recorded as a
// piece, its serial found by search), with the balance shown live as it is typed; a deposit
// sale awaiting collection, then marked collected with the balance; all in English and in
// Chinese.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { click, gone, inLanguage, nth, searchFinds, sel, shown, textOf, textUntil, typeInto, typeIntoElement, withText } from '../lib/ui.mjs';

const GRACE = 'Grace Wilson';
const WANG = '王小明';

let dir;
let db;
let app;
const step = stepper(() => app?.browser);

before(async () => {
  dir = tempBookDir('payments');
  db = path.join(dir, 'book.sqlite3');
  loupeCli(['--db', db, 'customers', 'add', '--name', GRACE]);
  loupeCli(['--db', db, 'customers', 'add', '--name', WANG]);
  // The payments here settle the prices as typed: no member discount proposed (spec 39 has those).
  loupeCli(['--db', db, 'settings', 'set', 'membership.enabled', 'false']);
  app = await launchApp(db);
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});


async function openFromList(browser, name) {
  await click(browser, 'nav-list');
  const row = await withText(browser, 'customer-row', name, { timeoutMsg: `${name} is not in the list` });
  await row.click();
  await shown(browser, 'customer-totals');
}

/** The open form's `testid` field of row `n` of `rowTestid`. */
async function rowField(browser, rowTestid, n, testid) {
  const form = await shown(browser, 'entry-form');
  const row = await nth(browser, rowTestid, n, { parent: form });
  return nth(browser, testid, 0, { parent: row });
}

async function dueReads(browser, predicate, description) {
  await textUntil(browser, 'sale-due', predicate, description);
}

/** The newest sale on the timeline whose text holds `needle`. */
async function saleWith(browser, needle) {
  return withText(browser, 'timeline-entry', needle, {
    extra: '[data-kind="purchase"]',
    timeoutMsg: `no sale containing ${JSON.stringify(needle)} on the timeline`,
  });
}

/**
 * Records a watch sold for `price`, a trade-in allowed at `allowance`, a first payment by card of
 * `card` and the rest by bank transfer (the row that follows the balance), checking the live line.
 */
async function splitSale(browser, { price, allowance, card, rest, paidInFull, serial, salesperson }) {
  await click(browser, 'add-purchase');
  await shown(browser, 'entry-form');
  await typeIntoElement(browser, await rowField(browser, 'item-row', 0, 'item-brand'), 'Rolex', 'the brand');
  await typeIntoElement(browser, await rowField(browser, 'item-row', 0, 'item-model'), 'Submariner Date', 'the model');
  await typeIntoElement(browser, await rowField(browser, 'item-row', 0, 'item-reference'), '126610LN', 'the reference');
  await typeIntoElement(browser, await rowField(browser, 'item-row', 0, 'item-price'), price, 'the price');
  await typeInto(browser, 'purchase-salesperson', salesperson);

  await click(browser, 'add-trade-in');
  await typeIntoElement(browser, await rowField(browser, 'trade-in-row', 0, 'trade-in-brand'), 'Omega', 'the trade-in brand');
  await typeIntoElement(browser, await rowField(browser, 'trade-in-row', 0, 'trade-in-model'), 'Speedmaster Professional', 'the trade-in model');
  await typeIntoElement(browser, await rowField(browser, 'trade-in-row', 0, 'trade-in-reference'), '311.30.42.30.01.005', 'the trade-in reference');
  await typeIntoElement(browser, await rowField(browser, 'trade-in-row', 0, 'trade-in-serial'), serial, 'the trade-in serial');
  await typeIntoElement(browser, await rowField(browser, 'trade-in-row', 0, 'trade-in-grade'), 'B+', 'the trade-in grade');
  await typeIntoElement(browser, await rowField(browser, 'trade-in-row', 0, 'trade-in-allowance'), allowance, 'the allowance');

  const first = await rowField(browser, 'payment-row', 0, 'payment-amount');
  await typeIntoElement(browser, first, card, 'the card payment');
  await click(browser, 'add-payment');
  const second = await rowField(browser, 'payment-row', 1, 'payment-method');
  await second.selectByAttribute('value', 'bank_transfer');
  const secondAmount = await rowField(browser, 'payment-row', 1, 'payment-amount');
  await browser.waitUntil(async () => (await secondAmount.getValue()) === rest, {
    timeoutMsg: `the second payment does not take what is left (${rest})`,
  });
  await dueReads(browser, (t) => t.includes(paidInFull), `to read ${paidInFull}`);
}

step('(a) the staff list is kept in Settings and offered as the salesperson', {}, async (browser) => {
  await inLanguage(browser, 'en');
  await click(browser, 'settings-button');
  await shown(browser, 'settings-dialog');
  const staff = await shown(browser, 'settings-staff');
  for (const name of ['Jane', 'Tom']) {
    await staff.setValue(name);
    await browser.keys('Enter');
  }
  await screenshot(browser, '36-a-settings-staff.png');
  await click(browser, 'settings-save');
  await gone(browser, 'settings-dialog');
  // Read back from the book: the dialog loads the settings afresh.
  await click(browser, 'settings-button');
  const reopened = await shown(browser, 'settings-dialog');
  await browser.waitUntil(async () => /Jane[\s\S]*Tom/.test(await textOf(browser, reopened)), {
    timeoutMsg: 'the staff list was not saved in the book',
  });
  await click(browser, 'settings-cancel');
  await gone(browser, 'settings-dialog');

  await openFromList(browser, GRACE);
  await click(browser, 'add-purchase');
  await shown(browser, 'entry-form');
  const offered = await browser.execute(() => {
    const input = document.querySelector('[data-testid="purchase-salesperson"]');
    return [...(input.list?.options ?? [])].map((o) => o.value);
  });
  assert.deepEqual(offered, ['Jane', 'Tom'], 'the salesperson field does not offer the staff list');
  await click(browser, 'entry-cancel');
  await gone(browser, 'entry-form');
});

step('(b) a sale paid by card, bank transfer and a trade-in watch', {}, async (browser) => {
  await inLanguage(browser, 'en');
  await openFromList(browser, GRACE);
  await splitSale(browser, {
    price: '9,150',
    allowance: '3,500',
    card: '2,000',
    rest: '3,650.00',
    paidInFull: 'Paid in full',
    serial: '81234567',
    salesperson: 'Jane',
  });
  await textUntil(browser, 'sale-paid', (t) => t.includes('£9,150.00'), 'to read paid £9,150.00');
  await screenshot(browser, '36-b-split-sale-form.png');
  await click(browser, 'entry-save');
  await gone(browser, 'entry-form');

  const sale = await saleWith(browser, '81234567');
  const text = await textOf(browser, sale);
  for (const part of ['Omega Speedmaster Professional', 'allowed £3,500.00', 'Card', '£2,000.00', 'Bank transfer', '£3,650.00', 'by Jane']) {
    assert.ok(text.includes(part), `the sale does not show ${JSON.stringify(part)}: ${text}`);
  }
  assert.equal((await sale.$$(sel('sale-status'))).length, 0, 'a sale paid in full shows a balance');
  await textUntil(browser, 'total-lifetime-spend', (t) => t.trim() === '£9,150.00', 'spend is what the items came to');
  await sale.scrollIntoView({ block: 'center' });
  await screenshot(browser, '36-b-split-sale-timeline.png');

  const found = await searchFinds(browser, '81234567', GRACE);
  assert.ok(found.length >= 1, 'the trade-in serial does not find who brought it');
  await browser.keys('Escape');
});

step('(c) a deposit awaits collection, then the balance collects it', {}, async (browser) => {
  await inLanguage(browser, 'en');
  await openFromList(browser, GRACE);
  await click(browser, 'add-purchase');
  await shown(browser, 'entry-form');
  await typeIntoElement(browser, await rowField(browser, 'item-row', 0, 'item-brand'), 'Cartier', 'the brand');
  await typeIntoElement(browser, await rowField(browser, 'item-row', 0, 'item-model'), 'Santos de Cartier', 'the model');
  await typeIntoElement(browser, await rowField(browser, 'item-row', 0, 'item-price'), '5,000', 'the price');
  await click(browser, 'sale-awaiting');
  await (await rowField(browser, 'payment-row', 0, 'payment-method')).selectByAttribute('value', 'cash');
  await typeIntoElement(browser, await rowField(browser, 'payment-row', 0, 'payment-amount'), '500', 'the deposit');
  await dueReads(browser, (t) => t.includes('£4,500.00'), 'to read a balance due of £4,500.00');
  await screenshot(browser, '36-c-deposit-form.png');
  await click(browser, 'entry-save');
  await gone(browser, 'entry-form');

  let sale = await saleWith(browser, 'Santos');
  await textUntil(browser, 'sale-awaiting', (t) => t.includes('Awaiting collection'), 'the sale awaiting collection');
  assert.ok((await textOf(browser, sale)).includes('Balance due £4,500.00'), 'the deposit sale does not show its balance');
  await sale.scrollIntoView({ block: 'center' });
  await screenshot(browser, '36-c-awaiting-collection.png');

  await (await sale.$(sel('sale-collect'))).click();
  const dialog = await shown(browser, 'collect-dialog');
  const amount = await nth(browser, 'collect-amount', 0, { parent: dialog });
  assert.equal(await amount.getValue(), '4,500.00', 'the balance is not offered');
  await (await nth(browser, 'collect-method', 0, { parent: dialog })).selectByAttribute('value', 'bank_transfer');
  await screenshot(browser, '36-c-collect-dialog.png');
  await click(browser, 'collect-save');
  await gone(browser, 'collect-dialog');
  await gone(browser, 'sale-awaiting');
  sale = await saleWith(browser, 'Santos');
  const text = await textOf(browser, sale);
  assert.ok(text.includes('Cash') && text.includes('£500.00') && text.includes('£4,500.00'), `the collected sale lost a payment: ${text}`);
  const stored = JSON.parse(loupeCli(['--db', db, 'purchases', 'show', String(await sale.getAttribute('data-id')), '--json']));
  assert.equal(stored.balance_due, '0.00');
  assert.ok(stored.collected_on, 'the sale was not marked collected');
});

step('(d) the same in Chinese: a split sale with a trade-in, and a deposit collected', {}, async (browser) => {
  await inLanguage(browser, 'zh');
  await openFromList(browser, WANG);
  await splitSale(browser, {
    price: '88,000',
    allowance: '30,000',
    card: '20,000',
    rest: '38,000.00',
    paidInFull: '已付清',
    serial: 'OM7654321',
    salesperson: 'Tom',
  });
  const form = await shown(browser, 'entry-form');
  const formText = await textOf(browser, form);
  for (const label of ['置换旧表', '抵扣金额', '付款', '付款日期', '定金 — 待取货', '已付']) {
    assert.ok(formText.includes(label), `the sale form lacks the Chinese ${JSON.stringify(label)}`);
  }
  await screenshot(browser, '36-d-split-sale-form-zh.png');
  await click(browser, 'entry-save');
  await gone(browser, 'entry-form');
  const sale = await saleWith(browser, 'OM7654321');
  const text = await textOf(browser, sale);
  assert.ok(text.includes('置换') && text.includes('抵扣') && text.includes('银行转账'), `the sale is not in Chinese: ${text}`);

  await click(browser, 'add-purchase');
  await shown(browser, 'entry-form');
  await typeIntoElement(browser, await rowField(browser, 'item-row', 0, 'item-brand'), 'Patek Philippe', 'the brand');
  await typeIntoElement(browser, await rowField(browser, 'item-row', 0, 'item-price'), '120,000', 'the price');
  await click(browser, 'sale-awaiting');
  await typeIntoElement(browser, await rowField(browser, 'payment-row', 0, 'payment-amount'), '10,000', 'the deposit');
  await dueReads(browser, (t) => t.includes('110,000.00'), 'to read a balance due of 110,000.00');
  await click(browser, 'entry-save');
  await gone(browser, 'entry-form');
  const waiting = await saleWith(browser, 'Patek');
  assert.ok((await textOf(browser, waiting)).includes('待取货'), 'the deposit sale is not awaiting collection in Chinese');
  await waiting.scrollIntoView({ block: 'center' });
  await screenshot(browser, '36-d-awaiting-collection-zh.png');
  await (await waiting.$(sel('sale-collect'))).click();
  await shown(browser, 'collect-dialog');
  await screenshot(browser, '36-d-collect-dialog-zh.png');
  await click(browser, 'collect-save');
  await gone(browser, 'collect-dialog');
  await gone(browser, 'sale-awaiting');
  await inLanguage(browser, 'en');
});
