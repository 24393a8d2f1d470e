/**
 * The customer page's timeline: purchases, notes, interactions, wishes and scores merged
 * into one list, newest first by the date the dealer gave each entry, ties by the time it
 * was written (newest first), then by id.
 */
import type { CustomerStory } from './bindings/CustomerStory';
import type { EntryKind } from './bindings/EntryKind';
import type { Interaction } from './bindings/Interaction';
import type { Note } from './bindings/Note';
import type { Purchase } from './bindings/Purchase';
import type { SatisfactionScore } from './bindings/SatisfactionScore';
import type { Wish } from './bindings/Wish';

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

export const ENTRY_KINDS: readonly EntryKind[] = ['purchase', 'note', 'interaction', 'wish', 'satisfaction'];

type StoryLists = Pick<CustomerStory, 'purchases' | 'notes' | 'interactions' | 'wishes' | 'satisfaction'>;

export function mergeTimeline(story: StoryLists): TimelineItem[] {
  const items: TimelineItem[] = [
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
  ];
  return items.sort(newestFirst);
}

function newestFirst(a: TimelineItem, b: TimelineItem): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
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
  items: TimelineItem[];
}

/** Consecutive items of the same month, in the order given. */
export function groupByMonth(items: readonly TimelineItem[]): TimelineGroup[] {
  const groups: TimelineGroup[] = [];
  for (const item of items) {
    const key = item.date.slice(0, 7);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.items.push(item);
    else groups.push({ key, year: Number(key.slice(0, 4)), month: Number(key.slice(5, 7)), items: [item] });
  }
  return groups;
}
