/**
 * A customer's membership in words, for their page: why they hold their tier, what the next
 * one asks, each line of their points ledger and each rise or fall of their tier on the
 * timeline. Amounts are in the book's currency (`format.ts`), numbers grouped as the UI
 * language groups them.
 */
import Big from 'big.js';
import type { NextTier } from './bindings/NextTier';
import type { PointsEntry } from './bindings/PointsEntry';
import type { Tier } from './bindings/Tier';
import type { TierChange } from './bindings/TierChange';
import type { TierReason } from './bindings/TierReason';
import { formatAmount, formatCount, formatMoney, formatShortDate } from './format';
import { t } from './i18n/index.svelte';
import { tierName } from './membership';

/** "+915", "−5,000" (a true minus sign, as amounts are written), "0". */
export function signedPoints(points: number): string {
  if (points === 0) return formatCount(0);
  return `${points > 0 ? '+' : '−'}${formatCount(Math.abs(points))}`;
}

/** "15 %" with the percentage as the UI language writes numbers ("12.5 %"). */
export function percentText(percent: string): string {
  return t('membership.card.percent', { percent: formatCount(Number(percent)) });
}

/** "in the last 12 months", "ever". */
function windowText(months: number | null): string {
  return months === null ? t('membership.card.window.ever') : t('membership.card.window', { count: months });
}

/**
 * Why a customer qualified: the spend, or the purchases, whichever the tier asks and they met
 * (the spend when they met both). Without the tier's rule (a tier removed since) both are said.
 */
function qualifiedText(reason: Extract<TierReason, { kind: 'qualified' }>, tier: Tier | undefined, currency: string): string {
  const window = windowText(reason.window_months);
  const spent = t('membership.card.reason.spent', { amount: formatMoney(reason.spend, currency), window });
  const bought = t('membership.card.reason.purchases', { count: reason.purchases, window });
  const metSpend = tier?.min_spend != null && new Big(reason.spend).gte(tier.min_spend);
  const metPurchases = tier?.min_purchases != null && reason.purchases >= tier.min_purchases;
  if (metSpend) return spent;
  if (metPurchases) return bought;
  return t('membership.card.reason.both', { spent, bought });
}

/** Why a customer holds their tier (the card) or why it changed (the timeline). */
export function reasonText(reason: TierReason, tier: Tier | undefined, currency: string): string {
  switch (reason.kind) {
    case 'qualified':
      return qualifiedText(reason, tier, currency);
    case 'kept':
      return t('membership.card.reason.kept', {
        last: formatShortDate(reason.last_qualified),
        until: formatShortDate(reason.keeps_until),
      });
    case 'grace_ended':
      return t('membership.card.reason.graceEnded', { until: formatShortDate(reason.kept_until) });
    case 'corrected':
      return t('membership.card.reason.corrected');
  }
}

/** Whole months from `from` to `to` ("YYYY-MM-DD"), counting a month only once its day is reached. */
export function wholeMonthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

/**
 * What the next tier asks, as the dealer says it at the counter: "£7,600 more in the next 4
 * months for Gold". `before` is the day the oldest purchase counted leaves the window (the amount
 * needed grows then): two months or more ahead it is said in whole months, rounded down so the
 * promise holds; closer, as the date itself.
 */
export function nextTierText(next: NextTier, currency: string, today: string): string {
  const spend = next.spend_needed === null ? null : t('membership.card.next.spend', { amount: formatMoney(next.spend_needed, currency) });
  const purchases = next.purchases_needed === null ? null : t('membership.card.next.purchases', { count: next.purchases_needed });
  const need = spend && purchases ? t('membership.card.next.either', { spend, purchases }) : (spend ?? purchases ?? '');
  const tier = tierName(next.tier);
  if (next.before === null) return t('membership.card.next.plain', { need, tier });
  const months = wholeMonthsBetween(today, next.before);
  if (months >= 2) return t('membership.card.next.within', { need, months: formatCount(months), tier });
  return t('membership.card.next.before', { need, date: formatShortDate(next.before), tier });
}

/**
 * How far the customer is towards the next tier, 0 to 1: of its spend or of its purchases,
 * whichever they are nearer; null without the tier's rule to measure against.
 */
export function nextTierProgress(next: NextTier, tier: Tier | undefined): number | null {
  if (!tier) return null;
  const shares: number[] = [];
  if (next.spend_needed !== null && tier.min_spend !== null && new Big(tier.min_spend).gt(0)) {
    const done = new Big(tier.min_spend).minus(next.spend_needed).div(tier.min_spend);
    shares.push(Number(done.toFixed(4)));
  }
  if (next.purchases_needed !== null && tier.min_purchases) {
    shares.push((tier.min_purchases - next.purchases_needed) / tier.min_purchases);
  }
  if (shares.length === 0) return null;
  return Math.min(1, Math.max(0, ...shares));
}

/** "Upgraded to Gold", "Stepped down to Silver", "No longer a member". */
export function tierChangeTitle(change: TierChange): string {
  if (change.to === null) return t('tierChange.left');
  return t(change.upgrade ? 'tierChange.upgraded' : 'tierChange.steppedDown', { tier: tierName(change.to) });
}

/**
 * What moved the points on a ledger line, without its sale's link (the card makes "on a sale"
 * a link to the sale): "Adjusted: birthday gift", "Referral bonus: referred Grace Wilson".
 */
export function pointsEntryText(entry: PointsEntry): string {
  const reason = entry.reason.trim();
  switch (entry.kind) {
    case 'earn':
      return t('points.kind.earn');
    case 'redeem':
      if (entry.purchase_id !== null) return t('points.kind.redeemOnSale');
      return reason ? t('points.kind.redeemWhy', { reason }) : t('points.kind.redeem');
    case 'adjust':
      return reason ? t('points.kind.adjustWhy', { reason }) : t('points.kind.adjust');
    case 'expire':
      return t('points.kind.expire');
    case 'referral':
      return entry.referred_name === null
        ? t('points.kind.referralErased')
        : t('points.kind.referral', { name: entry.referred_name });
  }
}

/** "−£50.00": what points redeemed took off a sale. */
export function redeemedValueText(value: string, currency: string): string {
  return `−${formatAmount(value, currency)}`;
}
