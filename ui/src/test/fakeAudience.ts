/**
 * The fake backend's standing and audience: the default rules in a simplified form
 * (segment, value class, RFM bands, a named RFM group) computed for the whole book in one pass,
 * and the one function that says whether a customer is in an audience, used by the list, the
 * mailing selection, segment counts and saved segments alike (as the core's audience.rs).
 */
import Big from 'big.js';
import type { Customer } from '../lib/bindings/Customer';
import type { CustomerFilter } from '../lib/bindings/CustomerFilter';
import type { Influence } from '../lib/bindings/Influence';
import type { Purchase } from '../lib/bindings/Purchase';
import type { Rfm } from '../lib/bindings/Rfm';
import type { RfmGroup } from '../lib/bindings/RfmGroup';
import type { SatisfactionScore } from '../lib/bindings/SatisfactionScore';
import type { Segment } from '../lib/bindings/Segment';
import type { StandingRules } from '../lib/bindings/StandingRules';
import type { ValueClass } from '../lib/bindings/ValueClass';
import type { Wish } from '../lib/bindings/Wish';
import { sumAmounts } from '../lib/money';

export interface FakeStanding {
  segment: Segment;
  valueClass: ValueClass | null;
  rfm: Rfm | null;
  rfmGroup: RfmGroup | null;
  /** Book-currency lifetime spend, purchases in any currency, first and last purchase. */
  spend: string;
  purchases: number;
  firstPurchase: string | null;
  lastPurchase: string | null;
  /** Brands, materials and categories bought, lower case. */
  bought: string[];
}

export interface FakeBook {
  customers: Map<number, Customer>;
  purchases: Map<number, Purchase>;
  satisfaction: Map<number, SatisfactionScore>;
  wishes: Map<number, Wish>;
  currency: string;
  rules: StandingRules;
  today: string;
}

/** `today` moved back `months` calendar months (or forward `days` days when negative months are not enough). */
export function monthsBefore(today: string, months: number): string {
  const [y, m, d] = today.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export function daysBefore(today: string, days: number): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

function monthsBetween(from: string, to: string): number {
  const [y1, m1, d1] = from.split('-').map(Number);
  const [y2, m2, d2] = to.split('-').map(Number);
  return (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
}

/** The score 1–5 of a value against four ascending limits. */
function band(value: Big, limits: readonly (string | number)[], higherIsBetter: boolean): number {
  const reached = limits.filter((limit) => value.gte(new Big(limit))).length;
  return higherIsBetter ? 1 + reached : 5 - reached;
}

function rfmGroup({ r, f }: Rfm): RfmGroup {
  if (r >= 4 && f >= 4) return 'champions';
  if (r >= 3 && f >= 4) return 'loyal';
  if (r <= 2 && f >= 4) return 'cant_lose_them';
  if (r >= 4 && f >= 2) return 'potential_loyalist';
  if (r === 5) return 'recent';
  if (r === 4) return 'promising';
  if (r === 3 && f >= 2) return 'need_attention';
  if (r === 3) return 'about_to_sleep';
  if (r === 2) return 'hibernating';
  return 'lost';
}

/** Every customer's standing, by the book's rules, as of `today`. */
export function bookStanding(book: FakeBook): Map<number, FakeStanding> {
  const { rules, today } = book;
  const own = new Map<number, Purchase[]>();
  for (const p of book.purchases.values()) {
    const list = own.get(p.customer_id);
    if (list) list.push(p);
    else own.set(p.customer_id, [p]);
  }
  const latestScore = new Map<number, SatisfactionScore>();
  for (const s of book.satisfaction.values()) {
    const seen = latestScore.get(s.customer_id);
    if (!seen || s.scored_on > seen.scored_on) latestScore.set(s.customer_id, s);
  }
  const inBookCurrency = (p: Purchase) => (p.currency || book.currency) === book.currency;
  const vipFrom = monthsBefore(today, rules.vip_months);
  const valueFrom = monthsBefore(today, rules.value_months);
  const lapsedBefore = monthsBefore(today, rules.lapsed_after_months);
  const atRiskBefore = monthsBefore(today, rules.at_risk_after_months);
  const scoresFrom = monthsBefore(today, rules.low_score_months);
  const newFrom = daysBefore(today, rules.new_within_days);
  const windowSpend = new Map<number, Big>();
  const result = new Map<number, FakeStanding>();
  for (const c of book.customers.values()) {
    const purchases = own.get(c.id) ?? [];
    const dates = purchases.map((p) => p.purchased_on).sort();
    const first = dates[0] ?? null;
    const last = dates.at(-1) ?? null;
    const spend = sumAmounts(purchases.filter(inBookCurrency).map((p) => p.total));
    const recent = purchases.filter((p) => p.purchased_on >= vipFrom);
    const recentSpend = new Big(sumAmounts(recent.filter(inBookCurrency).map((p) => p.total)));
    const score = latestScore.get(c.id);
    let segment: Segment;
    if (!last) segment = 'prospect';
    else if (last < lapsedBefore) segment = 'lapsed';
    else if (last < atRiskBefore || (score && score.scored_on >= scoresFrom && score.score <= rules.low_score_max))
      segment = 'at_risk';
    else if (recentSpend.gte(new Big(rules.vip_min_spend)) || recent.length >= rules.vip_min_purchases) segment = 'vip';
    else if (first && first >= newFrom) segment = 'new';
    else segment = 'regular';
    let rfm: Rfm | null = null;
    if (last) {
      rfm = {
        r: band(new Big(Math.max(0, monthsBetween(last, today))), rules.recency_months, false),
        f: band(new Big(purchases.length), rules.frequency_purchases, true),
        m: band(new Big(spend), rules.monetary_spend, true),
      };
    }
    if (last) {
      windowSpend.set(c.id, new Big(sumAmounts(purchases.filter((p) => inBookCurrency(p) && p.purchased_on >= valueFrom).map((p) => p.total))));
    }
    const bought = purchases.flatMap((p) => p.items.flatMap((item) => [item.brand, item.material, item.category])).filter(Boolean);
    result.set(c.id, {
      segment,
      valueClass: null,
      rfm,
      rfmGroup: rfm ? rfmGroup(rfm) : null,
      spend,
      purchases: purchases.length,
      firstPurchase: first,
      lastPurchase: last,
      bought: bought.map((x) => x.toLowerCase()),
    });
  }
  // Value class: ranked by the window's spend; key while those before hold under key_percent of it.
  const ranked = [...windowSpend.entries()].sort(([a, x], [b, y]) => y.cmp(x) || a - b);
  const total = ranked.reduce((sum, [, spent]) => sum.plus(spent), new Big(0));
  let before = new Big(0);
  for (const [id, spent] of ranked) {
    const standing = result.get(id)!;
    if (spent.eq(0) || total.eq(0)) standing.valueClass = 'ordinary';
    else {
      const share = before.times(100).div(total);
      standing.valueClass = share.lt(rules.key_percent) ? 'key' : share.lt(rules.main_percent) ? 'main' : 'ordinary';
    }
    before = before.plus(spent);
  }
  return result;
}

/** What the fake needs to read an audience beyond the standing: saved segments and the search. */
export interface AudienceContext {
  book: FakeBook;
  standing: Map<number, FakeStanding>;
  savedFilter: (id: number) => CustomerFilter | undefined;
  searchMatches: (text: string) => Set<number>;
}

const lower = (s: string) => s.toLowerCase();

/** Whether `c` is in the audience: every part in use applies (the core's one WHERE clause). */
export function inAudience(c: Customer, filter: CustomerFilter, ctx: AudienceContext, depth = 0): boolean {
  const s = ctx.standing.get(c.id)!;
  if (filter.search && !ctx.searchMatches(filter.search).has(c.id)) return false;
  if (filter.customer_type && c.customer_type !== filter.customer_type) return false;
  const tags = c.tags.map(lower);
  if (!filter.tags.every((tag) => tags.includes(lower(tag)))) return false;
  if (filter.language && !(c.language === filter.language || c.language.startsWith(filter.language + '-'))) return false;
  if (filter.min_spend !== null && new Big(s.spend).lt(new Big(filter.min_spend))) return false;
  if (filter.max_spend !== null && new Big(s.spend).gt(new Big(filter.max_spend))) return false;
  if (filter.bought_since && !(s.lastPurchase && s.lastPurchase >= filter.bought_since)) return false;
  if (filter.bought_until) {
    const since = filter.bought_since ?? '';
    const until = filter.bought_until;
    if (![...ctx.book.purchases.values()].some((p) => p.customer_id === c.id && since <= p.purchased_on && p.purchased_on <= until)) return false;
  }
  if (filter.not_bought_since && s.lastPurchase && s.lastPurchase >= filter.not_bought_since) return false;
  if (filter.brand) {
    const brand = lower(filter.brand);
    const bought = [...ctx.book.purchases.values()].some((p) => p.customer_id === c.id && p.items.some((item) => lower(item.brand) === brand));
    const wished = [...ctx.book.wishes.values()].some((w) => w.customer_id === c.id && lower(w.brand) === brand);
    if (!bought && !wished) return false;
  }
  if (filter.segments.length > 0 && !filter.segments.includes(s.segment)) return false;
  if (filter.value_classes.length > 0 && !(s.valueClass && filter.value_classes.includes(s.valueClass))) return false;
  if (filter.rfm_groups.length > 0 && !(s.rfmGroup && filter.rfm_groups.includes(s.rfmGroup))) return false;
  if (filter.min_rfm) {
    const min = filter.min_rfm;
    if (!s.rfm || s.rfm.r < min.r || s.rfm.f < min.f || s.rfm.m < min.m) return false;
  }
  if (filter.influence.length > 0 && !filter.influence.includes(c.influence)) return false;
  if (filter.likes) {
    const like = lower(filter.likes.trim());
    const said = [...c.preferences.brands, ...c.preferences.styles, ...c.preferences.materials].map(lower);
    if (![...said, ...s.bought].some((x) => x.includes(like))) return false;
  }
  if (filter.saved_segment !== null) {
    const saved = ctx.savedFilter(filter.saved_segment);
    if (!saved || depth > 4 || !inAudience(c, saved, ctx, depth + 1)) return false;
  }
  return true;
}

/** Ascending ranks for the list's standing sorts. */
export const SEGMENT_RANK: Record<Segment, number> = { vip: 0, regular: 1, new: 2, at_risk: 3, lapsed: 4, prospect: 5 };
export const VALUE_CLASS_RANK: Record<ValueClass, number> = { key: 0, main: 1, ordinary: 2 };
export const INFLUENCE_RANK: Record<Influence, number> = { none: 0, reviewer: 1, trade_professional: 2, public_figure: 3 };
