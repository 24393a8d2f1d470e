// The follow-up agenda in the real window, on fixed days (LOUPE_TODAY): a sale recorded on
// 8 June, the window opened a week later on the agenda with the sale's follow-up due today and
// the badge counting it; Done with an outcome typed in place, then the contact on the customer's
// timeline; a customer who said no to calls marked, with another channel offered; a reminder
// typed on the customer page; Settings → Follow-up; a piece that arrives matched to a wish and
// the customer told; the CLI reading the same book; in English and in Chinese.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { click, gone, inLanguage, sel, shown, textOf, textUntil, timelineEntries, typeInto, withText } from '../lib/ui.mjs';

const SOLD_ON = '2026-06-08';
const TODAY = '2026-06-15';
const ANNA = 'Anna Follow';
const NO_CALLS = 'Nadia Nocall';
const OUTCOME = 'Loves it; follow up in writing';

let dir;
let db;
let app;
let anna;
let nadia;
const step = stepper(() => app?.browser);

const cli = (day, ...args) => loupeCli(['--db', db, ...args], { env: { LOUPE_TODAY: day } });
const added = (day, ...args) => JSON.parse(cli(day, 'customers', 'add', ...args, '--json')).id;

before(async () => {
  dir = tempBookDir('agenda');
  db = path.join(dir, 'book.sqlite3');
  anna = added(SOLD_ON, '--name', ANNA, '--phone', '07911 123456', '--email', 'anna@example.com');
  cli(SOLD_ON, 'purchases', 'add', String(anna), '--date', SOLD_ON, '--item', 'brand=Rolex,model=Submariner,category=watch,price=9800');
  nadia = added(SOLD_ON, '--name', NO_CALLS, '--phone', '07912 345678', '--email', 'nadia@example.com');
  cli(SOLD_ON, 'purchases', 'add', String(nadia), '--date', SOLD_ON, '--item', 'brand=Cartier,model=Love,category=bracelet,price=6400');
  cli(SOLD_ON, 'customers', 'edit', String(nadia), '--consent', 'phone=opted_out');
  cli(SOLD_ON, 'wishes', 'add', String(anna), '--brand', 'Patek Philippe', '--ref', '5196G', '--budget-max', '30000');
  app = await launchApp(db, { env: { LOUPE_TODAY: TODAY }, startOn: 'agenda' });
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

/** The agenda's item of `kind` for the customer named `name`. */
async function itemOf(browser, kind, name) {
  return withText(browser, 'agenda-item', name, {
    extra: `[data-kind="${kind}"]`,
    timeoutMsg: `no ${kind} reminder for ${name} on the agenda`,
  });
}

const within = async (parent, testid) => {
  const el = await parent.$(sel(testid));
  await el.waitForDisplayed({ timeoutMsg: `${testid} is not shown in its row` });
  return el;
};

step('(a) a week after the sale the window opens on the agenda, the follow-up due today', {}, async (browser) => {
  // launchApp's startOn checked that the window started there; a change of language reloads it.
  await shown(browser, 'agenda-view');
  await inLanguage(browser, 'en');
  await click(browser, 'nav-agenda');
  await shown(browser, 'agenda-section-today');
  const item = await itemOf(browser, 'follow_up', ANNA);
  assert.match(await textOf(browser, item), /Rolex Submariner/);
  const badge = await shown(browser, 'nav-agenda-badge');
  assert.ok(Number((await textOf(browser, badge)).replace(/\D+/g, '')) >= 2, 'the badge counts what is due today');
  await screenshot(browser, '40-a-agenda-today-en.png');
});

step('(b) a customer who said no to calls is marked, and another channel is offered', {}, async (browser) => {
  const item = await itemOf(browser, 'follow_up', NO_CALLS);
  await within(item, 'agenda-consent-refused');
  await (await within(item, 'agenda-done')).click();
  const channel = await within(item, 'agenda-channel');
  assert.notEqual(await channel.getValue(), 'phone', 'a refused channel is not proposed for Done');
  await screenshot(browser, '40-b-refused-channel.png');
  await (await within(item, 'agenda-done')).click();
});

step('(c) Done with an outcome typed in place records the contact on the timeline', {}, async (browser) => {
  const item = await itemOf(browser, 'follow_up', ANNA);
  const id = await item.getAttribute('data-id');
  await (await within(item, 'agenda-done')).click();
  const outcome = await within(item, 'agenda-outcome');
  await outcome.setValue(OUTCOME);
  await (await within(item, 'agenda-save-done')).click();
  await gone(browser, 'agenda-item', { extra: `[data-id="${id}"]` });
  const story = JSON.parse(cli(TODAY, 'customers', 'show', String(anna), '--json'));
  assert.ok(
    story.interactions.some((contact) => contact.outcome === OUTCOME && contact.occurred_on === TODAY),
    'the contact is in the book',
  );
  await click(browser, 'nav-list');
  const row = await browser.$(`${sel('customer-row')}*=${ANNA}`);
  await row.waitForDisplayed({ timeoutMsg: `${ANNA} is not in the list` });
  await row.click();
  await browser.waitUntil(async () => (await timelineEntries(browser)).some((entry) => entry.kind === 'interaction' && entry.date === TODAY && entry.text.includes(OUTCOME)), {
    timeoutMsg: 'the contact with its outcome is not on the timeline',
  });
  await screenshot(browser, '40-c-contact-on-timeline.png');
});

step('(d) a reminder typed on the customer page is on the agenda', {}, async (browser) => {
  await click(browser, 'reminder-add');
  await typeInto(browser, 'reminder-title', 'Bring the Submariner strap');
  await typeInto(browser, 'reminder-due', '15/06/2026');
  await click(browser, 'reminder-save');
  await textUntil(browser, 'customer-reminders', (text) => text.includes('Bring the Submariner strap'), 'to list the reminder');
  await screenshot(browser, '40-d-customer-reminders.png');
  await click(browser, 'nav-agenda');
  await itemOf(browser, 'manual', ANNA);
});

step('(e) a piece arrives: the wish for it comes first, and the customer is told', {}, async (browser) => {
  await click(browser, 'agenda-arrival-button');
  await shown(browser, 'arrivals-view');
  await typeInto(browser, 'arrival-brand', 'Patek Philippe');
  await typeInto(browser, 'arrival-reference', '5196 G');
  await typeInto(browser, 'arrival-price', '24500');
  await click(browser, 'arrival-save');
  const first = await shown(browser, 'arrival-match');
  assert.equal(await first.getAttribute('data-customer-id'), String(anna));
  await screenshot(browser, '40-e-arrival-matches.png');
  await click(browser, 'arrival-tell');
  await click(browser, 'nav-agenda');
  await itemOf(browser, 'arrival', ANNA);
});

step('(f) Settings → Follow-up shows each rule with its numbers', {}, async (browser) => {
  await click(browser, 'settings-button');
  await click(browser, 'settings-tab-follow-up');
  await shown(browser, 'follow-up-after_sale_days');
  await screenshot(browser, '40-f-settings-follow-up-en.png');
  await click(browser, 'settings-cancel');
});

step('(g) the agenda in Chinese, at 960 px', {}, async (browser) => {
  await inLanguage(browser, 'zh');
  await browser.setWindowSize(960, 800);
  await click(browser, 'nav-agenda');
  await itemOf(browser, 'follow_up', NO_CALLS);
  await screenshot(browser, '40-g-agenda-zh-960.png');
  await click(browser, 'settings-button');
  await click(browser, 'settings-tab-follow-up');
  await screenshot(browser, '40-g-settings-follow-up-zh-960.png');
  await click(browser, 'settings-cancel');
  await inLanguage(browser, 'en');
  await browser.setWindowSize(1280, 800);
});

step('(h) the CLI reads the same agenda', {}, async () => {
  const agenda = JSON.parse(cli(TODAY, 'agenda', '--json'));
  const refused = agenda.find((line) => line.customer_name === NO_CALLS && line.kind === 'follow_up');
  assert.equal(refused.consent, 'opted_out');
  assert.ok(!agenda.some((line) => line.customer_name === ANNA && line.kind === 'follow_up'), 'done is done for the CLI too');
  assert.ok(agenda.some((line) => line.customer_name === ANNA && line.kind === 'arrival'));
});
