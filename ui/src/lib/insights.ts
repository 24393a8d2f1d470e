/**
 * The Insights view's logic, kept out of the component so it can be tested: the periods the
 * picker offers (counted from the book's today), the headline numbers as a dealer reads them
 * (the core's exact decimals rounded half to even for display only), the change against the
 * period before, seed 004's stage bands, each chart's numbers as a table (for the "Table"
 * toggle and its CSV file), and the campaigns of the period.
 */
import Big from 'big.js';
import { parseDate, startOfMonth, startOfYear } from '@internationalized/date';
import type { CampaignResult } from './bindings/CampaignResult';
import type { CsvTable } from './bindings/CsvTable';
import type { Expense } from './bindings/Expense';
import type { Insights } from './bindings/Insights';
import type { ItemCategory } from './bindings/ItemCategory';
import type { MonthFigures } from './bindings/MonthFigures';
import type { Segment } from './bindings/Segment';
import { SEGMENTS } from './audience-filter';
import { formatCount, formatMoney } from './format';
import { readAmount } from './money';
import { intlLocale, t } from './i18n/index.svelte';
import { tierName } from './membership';

export const PRESETS = ['this-month', 'this-quarter', 'this-year', 'last-12-months'] as const;
export type Preset = (typeof PRESETS)[number];

export interface Period {
  from: string;
  to: string;
}

/**
 * A preset's days, both ends included: this month, quarter and year run from their first day
 * to today (to date); the last 12 months end today and start the day after the same date a
 * year before (29 February going back to 28 February, so a leap year's span holds 366 days).
 */
export function presetPeriod(preset: Preset, today: string): Period {
  const day = parseDate(today);
  const to = day.toString();
  switch (preset) {
    case 'this-month':
      return { from: startOfMonth(day).toString(), to };
    case 'this-quarter': {
      const firstMonth = Math.floor((day.month - 1) / 3) * 3 + 1;
      return { from: day.set({ month: firstMonth, day: 1 }).toString(), to };
    }
    case 'this-year':
      return { from: startOfYear(day).toString(), to };
    case 'last-12-months':
      return { from: day.subtract({ years: 1 }).add({ days: 1 }).toString(), to };
  }
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A custom period as typed, or what is wrong with it (worded as the core words it). */
export function checkPeriod(from: string | null, to: string | null): { period: Period } | { field: 'from' | 'to'; problem: string } {
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (!value || !ISO_DAY.test(value) || !isDay(value)) {
      return { field, problem: t('problem.not_a_date', { value: value ?? '' }) };
    }
  }
  if (from! > to!) return { field: 'to', problem: t('problem.period_reversed') };
  return { period: { from: from!, to: to! } };
}

function isDay(value: string): boolean {
  try {
    return parseDate(value).toString() === value;
  } catch {
    return false;
  }
}

// ---- numbers as the dealer reads them ----

/** An exact decimal rounded half to even to `places` (display only). */
export function roundHalfEven(value: string, places: number): Big {
  return new Big(value).round(places, Big.roundHalfEven);
}

/** The currency's minor digits (2 for pounds, 0 for yen). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Money in the book's currency, to its minor unit half to even ("£47.62"); "—" for none. */
export function insightMoney(amount: string | null, currency: string): string {
  if (amount === null) return t('insights.none');
  return formatMoney(roundHalfEven(amount, minorDigits(currency)).toFixed(), currency);
}

/** A number to one decimal, half to even ("1.3"); "—" for none. */
export function insightDecimal(value: string | null): string {
  if (value === null) return t('insights.none');
  const rounded = Number(roundHalfEven(value, 1).toFixed(1));
  return new Intl.NumberFormat(intlLocale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rounded);
}

/** A percentage (already × 100) to one decimal, half to even ("47.6%"); "—" for none. */
export function insightPercent(value: string | null): string {
  if (value === null) return t('insights.none');
  return t('insights.percent', { value: insightDecimal(value) });
}

// ---- the change against the period before ----

export interface Change {
  /** 'none' when there is nothing to compare (no figure, or nothing before). */
  direction: 'up' | 'down' | 'same' | 'none';
  /** "↑ 12.5%", "↓ 3.0 pts", "—". */
  text: string;
}

/**
 * How a figure moved from the period before: amounts and counts by their percentage change,
 * rates and shares (`points`) by the difference in percentage points, which a dealer reads
 * more truly than a percentage of a percentage.
 */
export function change(current: string | number | null, previous: string | number | null, { points = false } = {}): Change {
  if (current === null || previous === null) return { direction: 'none', text: t('insights.none') };
  const now = new Big(current);
  const before = new Big(previous);
  let delta: Big;
  if (points) delta = now.minus(before);
  else if (before.eq(0)) return { direction: 'none', text: t('insights.none') };
  else delta = now.minus(before).times(100).div(before);
  const rounded = delta.round(1, Big.roundHalfEven);
  if (rounded.eq(0)) return { direction: 'same', text: t('insights.unchanged') };
  const up = rounded.gt(0);
  const size = insightDecimal(rounded.abs().toFixed(1));
  return {
    direction: up ? 'up' : 'down',
    text: t(points ? 'insights.changePoints' : 'insights.changePercent', { arrow: up ? '↑' : '↓', value: size }),
  };
}

// ---- seed 004's stage bands ----

/** Seed 004's returning-customer shares by a shop's stage: shown beside the share, not a verdict. */
export const STAGE_BANDS = [
  { key: 'primary', from: 5, to: 10 },
  { key: 'intermediate', from: 5, to: null },
  { key: 'advanced', from: 10, to: null },
] as const;

/** "Starting shop: 5–10%", "Loyal customers: over 5%", "Advanced stage: over 10%". */
export function stageBandText(band: (typeof STAGE_BANDS)[number]): string {
  const range =
    band.to === null
      ? t('insights.band.over', { value: formatCount(band.from) })
      : t('insights.band.range', { from: formatCount(band.from), to: formatCount(band.to) });
  return t(`insights.band.${band.key}`, { range });
}

// ---- the charts' rows and their tables ----

/** "Mar 2026" / "2026年3月" for a "2026-03" month. */
export function monthLabel(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(intlLocale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, m - 1, 1)));
}

/**
 * The days of a month's bar: the month ("2026-03") within the period, whose buyers the bar
 * counts (a period starting on the 15th has half its first month).
 */
export function monthDays(month: string, period: Period): Period {
  const first = startOfMonth(parseDate(`${month}-01`));
  const last = first.add({ months: 1 }).subtract({ days: 1 });
  const from = first.toString() < period.from ? period.from : first.toString();
  const to = last.toString() > period.to ? period.to : last.toString();
  return { from, to };
}

/** Every segment the audience has, in the window's order (the best customers first), with its count (zero kept). */
export function segmentRows(insights: Insights): { segment: Segment; count: number }[] {
  const counts = new Map(insights.segments.map((row) => [row.segment, row.count]));
  return SEGMENTS.map((segment) => ({ segment, count: counts.get(segment) ?? 0 }));
}

export function categoryName(name: string): string {
  const known: readonly ItemCategory[] = ['watch', 'ring', 'necklace', 'bracelet', 'earrings', 'pendant', 'other'];
  return (known as readonly string[]).includes(name) ? t(`category.${name as ItemCategory}`) : name;
}

/** Customers active in a cohort's month, as a percentage of the cohort, half to even to one decimal. */
export function cohortPercent(active: number, customers: number): string {
  return customers === 0 ? '0.0' : new Big(active).times(100).div(customers).round(1, Big.roundHalfEven).toFixed(1);
}

/** The heatmap's widest row: months followed from the oldest cohort. */
export function cohortMonths(insights: Insights): number {
  return insights.cohorts.reduce((most, cohort) => Math.max(most, cohort.active.length), 0);
}

export const CHARTS = ['monthly', 'segments', 'tiers', 'cohorts', 'brands', 'categories', 'csat'] as const;
export type ChartName = (typeof CHARTS)[number];

/** A chart's numbers as a table: headed in the window's language, numbers as plain decimals for a spreadsheet. */
export function chartTable(chart: ChartName, insights: Insights): CsvTable {
  const currency = insights.currency;
  const month = (row: MonthFigures) => row.month;
  switch (chart) {
    case 'monthly':
      return {
        columns: [t('insights.col.month'), t('insights.col.revenue', { currency }), t('insights.col.purchases'), t('insights.col.buyers')],
        rows: insights.monthly.map((row) => [month(row), row.revenue, String(row.purchases), String(row.buyers)]),
      };
    case 'segments':
      return {
        columns: [t('insights.col.segment'), t('insights.col.customers')],
        rows: segmentRows(insights).map((row) => [t(`segment.${row.segment}`), String(row.count)]),
      };
    case 'tiers':
      return {
        columns: [t('insights.col.tier'), t('insights.col.customers')],
        rows: insights.tiers.map((row) => [tierName(row.tier), String(row.count)]),
      };
    case 'cohorts': {
      const months = cohortMonths(insights);
      return {
        columns: [
          t('insights.col.cohort'),
          t('insights.col.customers'),
          ...Array.from({ length: months }, (_, i) => t('insights.col.monthAfter', { n: i })),
        ],
        rows: insights.cohorts.map((cohort) => [
          cohort.cohort,
          String(cohort.customers),
          ...Array.from({ length: months }, (_, i) => (i < cohort.active.length ? String(cohort.active[i]) : '')),
        ]),
      };
    }
    case 'brands':
      return {
        columns: [t('insights.col.brand'), t('insights.col.revenue', { currency }), t('insights.col.pieces')],
        rows: insights.brands.map((row) => [row.name, row.revenue, String(row.pieces)]),
      };
    case 'categories':
      return {
        columns: [t('insights.col.category'), t('insights.col.revenue', { currency }), t('insights.col.pieces')],
        rows: insights.categories.map((row) => [categoryName(row.name), row.revenue, String(row.pieces)]),
      };
    case 'csat':
      return {
        columns: [t('insights.col.month'), t('insights.col.csat'), t('insights.col.scores')],
        rows: insights.monthly.map((row) => [month(row), row.csat === null ? '' : roundHalfEven(row.csat, 2).toFixed(2), String(row.csat_scores)]),
      };
  }
}

/** Every table the view offers as CSV: the charts' and the campaigns'. */
export type TableName = ChartName | 'campaigns';

/** The file name offered for a chart's CSV: "loupe-insights-segments-2026-01-01-2026-03-31.csv". */
export function tableFileName(chart: TableName, period: Period): string {
  return `loupe-insights-${chart}-${period.from}-${period.to}.csv`;
}

// ---- campaigns and other marketing spend ----

const inPeriod = (day: string, period: Period) => day >= period.from && day <= period.to;

/** The campaigns whose day falls in the period (both ends included), newest first as the core gives them. */
export function campaignsInPeriod(results: CampaignResult[], period: Period): CampaignResult[] {
  return results.filter((result) => inPeriod(result.run_on, period));
}

/** The other marketing expenses dated in the period, newest first as the core gives them. */
export function expensesInPeriod(expenses: Expense[], period: Period): Expense[] {
  return expenses.filter((expense) => inPeriod(expense.spent_on, period));
}

/** What the expenses add up to, exactly. */
export function expensesTotal(expenses: Expense[]): string {
  return expenses.reduce((sum, expense) => sum.plus(expense.amount), new Big(0)).toFixed();
}

/** A campaign's or an expense's day as typed, or what is wrong with it. */
export function readMarketingDay(value: string | null): { day: string } | { problem: string } {
  if (!value) return { problem: t('insights.dialog.dayMissing') };
  if (!ISO_DAY.test(value) || !isDay(value)) return { problem: t('problem.not_a_date', { value }) };
  return { day: value };
}

/** A cost or an amount as dealers type it ("£1,200"), plain for the core, or what is wrong with it. */
export function readMarketingAmount(text: string): { amount: string } | { problem: string } {
  if (text.trim() === '') return { problem: t('insights.dialog.amountMissing') };
  const read = readAmount(text);
  return 'amount' in read ? read : { problem: t('entry.err.amount') };
}

/** Money for a spreadsheet: a plain decimal to the currency's minor unit, half to even ("33.33"). */
function plainMoney(amount: string, currency: string): string {
  const places = minorDigits(currency);
  return roundHalfEven(amount, places).toFixed(places);
}

/**
 * The campaigns' numbers as a table: name, channel, day, cost, targeted, responded, response
 * rate (a percentage to one decimal), revenue from responders and cost per order, each rounded
 * half to even; a rate or cost per order resting on nothing is left blank.
 */
export function campaignTable(results: CampaignResult[], currency: string): CsvTable {
  return {
    columns: [
      t('insights.col.campaign'),
      t('insights.col.channel'),
      t('insights.col.day'),
      t('insights.col.cost', { currency }),
      t('insights.col.targeted'),
      t('insights.col.responded'),
      t('insights.col.responseRate'),
      t('insights.col.unsubscribed'),
      t('insights.col.revenue', { currency }),
      t('insights.col.costPerOrder', { currency }),
    ],
    rows: results.map((campaign) => [
      campaign.name,
      t(`insights.channel.${campaign.channel}`),
      campaign.run_on,
      plainMoney(campaign.cost, currency),
      String(campaign.targeted),
      String(campaign.responded),
      campaign.response_rate === null ? '' : roundHalfEven(campaign.response_rate, 1).toFixed(1),
      String(campaign.unsubscribed),
      plainMoney(campaign.revenue, currency),
      campaign.cost_per_order === null ? '' : plainMoney(campaign.cost_per_order, currency),
    ]),
  };
}

