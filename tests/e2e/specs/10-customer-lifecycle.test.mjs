// One customer's life in the real window, on a fresh book: the empty state, the form, the
// customer page, search by phone in other formats, a rejected email, a restart of the app,
// an edit and a confirmed delete.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { choose, click, digits, gone, searchFinds, searchMisses, sel, shown, textOf, textUntil, typeInto } from '../lib/ui.mjs';

const NAME = 'Zoë Müller-王';
const COMPANY = 'Müller Uhren GmbH';
const NEW_COMPANY = 'Zoë Horology Ltd';
const EMAIL = 'zoe.mueller@example.com';
const PHONE_TYPED = '07911 123456';
const PHONE_DIGITS = '7911123456'; // national significant number: in every format the UI may print
const TAG = 'vintage-rolex';

let dir;
let db;
let app;
const step = stepper(() => app?.browser);

before(async () => {
  dir = tempBookDir('lifecycle');
  db = path.join(dir, 'book.sqlite3');
  app = await launchApp(db);
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

/** What the CLI finds in the same book for `query` (read-only, beside the running app). */
function cliSearch(query) {
  return loupeCli(['--db', db, 'customers', 'search', query, '--json']);
}

/** From anywhere: search her by phone and open her page. */
async function openHer(browser) {
  await searchFinds(browser, '123456', NAME);
  const results = await browser.$$(sel('search-result'));
  for (const result of results) {
    if ((await result.isDisplayed()) && (await textOf(browser, result)).includes(NAME)) {
      await result.click();
      break;
    }
  }
  await textUntil(browser, 'customer-name', (t) => t.includes(NAME), `to show ${JSON.stringify(NAME)}`);
}

step('(a) an empty book shows the empty state', {}, async (browser) => {
  await shown(browser, 'empty-state');
  await screenshot(browser, '01-empty.png');
});

step('(b) a customer added through the form gets a page with her name and phone', {}, async (browser) => {
  await click(browser, 'new-customer-button');
  await shown(browser, 'customer-form');
  await typeInto(browser, 'field-full_name', NAME);
  await typeInto(browser, 'field-company', COMPANY);
  await choose(browser, 'field-customer_type', 'collector');
  await typeInto(browser, 'email-address-0', EMAIL);
  await typeInto(browser, 'phone-number-0', PHONE_TYPED);
  // Tags are separated by commas (or Enter): a trailing comma commits the tag.
  const tags = await shown(browser, 'field-tags');
  await tags.click();
  await tags.addValue(`${TAG},`);
  await browser.waitUntil(async () => (await textOf(browser, await browser.$(sel('customer-form')))).includes(TAG), {
    timeoutMsg: `the tag ${TAG} did not appear in the form after typing it and a comma`,
  });
  // Show the top of the form (the name, type, contacts); blur first, or the focused tag input
  // scrolls itself back into view.
  await browser.execute(
    (el) => {
      document.activeElement?.blur();
      el.scrollIntoView({ block: 'center', behavior: 'instant' });
    },
    await browser.$(sel('field-full_name')),
  );
  await screenshot(browser, '02-form.png');

  await click(browser, 'save-customer');
  await shown(browser, 'customer-page');
  await textUntil(browser, 'customer-name', (t) => t.includes(NAME), `to show ${JSON.stringify(NAME)}`);
  await textUntil(browser, 'customer-phones', (t) => digits(t).includes(PHONE_DIGITS), `to list the phone ${PHONE_TYPED}`);
  await textUntil(browser, 'customer-emails', (t) => t.includes(EMAIL), `to list ${EMAIL}`);
  const page = await textOf(browser, await shown(browser, 'customer-page'));
  assert.ok(page.includes(COMPANY), `the customer page does not show the company ${COMPANY}`);
  assert.ok(page.includes(TAG), `the customer page does not show the tag ${TAG}`);
  await screenshot(browser, '03-customer.png');
  // It reached the book on disk, stored in international form (default region GB).
  const stored = cliSearch(NAME);
  assert.ok(stored.includes(NAME), `the CLI does not find ${NAME} in the book: ${stored.slice(0, 300)}`);
  assert.ok(stored.includes('+447911123456'), `the phone was not stored as +447911123456: ${stored.slice(0, 600)}`);
});

const ADDED = '(b) a customer added through the form gets a page with her name and phone';

step('(c) search finds her by phone typed in other formats', { needs: [ADDED] }, async (browser) => {
  await searchFinds(browser, '+44 7911 123456', NAME);
  await searchFinds(browser, '07911123456', NAME);
  await searchFinds(browser, '123456', NAME);
  await screenshot(browser, '04-search.png');
  await searchFinds(browser, 'Müller', NAME);
});

step('(d) an invalid email shows a field error and creates nobody', {}, async (browser) => {
  const name = 'Invalid Email Person';
  await typeInto(browser, 'search-input', '');
  await click(browser, 'new-customer-button');
  await shown(browser, 'customer-form');
  await typeInto(browser, 'field-full_name', name);
  await typeInto(browser, 'email-address-0', 'not-an-email@');
  await click(browser, 'save-customer');
  const error = await shown(browser, 'field-error', { extra: '[data-field="emails[0].address"]' });
  assert.ok((await textOf(browser, error)).trim().length > 0, 'the email field error has no text');
  // "Next to the field": the message sits close below or beside the email input.
  const input = await browser.$(sel('email-address-0'));
  const [a, b] = [await input.getLocation(), await error.getLocation()];
  assert.ok(Math.abs(a.y - b.y) < 120, `the email error is far from the email field (field y=${a.y}, error y=${b.y})`);
  await shown(browser, 'customer-form'); // still editing
  await screenshot(browser, '05-invalid-email.png');
  await click(browser, 'cancel-edit');
  await gone(browser, 'customer-form');
  const stored = cliSearch('Invalid Email');
  assert.ok(!stored.includes(name), `a customer was created despite the invalid email: ${stored.slice(0, 300)}`);
});

step('(e) after quitting and starting the app again she is still found', { needs: [ADDED] }, async () => {
  const browser = await app.restart();
  await searchFinds(browser, '+44 7911 123456', NAME);
  await screenshot(browser, '06-after-restart.png');
});

const RESTARTED = '(e) after quitting and starting the app again she is still found';

step('(g) editing her company shows the change; deleting her (confirmed) removes her', { needs: [RESTARTED] }, async (browser) => {
  await openHer(browser);
  await click(browser, 'edit-customer');
  await shown(browser, 'customer-form');
  const company = await shown(browser, 'field-company');
  assert.equal(await company.getValue(), COMPANY, 'the edit form does not start from her saved company');
  await typeInto(browser, 'field-company', NEW_COMPANY);
  await click(browser, 'save-customer');
  await gone(browser, 'customer-form');
  await browser.waitUntil(async () => (await textOf(browser, await shown(browser, 'customer-page'))).includes(NEW_COMPANY), {
    timeoutMsg: `the customer page does not show the new company ${NEW_COMPANY}`,
  });
  await textUntil(browser, 'customer-name', (t) => t.includes(NAME), 'to still show her name');
  await screenshot(browser, '07-edited.png');
  assert.ok(cliSearch(NAME).includes(NEW_COMPANY), 'the new company did not reach the book');

  await click(browser, 'delete-customer');
  await shown(browser, 'confirm-dialog');
  await screenshot(browser, '08-confirm-delete.png');
  await click(browser, 'confirm-delete');
  await gone(browser, 'confirm-dialog');
  await gone(browser, 'customer-page');
  await searchMisses(browser, '123456', NAME);
  await searchMisses(browser, 'Zoë', NAME);
  await screenshot(browser, '09-deleted.png');
  assert.ok(!cliSearch(NAME).includes(NAME), 'she is still in the book after the delete');
});
