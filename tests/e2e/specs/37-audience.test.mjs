// Who the dealer selects (issue 15), on a 300-customer demo book: the counts per segment at the
// top of the list, a chip that shows one segment only, "More filters" with its count and chips,
// a filter saved as a segment and applied again from the Segments menu, the list's standing
// columns at 1280 and 960 px in English and Chinese, and the mailing list chosen by segment.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { click, gone, shown, textUntil, typeInto } from '../lib/ui.mjs';

const SEGMENTS = ['vip', 'regular', 'new', 'at_risk', 'lapsed', 'prospect'];
const SAVED = 'Spending collectors';

let dir;
let app;
const step = stepper(() => app?.browser);

before(async () => {
  dir = tempBookDir('audience');
  const db = path.join(dir, 'book.sqlite3');
  loupeCli(['--db', db, 'demo', '--customers', '300', '--seed', '15']);
  app = await launchApp(db);
  await app.browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'en'));
  await app.browser.refresh();
  await app.browser.setWindowSize(1280, 800);
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

/** The segment chips at the top of the list that show their count: segment → count. */
async function segmentCounts(browser) {
  return browser.execute((segments) => {
    const counts = {};
    for (const s of segments) {
      const chip = document.querySelector(`[data-testid="segment-count-${s}"]`);
      if (chip?.dataset.count !== undefined) counts[s] = Number(chip.dataset.count);
    }
    return counts;
  }, SEGMENTS);
}

async function listCount(browser) {
  const el = await shown(browser, 'customer-count');
  return Number(await el.getAttribute('data-count'));
}

async function countUntil(browser, predicate, description) {
  let last;
  await browser.waitUntil(async () => predicate((last = await listCount(browser)))).catch(() => {
    throw new Error(`expected ${description}: the list counts ${last}`);
  });
  return last;
}

/** The segment of every row drawn. */
async function drawnSegments(browser) {
  return browser.execute(() => [...document.querySelectorAll('[data-testid="cell-segment"]')].map((c) => c.dataset.segment));
}

/** Column headers and toolbar buttons whose text is cut or runs onto two lines, and the name column's width. */
async function crampedList(browser) {
  return browser.execute(() => {
    const cut = [...document.querySelectorAll('.list-screen .header .sort, .list-screen .header .plain, .list-screen .toolbar button, .segment-count')]
      .filter((el) => el.offsetParent !== null)
      .filter((el) => {
        const cell = el.closest('.cell') ?? el;
        const box = el.getBoundingClientRect();
        const bounds = cell.getBoundingClientRect();
        const style = getComputedStyle(el);
        const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
        // A right-aligned header's button stands 0.25rem into the cell's padding: 5 px of slack.
        return box.right > bounds.right + 5 || el.scrollWidth > el.clientWidth + 1 || box.height > line * 1.9 + 8;
      })
      .map((el) => el.innerText.trim());
    const name = document.querySelector('[data-testid="customer-row"] .name')?.getBoundingClientRect().width ?? 0;
    const rfm = [...document.querySelectorAll('[data-testid="cell-rfm"]')].filter((c) => c.scrollWidth > c.clientWidth + 1).length;
    return { cut, name, rfmCut: rfm };
  });
}

step('(a) the list counts each segment at the top, and a chip shows that segment only', {}, async (browser) => {
  await shown(browser, 'segment-counts');
  const total = await countUntil(browser, (n) => n === 300, 'the whole book');
  await browser.waitUntil(async () => Object.keys(await segmentCounts(browser)).length === SEGMENTS.length, { timeoutMsg: 'six segment chips' });
  const counts = await segmentCounts(browser);
  assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), total, `the segments add up to the book: ${JSON.stringify(counts)}`);
  const populated = SEGMENTS.filter((s) => counts[s] > 0);
  assert.ok(populated.length >= 4, `the demo book puts people in most segments: ${JSON.stringify(counts)}`);
  await screenshot(browser, '37-a-segment-counts.png');

  const chosen = counts.vip > 0 ? 'vip' : populated.find((s) => s !== 'prospect');
  await click(browser, `segment-count-${chosen}`);
  await countUntil(browser, (n) => n === counts[chosen], `only the ${chosen} customers`);
  assert.equal(await (await shown(browser, `segment-count-${chosen}`)).getAttribute('aria-pressed'), 'true');
  const drawn = await drawnSegments(browser);
  assert.ok(drawn.length > 0 && drawn.every((s) => s === chosen), `every row drawn is ${chosen}: ${JSON.stringify(drawn)}`);
  await textUntil(browser, 'audience-chip', (t) => t.startsWith('Segment:'), 'the segment shown as a removable chip');
  await screenshot(browser, '37-a-one-segment.png');
  await click(browser, `segment-count-${chosen}`);
  await countUntil(browser, (n) => n === total, 'everyone again');
});

step('(b) "More filters" narrows the list, counts its parts in use, and shows them as chips', {}, async (browser) => {
  const total = await listCount(browser);
  await (await shown(browser, 'filter-type')).selectByAttribute('value', 'collector');
  const collectors = await countUntil(browser, (n) => n > 0 && n < total, 'collectors only');
  await click(browser, 'filter-more');
  await shown(browser, 'filter-more-panel');
  await typeInto(browser, 'filter-min-spend', '£20,000');
  await textUntil(browser, 'filter-chips', (t) => t.includes('Spend from £20,000.00'), 'the spend band as a chip');
  const spenders = await countUntil(browser, (n) => n > 0 && n <= collectors, 'collectors who spent £20,000 or more');
  await textUntil(browser, 'filter-more', (t) => /More filters\s*1/.test(t), 'the button to count the part in use behind it');
  await screenshot(browser, '37-b-more-filters.png');
  await browser.keys(['Escape']);
  await gone(browser, 'filter-more-panel');
  const chips = await browser.execute(() => [...document.querySelectorAll('[data-testid="audience-chip"]')].map((c) => c.innerText.replace('×', '').trim()));
  assert.deepEqual(chips, ['Type: Collector', 'Spend from £20,000.00'], 'the parts in use as chips');
  assert.equal(await listCount(browser), spenders);
});

step('(c) the filter is saved as a segment, with its live count', { needs: ['(b) "More filters" narrows the list, counts its parts in use, and shows them as chips'] }, async (browser) => {
  const selected = await listCount(browser);
  await click(browser, 'segments-menu');
  await click(browser, 'segment-save-as');
  await shown(browser, 'segment-dialog');
  await textUntil(browser, 'segment-count', (t) => t.includes(`${selected} customer`), 'the dialog to count the customers it selects');
  await typeInto(browser, 'segment-name', SAVED);
  await screenshot(browser, '37-c-save-segment.png');
  await click(browser, 'segment-save');
  await gone(browser, 'segment-dialog');
  await textUntil(browser, 'app-notice', (t) => t.includes(`Saved the segment “${SAVED}”`), 'to say the segment was saved');

  await click(browser, 'segments-menu');
  await textUntil(browser, 'saved-segment', (t) => t.includes(SAVED) && t.includes(`${selected} customer`), 'the menu to list it with its count');
  await screenshot(browser, '37-c-segments-menu.png');
  await browser.keys(['Escape']);
  await gone(browser, 'segments-panel');
});

step('(d) the saved segment, applied from the menu, is the list’s filter', { needs: ['(c) the filter is saved as a segment, with its live count'] }, async (browser) => {
  const saved = await listCount(browser);
  await click(browser, 'filter-clear');
  await countUntil(browser, (n) => n === 300, 'everyone after clearing');
  await click(browser, 'segments-menu');
  await click(browser, 'saved-segment-show');
  await countUntil(browser, (n) => n === saved, `the ${saved} customers of “${SAVED}”`);
  await textUntil(browser, 'audience-chip', (t) => t.includes(`Saved segment: ${SAVED}`), 'the saved segment as the filter’s chip');
  await screenshot(browser, '37-d-saved-segment-applied.png');
  await click(browser, 'filter-clear');
  await countUntil(browser, (n) => n === 300, 'everyone again');
});

for (const [lang, width] of [
  ['en', 1280],
  ['en', 960],
  ['zh', 1280],
  ['zh', 960],
]) {
  step(`(e) the list's standing columns read well at ${width} px in ${lang === 'en' ? 'English' : 'Chinese'}`, {}, async (browser) => {
    await browser.execute((l) => localStorage.setItem('loupe.uiLanguage', l), lang);
    await browser.refresh();
    await browser.setWindowSize(width, 800);
    await browser.waitUntil(async () => (await browser.execute(() => window.innerWidth)) <= width, { timeoutMsg: `the window did not become ${width} px` });
    await shown(browser, 'customer-row');
    await click(browser, 'sort-spend');
    await textUntil(browser, 'sort-spend', (t) => t.includes('↓'), 'to sort by spend, biggest first');
    await browser.waitUntil(async () => (await crampedList(browser)).name > 0, { timeoutMsg: 'no row drawn after sorting' });
    const cramped = await crampedList(browser);
    assert.deepEqual(cramped.cut, [], `no header, button or segment chip is cut or wraps at ${width} px`);
    assert.equal(cramped.rfmCut, 0, 'every RFM score is whole');
    assert.ok(cramped.name >= 150, `the name column keeps room at ${width} px (${cramped.name}px)`);
    await screenshot(browser, `37-e-list-${lang}-${width}.png`);
    await click(browser, 'sort-name');
  });
}

const matching = async (browser) => Number((await (await shown(browser, 'mailing-count-matching')).getText()).replace(/\D/g, ''));

step('(f) a mailing list chooses its people by segment', {}, async (browser) => {
  await browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'en'));
  await browser.refresh();
  await browser.setWindowSize(1280, 800);
  await click(browser, 'nav-mailing');
  await browser.waitUntil(async () => (await matching(browser)) === 300, { timeoutMsg: 'the whole book to match' });
  await click(browser, 'mailing-more');
  await click(browser, 'mailing-segment-vip');
  await browser.waitUntil(async () => (await matching(browser)) < 300, { timeoutMsg: 'the VIPs only' });
  await textUntil(browser, 'mailing-chips', (t) => t.includes('Segment: VIP'), 'the segment as a chip');
  await screenshot(browser, '37-f-mailing-by-segment.png');
  await click(browser, 'mailing-clear');
  await browser.waitUntil(async () => (await matching(browser)) === 300, { timeoutMsg: 'everyone after clearing' });
});

step('(g) a mailing list chooses its people by saved segment', { needs: ['(c) the filter is saved as a segment, with its live count'] }, async (browser) => {
  const option = await browser.execute(
    (name) => [...document.querySelectorAll('[data-testid="mailing-saved"] option')].find((o) => o.text.startsWith(name))?.value ?? '',
    SAVED,
  );
  assert.ok(option, `the saved segment “${SAVED}” is offered`);
  await (await shown(browser, 'mailing-saved')).selectByAttribute('value', option);
  await browser.waitUntil(async () => (await matching(browser)) < 300, { timeoutMsg: `the people of “${SAVED}” only` });
  await screenshot(browser, '37-g-mailing-by-saved-segment.png');
});
