/**
 * How the dealer has set the customer page's timeline (the kinds and year shown, the years
 * opened or closed by hand), kept while they stay on that customer: adding or editing an
 * entry, editing the profile and coming back keep it; opening another customer starts afresh.
 */
import type { TimelineKind } from './timeline';

export interface TimelineView {
  kinds: TimelineKind[];
  year: number | null;
  /** Years opened (true) or closed (false) by hand; the others follow `openByDefault`. */
  opened: Record<number, boolean>;
}

let remembered: { customerId: number; view: TimelineView } | null = null;

/** The view of this customer's timeline: the one kept for them, or a fresh one showing everything. */
export function timelineView(customerId: number): TimelineView {
  if (remembered?.customerId !== customerId) {
    const view = $state<TimelineView>({ kinds: [], year: null, opened: {} });
    remembered = { customerId, view };
  }
  return remembered.view;
}

/** Drops the kept view, as if no customer had been opened yet (each test starts from nothing). */
export function forgetTimelineView(): void {
  remembered = null;
}
