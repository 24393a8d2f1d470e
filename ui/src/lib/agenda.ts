/**
 * The follow-up agenda in the window: the rules' defaults as the core has them, and each
 * reminder worded in the window's language from its reason (the core keeps the reason, not
 * words, so a reminder reads in whichever language the window is in).
 */
import type { FollowUpRules } from './bindings/FollowUpRules';
import type { PieceLabel } from './bindings/PieceLabel';
import type { Reminder } from './bindings/Reminder';
import type { ReminderReason } from './bindings/ReminderReason';
import { formatCount, formatShortDate, formatYear } from './format';
import { t } from './i18n/index.svelte';
import { tierName } from './membership';

/** The core's default rules (`FollowUpRules::default`). */
export function defaultFollowUpRules(): FollowUpRules {
  return {
    after_sale: true,
    after_sale_days: 7,
    check_in: true,
    check_in_days: 90,
    check_in_min_total: '5000',
    birthdays: true,
    anniversaries: true,
    leap_day: 'february28',
    key_visits: true,
    key_visit_days: 60,
    re_engagement: true,
    service: true,
    service_years: 5,
    service_brands: [
      { brand: 'Rolex', years: 10 },
      { brand: 'Tudor', years: 10 },
      { brand: 'Omega', years: 8 },
    ],
    care: true,
    tier_upgrades: true,
    give_back: true,
  };
}

/** A piece as the agenda names it: brand and model, else the category's name ("Ring"). */
export function pieceLabel(piece: PieceLabel): string {
  const named = [piece.brand.trim(), piece.model.trim()].filter(Boolean).join(' ');
  return named || t(`category.${piece.category}`);
}

/** The pieces of a sale: the first two named, the rest counted ("Rolex Submariner, Ring and 2 more"). */
function piecesLabel(pieces: readonly PieceLabel[]): string {
  const named = pieces.slice(0, 2).map(pieceLabel).join(t('agenda.piece.separator'));
  const rest = pieces.length - 2;
  return rest > 0 ? t('agenda.piece.more', { pieces: named, count: rest }) : named;
}

/** Whole days from `from` to `to` (both "YYYY-MM-DD"); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const day = (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((day(to) - day(from)) / 86_400_000);
}

/** `iso` moved by `days` ("YYYY-MM-DD"). */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The day a reminder shows on: the day it was snoozed to, else its due day. */
export function shownOn(reminder: Reminder): string {
  return reminder.snoozed_until ?? reminder.due_on;
}

/** "2026-Q4" → "Q4 2026" / "2026年第4季度"; anything else as it is. */
export function quarterLabel(quarter: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  return m ? t('agenda.quarter.label', { year: m[1], quarter: m[2] }) : quarter;
}

/** The wording's parts of a sale's reminder: its day and its pieces. */
function saleParts(reason: Extract<ReminderReason, { kind: 'sale' }>) {
  return { date: formatShortDate(reason.purchased_on), pieces: piecesLabel(reason.pieces) };
}

/**
 * A reminder in the window's language: the title the dealer typed, else its rule's reason worded
 * ("Follow up on the sale of 12 Nov 2026: Rolex Submariner", "Birthday (turns 40)").
 */
export function reminderTitle(reminder: Reminder): string {
  if (reminder.title.trim()) return reminder.title.trim();
  const reason = reminder.reason;
  switch (reason.kind) {
    case 'sale': {
      const parts = saleParts(reason);
      const plain = parts.pieces === '';
      if (reminder.kind === 'check_in') {
        const days = daysBetween(reason.purchased_on, reminder.due_on);
        return t(plain ? 'agenda.title.checkInPlain' : 'agenda.title.checkIn', { ...parts, count: days });
      }
      return t(plain ? 'agenda.title.followUpPlain' : 'agenda.title.followUp', parts);
    }
    case 'birthday':
      return reason.age === null ? t('agenda.title.birthday') : t('agenda.title.birthdayAge', { age: formatCount(reason.age) });
    case 'anniversary': {
      const label = reason.label.trim();
      if (reason.years === null) return label ? t('agenda.title.anniversary', { label }) : t('agenda.title.anniversaryPlain');
      return label
        ? t('agenda.title.anniversaryYears', { label, count: reason.years })
        : t('agenda.title.anniversaryYearsPlain', { count: reason.years });
    }
    case 'key_visit':
      return reason.last_contact === null
        ? t('agenda.title.keyVisitNever', { since: formatShortDate(reason.since) })
        : t('agenda.title.keyVisit', { date: formatShortDate(reason.last_contact) });
    case 're_engagement':
      return t('agenda.title.reEngagement', { date: formatShortDate(reason.since) });
    case 'service':
      return t('agenda.title.service', {
        piece: pieceLabel(reason.piece),
        year: formatYear(Number(reason.purchased_on.slice(0, 4))),
        years: formatCount(reason.years),
      });
    case 'care':
      return t('agenda.title.care', { tier: tierName(reason.tier) });
    case 'tier_upgrade':
      return t('agenda.title.tierUpgrade', { tier: tierName(reason.to) });
    case 'give_back':
      return t('agenda.title.giveBack', { quarter: quarterLabel(reason.quarter) });
    case 'arrival':
      return t('agenda.title.arrival', { piece: pieceLabel(reason.piece) });
    case 'manual':
      return t(`agenda.kind.${reminder.kind}`);
  }
}

/**
 * What the contact recorded on the timeline says when a reminder is done, in the window's
 * language: what was done rather than what was due ("After-sale follow-up: Rolex Submariner,
 * sold 12 Nov 2026"). A typed reminder's contact carries its title.
 */
export function contactSummary(reminder: Reminder): string {
  const reason = reminder.reason;
  if (reminder.title.trim()) return reminder.title.trim();
  switch (reason.kind) {
    case 'sale': {
      const parts = saleParts(reason);
      const key = reminder.kind === 'check_in' ? 'agenda.summary.checkIn' : 'agenda.summary.followUp';
      return parts.pieces ? t(key, parts) : t(`${key}Plain`, parts);
    }
    case 'birthday':
      return t('agenda.summary.birthday');
    case 'anniversary':
      return reason.label.trim() ? t('agenda.summary.anniversary', { label: reason.label.trim() }) : t('agenda.summary.anniversaryPlain');
    case 'key_visit':
      return t('agenda.summary.keyVisit');
    case 're_engagement':
      return t('agenda.summary.reEngagement', { date: formatShortDate(reason.since) });
    case 'service':
      return t('agenda.summary.service', { piece: pieceLabel(reason.piece) });
    case 'care':
      return t('agenda.summary.care', { tier: tierName(reason.tier) });
    case 'tier_upgrade':
      return t('agenda.summary.tierUpgrade', { tier: tierName(reason.to) });
    case 'give_back':
      return t('agenda.summary.giveBack', { quarter: quarterLabel(reason.quarter) });
    case 'arrival':
      return t('agenda.summary.arrival', { piece: pieceLabel(reason.piece) });
    case 'manual':
      return reminderTitle(reminder);
  }
}

/**
 * When a reminder is due, seen from `today`: "3 days overdue", "Today", "Tomorrow", else the day
 * ("Thu 17 Dec 2026").
 */
export function dueText(reminder: Reminder, today: string): string {
  // The quarter's give-back is for any day of the quarter: never overdue, gone at its end.
  if (reminder.kind === 'give_back' && !reminder.snoozed_until && reminder.expires_on) {
    return t('agenda.due.untilQuarterEnd', { date: formatShortDate(reminder.expires_on) });
  }
  const day = shownOn(reminder);
  const ahead = daysBetween(today, day);
  if (ahead < 0) return t('agenda.due.overdue', { count: -ahead });
  if (ahead === 0) return t('agenda.due.today');
  if (ahead === 1) return t('agenda.due.tomorrow');
  return formatShortDate(day);
}
