/**
 * The fake backend's standing: the core's rules (seed 000's segments, seed 003's value classes,
 * RFM bands) applied to the fake's purchases and scores, so a test's story carries a realistic
 * standing with reasons of every kind. Plain dates and Big amounts, as the core does it.
 */
import Big from 'big.js';
import type { Influence } from '../lib/bindings/Influence';
import type { ItemCategory } from '../lib/bindings/ItemCategory';
import type { Purchase } from '../lib/bindings/Purchase';
import type { Rfm } from '../lib/bindings/Rfm';
import type { RfmGroup } from '../lib/bindings/RfmGroup';
import type { SatisfactionScore } from '../lib/bindings/SatisfactionScore';
import type { Standing } from '../lib/bindings/Standing';
import type { StandingReason } from '../lib/bindings/StandingReason';
import type { StandingRules } from '../lib/bindings/StandingRules';
import type { ValueClass } from '../lib/bindings/ValueClass';
import { sumAmounts } from '../lib/money';

/** "YYYY-MM-DD" minus whole calendar months (the day kept, or the month's last). */
export function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

function daysBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole calendar months from `from` to `to`. */
function monthsBetween(from: string, to: string): number {
  let n = 0;
  while (monthsBefore(to, n + 1) >= from) n += 1;
  return n;
}

function mostOf<K>(values: K[]): K | null {
  const counts = new Map<K, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** First band limit reached, counted up: scores 1 below limits[0], 2 from it, … 5 from limits[3]. */
const upScore = (value: Big, limits: readonly string[]) => 1 + limits.filter((l) => value.gte(l)).length;

function rfmGroup({ r, f, m }: Rfm): RfmGroup {
  if (r >= 4 && f >= 4 && m >= 4) return 'champions';
  if (f >= 4) return r >= 3 ? 'loyal' : 'cant_lose_them';
  if (r >= 4 && f >= 2) return 'potential_loyalist';
  if (r >= 4) return 'recent';
  if (r === 3) return f >= 2 ? 'need_attention' : 'promising';
  if (r === 2) return 'about_to_sleep';
  return f >= 2 ? 'hibernating' : 'lost';
}

export interface StandingInput {
  customerId: number;
  influence: Influence;
  rules: StandingRules;
  today: string;
  /** Every sale of the book in its currency (the value class ranks everyone). */
  bookPurchases: Purchase[];
  scores: SatisfactionScore[];
}

export function computeStanding({ customerId, influence, rules, today, bookPurchases, scores }: StandingInput): Standing {
  const own = bookPurchases.filter((p) => p.customer_id === customerId).sort((a, b) => a.purchased_on.localeCompare(b.purchased_on));
  const items = own.flatMap((p) => p.items);
  const base = {
    influence,
    evaluated_on: today,
    bought_most: {
      category: mostOf<ItemCategory>(items.map((i) => i.category)),
      material: mostOf(items.map((i) => i.material).filter(Boolean)),
      brand: mostOf(items.map((i) => i.brand).filter(Boolean)),
    },
  };
  if (own.length === 0) {
    return { ...base, segment: 'prospect', value_class: null, rfm: null, rfm_group: null, reasons: [{ kind: 'never_bought' }] };
  }
  const first = own[0].purchased_on;
  const last = own[own.length - 1].purchased_on;
  const vipWindow = own.filter((p) => p.purchased_on >= monthsBefore(today, rules.vip_months));
  const vipSpent = sumAmounts(vipWindow.map((p) => p.total));
  const lowScore = scores
    .filter((s) => s.scored_on >= monthsBefore(today, rules.low_score_months))
    .sort((a, b) => b.scored_on.localeCompare(a.scored_on))[0];

  let segmentReason: StandingReason;
  if (last < monthsBefore(today, rules.lapsed_after_months)) {
    segmentReason = { kind: 'no_purchase_for', segment: 'lapsed', last_purchase: last, months: rules.lapsed_after_months };
  } else if (last < monthsBefore(today, rules.at_risk_after_months)) {
    segmentReason = { kind: 'no_purchase_for', segment: 'at_risk', last_purchase: last, months: rules.at_risk_after_months };
  } else if (lowScore && lowScore.score <= rules.low_score_max) {
    segmentReason = { kind: 'low_satisfaction', score: lowScore.score, scored_on: lowScore.scored_on, max_score: rules.low_score_max, months: rules.low_score_months };
  } else if (new Big(vipSpent).gte(rules.vip_min_spend)) {
    segmentReason = { kind: 'spent_at_least', spent: vipSpent, threshold: rules.vip_min_spend, months: rules.vip_months };
  } else if (vipWindow.length >= rules.vip_min_purchases) {
    segmentReason = { kind: 'bought_at_least', purchases: vipWindow.length, threshold: rules.vip_min_purchases, months: rules.vip_months };
  } else if (first >= daysBefore(today, rules.new_within_days)) {
    segmentReason = { kind: 'first_purchase_within', first_purchase: first, days: rules.new_within_days };
  } else {
    segmentReason = { kind: 'regular', last_purchase: last, spent: vipSpent, purchases: vipWindow.length, months: rules.vip_months };
  }
  const segment =
    segmentReason.kind === 'no_purchase_for'
      ? segmentReason.segment
      : segmentReason.kind === 'low_satisfaction'
        ? 'at_risk'
        : segmentReason.kind === 'spent_at_least' || segmentReason.kind === 'bought_at_least'
          ? 'vip'
          : segmentReason.kind === 'first_purchase_within'
            ? 'new'
            : 'regular';

  // Value class: everyone's spend in the window, ranked (ties by id).
  const since = monthsBefore(today, rules.value_months);
  const byCustomer = new Map<number, string[]>();
  for (const p of bookPurchases.filter((p) => p.purchased_on >= since)) byCustomer.set(p.customer_id, [...(byCustomer.get(p.customer_id) ?? []), p.total]);
  const ranked = [...byCustomer].map(([id, totals]) => ({ id, spent: new Big(sumAmounts(totals)) })).sort((a, b) => b.spent.cmp(a.spent) || a.id - b.id);
  const total = ranked.reduce((sum, r) => sum.plus(r.spent), new Big(0));
  let classReason: StandingReason;
  let valueClass: ValueClass;
  const at = ranked.findIndex((r) => r.id === customerId);
  if (at < 0) {
    valueClass = 'ordinary';
    classReason = { kind: 'nothing_in_window', months: rules.value_months };
  } else {
    const before = ranked.slice(0, at).reduce((sum, r) => sum.plus(r.spent), new Big(0));
    const share = total.gt(0) ? Number(before.times(100).div(total).round(0, Big.roundDown)) : 0;
    valueClass = share < rules.key_percent ? 'key' : share < rules.main_percent ? 'main' : 'ordinary';
    classReason = {
      kind: 'value_share',
      class: valueClass,
      spent: ranked[at].spent.toString(),
      months: rules.value_months,
      share_before_percent: share,
      key_percent: rules.key_percent,
      main_percent: rules.main_percent,
    };
  }

  const monthsSince = monthsBetween(last, today);
  const lifetime = sumAmounts(own.map((p) => p.total));
  const rfm: Rfm = {
    r: 5 - rules.recency_months.filter((limit) => monthsSince >= limit).length,
    f: upScore(new Big(own.length), rules.frequency_purchases.map(String)),
    m: upScore(new Big(lifetime), rules.monetary_spend),
  };
  return {
    ...base,
    segment,
    value_class: valueClass,
    rfm,
    rfm_group: rfmGroup(rfm),
    reasons: [
      segmentReason,
      classReason,
      { kind: 'rfm_scores', rfm, method: 'bands', months_since_last: monthsSince, purchases: own.length, spent: lifetime },
    ],
  };
}
