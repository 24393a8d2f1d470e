// The loyalty programme in the real window, on a fixed day (LOUPE_TODAY): a Silver member's page
// (tier, why, progress to Gold, points); a sale for her with the 15 % proposed on the piece, the
// points it earns and the progress after it; points redeemed by hand and refused when short;
// the list's tier column; Settings → Membership and the overview; the CLI reading the same
// book; in English and in Chinese.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { click, gone, inLanguage, nth, sel, shown, textOf, textUntil, typeInto, typeIntoElement, withText } from '../lib/ui.mjs';

const TODAY = '2026-06-15';
const SOPHIE = 'Sophie Laurent';
const TOM = 'Tom Baker';

let dir;
let db;
let app;
let sophie;
const step = stepper(() => app?.browser);

// The book is written on the same fixed day the window reads it on.
const cli = (...args) => loupeCli(['--db', db, ...args], { env: { LOUPE_TODAY: TODAY } });
const added = (name) => JSON.parse(cli('customers', 'add', '--name', name, '--json')).id;
const sell = (id, date, item) => cli('purchases', 'add', String(id), '--date', date, '--item', item);

before(async () => {
  dir = tempBookDir('membership');
  db = path.join(dir, 'book.sqlite3');
  // Sophie: £21,000 in March, Silver (20,000 in 12 months); Tom: one small purchase, a Member.
  sophie = added(SOPHIE);
  sell(sophie, '2026-03-10', 'brand=Rolex,model=Datejust 41,category=watch,material=steel,price=21000');
  const tom = added(TOM);
  sell(tom, '2026-05-01', 'brand=Tudor,model=Black Bay,category=watch,material=steel,price=800');
  app = await launchApp(db, { env: { LOUPE_TODAY: TODAY } });
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});


async function rowOf(browser, name) {
  return withText(browser, 'customer-row', name, { timeoutMsg: `${name} is not in the list` });
}

async function openFromList(browser, name) {
  await click(browser, 'nav-list');
  await (await rowOf(browser, name)).click();
  return shown(browser, 'membership-card');
}

/** The card's `testid` part. */
async function cardPart(browser, testid) {
  const card = await shown(browser, 'membership-card');
  return nth(browser, testid, 0, { parent: card });
}

const attr = async (el, name) => el.getAttribute(name);

step('(a) the list shows each customer\'s tier', {}, async (browser) => {
  await inLanguage(browser, 'en');
  await browser.setWindowSize(1280, 800);
  await click(browser, 'nav-list');
  const row = await rowOf(browser, SOPHIE);
  await browser.waitUntil(async () => (await textOf(browser, row)).includes('Silver'), {
    timeoutMsg: 'Sophie\'s row does not say Silver',
  });
  assert.match(await textOf(browser, await rowOf(browser, TOM)), /Member/);
  await screenshot(browser, '39-a-list-tiers.png');
});

step('(b) a Silver member\'s page says why, what Gold asks, and her points', {}, async (browser) => {
  await openFromList(browser, SOPHIE);
  assert.equal(await attr(await cardPart(browser, 'membership-tier'), 'data-tier'), 'silver');
  assert.match(await textOf(browser, await cardPart(browser, 'membership-reason')), /21,000/);
  const next = await cardPart(browser, 'membership-next');
  assert.equal(await attr(next, 'data-tier'), 'gold');
  assert.match(await textOf(browser, next), /29,000/);
  assert.equal(await attr(await cardPart(browser, 'points-balance'), 'data-points'), '21000');
  await screenshot(browser, '39-b-silver-member.png');
});

step('(c) a sale for her proposes 15 % on the piece, earns points and moves her towards Gold', {}, async (browser) => {
  await click(browser, 'add-purchase');
  const form = await shown(browser, 'entry-form');
  const item = await nth(browser, 'item-row', 0, { parent: form });
  await typeIntoElement(browser, await nth(browser, 'item-brand', 0, { parent: item }), 'Cartier', 'the brand');
  await typeIntoElement(browser, await nth(browser, 'item-model', 0, { parent: item }), 'Tank Louis', 'the model');
  await typeIntoElement(browser, await nth(browser, 'item-price', 0, { parent: item }), '9150', 'the price');
  const discount = await nth(browser, 'item-discount', 0, { parent: item });
  await browser.waitUntil(async () => /1,?372\.50/.test(await discount.getValue()), {
    timeoutMsg: 'the member discount of 15 % on 9,150 (1,372.50) is not proposed',
  });
  assert.match(await textOf(browser, await nth(browser, 'item-member-discount', 0, { parent: item })), /Silver.*15/);
  await textUntil(browser, 'sale-earns-points', (t) => /7,777/.test(t), 'the sale to earn 7,777 points');
  await screenshot(browser, '39-c-sale-member-discount.png');
  await click(browser, 'entry-save');
  await gone(browser, 'entry-form');
  // 21,000 + 7,777 points; 50,000 − 28,777.50 = 21,222.50 more for Gold.
  await browser.waitUntil(async () => (await attr(await cardPart(browser, 'points-balance'), 'data-points')) === '28777', {
    timeoutMsg: 'the balance is not 28,777 after the sale',
  });
  assert.match(await textOf(browser, await cardPart(browser, 'membership-next')), /21,222\.50/);
  const sale = await withText(browser, 'timeline-entry', 'Tank Louis', {
    extra: '[data-kind="purchase"]',
    timeoutMsg: 'the sale is not on the timeline',
  });
  assert.match(await textOf(browser, sale), /Silver member −15 %/);
  assert.match(await textOf(browser, sale), /\+7,777/);
  await screenshot(browser, '39-c-after-the-sale.png');
});

step('(d) points redeemed by hand, and refused when the balance is short', {}, async (browser) => {
  await click(browser, 'points-redeem');
  const dialog = await shown(browser, 'points-dialog');
  await typeInto(browser, 'points-amount', '30000');
  await typeInto(browser, 'points-reason', 'Strap and buckle');
  await click(browser, 'points-save');
  await browser.waitUntil(async () => /28,777/.test(await textOf(browser, dialog)) && /30,000/.test(await textOf(browser, dialog)), {
    timeoutMsg: 'the refusal does not say what is available and what was asked',
  });
  await screenshot(browser, '39-d-redeem-refused.png');
  await typeInto(browser, 'points-amount', '777');
  await click(browser, 'points-save');
  await gone(browser, 'points-dialog');
  await browser.waitUntil(async () => (await attr(await cardPart(browser, 'points-balance'), 'data-points')) === '28000', {
    timeoutMsg: 'the balance is not 28,000 after redeeming 777',
  });
  await click(browser, 'points-ledger-toggle');
  const lines = await (await cardPart(browser, 'points-ledger')).$$(sel('points-line'));
  const kinds = [];
  for (const line of lines) kinds.push(await line.getAttribute('data-kind'));
  assert.deepEqual(kinds, ['redeem', 'earn', 'earn']);
  await screenshot(browser, '39-d-ledger.png');
});

step('(e) Settings → Membership and the overview', {}, async (browser) => {
  await click(browser, 'settings-button');
  await shown(browser, 'settings-dialog');
  await click(browser, 'settings-tab-membership');
  const rules = await shown(browser, 'settings-membership');
  const keys = [];
  for (const tier of await rules.$$(sel('membership-tier'))) keys.push(await tier.getAttribute('data-key'));
  assert.deepEqual(keys, ['member', 'silver', 'gold']);
  await screenshot(browser, '39-e-settings-membership.png');
  await click(browser, 'settings-cancel');
  await gone(browser, 'settings-dialog');
  await click(browser, 'nav-membership');
  const view = await shown(browser, 'membership-view');
  await browser.waitUntil(async () => /28,800/.test(await textOf(browser, view)), {
    timeoutMsg: 'the overview does not count 28,800 points outstanding (28,000 + 800)',
  });
  await screenshot(browser, '39-e-overview.png');
});

step('(f) the CLI reads the same membership from the book', {}, async () => {
  const shown = JSON.parse(cli('customers', 'show', String(sophie), '--json'));
  assert.equal(shown.membership.tier.key, 'silver');
  assert.equal(shown.membership.points, 28000);
  assert.equal(shown.membership.next_tier.tier.key, 'gold');
  const ledger = JSON.parse(cli('points', String(sophie), '--json'));
  assert.equal(ledger.balance, 28000);
});

step('(g) in Chinese', {}, async (browser) => {
  await inLanguage(browser, 'zh');
  await openFromList(browser, SOPHIE);
  await browser.waitUntil(async () => (await textOf(browser, await cardPart(browser, 'membership-tier'))).includes('银卡'), {
    timeoutMsg: 'the tier is not named 银卡',
  });
  assert.match(await textOf(browser, await cardPart(browser, 'membership-next')), /金卡/);
  await screenshot(browser, '39-g-member-zh.png');
  await click(browser, 'nav-membership');
  await shown(browser, 'membership-view');
  await screenshot(browser, '39-g-overview-zh.png');
  await inLanguage(browser, 'en');
});
