// Search shows everything it found, in the real window: a reference bought by twelve customers
// shows eight of them, its pieces and "See all 12", which opens the customer list filtered by the
// search (a removable chip, 12 rows, the sort still working); a serial number shows its piece
// first and opens the owner's page scrolled to that sale, marked for a moment. In English and
// in Chinese; the CLI counts the same.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { click, gone, sel, shown, textOf, textUntil, texts, typeInto } from '../lib/ui.mjs';

const REFERENCE = 'IW371605';
const SERIAL = 'K0010008';
const OWNER = 'Grace Wilson';
const BUYERS = [
  'Amelia Hart',
  'Benedikt Vogel',
  'Chen Jing',
  'Daniel Okafor',
  'Eleanor Price',
  'Felix Brunner',
  'Hannah Lindqvist',
  'Isabel Moreau',
  'James Whitaker',
  'Keiko Tanaka',
  'Lucas Ferreira',
  'Margaret Chen',
];

let dir;
let db;
let app;
let royalOakSale;
const step = stepper(() => app?.browser);

const cli = (...args) => loupeCli(['--db', db, ...args]);
const added = (name) => JSON.parse(cli('customers', 'add', '--name', name, '--json')).id;
const sell = (id, date, item) => JSON.parse(cli('purchases', 'add', String(id), '--date', date, '--item', item, '--json')).id;

before(async () => {
  dir = tempBookDir('search-all');
  db = path.join(dir, 'book.sqlite3');
  BUYERS.forEach((name, n) => {
    const id = added(name);
    const month = String((n % 12) + 1).padStart(2, '0');
    sell(id, `2025-${month}-12`, `brand=IWC,model=Portugieser Chronograph,ref=${REFERENCE},serial=IWP${4100 + n},price=8900`);
  });
  // Grace's Royal Oak sits in the middle of a long story: newer sales above it, older below.
  const grace = added(OWNER);
  for (let n = 0; n < 14; n++) {
    const month = String((n % 9) + 1).padStart(2, '0');
    sell(grace, `2026-${month}-0${(n % 8) + 1}`, `category=ring,brand=Cartier,model=Love ring ${n + 1},price=2150`);
  }
  royalOakSale = sell(grace, '2025-06-16', `brand=Audemars Piguet,model=Royal Oak,ref=15500ST,serial=${SERIAL},price=38500`);
  for (let n = 0; n < 10; n++) sell(grace, `2023-0${(n % 9) + 1}-20`, `category=necklace,brand=Bulgari,model=Serpenti ${n + 1},price=4300`);
  added('Nobody Bought Anything');
  app = await launchApp(db);
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

async function inLanguage(browser, lang) {
  await browser.execute((l) => localStorage.setItem('loupe.uiLanguage', l), lang);
  await browser.refresh();
  await shown(browser, 'customer-list');
}

/** Types `text` into the search box and waits for the dropdown to show `what` (a predicate over its lines). */
async function dropdownFor(browser, text, what, description) {
  await typeInto(browser, 'search-input', text);
  await shown(browser, 'search-results');
  let lines = null;
  await browser.waitUntil(
    async () => {
      lines = await browser.execute(() =>
        Array.from(document.querySelectorAll('[data-testid="search-results"] [role="option"], [data-testid="search-group"]')).map(
          (el) => ({ testid: el.getAttribute('data-testid'), text: el.innerText.trim(), total: el.getAttribute('data-total') }),
        ),
      );
      return what(lines);
    },
    { timeoutMsg: `searching ${JSON.stringify(text)}: expected ${description}; the dropdown shows ${JSON.stringify(lines)}` },
  );
  return lines;
}

/** The rows of the customer list once its count reads `count`. */
async function listOf(browser, count) {
  await browser.waitUntil(async () => (await (await shown(browser, 'customer-count')).getAttribute('data-count')) === String(count), {
    timeoutMsg: `expected the list to count ${count}`,
  });
  let rows = [];
  await browser.waitUntil(async () => (rows = await texts(browser, 'customer-row')).length === count, {
    timeoutMsg: `expected ${count} rows in the list, saw ${rows.length}`,
  });
  return rows;
}

const ofKind = (lines, testid) => lines.filter((l) => l.testid === testid);

async function seeAll(browser, { lang, seeAllText, chipText, countText, shot }) {
  const lines = await dropdownFor(
    browser,
    REFERENCE,
    (ls) => ofKind(ls, 'search-see-all').length === 1 && ofKind(ls, 'search-piece').length > 0,
    'customers, pieces and "See all"',
  );
  assert.equal(ofKind(lines, 'search-result').length, 8, 'eight customers shown');
  assert.equal(ofKind(lines, 'search-piece').length, 5, 'five pieces shown');
  const all = ofKind(lines, 'search-see-all')[0];
  assert.equal(all.total, String(BUYERS.length), 'the total counts every buyer');
  assert.ok(all.text.includes(seeAllText), `"See all" reads ${JSON.stringify(all.text)}`);
  assert.equal(lines.at(-1).testid, 'search-see-all', '"See all" is the last line');
  assert.ok(ofKind(lines, 'search-piece').every((p) => p.text.includes(REFERENCE)), 'every piece shows the reference');
  await screenshot(browser, `34-search-reference-${lang}.png`);

  await click(browser, 'search-see-all');
  await gone(browser, 'search-results');
  await textUntil(browser, 'search-chip', (t) => t.includes(chipText), `to read ${chipText}`);
  await textUntil(browser, 'customer-count', (t) => t.includes(countText), `to read ${countText}`);
  const rows = await listOf(browser, BUYERS.length);
  for (const name of BUYERS) assert.ok(rows.some((r) => r.includes(name)), `${name} is not in the filtered list`);
  await screenshot(browser, shot);
}

async function openPiece(browser, { lang, soldText }) {
  const lines = await dropdownFor(browser, SERIAL, (ls) => ofKind(ls, 'search-piece').length === 1, 'the Royal Oak');
  assert.equal(lines[0].testid, 'search-group', 'the dropdown starts with a group');
  assert.equal(lines[1].testid, 'search-piece', 'a serial puts its piece first');
  const piece = lines[1].text;
  for (const part of ['Royal Oak', SERIAL, soldText, OWNER]) assert.ok(piece.includes(part), `the piece reads ${JSON.stringify(piece)}: no ${part}`);
  await screenshot(browser, `34-search-serial-${lang}.png`);

  await browser.keys(['Enter']);
  await textUntil(browser, 'customer-name', (t) => t.includes(OWNER), `to show ${OWNER}`);
  const sale = await shown(browser, 'timeline-entry', { extra: `[data-kind="purchase"][data-id="${royalOakSale}"]` });
  await browser.waitUntil(async () => (await sale.getAttribute('data-sale-focus')) !== null, {
    timeoutMsg: 'the Royal Oak sale is not marked',
  });
  const where = await browser.execute((el) => {
    const box = el.getBoundingClientRect();
    return { top: box.top, bottom: box.bottom, height: window.innerHeight, scrolled: document.querySelector('main').scrollTop || window.scrollY };
  }, sale);
  assert.ok(where.top >= 0 && where.bottom <= where.height, `the sale is not in view: ${JSON.stringify(where)}`);
  assert.ok(where.scrolled > 0, 'the page did not scroll: the sale should sit below newer ones');
  assert.ok((await textOf(browser, sale)).includes(SERIAL));
  await screenshot(browser, `34-piece-opened-${lang}.png`);
}

step('(a) "See all 12" opens the list filtered by the reference: a chip, 12 rows, sortable, removable', {}, async (browser) => {
  await inLanguage(browser, 'en');
  await seeAll(browser, {
    lang: 'en',
    seeAllText: 'See all 12 customers',
    chipText: `Search: ${REFERENCE}`,
    countText: '12 customers',
    shot: '34-list-filtered-en.png',
  });
  // The list's sort works with the search: by name, descending, still the same twelve.
  await click(browser, 'sort-name');
  await browser.waitUntil(async () => (await texts(browser, 'customer-row'))[0]?.includes('Margaret Chen'), {
    timeoutMsg: 'sorting by name, descending, did not put Margaret Chen first',
  });
  assert.equal((await listOf(browser, BUYERS.length)).length, BUYERS.length);
  await click(browser, 'search-chip-remove');
  await gone(browser, 'search-chip');
  await listOf(browser, BUYERS.length + 2);
  await click(browser, 'sort-name');
});

step('(b) the CLI counts the same twelve and lists the pieces', {}, async () => {
  const found = JSON.parse(cli('customers', 'search', REFERENCE, '--limit', '8', '--json'));
  assert.equal(found.total, BUYERS.length);
  assert.equal(found.customers.length, 8);
  assert.ok(found.pieces.every((p) => p.reference_number === REFERENCE && p.matched === 'reference'));
  const text = cli('customers', 'search', SERIAL);
  assert.match(text, /1 customer matches/);
  assert.match(text, new RegExp(`Royal Oak · serial ${SERIAL} · sold 2025-06-16 · ${OWNER}`));
});

step('(c) a serial shows its piece first and opens the owner scrolled to that sale', {}, async (browser) => {
  await openPiece(browser, { lang: 'en', soldText: 'sold 16 Jun 2025' });
});

step('(d) the same in Chinese', {}, async (browser) => {
  await inLanguage(browser, 'zh');
  try {
    await click(browser, 'nav-list');
    await seeAll(browser, {
      lang: 'zh',
      seeAllText: '查看全部 12 位客户',
      chipText: `搜索：${REFERENCE}`,
      countText: '12 位客户',
      shot: '34-list-filtered-zh.png',
    });
    await click(browser, 'search-chip-remove');
    await gone(browser, 'search-chip');
    await openPiece(browser, { lang: 'zh', soldText: '2025年6月16日 售出' });
  } finally {
    await inLanguage(browser, 'en');
  }
});
