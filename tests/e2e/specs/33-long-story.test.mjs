// A long story in the real window: a collector with 1,000 entries over twelve years (written by
// the `loupe` CLI before the app starts). The timeline shows this year and last, the earlier
// years closed with their count and sales; chips count and filter each kind, the year filters,
// a closed year opens with a click, the whole story scrolls through with only the rows in view
// in the page, and a sale just added shows though the filters would hide it; in English and in
// Chinese. The time to open the page and to scroll is
// measured and printed (never asserted: the machine decides it).

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { ARTIFACTS, launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { choose, click, gone, nth, sel, shown, textUntil, typeIntoElement } from '../lib/ui.mjs';

const NAME = 'Margaret Ashcombe';
const ENTRIES = 1000;
/** The entries and the standing moves they caused: every line of the timeline. */
let TOTAL = ENTRIES;
const thousands = (n) => n.toLocaleString('en-GB');
const THIS_YEAR = new Date().getFullYear();
/** Entries to a year, from this year back; the oldest of the twelve years holds the rest. */
const PER_YEAR = 84;
const YEARS = Array.from({ length: 12 }, (_, i) => THIS_YEAR - i);
/** The kinds in turn: per ten entries two sales, three notes, three contacts, a wish and a score. */
const PATTERN = ['purchase', 'note', 'interaction', 'purchase', 'note', 'interaction', 'wish', 'satisfaction', 'interaction', 'note'];
const KIND_COUNTS = { purchase: 200, note: 300, interaction: 300, wish: 100, satisfaction: 100 };
const PIECES = [
  ['Rolex', 'Submariner', '124060'],
  ['Patek Philippe', 'Calatrava', '5227G'],
  ['Omega', 'Speedmaster', '310.30.42'],
  ['Cartier', 'Tank Louis', 'WGTA0011'],
  ['Audemars Piguet', 'Royal Oak', '15500ST'],
];

let dir;
let app;
const step = stepper(() => app?.browser);

/** Entry `i`: its kind, its day, and what the dealer wrote. */
function entry(i) {
  const kind = PATTERN[i % PATTERN.length];
  const year = YEARS[Math.min(Math.floor(i / PER_YEAR), YEARS.length - 1)];
  // spread over the year, never later than today
  const month = year === THIS_YEAR ? 1 + (i % Math.max(1, new Date().getMonth())) : 12 - (i % 12);
  const date = `${year}-${String(month).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  return { kind, year, date };
}

function fillBook(db) {
  const customer = JSON.parse(loupeCli(['--db', db, 'customers', 'add', '--name', NAME, '--type', 'collector', '--json']));
  const id = String(customer.id);
  for (let i = 0; i < ENTRIES; i++) {
    const { kind, date } = entry(i);
    const [brand, model, ref] = PIECES[i % PIECES.length];
    const n = String(i + 1);
    const args = {
      purchase: ['purchases', 'add', id, '--date', date, '--item', `brand=${brand},model=${model},ref=${ref},serial=S${n.padStart(6, '0')},price=${1000 + (i % 7) * 850}`],
      note: ['notes', 'add', id, '--date', date, '--category', 'relationship_history', '--body', `Visit ${n}: talked about ${brand} ${model}; prefers steel on a bracelet.`],
      interaction: ['interactions', 'add', id, '--date', date, '--kind', i % 2 ? 'call' : 'email', '--summary', `Contact ${n} about a ${brand} ${model}`],
      wish: ['wishes', 'add', id, '--date', date, '--brand', brand, '--model', model, '--ref', ref, '--budget-max', '25000', '--notes', `Wish ${n}`],
      satisfaction: ['satisfaction', 'add', id, '--date', date, '--score', String(3 + (i % 3)), '--comment', `Score ${n}`],
    }[kind];
    loupeCli(['--db', db, ...args]);
  }
  // The sales moved the customer's standing (prospect, new, VIP…) and tier (Member, Silver, Gold)
  // on the way: those moves are lines of the timeline too.
  const shown = JSON.parse(loupeCli(['--db', db, 'customers', 'show', id, '--json']));
  return shown.standing_changes.length + shown.tier_changes.length;
}

before(async () => {
  dir = tempBookDir('long-story');
  const db = path.join(dir, 'book.sqlite3');
  const started = Date.now();
  TOTAL = ENTRIES + fillBook(db);
  console.log(`# wrote ${ENTRIES} entries through the CLI in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  app = await launchApp(db);
  // The window keeps its language from run to run: start in English whatever ran before.
  await app.browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'en'));
  await app.browser.refresh();
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

/** What the timeline has in the page now: its entries and year headings, and its counters. */
async function timelineState(browser) {
  return browser.execute(() => {
    const list = document.querySelector('[data-testid="timeline"]');
    return {
      shown: Number(list?.getAttribute('data-shown') ?? NaN),
      entries: [...document.querySelectorAll('[data-testid="timeline-entry"]')].map((el) => ({
        kind: el.getAttribute('data-kind'),
        id: el.getAttribute('data-id'),
        date: el.getAttribute('data-date'),
      })),
      years: [...document.querySelectorAll('[data-testid="timeline-year-head"]')].map((el) => ({
        year: Number(el.getAttribute('data-year')),
        open: el.getAttribute('aria-expanded') === 'true',
        count: Number(el.getAttribute('data-count')),
        text: el.innerText,
      })),
    };
  });
}

/** Opens the customer from the list and returns how long, in ms, from the click to the timeline painted. */
async function openCustomer(browser) {
  await click(browser, 'nav-list');
  await browser.waitUntil(
    async () => (await browser.execute((name) => [...document.querySelectorAll('[data-testid="customer-row"]')].some((r) => r.innerText.includes(name)), NAME)),
    { timeoutMsg: `${NAME} is not in the list` },
  );
  const ms = await browser.execute(
    (name) =>
      new Promise((resolve) => {
        const row = [...document.querySelectorAll('[data-testid="customer-row"]')].find((r) => r.innerText.includes(name));
        const t0 = performance.now();
        row.click();
        const painted = () =>
          document.querySelector('[data-testid="timeline-entry"]')
            ? requestAnimationFrame(() => resolve(performance.now() - t0))
            : requestAnimationFrame(painted);
        requestAnimationFrame(painted);
      }),
    NAME,
  );
  await shown(browser, 'timeline-filters');
  return ms;
}

/** The page's scrolling ancestor of the timeline, scrolled to `top` (px); resolves after two frames. */
async function scrollTo(browser, top) {
  return browser.execute(
    (y) =>
      new Promise((resolve) => {
        let el = document.querySelector('[data-testid="timeline"]');
        while (el && !/(auto|scroll)/.test(getComputedStyle(el).overflowY)) el = el.parentElement;
        el.scrollTop = y;
        requestAnimationFrame(() => requestAnimationFrame(() => resolve({ top: el.scrollTop, height: el.scrollHeight, view: el.clientHeight })));
      }),
    top,
  );
}

const chip = (kind) => `timeline-kind-${kind}`;
const measured = {};

step('(a) a story of 1,000 entries opens with this year and last, earlier years closed with their count and sales', {}, async (browser) => {
  measured.openMs = await openCustomer(browser);
  await textUntil(browser, 'customer-name', (t) => t.includes(NAME), `to show ${NAME}`);
  const state = await timelineState(browser);
  assert.equal(state.shown, TOTAL, 'the timeline does not hold every entry');
  assert.deepEqual(
    state.years.filter((y) => y.open).map((y) => y.year),
    [THIS_YEAR],
    `only this year should be open (and in the page) at the top: ${JSON.stringify(state.years)}`,
  );
  assert.ok(state.entries.length > 3, 'the page shows no entries');
  assert.ok(state.entries.length < 60, `${state.entries.length} entries are in the page: the timeline is not virtualised`);
  measured.entriesInPage = state.entries.length;
  measured.domNodes = await browser.execute(() => document.querySelectorAll('*').length);

  for (const [kind, count] of Object.entries(KIND_COUNTS)) {
    const el = await shown(browser, chip(kind));
    assert.equal(await el.getAttribute('data-count'), String(count), `the ${kind} chip does not count ${count}`);
  }
  await textUntil(browser, chip('all'), (t) => t.replace(/\s+/g, ' ').trim() === `All ${thousands(TOTAL)}`, `to read "All ${thousands(TOTAL)}"`);
  await textUntil(browser, chip('purchase'), (t) => t.replace(/\s+/g, ' ').trim() === 'Sales 200', 'to read "Sales 200"');
  await screenshot(browser, '33-long-story.png');

  // the end of the story: last year open, the earlier years closed, each with its count and sales
  const end = await scrollTo(browser, 1e7);
  measured.pageHeight = end.height;
  const bottom = await timelineState(browser);
  const closed = bottom.years.filter((y) => !y.open);
  assert.ok(closed.length >= 5, `the earlier years are not closed at the end of the story: ${JSON.stringify(bottom.years)}`);
  const oldest = closed.find((y) => y.year === YEARS[YEARS.length - 1]);
  assert.ok(oldest, `the oldest year's heading is not at the end: ${JSON.stringify(bottom.years)}`);
  assert.equal(oldest.count, ENTRIES - 11 * PER_YEAR, 'the oldest year does not count its entries');
  const earlier = closed.find((y) => y.year === THIS_YEAR - 5);
  assert.match(earlier.text, /84 entries · \d+ sales · £[\d,]+/, `a closed year does not show its count and sales: ${earlier.text}`);
  assert.ok(!bottom.entries.some((e) => Number(e.date.slice(0, 4)) < THIS_YEAR - 1), 'entries of a closed year are in the page');
  await screenshot(browser, '33-long-story-closed-years.png');
});

const OPENED = '(a) a story of 1,000 entries opens with this year and last, earlier years closed with their count and sales';

step('(b) a closed year opens with a click, in place', { needs: [OPENED] }, async (browser) => {
  const year = THIS_YEAR - 4;
  const head = await browser.$(sel('timeline-year-head', `[data-year="${year}"]`));
  await head.waitForClickable({ timeoutMsg: `the heading of ${year} cannot be clicked` });
  await head.click();
  await browser.waitUntil(async () => (await head.getAttribute('aria-expanded')) === 'true', { timeoutMsg: `${year} did not open` });
  await browser.waitUntil(async () => (await timelineState(browser)).entries.some((e) => e.date.startsWith(`${year}-`)), {
    timeoutMsg: `no entry of ${year} in the page after opening it`,
  });
  await screenshot(browser, '33-long-story-year-opened.png');
  // and closes again
  await head.click();
  await browser.waitUntil(async () => (await head.getAttribute('aria-expanded')) === 'false', { timeoutMsg: `${year} did not close` });
});

step('(c) the chips filter by kind, the year by year, and the counts follow', { needs: [OPENED] }, async (browser) => {
  await scrollTo(browser, 0);
  await click(browser, chip('purchase'));
  await browser.waitUntil(async () => (await timelineState(browser)).shown === KIND_COUNTS.purchase, { timeoutMsg: 'the Sales chip did not filter' });
  let state = await timelineState(browser);
  assert.ok(state.entries.length > 0 && state.entries.every((e) => e.kind === 'purchase'), `not only sales: ${JSON.stringify(state.entries.map((e) => e.kind))}`);
  await textUntil(browser, 'timeline-shown', (t) => t.includes(`Showing 200 of ${thousands(TOTAL)} entries`), 'to say how many are shown');

  await click(browser, chip('wish'));
  await browser.waitUntil(async () => (await timelineState(browser)).shown === KIND_COUNTS.purchase + KIND_COUNTS.wish, { timeoutMsg: 'the Wishes chip did not add wishes' });

  const year = THIS_YEAR - 6;
  const expected = Array.from({ length: ENTRIES }, (_, i) => entry(i)).filter((e) => e.year === year && (e.kind === 'purchase' || e.kind === 'wish')).length;
  await choose(browser, 'timeline-year', String(year));
  await browser.waitUntil(async () => (await timelineState(browser)).shown === expected, { timeoutMsg: `the year did not filter to ${expected} entries` });
  state = await timelineState(browser);
  assert.ok(state.entries.length > 0, 'the chosen year shows no entry');
  assert.ok(state.entries.every((e) => e.date.startsWith(`${year}-`) && (e.kind === 'purchase' || e.kind === 'wish')), `other entries: ${JSON.stringify(state.entries)}`);
  assert.deepEqual(state.years.map((y) => [y.year, y.open]), [[year, true]], 'the chosen year is not the one open year');
  // the chips now count that year
  const allInYear = Array.from({ length: ENTRIES }, (_, i) => entry(i)).filter((e) => e.year === year).length;
  assert.equal(await (await shown(browser, chip('all'))).getAttribute('data-count'), String(allInYear), 'the All chip does not count the chosen year');
  await screenshot(browser, '33-long-story-filtered.png');

  await click(browser, 'timeline-clear');
  await browser.waitUntil(async () => (await timelineState(browser)).shown === TOTAL, { timeoutMsg: 'clearing the filters did not show everything' });
});

step('(d) the whole story scrolls through with only the rows in view in the page', { needs: [OPENED] }, async (browser) => {
  await click(browser, 'timeline-years-toggle');
  await browser.waitUntil(async () => (await timelineState(browser)).years.every((y) => y.open), { timeoutMsg: 'opening all years left one closed' });
  // The walk runs in the page, frame by frame, and leaves its result on `window` for the test to
  // collect: one script call waiting for all of it would outlast WebDriver's request timeout.
  await browser.execute(() => {
    window.__longStoryScroll = null;
    const finish = (result) => (window.__longStoryScroll = result);
    {
        let scroller = document.querySelector('[data-testid="timeline"]');
        while (scroller && !/(auto|scroll)/.test(getComputedStyle(scroller).overflowY)) scroller = scroller.parentElement;
        const seen = new Set();
        const frames = [];
        let most = 0;
        let inOrder = true;
        let last = '9999-99-99';
        scroller.scrollTop = 0;
        const step = Math.round(scroller.clientHeight * 0.8);
        let before = performance.now();
        const next = () => {
          const now = performance.now();
          frames.push(now - before);
          before = now;
          const entries = [...document.querySelectorAll('[data-testid="timeline-entry"]')];
          most = Math.max(most, entries.length);
          for (const el of entries) {
            const key = `${el.getAttribute('data-kind')}-${el.getAttribute('data-id')}`;
            const box = el.getBoundingClientRect();
            // entries on screen come newest first, page after page
            if (box.bottom > 0 && box.top < window.innerHeight && !seen.has(key)) {
              const date = el.getAttribute('data-date');
              if (date > last) inOrder = false;
              last = date;
            }
            seen.add(key);
          }
          const from = scroller.scrollTop;
          scroller.scrollTop = from + step;
          if (scroller.scrollTop <= from) {
            frames.sort((a, b) => a - b);
            finish({
              seen: seen.size,
              most,
              inOrder,
              steps: frames.length,
              medianMs: frames[Math.floor(frames.length / 2)],
              p95Ms: frames[Math.floor(frames.length * 0.95)],
              worstMs: frames[frames.length - 1],
              height: scroller.scrollHeight,
            });
            return;
          }
          // a scroll, then the frame that paints it: the time a dealer waits per screenful
          requestAnimationFrame(() => requestAnimationFrame(next));
        };
        requestAnimationFrame(() => requestAnimationFrame(next));
    }
  });
  let result = null;
  await browser.waitUntil(async () => (result = await browser.execute(() => window.__longStoryScroll)) !== null, {
    timeout: 180_000,
    interval: 1000,
    timeoutMsg: 'scrolling through the story did not reach its end in 3 minutes',
  });
  measured.scroll = result;
  // Every entry passed by (the standing's moves are lines of their own, not counted here).
  assert.equal(result.seen, ENTRIES, `scrolling from top to bottom showed ${result.seen} of ${ENTRIES} entries`);
  assert.ok(result.most < 80, `${result.most} entries were in the page at once while scrolling`);
  assert.ok(result.inOrder, 'entries did not come newest first while scrolling');
  await screenshot(browser, '33-long-story-scrolled.png');
  await click(browser, 'timeline-years-toggle');
  console.log(
    `# 1,000 entries: page opened in ${measured.openMs.toFixed(0)} ms (click to timeline painted, ${measured.entriesInPage} entries and ${measured.domNodes} elements in the page); ` +
      `scrolled ${result.height} px in ${result.steps} screenfuls, each a scroll and two frames (33 ms at best at 60 Hz): median ${result.medianMs.toFixed(1)} ms, p95 ${result.p95Ms.toFixed(1)} ms, worst ${result.worstMs.toFixed(1)} ms per screenful; at most ${result.most} entries in the page`,
  );
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, '33-long-story-timings.json'), JSON.stringify(measured, null, 2));
});

step('(e) in Chinese: the chips, the year headings and the filters', { needs: [OPENED] }, async (browser) => {
  await browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'zh'));
  await browser.refresh();
  try {
    await openCustomer(browser);
    await textUntil(browser, chip('all'), (t) => t.replace(/\s+/g, ' ').trim() === `全部 ${thousands(TOTAL)}`, `to read "全部 ${thousands(TOTAL)}"`);
    await textUntil(browser, chip('interaction'), (t) => t.replace(/\s+/g, ' ').trim() === '联系记录 300', 'to read "联系记录 300"');
    await textUntil(browser, chip('satisfaction'), (t) => t.replace(/\s+/g, ' ').trim() === '满意度 100', 'to read "满意度 100"');
    // a chip's label keeps its characters on one line
    const heights = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid^="timeline-kind-"]')].map((el) => el.getBoundingClientRect().height),
    );
    assert.ok(heights.every((h) => h < 40), `a chip wraps its label: heights ${JSON.stringify(heights)}`);

    await click(browser, chip('note'));
    await choose(browser, 'timeline-year', String(THIS_YEAR - 2));
    await textUntil(browser, 'timeline-shown', (t) => t.includes(`共 ${thousands(TOTAL)} 条记录`) && /显示 \d+ 条/.test(t), 'to say how many are shown, in Chinese');
    let state = await timelineState(browser);
    assert.ok(state.entries.length > 0 && state.entries.every((e) => e.kind === 'note' && e.date.startsWith(`${THIS_YEAR - 2}-`)), 'the Chinese filters do not filter');
    assert.match(state.years[0].text, new RegExp(`${THIS_YEAR - 2}年`), `the year heading is not in Chinese: ${state.years[0].text}`);
    assert.match(state.years[0].text, /\d+ 条记录/, `the year heading does not count in Chinese: ${state.years[0].text}`);
    await screenshot(browser, '33-long-story-zh-filtered.png');

    await click(browser, 'timeline-clear');
    await scrollTo(browser, 1e7);
    state = await timelineState(browser);
    const closed = state.years.find((y) => !y.open);
    assert.ok(closed, 'no closed year at the end of the story');
    assert.match(closed.text, /\d+ 条记录 · \d+ 笔销售 · £[\d,]+/, `a closed year's heading is not in Chinese: ${closed.text}`);
    await screenshot(browser, '33-long-story-zh-closed-years.png');
  } finally {
    await browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'en'));
    await browser.refresh();
  }
});

step('(f) a sale just added shows, though the filters would hide it', { needs: [OPENED] }, async (browser) => {
  await openCustomer(browser);
  await click(browser, chip('note'));
  await choose(browser, 'timeline-year', String(THIS_YEAR - 3));
  await browser.waitUntil(async () => (await timelineState(browser)).entries.every((e) => e.kind === 'note'), { timeoutMsg: 'the filters did not apply' });

  await click(browser, 'add-purchase');
  const form = await shown(browser, 'entry-form');
  await typeIntoElement(browser, await nth(browser, 'item-brand', 0, { parent: form }), 'Breguet', 'the brand');
  await typeIntoElement(browser, await nth(browser, 'item-model', 0, { parent: form }), 'Classique', 'the model');
  await typeIntoElement(browser, await nth(browser, 'item-price', 0, { parent: form }), '18,500', 'the price');
  await click(browser, 'entry-save');
  await gone(browser, 'entry-form');
  // The new sale, and any move of the standing it made, all shown.
  await browser.waitUntil(
    async () => {
      const shownNow = (await timelineState(browser)).shown;
      const all = Number(await (await shown(browser, chip('all'))).getAttribute('data-count'));
      return shownNow >= TOTAL + 1 && shownNow === all;
    },
    { timeoutMsg: 'the filters still hide the new sale' },
  );
  assert.equal(await (await shown(browser, chip('all'))).getAttribute('aria-pressed'), 'true', 'the kind filter was not cleared');
  const sale = (await timelineState(browser)).entries.find((e) => e.kind === 'purchase');
  assert.ok(sale, 'no sale in the page after adding one');
  await textUntil(browser, 'timeline-entry', (t) => t.includes('Breguet Classique'), 'to be the new sale', { extra: `[data-kind="purchase"][data-id="${sale.id}"]` });
  await screenshot(browser, '33-long-story-added.png');
});
