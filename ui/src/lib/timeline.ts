/**
 * The customer page's timeline: purchases, notes, interactions, wishes and scores merged
 * into one list with the records merged into the customer, the moves of their standing and the
 * rises and falls of their membership tier, newest first by the date the dealer gave each entry
 * (a merge: the day it was made; a move or a tier change: the day it happened), ties by the time
 * it was written (newest first), then by id.
 */
import type { CustomerStory } from './bindings/CustomerStory';
import type { EntryKind } from './bindings/EntryKind';
import type { Interaction } from './bindings/Interaction';
import type { MergeRecord } from './bindings/MergeRecord';
import type { Note } from './bindings/Note';
import type { Purchase } from './bindings/Purchase';
import type { SatisfactionScore } from './bindings/SatisfactionScore';
import type { StandingChange } from './bindings/StandingChange';
import type { TierChange } from './bindings/TierChange';
import type { Wish } from './bindings/Wish';
import { todayIso } from './format';
import { sumAmounts } from './money';

interface Base {
  id: number;
  /** "YYYY-MM-DD": purchased_on, noted_on, occurred_on, requested_on or scored_on. */
  date: string;
  created_at: string;
}

export type TimelineItem =
  | (Base & { kind: 'purchase'; entry: Purchase })
  | (Base & { kind: 'note'; entry: Note })
  | (Base & { kind: 'interaction'; entry: Interaction })
  | (Base & { kind: 'wish'; entry: Wish })
  | (Base & { kind: 'satisfaction'; entry: SatisfactionScore });

/** A record merged into the customer: a line of the timeline, but no entry (no kind chip, no edit, no delete). */
export type MergeItem = Base & { kind: 'merge'; entry: MergeRecord };

/** A move of the customer's segment or value class: a line the book wrote, never edited. */
export type StandingItem = Base & { kind: 'standing'; entry: StandingChange };

/** A rise or fall of the customer's membership tier: a line the book wrote, never edited. */
export type TierItem = Base & { kind: 'tier'; entry: TierChange };

/** A line of the timeline: an entry, a merge, a move of the standing or a change of tier. */
export type TimelineLine = TimelineItem | MergeItem | StandingItem | TierItem;

/** The lines the book wrote by itself from what happened (never the dealer's entry, never edited). */
export const isBookLine = (item: TimelineLine): item is StandingItem | TierItem => item.kind === 'standing' || item.kind === 'tier';

export const ENTRY_KINDS: readonly EntryKind[] = ['purchase', 'note', 'interaction', 'wish', 'satisfaction'];

/** What the timeline's filter chips choose among: the entries' kinds and the standing's moves. */
export type TimelineKind = EntryKind | 'standing';
export const TIMELINE_KINDS: readonly TimelineKind[] = [...ENTRY_KINDS, 'standing'];

/**
 * The chip a line is filtered under; a merge has none (it shows with every kind). A change of
 * tier goes under the standing's chip rather than one of its own: like a move of the segment it
 * is where the customer stands, seen by the book from their sales (the same sale often makes
 * them VIP and Gold, and the two lines read together); and the filter bar stays the same whether
 * the membership programme is on or off, where a chip of its own would show an empty, disabled
 * "Membership" to a dealer who switched it off.
 */
export function chipOf(item: TimelineLine): TimelineKind | null {
  if (item.kind === 'merge') return null;
  return item.kind === 'tier' ? 'standing' : item.kind;
}

type StoryLists = Pick<CustomerStory, 'purchases' | 'notes' | 'interactions' | 'wishes' | 'satisfaction'> &
  Partial<Pick<CustomerStory, 'merges' | 'standing_changes' | 'tier_changes'>>;

export function mergeTimeline(story: StoryLists): TimelineLine[] {
  const items: TimelineLine[] = [
    ...story.purchases.map((e) => ({ kind: 'purchase' as const, id: e.id, date: e.purchased_on, created_at: e.created_at, entry: e })),
    ...story.notes.map((e) => ({ kind: 'note' as const, id: e.id, date: e.noted_on, created_at: e.created_at, entry: e })),
    ...story.interactions.map((e) => ({
      kind: 'interaction' as const,
      id: e.id,
      date: e.occurred_on,
      created_at: e.created_at,
      entry: e,
    })),
    ...story.wishes.map((e) => ({ kind: 'wish' as const, id: e.id, date: e.requested_on, created_at: e.created_at, entry: e })),
    ...story.satisfaction.map((e) => ({
      kind: 'satisfaction' as const,
      id: e.id,
      date: e.scored_on,
      created_at: e.created_at,
      entry: e,
    })),
    ...(story.merges ?? []).map((e) => ({
      kind: 'merge' as const,
      id: e.id,
      date: todayIso(new Date(e.merged_at)),
      created_at: e.merged_at,
      entry: e,
    })),
    ...(story.standing_changes ?? []).map((e) => ({
      kind: 'standing' as const,
      id: e.id,
      date: e.changed_on,
      created_at: e.changed_on,
      entry: e,
    })),
    ...(story.tier_changes ?? []).map((e) => ({
      kind: 'tier' as const,
      id: e.id,
      date: e.changed_on,
      created_at: e.changed_on,
      entry: e,
    })),
  ];
  return items.sort(newestFirst);
}

function newestFirst(a: TimelineLine, b: TimelineLine): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  // A move or a change of tier is seen after what caused it that day (the sale, the score): it reads above it.
  if (isBookLine(a) !== isBookLine(b)) return isBookLine(a) ? -1 : 1;
  const ta = Date.parse(a.created_at);
  const tb = Date.parse(b.created_at);
  if (ta !== tb && !Number.isNaN(ta) && !Number.isNaN(tb)) return tb - ta;
  return b.id - a.id;
}

export interface TimelineGroup {
  /** "2026-03" */
  key: string;
  year: number;
  month: number;
  items: TimelineLine[];
}

/** Consecutive items of the same month, in the order given. */
export function groupByMonth(items: readonly TimelineLine[]): TimelineGroup[] {
  const groups: TimelineGroup[] = [];
  for (const item of items) {
    const key = item.date.slice(0, 7);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.items.push(item);
    else groups.push({ key, year: Number(key.slice(0, 4)), month: Number(key.slice(5, 7)), items: [item] });
  }
  return groups;
}

/** What the dealer narrowed the timeline to: some kinds (none chosen: every kind) and one year or all. */
export interface TimelineFilter {
  kinds: readonly TimelineKind[];
  year: number | null;
}

export const yearOf = (item: TimelineLine): number => Number(item.date.slice(0, 4));

/** A merge shows with every kind, never under a kind's chip; a move of the standing and a change of tier have the standing's chip. */
const kindMatches = (filter: TimelineFilter, item: TimelineLine) => {
  if (filter.kinds.length === 0) return true;
  const chip = chipOf(item);
  return chip !== null && filter.kinds.includes(chip);
};
const yearMatches = (filter: TimelineFilter, item: TimelineLine) => filter.year === null || yearOf(item) === filter.year;

export function filterTimeline(items: readonly TimelineLine[], filter: TimelineFilter): TimelineLine[] {
  return items.filter((item) => kindMatches(filter, item) && yearMatches(filter, item));
}

/** Entries of each kind in the chosen year (or all years): the numbers on the kind chips. */
export function countByKind(items: readonly TimelineLine[], year: number | null): Record<TimelineKind, number> {
  const counts: Record<TimelineKind, number> = { purchase: 0, note: 0, interaction: 0, wish: 0, satisfaction: 0, standing: 0 };
  for (const item of items) {
    const chip = chipOf(item);
    if (chip !== null && (year === null || yearOf(item) === year)) counts[chip] += 1;
  }
  return counts;
}

/** Every year holding an entry of the chosen kinds, newest first, with how many: the year choices. */
export function countByYear(items: readonly TimelineLine[], kinds: readonly TimelineKind[]): { year: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const item of items) {
    const chip = chipOf(item);
    if (kinds.length && (chip === null || !kinds.includes(chip))) continue;
    const year = yearOf(item);
    counts.set(year, (counts.get(year) ?? 0) + 1);
  }
  return [...counts].map(([year, count]) => ({ year, count })).sort((a, b) => b.year - a.year);
}

/** What a year's heading says, open or closed: its entries and what was sold in each currency. */
export interface YearSummary {
  count: number;
  sales: number;
  /** Sales totals per currency, the book's currency first. */
  spent: { currency: string; total: string }[];
}

function summarise(items: readonly TimelineLine[], bookCurrency: string): YearSummary {
  const byCurrency = new Map<string, string[]>();
  let sales = 0;
  for (const item of items) {
    if (item.kind !== 'purchase') continue;
    sales += 1;
    const currency = item.entry.currency || bookCurrency;
    byCurrency.set(currency, [...(byCurrency.get(currency) ?? []), item.entry.total]);
  }
  const spent = [...byCurrency]
    .map(([currency, totals]) => ({ currency, total: sumAmounts(totals) }))
    .sort((a, b) => Number(b.currency === bookCurrency) - Number(a.currency === bookCurrency) || a.currency.localeCompare(b.currency));
  return { count: items.length, sales, spent };
}

/**
 * A story up to this many entries (after filtering) shows every year open: it reads in one
 * go, and a filter that leaves a few entries spread over many years shows them all at once.
 */
export const SHORT_STORY = 30;

/**
 * Whether a year starts open: every year of a short story; in a long one the current and the
 * last year, and the newest year with entries (a customer last seen years ago still shows
 * their latest visit), and the year the dealer chose in the filter.
 */
export function openByDefault(year: number, context: { currentYear: number; newestYear: number; shown: number; chosenYear: number | null }): boolean {
  return (
    context.shown <= SHORT_STORY ||
    year >= context.currentYear - 1 ||
    year === context.newestYear ||
    year === context.chosenYear
  );
}

/** One row of the virtualised timeline: a year's heading, a month's heading in an open year, or an entry. */
export type TimelineRow =
  | { type: 'year'; key: string; year: number; open: boolean; summary: YearSummary }
  | { type: 'month'; key: string; year: number; month: number }
  | { type: 'entry'; key: string; item: TimelineLine };

/**
 * The filtered entries as rows, newest first: each year's heading, then (when the year is
 * open) its months' headings and entries. `opened` holds the years the dealer opened or
 * closed by hand; other years follow `openByDefault`.
 */
export function timelineRows(
  items: readonly TimelineLine[],
  filter: TimelineFilter,
  opened: Readonly<Record<number, boolean>>,
  context: { currentYear: number; bookCurrency: string },
): TimelineRow[] {
  const shown = filterTimeline(items, filter);
  const years: { year: number; items: TimelineLine[] }[] = [];
  for (const item of shown) {
    const year = yearOf(item);
    const last = years[years.length - 1];
    if (last && last.year === year) last.items.push(item);
    else years.push({ year, items: [item] });
  }
  const newestYear = years[0]?.year ?? context.currentYear;
  const rows: TimelineRow[] = [];
  for (const y of years) {
    const open =
      opened[y.year] ??
      openByDefault(y.year, { currentYear: context.currentYear, newestYear, shown: shown.length, chosenYear: filter.year });
    rows.push({ type: 'year', key: `y${y.year}`, year: y.year, open, summary: summarise(y.items, context.bookCurrency) });
    if (!open) continue;
    for (const g of groupByMonth(y.items)) {
      rows.push({ type: 'month', key: `m${g.key}`, year: g.year, month: g.month });
      for (const item of g.items) rows.push({ type: 'entry', key: `${item.kind}-${item.id}`, item });
    }
  }
  return rows;
}
