// At the counter, the list and the page as a dealer meets them (issue 14) on a 200-customer demo
// book: phones in the list read one way whatever was typed; going back from row 21 finds the
// list where it was (scroll, highlighted row, sort, filter) without a blank moment; at the
// window's minimum width (960 px) a collector's phone and email stay in view beside a long
// history; the Chinese toolbar keeps each label on one line; and date fields are written as the
// window's language and the book's region write dates, not as the computer's locale does.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { choose, click, gone, sel, shown, textOf, textUntil, typeInto } from '../lib/ui.mjs';

const HOME = 'Aaron Aardvark';
const ABROAD = 'Aaron Abroad';

let dir;
let app;
const step = stepper(() => app?.browser);

before(async () => {
  dir = tempBookDir('counter');
  const db = path.join(dir, 'book.sqlite3');
  loupeCli(['--db', db, 'demo', '--customers', '200', '--seed', '14']);
  // Typed as dealers type them: an international prefix written 00, a number without spaces.
  loupeCli(['--db', db, 'customers', 'add', '--name', HOME, '--phone', '0044 7400 593 123']);
  loupeCli(['--db', db, 'customers', 'add', '--name', ABROAD, '--phone', '0041446681800']);
  app = await launchApp(db);
  await app.browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'en'));
  await app.browser.refresh();
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

/** The rows the list has drawn: index, name, phone cell, whether highlighted, and top within the scroller. */
async function drawnRows(browser) {
  return browser.execute(() => {
    const list = document.querySelector('[data-testid="customer-list"]');
    const box = list.getBoundingClientRect();
    return [...list.querySelectorAll('[data-testid="customer-row"]')].map((row) => {
      const r = row.getBoundingClientRect();
      return {
        index: Number(row.id.replace('row-', '')),
        name: row.querySelector('.name').innerText,
        phone: row.querySelector('.col-phone').innerText,
        selected: row.getAttribute('aria-selected') === 'true',
        inView: r.top >= box.top - 1 && r.bottom <= box.bottom + 1,
      };
    });
  });
}

step('(a) phones in the list read one way: national for the book’s region, international otherwise', {}, async (browser) => {
  await shown(browser, 'customer-list');
  await browser.waitUntil(async () => (await drawnRows(browser)).some((r) => r.name === HOME), {
    timeoutMsg: `expected ${HOME} among the first rows`,
  });
  const rows = await drawnRows(browser);
  const phoneOf = (name) => rows.find((r) => r.name === name)?.phone;
  assert.equal(phoneOf(HOME), '07400 593123', 'a British number typed "0044 7400 593 123" in a British book');
  assert.equal(phoneOf(ABROAD), '+41 44 668 18 00', 'a Swiss number typed "0041446681800"');
  const phones = rows.map((r) => r.phone).filter(Boolean);
  assert.ok(phones.length > 10, `expected phones in the list, got ${JSON.stringify(phones)}`);
  for (const phone of phones) {
    assert.match(phone, /^(0\d{2,4} \d|\+\d{1,3} \d)[\d ]+$/, `every phone reads one way: ${phone}`);
  }
  await screenshot(browser, '32-a-phones-one-way.png');
});

step('(b) going back from row 21 finds the list where it was: scroll, highlighted row, sort and filter', {}, async (browser) => {
  await choose(browser, 'filter-type', 'retail');
  await click(browser, 'sort-name');
  await textUntil(browser, 'sort-name', (t) => t.includes('↓'), 'to sort by name, Z to A');
  const first = await browser.waitUntil(async () => (await drawnRows(browser))[0]?.name, { timeoutMsg: 'no rows after sorting' });
  assert.ok(first.localeCompare('M') > 0, `Z to A starts late in the alphabet, got ${first}`);

  // Scroll so that row 21 is in the middle of the list, and open it.
  const before = await browser.execute(() => {
    const list = document.querySelector('[data-testid="customer-list"]');
    list.scrollTop = 21 * 36 - Math.floor(list.clientHeight / 2);
    list.dispatchEvent(new Event('scroll'));
    return list.scrollTop;
  });
  assert.ok(before > 300, `the list scrolled (${before})`);
  const row21 = await browser.$('#row-21');
  await row21.waitForDisplayed({ timeoutMsg: 'row 21 was not drawn after scrolling' });
  const name = await textOf(browser, await row21.$('.name'));
  await row21.click();
  await textUntil(browser, 'customer-name', (t) => t.includes(name), `to open ${name}`);

  await click(browser, 'customer-back');
  // At once, before the list is read again: rows drawn where they were, not a blank list at the top.
  const back = await browser.execute(() => {
    const list = document.querySelector('[data-testid="customer-list"]');
    return list
      ? { top: list.scrollTop, rows: list.querySelectorAll('[data-testid="customer-row"]').length, focused: document.activeElement === list }
      : null;
  });
  assert.ok(back && back.rows > 10, `rows drawn at once on going back: ${JSON.stringify(back)}`);
  const place = () =>
    browser.execute(() => {
      const list = document.querySelector('[data-testid="customer-list"]');
      return { top: list.scrollTop, height: list.clientHeight, scrollHeight: list.scrollHeight };
    });
  await browser.waitUntil(async () => (await place()).top === before, { timeout: 5000 }).catch(async () => {
    assert.fail(`expected the list back at ${before}px, found ${JSON.stringify(await place())}`);
  });
  const rows = await drawnRows(browser);
  const selected = rows.filter((r) => r.selected);
  assert.deepEqual(selected.map((r) => [r.index, r.name]), [[21, name]], 'the opened customer is the highlighted row');
  assert.ok(selected[0].inView, 'the highlighted row is in view');
  assert.ok(await browser.execute(() => document.activeElement?.dataset.testid === 'customer-list'), 'the list has the focus, so the arrows go on from there');
  assert.equal(await (await shown(browser, 'filter-type')).getValue(), 'retail', 'the type filter is kept');
  assert.ok((await textOf(browser, await shown(browser, 'sort-name'))).includes('↓'), 'the sort (name, Z to A) is kept');
  await screenshot(browser, '32-b-list-keeps-its-place.png');

  // The arrows go on from the highlighted row.
  await browser.keys(['ArrowDown']);
  const next = (await drawnRows(browser)).filter((r) => r.selected);
  assert.deepEqual(next.map((r) => r.index), [22]);
  await choose(browser, 'filter-type', '');
  await click(browser, 'sort-name');
});

step('(c) at 960 px a collector’s phone and email stay in view beside a long history', {}, async (browser) => {
  await browser.setWindowSize(960, 760);
  await browser.waitUntil(async () => (await browser.execute(() => window.innerWidth)) <= 960, {
    timeoutMsg: 'the window did not shrink to 960 px',
  });
  await click(browser, 'nav-list');
  await click(browser, 'sort-spend');
  await textUntil(browser, 'sort-spend', (t) => t.includes('↓'), 'to sort by spend, biggest first');
  // The biggest spender with both a phone and an email: a collector with a long history.
  const target = await browser.waitUntil(
    async () =>
      browser.execute(() => {
        const row = [...document.querySelectorAll('[data-testid="customer-row"]')].find(
          // At 960 px the list leaves the email and phone columns out: their text is still there.
          (r) => r.querySelector('.col-email').textContent && r.querySelector('.col-phone').textContent,
        );
        return row?.id ?? false;
      }),
    { timeoutMsg: 'no big spender with a phone and an email' },
  );
  await (await browser.$(`#${target}`)).click();
  await shown(browser, 'customer-phones');
  const layout = await browser.execute(() => {
    const box = (testid) => document.querySelector(`[data-testid="${testid}"]`)?.getBoundingClientRect();
    const page = document.querySelector('[data-testid="customer-page"]');
    let scroller = page;
    while (scroller && !(scroller.scrollHeight > scroller.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(scroller).overflowY))) {
      scroller = scroller.parentElement;
    }
    return {
      width: window.innerWidth,
      height: window.innerHeight,
      pageHeight: (scroller ?? document.scrollingElement).scrollHeight,
      phones: box('customer-phones'),
      emails: box('customer-emails'),
      entries: document.querySelectorAll('[data-testid="timeline-entry"]').length,
    };
  });
  assert.ok(layout.pageHeight > 2 * layout.height, `a long history (page ${layout.pageHeight}px, ${layout.entries} entries)`);
  for (const what of ['phones', 'emails']) {
    const r = layout[what];
    assert.ok(r, `the ${what} are shown`);
    assert.ok(r.top >= 0 && r.bottom <= layout.height && r.left >= 0 && r.right <= layout.width, `the ${what} are in view at ${layout.width}×${layout.height}: ${JSON.stringify(r)}`);
  }
  await screenshot(browser, '32-c-960px-customer-page.png');
  await click(browser, 'nav-list');
  await click(browser, 'sort-name');
});

/** Elements whose text runs onto more than one line (a label broken character by character). */
async function wrappedLabels(browser) {
  return browser.execute(() => {
    const labels = [
      ...document.querySelectorAll('.list-screen .toolbar .filter > span, .list-screen .toolbar button, .list-screen .header .sort, .list-screen .header .plain, .topbar .tab, .topbar .brand, .topbar [data-testid="new-customer-button"]'),
    ];
    return labels
      .map((el) => {
        const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.3;
        // The middle of every piece of visible text: pieces more than half a line apart are on two lines.
        const middles = [];
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.textContent.trim() || node.parentElement.closest('.visually-hidden, [hidden]')) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const r of range.getClientRects()) if (r.width > 0) middles.push(r.top + r.height / 2);
        }
        middles.sort((a, b) => a - b);
        const lines = middles.filter((m, i) => i === 0 || m - middles[i - 1] > lineHeight / 2).length;
        return { text: el.innerText.trim(), lines, clipped: el.scrollWidth > el.clientWidth + 1 };
      })
      .filter((l) => l.text && (l.lines > 1 || l.clipped));
  });
}

step('(d) the Chinese toolbar keeps each label on one line at 960 px', { needs: [] }, async (browser) => {
  await browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'zh'));
  await browser.refresh();
  await browser.setWindowSize(960, 760);
  await shown(browser, 'customer-list');
  await textUntil(browser, 'nav-list', (t) => t.includes('客户'), 'the window in Chinese');
  const typeChoice = await browser.execute(() => {
    const select = document.querySelector('[data-testid="filter-type"]');
    return { text: select.selectedOptions[0].text, height: select.getBoundingClientRect().height, fontSize: parseFloat(getComputedStyle(select).fontSize) };
  });
  assert.equal(typeChoice.text, '所有类型');
  assert.ok(typeChoice.height < typeChoice.fontSize * 3, `"所有类型" on one line: ${JSON.stringify(typeChoice)}`);
  assert.deepEqual(await wrappedLabels(browser), [], 'no label in the toolbar, the column headers or the top bar wraps or is cut');
  const dates = await browser.execute(() =>
    [...document.querySelectorAll('[data-testid="cell-last-purchase"]')]
      .filter((c) => c.innerText)
      .map((c) => ({ text: c.innerText, cut: c.scrollWidth > c.clientWidth + 1 })),
  );
  assert.ok(dates.length > 0, 'some customers have a last purchase');
  assert.deepEqual(dates.filter((d) => d.cut), [], 'no date in the list is cut off');
  await screenshot(browser, '32-d-chinese-toolbar-960.png');
});

/** Today as the note's date field should show it for `order` ('dmy' or 'ymd'). */
function today(order) {
  const now = new Date();
  const [y, m, d] = [String(now.getFullYear()), String(now.getMonth() + 1).padStart(2, '0'), String(now.getDate()).padStart(2, '0')];
  return order === 'ymd' ? `${y}/${m}/${d}` : `${d}/${m}/${y}`;
}

step('(e) date fields follow the window’s language and the book’s region, in Chinese and in English', {}, async (browser) => {
  await browser.setWindowSize(1280, 800);
  await click(browser, 'sort-name');
  const first = await browser.$(sel('customer-row'));
  await first.waitForDisplayed();
  await first.click();
  await shown(browser, 'customer-name');

  // Chinese: year first, whatever the computer's locale, with a calendar in Chinese.
  await click(browser, 'add-note');
  const zhDate = await shown(browser, 'note-date');
  assert.equal(await zhDate.getValue(), today('ymd'));
  assert.equal(await zhDate.getAttribute('placeholder'), '年/月/日');
  await click(browser, 'note-date-calendar');
  const heading = await browser.$('[data-calendar-root] [data-calendar-heading]');
  await heading.waitForDisplayed({ timeoutMsg: 'the calendar did not open' });
  assert.match(await textOf(browser, heading), /^\d{4}年\d{1,2}月$/);
  await screenshot(browser, '32-e-date-field-chinese.png');
  await browser.keys(['Escape']);
  await gone(browser, 'note-date-calendar', { extra: '[data-state="open"]' });
  await click(browser, 'entry-cancel');
  await gone(browser, 'entry-form');

  // English in a British book: day first, as the page writes "4 December 2026".
  await browser.execute(() => localStorage.setItem('loupe.uiLanguage', 'en'));
  await browser.refresh();
  await shown(browser, 'customer-list');
  await (await browser.$(sel('customer-row'))).click();
  await shown(browser, 'customer-name');
  await click(browser, 'add-note');
  const enDate = await shown(browser, 'note-date');
  assert.equal(await enDate.getValue(), today('dmy'));
  assert.equal(await enDate.getAttribute('placeholder'), 'dd/mm/yyyy');
  await typeInto(browser, 'note-date', '4/12/2025');
  await typeInto(browser, 'note-body', 'Asked for a Datejust in steel');
  await (await shown(browser, 'note-body')).click();
  assert.equal(await enDate.getValue(), '04/12/2025', 'the date is tidied once the field is left');
  await screenshot(browser, '32-e-date-field-english.png');
  await click(browser, 'entry-save');
  await gone(browser, 'entry-form');
  await browser.waitUntil(
    async () => /\b4 Dec(ember)? 2025\b/.test(await browser.execute(() => document.querySelector('[data-testid="customer-page"]').innerText)),
    { timeoutMsg: 'the note dated 4 December 2025 is not on the timeline' },
  );
});
