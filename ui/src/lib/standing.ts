/**
 * Where a customer stands, in the dealer's words: each reason the core gives (`StandingReason`)
 * as one sentence in the window's language, the segments' tones (one place for every screen
 * that shows a segment), influence as stars, and the moves recorded on the timeline.
 */
import type { BoughtMost } from './bindings/BoughtMost';
import type { Influence } from './bindings/Influence';
import type { Rfm } from './bindings/Rfm';
import type { Segment } from './bindings/Segment';
import type { StandingMove } from './bindings/StandingMove';
import type { StandingReason } from './bindings/StandingReason';
import type { ValueClass } from './bindings/ValueClass';
import { formatAmount, formatMoney, formatShortDate } from './format';
import { t } from './i18n/index.svelte';

/** The segments in the order the rules check them (and every screen lists them). */
export const SEGMENTS: readonly Segment[] = ['prospect', 'lapsed', 'at_risk', 'vip', 'new', 'regular'];
export const VALUE_CLASSES: readonly ValueClass[] = ['key', 'main', 'ordinary'];
export const INFLUENCES: readonly Influence[] = ['none', 'reviewer', 'trade_professional', 'public_figure'];

/** A segment's colours, as CSS custom properties of the theme (light and dark alike). */
export interface Tone {
  bg: string;
  fg: string;
  border: string;
}

const TONES: Record<Segment, Tone> = {
  vip: { bg: 'var(--badge-collector-bg)', fg: 'var(--badge-collector-fg)', border: 'var(--badge-collector-border)' },
  regular: { bg: 'var(--badge-trade-bg)', fg: 'var(--badge-trade-fg)', border: 'var(--badge-trade-bg)' },
  new: { bg: 'var(--badge-retail-bg)', fg: 'var(--badge-retail-fg)', border: 'var(--badge-retail-bg)' },
  at_risk: { bg: 'var(--danger-bg)', fg: 'var(--danger-strong)', border: 'var(--danger-border)' },
  lapsed: { bg: 'var(--chip-bg)', fg: 'var(--text-muted)', border: 'var(--chip-bg)' },
  prospect: { bg: 'var(--surface)', fg: 'var(--text-soft)', border: 'var(--border-strong)' },
};

/** The colours a segment is shown in, wherever it is shown (a chip, a list cell, a count). */
export function segmentTone(segment: Segment): Tone {
  return TONES[segment];
}

/** The same tone as an inline style ("--tone-bg: …; …"), for a chip that reads `var(--tone-bg)`. */
export function toneStyle(segment: Segment): string {
  const tone = TONES[segment];
  return `--tone-bg: ${tone.bg}; --tone-fg: ${tone.fg}; --tone-border: ${tone.border}`;
}

/** Seed 004: a store reviewer ★★★, a trade professional ★★★★, a public figure ★★★★★. */
export function influenceStars(influence: Influence): number {
  switch (influence) {
    case 'reviewer':
      return 3;
    case 'trade_professional':
      return 4;
    case 'public_figure':
      return 5;
    default:
      return 0;
  }
}

/** "545": recency, frequency, monetary. */
export function rfmDigits(rfm: Rfm): string {
  return `${rfm.r}${rfm.f}${rfm.m}`;
}

const months = (count: number) => t('standing.months', { count });
const purchases = (count: number) => t('standing.purchases', { count });

/** How long ago, in whole months: "this month", "1 month ago", "14 months ago". */
function monthsAgo(count: number): string {
  return t('standing.monthsAgo', { count });
}

/** One reason in the dealer's words, amounts in the book's currency. */
export function reasonText(reason: StandingReason, currency: string): string {
  switch (reason.kind) {
    case 'never_bought':
      return t('standing.reason.neverBought');
    case 'no_purchase_for':
      return t('standing.reason.noPurchaseFor', {
        segment: t(`segment.${reason.segment}`),
        date: formatShortDate(reason.last_purchase),
        months: months(reason.months),
      });
    case 'low_satisfaction':
      return t('standing.reason.lowSatisfaction', {
        score: reason.score,
        date: formatShortDate(reason.scored_on),
        max: reason.max_score,
        months: months(reason.months),
      });
    case 'spent_at_least':
      return t('standing.reason.spentAtLeast', {
        spent: formatAmount(reason.spent, currency),
        threshold: formatAmount(reason.threshold, currency),
        months: months(reason.months),
      });
    case 'bought_at_least':
      return t('standing.reason.boughtAtLeast', {
        purchases: purchases(reason.purchases),
        threshold: reason.threshold,
        months: months(reason.months),
      });
    case 'first_purchase_within':
      return t('standing.reason.firstPurchaseWithin', {
        date: formatShortDate(reason.first_purchase),
        days: t('standing.days', { count: reason.days }),
      });
    case 'regular':
      return t('standing.reason.regular', {
        purchases: purchases(reason.purchases),
        spent: formatAmount(reason.spent, currency),
        months: months(reason.months),
        date: formatShortDate(reason.last_purchase),
      });
    case 'value_share':
      return t('standing.reason.valueShare', {
        class: t(`valueClass.${reason.class}`),
        spent: formatAmount(reason.spent, currency),
        months: months(reason.months),
        share: reason.share_before_percent,
        key: reason.key_percent,
        main: reason.main_percent,
      });
    case 'nothing_in_window':
      return t('standing.reason.nothingInWindow', { months: months(reason.months) });
    case 'rfm_scores':
      return t(reason.method === 'quintiles' ? 'standing.reason.rfmQuintiles' : 'standing.reason.rfmBands', {
        rfm: rfmDigits(reason.rfm),
        ago: monthsAgo(reason.months_since_last),
        purchases: purchases(reason.purchases),
        spent: formatMoney(reason.spent, currency),
      });
  }
}

/** Which part of the standing a reason explains: the segment, the value class or the RFM scores. */
export function reasonTopic(reason: StandingReason): 'segment' | 'value_class' | 'rfm' {
  switch (reason.kind) {
    case 'value_share':
    case 'nothing_in_window':
      return 'value_class';
    case 'rfm_scores':
      return 'rfm';
    default:
      return 'segment';
  }
}

/** The reasons of one part of the standing, worded. */
export function reasonsFor(reasons: readonly StandingReason[], topic: ReturnType<typeof reasonTopic>, currency: string): string[] {
  return reasons.filter((r) => reasonTopic(r) === topic).map((r) => reasonText(r, currency));
}

/** A move on the timeline: "Became VIP", "At risk → Regular", "Value class: Main → Key". */
export function moveText(move: StandingMove): string {
  if (move.kind === 'segment') {
    return move.from === null
      ? t('standing.move.became', { to: t(`segment.${move.to}`) })
      : t('standing.move.segment', { from: t(`segment.${move.from}`), to: t(`segment.${move.to}`) });
  }
  const name = (c: ValueClass | null) => (c === null ? t('standing.move.noClass') : t(`valueClass.${c}`));
  return move.from === null && move.to !== null
    ? t('standing.move.becameClass', { to: name(move.to) })
    : t('standing.move.valueClass', { from: name(move.from), to: name(move.to) });
}

/** What they buy most, "rings · 18k gold · Cartier", or '' when nothing is known. */
export function boughtMostText(bought: BoughtMost): string {
  return [bought.category ? t(`standing.category.${bought.category}`) : null, bought.material, bought.brand]
    .filter((part): part is string => Boolean(part))
    .join(' · ');
}

/** A piece of a sentence that holds inputs: text, or the name of the field standing in it. */
export type SentencePart = { text: string } | { field: string };

/**
 * A rule's sentence ("at least {vip_min_spend} spent…") cut at its fields, so the window can put
 * an input where each field stands, in whatever order the language puts them.
 */
export function sentenceParts(sentence: string): SentencePart[] {
  const parts: SentencePart[] = [];
  let at = 0;
  for (const m of sentence.matchAll(/\{([\w[\]]+)\}/g)) {
    if (m.index > at) parts.push({ text: sentence.slice(at, m.index) });
    parts.push({ field: m[1] });
    at = m.index + m[0].length;
  }
  if (at < sentence.length) parts.push({ text: sentence.slice(at) });
  return parts;
}
