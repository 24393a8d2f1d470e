// A book of 5,000 demo customers (filled by the `loupe` CLI before the app starts): the list
// shows the count, renders rows after scrolling far down, filters by type, and the search box
// finds a Chinese name by its pinyin.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { choose, click, digits, gone, sel, shown, textOf, textUntil, typeInto } from '../lib/ui.mjs';

const CUSTOMERS = 5000;

let dir;
let app;
const step = stepper(() => app?.browser);

before(async () => {
  dir = tempBookDir('large');
  const db = path.join(dir, 'book.sqlite3');
  loupeCli(['--db', db, 'demo', '--customers', String(CUSTOMERS), '--seed', '7']);
  app = await launchApp(db);
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

/** The count the list header shows, as a number (whatever the thousands separator). */
async function shownCount(browser) {
  const text = await textOf(browser, await shown(browser, 'customer-count'));
  const match = text.match(/\d[\d\s,.'\u202f\u00a0]*/);
  return match ? Number(digits(match[0])) : NaN;
}

/** Texts of the rows currently rendered and displayed. */
async function visibleRows(browser) {
  const rows = await browser.$$(sel('customer-row'));
  const out = [];
  for (const row of rows) if (await row.isDisplayed()) out.push(await textOf(browser, row));
  return out;
}

/** Scrolls the list's scroll container (the list itself or its nearest scrolling ancestor). */
async function scrollListTo(browser, fraction) {
  return browser.execute((f) => {
    let el = document.querySelector('[data-testid="customer-list"]');
    while (el && !(el.scrollHeight > el.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(el).overflowY))) {
      el = el.parentElement;
    }
    const scroller = el ?? document.scrollingElement;
    scroller.scrollTop = Math.floor((scroller.scrollHeight - scroller.clientHeight) * f);
    scroller.dispatchEvent(new Event('scroll'));
    return { top: scroller.scrollTop, height: scroller.scrollHeight };
  }, fraction);
}

step(`(f) the list shows all ${CUSTOMERS} customers`, {}, async (browser) => {
  await shown(browser, 'customer-list');
  let said = '';
  await browser.waitUntil(
    async () => {
      said = await textOf(browser, await shown(browser, 'customer-count'));
      return (await shownCount(browser)) === CUSTOMERS;
    },
    { timeoutMsg: `the customer count does not say ${CUSTOMERS}` },
  ).catch((error) => {
    throw new Error(`${error.message}; it says "${said}"`);
  });
  await browser.waitUntil(async () => (await visibleRows(browser)).length > 0, { timeoutMsg: 'no customer rows are displayed' });
  await screenshot(browser, '10-list.png');
});

const LISTED = `(f) the list shows all ${CUSTOMERS} customers`;

step('(f) rows render after scrolling far down the list', { needs: [LISTED] }, async (browser) => {
  const top = await visibleRows(browser);
  const rendered = (await browser.$$(sel('customer-row'))).length;
  assert.ok(rendered < CUSTOMERS, `all ${rendered} rows are in the DOM: the list is not virtualised`);
  const pos = await scrollListTo(browser, 0.95);
  assert.ok(pos.top > 0, 'the list did not scroll');
  let rows = [];
  await browser.waitUntil(
    async () => {
      rows = await visibleRows(browser);
      return rows.length > 0 && rows.every((r) => r.trim().length > 0) && !rows.some((r) => top.includes(r));
    },
    { timeoutMsg: `after scrolling to ${pos.top}px of ${pos.height}px no new rows were displayed` },
  );
  const inView = [];
  for (const row of await browser.$$(sel('customer-row'))) if (await row.isDisplayed({ withinViewport: true })) inView.push(row);
  assert.ok(inView.length > 0, 'rows exist after scrolling but none is inside the window');
  await screenshot(browser, '11-list-scrolled.png');
  await scrollListTo(browser, 0);
});

step('(f) filtering by type narrows the list', { needs: [LISTED] }, async (browser) => {
  await choose(browser, 'filter-type', 'trade');
  let count = NaN;
  await browser.waitUntil(
    async () => {
      count = await shownCount(browser);
      return count > 0 && count < CUSTOMERS;
    },
    { timeoutMsg: 'the count did not drop to the trade customers after filtering by type' },
  );
  let rows = [];
  await browser.waitUntil(async () => (rows = await visibleRows(browser)).length > 0, { timeoutMsg: 'no rows after filtering' });
  const others = rows.filter((r) => !/\bTrade\b/.test(r));
  assert.deepEqual(others, [], 'rows of another type are listed under the Trade filter');
  await screenshot(browser, '05-list.png');
  const trade = count;
  await choose(browser, 'filter-type', 'collector');
  await browser.waitUntil(async () => (count = await shownCount(browser)) !== trade && count > 0 && count < CUSTOMERS, {
    timeoutMsg: 'the count did not change when switching the type filter to collector',
  });
  const all = await browser.execute(() => document.querySelector('[data-testid="filter-type"]')?.options?.[0]?.value ?? '');
  await choose(browser, 'filter-type', all);
  await textUntil(browser, 'customer-count', (t) => digits(t).includes(String(CUSTOMERS)), `to return to ${CUSTOMERS}`);
});

step('(f) typing a Chinese name in pinyin finds it, written as it is written', { needs: [LISTED] }, async (browser) => {
  for (const typed of ['wang xiaoming', 'wángxiǎomíng']) {
    await typeInto(browser, 'search-input', typed);
    let first = '';
    await browser.waitUntil(
      async () => {
        first = await browser.execute(
          () => document.querySelector('[data-testid="search-results"] [data-testid="search-result"]')?.innerText ?? '',
        );
        return first.includes('王小明');
      },
      { timeoutMsg: `searching ${JSON.stringify(typed)}: the first result is ${JSON.stringify(first)}, not 王小明` },
    );
  }
  await screenshot(browser, '13-search-pinyin.png');
  await typeInto(browser, 'search-input', '');
});

step('settings opens, and the customers tab brings the list back', { needs: [LISTED] }, async (browser) => {
  await click(browser, 'settings-button');
  await gone(browser, 'customer-list');
  await screenshot(browser, '12-settings.png');
  await click(browser, 'nav-customers');
  await shown(browser, 'customer-list');
});
