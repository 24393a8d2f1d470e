// Insights in the real window, on a demo book and its day (LOUPE_TODAY: demo books are dated up
// to 1 November 2026, deterministically): the last 12 months'
// numbers as the CLI reads them, another period chosen, a chart's numbers as a table and saved as
// CSV, a click on a segment's bar landing on its customers in the list, a campaign recorded in
// the window counted in the acquisition cost and listed in the results; each chart saved as a
// screenshot in the light theme and, in a second window, the dark one; in English and Chinese.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchApp, loupeCli, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { stepper } from '../lib/steps.mjs';
import { choose, click, gone, inLanguage, sel, shown, textOf, textUntil, typeInto } from '../lib/ui.mjs';

const TODAY = '2026-11-01';
const CHARTS = ['monthly', 'segments', 'tiers', 'cohorts', 'brands', 'categories', 'csat', 'campaigns'];

let dir;
let db;
let csv;
let app;
const step = stepper(() => app?.browser);
const cli = (...args) => loupeCli(['--db', db, ...args], { env: { LOUPE_TODAY: TODAY } });

before(async () => {
  dir = tempBookDir('insights');
  db = path.join(dir, 'book.sqlite3');
  csv = path.join(dir, 'brands.csv');
  cli('demo', '--customers', '400', '--seed', '11');
  app = await launchApp(db, { env: { LOUPE_TODAY: TODAY, LOUPE_TABLE_FILE: csv } });
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

/** A card's value as the window shows it, digits only. */
async function cardDigits(browser, name) {
  return (await textOf(browser, await shown(browser, `insights-card-${name}-value`))).replace(/\D+/g, '');
}

/** Each chart scrolled into view and saved as `prefix-<chart>.png`. */
async function chartShots(browser, prefix) {
  for (const chart of CHARTS) {
    const card = await shown(browser, `insights-chart-${chart}`);
    await card.scrollIntoView({ block: 'center' });
    await browser.waitUntil(async () => (await card.$$('svg')).length > 0, { timeoutMsg: `the ${chart} chart drew nothing` });
    await screenshot(browser, `${prefix}-${chart}.png`);
  }
}

step('(a) the last 12 months, as the CLI reads them', {}, async (browser) => {
  await inLanguage(browser, 'en');
  await click(browser, 'nav-insights');
  await shown(browser, 'insights-view');
  const expected = JSON.parse(cli('insights', '--json'));
  await browser.waitUntil(async () => (await cardDigits(browser, 'purchases')) === String(expected.period.purchases), {
    timeoutMsg: `the purchases card does not say ${expected.period.purchases}`,
  });
  assert.equal(await cardDigits(browser, 'buyers'), String(expected.period.buyers));
  await screenshot(browser, '41-a-insights-en.png');
  await chartShots(browser, '41-a-light');
});

step('(b) this year: the numbers of another period', {}, async (browser) => {
  const year = JSON.parse(cli('insights', '--from', '2026-01-01', '--to', TODAY, '--json'));
  await click(browser, 'insights-period-this-year');
  await browser.waitUntil(async () => (await cardDigits(browser, 'purchases')) === String(year.period.purchases), {
    timeoutMsg: `this year's purchases are not ${year.period.purchases}`,
  });
  await textUntil(browser, 'insights-range', (text) => text.includes('2026'), 'to name the year');
});

step('(c) a chart as a table, and its numbers saved as CSV', {}, async (browser) => {
  const brands = await shown(browser, 'insights-chart-brands');
  await (await brands.$(sel('insights-table-toggle'))).click();
  const table = await brands.$(sel('insights-table'));
  await table.waitForDisplayed({ timeoutMsg: 'the brands table is not shown' });
  const rows = await table.$$('tbody tr');
  assert.ok(rows.length > 0, 'the brands table has rows');
  await (await brands.$(sel('insights-csv'))).click();
  await browser.waitUntil(() => fs.existsSync(csv), { timeoutMsg: 'no CSV file was written' });
  const written = fs.readFileSync(csv, 'utf8');
  assert.ok(written.startsWith('\ufeff'), 'the CSV opens in a spreadsheet (byte-order mark)');
  assert.equal(written.trim().split('\r\n').length, rows.length + 1, 'a header and one line per row');
  await brands.scrollIntoView({ block: 'start' });
  await screenshot(browser, '41-c-brands-table.png');
  await (await brands.$(sel('insights-table-toggle'))).click();
});

step('(d) a segment\'s bar opens its customers in the list', {}, async (browser) => {
  const counts = JSON.parse(cli('segments', '--json'));
  const segments = await shown(browser, 'insights-chart-segments');
  await segments.scrollIntoView({ block: 'center' });
  const bars = await segments.$$('path[fill]:not([fill="none"])');
  const sized = [];
  for (const bar of bars) {
    const size = await bar.getSize();
    if (size.width > 8 && size.height > 8) sized.push(bar);
  }
  assert.ok(sized.length > 0, 'the segments chart has bars');
  await sized[0].click();
  await shown(browser, 'customer-list');
  const count = await textOf(browser, await shown(browser, 'customer-count'));
  const total = Number(count.replace(/\D+/g, ''));
  assert.ok(total > 0, 'the list shows the segment\'s customers');
  assert.ok(total < 400, `the list is narrowed to a segment (${count}), ${JSON.stringify(counts).slice(0, 80)}`);
  await screenshot(browser, '41-d-segment-list.png');
});

step('(e) a campaign recorded in the window: its cost in the acquisition cost, its row in the results', {}, async (browser) => {
  await click(browser, 'nav-insights');
  await click(browser, 'insights-period-last-12-months');
  const before = JSON.parse(cli('insights', '--json')).period.marketing_cost;
  await click(browser, 'insights-add-campaign');
  await shown(browser, 'campaign-dialog');
  await typeInto(browser, 'campaign-name', 'Autumn evening');
  await choose(browser, 'campaign-channel', 'other');
  await typeInto(browser, 'campaign-day', '2026-10-15');
  await typeInto(browser, 'campaign-cost', '350');
  await click(browser, 'campaign-save');
  await gone(browser, 'campaign-dialog');
  const after = JSON.parse(cli('insights', '--json')).period.marketing_cost;
  assert.equal(Number(after) - Number(before), 350, 'the campaign is counted in the period\'s marketing cost');
  const listed = JSON.parse(cli('campaigns', '--json'));
  const autumn = listed.find((result) => result.name === 'Autumn evening');
  assert.ok(autumn, 'the CLI lists the campaign recorded in the window');
  assert.deepEqual([autumn.channel, autumn.run_on, autumn.cost], ['other', '2026-10-15', '350']);
  await textUntil(browser, 'insights-card-cac', (text) => text.replace(/\D+/g, '').includes(after.replace(/\D+/g, '')), `to count a marketing cost of ${after}`);
  const chart = await shown(browser, 'insights-chart-campaigns');
  await chart.scrollIntoView({ block: 'start' });
  await (await chart.$(sel('insights-table-toggle'))).click();
  const table = await chart.$(sel('insights-table'));
  await table.waitForDisplayed({ timeoutMsg: 'the campaigns table is not shown' });
  const names = [];
  for (const row of await table.$$('tbody tr')) names.push(await row.getText());
  assert.ok(names.some((name) => name.includes('Autumn evening')), `the campaigns table lists the new one: ${names.join(' | ')}`);
  await screenshot(browser, '41-e-campaigns-table.png');
  await (await chart.$(sel('insights-table-toggle'))).click();
});

step('(f) in Chinese, at 960 px', {}, async (browser) => {
  await inLanguage(browser, 'zh');
  await browser.setWindowSize(960, 800);
  await click(browser, 'nav-insights');
  await shown(browser, 'insights-card-revenue');
  await screenshot(browser, '41-f-insights-zh-960.png');
  await inLanguage(browser, 'en');
  await browser.setWindowSize(1280, 800);
});

step('(g) the charts in the dark theme', {}, async () => {
  await app.close();
  app = await launchApp(db, { env: { LOUPE_TODAY: TODAY, GTK_THEME: 'Adwaita:dark' } });
  const browser = app.browser;
  await inLanguage(browser, 'en');
  await click(browser, 'nav-insights');
  await shown(browser, 'insights-card-revenue');
  const dark = await browser.execute(() => window.matchMedia('(prefers-color-scheme: dark)').matches);
  assert.ok(dark, 'GTK_THEME=Adwaita:dark gives the window the dark theme');
  await screenshot(browser, '41-g-insights-dark.png');
  await chartShots(browser, '41-g-dark');
});
