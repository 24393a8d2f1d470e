// Helpers over the UI's data-testid contract: explicit waits with messages that name the
// element, and typing that survives WebKitWebDriver's gaps (characters with no key, such as 王).

import { WAIT_MS } from './harness.mjs';

export const sel = (testid, extra = '') => `[data-testid="${testid}"]${extra}`;

/**
 * The element's rendered text as the engine itself computes it (`innerText`). WebDriver's
 * getText is not used: WebKitWebDriver's visibility heuristic drops text in spans with
 * `overflow: hidden` + `text-overflow: ellipsis` (the names in search results and list rows)
 * although the window shows them.
 */
export async function textOf(browser, el) {
  return browser.execute((element) => element.innerText, el);
}

/** Waits until the element is displayed and returns it. */
export async function shown(browser, testid, { timeout = WAIT_MS, extra = '' } = {}) {
  const el = await browser.$(sel(testid, extra));
  await el.waitForDisplayed({
    timeout,
    timeoutMsg: `expected ${sel(testid, extra)} to be displayed within ${timeout} ms`,
  });
  return el;
}

/** Waits until the element is gone or hidden. */
export async function gone(browser, testid, { timeout = WAIT_MS, extra = '' } = {}) {
  const el = await browser.$(sel(testid, extra));
  await el.waitForDisplayed({
    timeout,
    reverse: true,
    timeoutMsg: `expected ${sel(testid, extra)} to disappear within ${timeout} ms`,
  });
}

export async function click(browser, testid, opts) {
  const el = await shown(browser, testid, opts);
  try {
    await el.waitForClickable({ timeout: opts?.timeout ?? WAIT_MS });
  } catch (error) {
    throw new Error(`expected ${sel(testid)} to be clickable: ${await whatCovers(browser, el)}`, { cause: error });
  }
  await el.click();
  return el;
}

/** Why an element cannot take a click: disabled, off screen, or the element drawn over its middle. */
async function whatCovers(browser, el) {
  try {
    return await browser.execute((element) => {
      if (element.disabled) return 'it is disabled';
      const box = element.getBoundingClientRect();
      const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (!top) return `its middle (${Math.round(box.left)}, ${Math.round(box.top)}) is outside the window`;
      if (element.contains(top)) return 'nothing covers it (the page may have been busy)';
      return `it is covered by ${top.outerHTML.slice(0, 300)}`;
    }, el);
  } catch (error) {
    return `the page did not answer (${error.message.split('\n')[0]})`;
  }
}

/**
 * Replaces an input's text. Types through WebDriver first (real key events); when the driver
 * cannot produce some characters, sets the value the way a paste or IME would and fires
 * `input`/`change`, so the UI's bindings see it either way.
 */
export async function typeInto(browser, testid, text, opts = {}) {
  const el = await shown(browser, testid, opts);
  await el.clearValue();
  if (text === '') {
    // WebKitWebDriver clears without an input event: say it, as a dealer's deleting would, so
    // that a search box closes its results rather than keep them for the next focus.
    await browser.execute((element) => element.dispatchEvent(new Event('input', { bubbles: true })), el);
  } else {
    try {
      await el.setValue(text);
    } catch {
      // fall through to the check below
    }
  }
  if ((await el.getValue()) !== text) {
    await browser.execute(
      (element, value) => {
        const proto = element instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
        Object.getOwnPropertyDescriptor(proto, 'value').set.call(element, value);
        element.dispatchEvent(new Event('input', { bubbles: true }));
        element.dispatchEvent(new Event('change', { bubbles: true }));
      },
      el,
      text,
    );
  }
  const value = await el.getValue();
  if (value !== text) throw new Error(`typed ${JSON.stringify(text)} into ${sel(testid)} but it holds ${JSON.stringify(value)}`);
  return el;
}

/** Picks an <option> by its value and makes sure the UI saw the change. */
export async function choose(browser, testid, value) {
  const el = await shown(browser, testid);
  try {
    await el.selectByAttribute('value', value);
  } catch {
    // fall through
  }
  if ((await el.getValue()) !== value) {
    await browser.execute(
      (element, v) => {
        element.value = v;
        element.dispatchEvent(new Event('input', { bubbles: true }));
        element.dispatchEvent(new Event('change', { bubbles: true }));
      },
      el,
      value,
    );
  }
  const now = await el.getValue();
  if (now !== value) throw new Error(`could not select ${JSON.stringify(value)} in ${sel(testid)} (it shows ${JSON.stringify(now)})`);
  return el;
}

/** Waits until the element's text satisfies `predicate`; returns that text. */
export async function textUntil(browser, testid, predicate, description, { timeout = WAIT_MS, extra = '' } = {}) {
  const el = await shown(browser, testid, { timeout, extra });
  let last = '';
  await browser.waitUntil(
    async () => {
      last = await textOf(browser, el);
      return predicate(last);
    },
    { timeout, timeoutMsg: `expected ${sel(testid, extra)} ${description}; it says ${JSON.stringify(last)}` },
  );
  return last;
}

/**
 * Texts of every displayed element with this test id, read in one step inside the page: a list
 * redrawn between finding its rows and reading them would otherwise leave stale elements.
 */
export async function texts(browser, testid) {
  return browser.execute(
    (selector) =>
      [...document.querySelectorAll(selector)]
        .filter((element) => element.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
        .map((element) => element.innerText),
    sel(testid),
  );
}

/**
 * The first displayed element with this test id whose text contains `needle`, waiting for it.
 * Found in one step inside the page, so a list redrawn meanwhile cannot leave a stale element.
 */
export async function withText(browser, testid, needle, { extra = '', timeout = WAIT_MS, timeoutMsg } = {}) {
  let ref = null;
  await browser.waitUntil(
    async () => {
      ref = await browser.execute(
        (selector, text) =>
          [...document.querySelectorAll(selector)].find((element) => element.checkVisibility() && element.innerText.includes(text)) ??
          null,
        sel(testid, extra),
        needle,
      );
      return ref !== null;
    },
    { timeout, timeoutMsg: timeoutMsg ?? `no ${sel(testid, extra)} containing ${JSON.stringify(needle)}` },
  );
  return browser.$(ref);
}

/** Types into the search box and waits for a result containing `name`; returns the result texts. */
export async function searchFinds(browser, query, name, { timeout = WAIT_MS } = {}) {
  await typeInto(browser, 'search-input', query);
  await shown(browser, 'search-results', { timeout });
  let found = [];
  await browser.waitUntil(
    async () => {
      found = await texts(browser, 'search-result');
      return found.some((t) => t.includes(name));
    },
    { timeout, timeoutMsg: `searching ${JSON.stringify(query)} did not list ${JSON.stringify(name)}` },
  );
  return found;
}

/** Types into the search box and waits until no result contains `name`. */
export async function searchMisses(browser, query, name, { timeout = WAIT_MS } = {}) {
  await typeInto(browser, 'search-input', query);
  let found = [];
  await browser.waitUntil(
    async () => {
      found = await texts(browser, 'search-result');
      return !found.some((t) => t.includes(name));
    },
    { timeout, timeoutMsg: `searching ${JSON.stringify(query)} still lists ${JSON.stringify(name)}` },
  );
  return found;
}

/** Digits of a string, for comparing phone numbers in whatever format the UI prints them. */
export const digits = (s) => s.replace(/\D+/g, '');

/** Like typeInto, for an element already found (e.g. the second of several item rows). */
export async function typeIntoElement(browser, el, text, what = 'the field') {
  await el.waitForDisplayed({ timeout: WAIT_MS, timeoutMsg: `expected ${what} to be displayed` });
  await el.clearValue();
  if (text !== '') {
    try {
      await el.setValue(text);
    } catch {
      // fall through to the check below
    }
  }
  if ((await el.getValue()) !== text) {
    await browser.execute(
      (element, value) => {
        const proto = element instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
        Object.getOwnPropertyDescriptor(proto, 'value').set.call(element, value);
        element.dispatchEvent(new Event('input', { bubbles: true }));
        element.dispatchEvent(new Event('change', { bubbles: true }));
      },
      el,
      text,
    );
  }
  const value = await el.getValue();
  if (value !== text) throw new Error(`typed ${JSON.stringify(text)} into ${what} but it holds ${JSON.stringify(value)}`);
  return el;
}

/** The n-th (0-based) element with this test id inside `parent` (default: the page), waiting for it. */
export async function nth(browser, testid, n, { parent = null, timeout = WAIT_MS } = {}) {
  const scope = parent ?? browser;
  let found = [];
  await browser.waitUntil(
    async () => {
      found = await scope.$$(sel(testid));
      return found.length > n;
    },
    { timeout, timeoutMsg: `expected at least ${n + 1} ${sel(testid)}; found ${found.length}` },
  );
  return found[n];
}

/** The customer page's timeline as the window shows it: kind, date and text of each entry, top to bottom. */
export async function timelineEntries(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="timeline-entry"]')).map((el) => ({
      kind: el.getAttribute('data-kind'),
      date: el.getAttribute('data-date'),
      text: el.innerText,
    })),
  );
}

/**
 * Shows the window in `language`. The choice is kept in the webview's storage, which other runs
 * on this computer share: each step says which language it reads.
 */
export async function inLanguage(browser, language) {
  const current = await browser.execute(() => localStorage.getItem('loupe.uiLanguage'));
  if (current !== language) {
    await browser.execute((value) => localStorage.setItem('loupe.uiLanguage', value), language);
    await browser.refresh();
  }
  const word = language === 'zh' ? '客户' : 'Customers';
  await textUntil(browser, 'nav-list', (t) => t.includes(word), `the window in ${language}`);
}
