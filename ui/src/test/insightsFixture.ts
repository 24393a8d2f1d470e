import type { CampaignChannel } from '../lib/bindings/CampaignChannel';
import type { CampaignResult } from '../lib/bindings/CampaignResult';
import type { Expense } from '../lib/bindings/Expense';
import type { Insights } from '../lib/bindings/Insights';
import type { PeriodFigures } from '../lib/bindings/PeriodFigures';

/** The figures of an empty period: every rate and mean none, as the core gives them. */
export function emptyFigures(from: string, to: string): PeriodFigures {
  return {
    from,
    to,
    revenue: '0',
    purchases: 0,
    buyers: 0,
    aov: null,
    frequency: null,
    lifespan_years: null,
    lifespan_customers: 0,
    clv: null,
    new_customers: 0,
    marketing_cost: '0',
    cac: null,
    retention_rate: null,
    retention_base: 0,
    retained: 0,
    returning_share: null,
    returning_buyers: 0,
    repeat_rate: null,
    repeat_customers: 0,
    customers_bought: 0,
    csat: null,
    csat_satisfied_share: null,
    csat_scores: 0,
    top20_share: null,
    top20_buyers: 0,
    other_currencies: [],
  };
}

/**
 * A small shop's first quarter of 2026 against the last of 2025, worked by hand: 21 sales of
 * £1,000 by 10 buyers (7 of them returning), 3 new customers, £600 of marketing.
 */
export function quarter(): Insights {
  return {
    currency: 'GBP',
    period: {
      from: '2026-01-01',
      to: '2026-03-31',
      revenue: '21000',
      purchases: 21,
      buyers: 10,
      aov: '1000',
      frequency: '8.5225',
      lifespan_years: '2.25',
      lifespan_customers: 8,
      clv: '19175.625',
      new_customers: 3,
      marketing_cost: '600',
      cac: '200',
      retention_rate: '62.5',
      retention_base: 8,
      retained: 5,
      returning_share: '70',
      returning_buyers: 7,
      repeat_rate: '66.666666666666666666666666667',
      repeat_customers: 8,
      customers_bought: 12,
      csat: '4.25',
      csat_satisfied_share: '75',
      csat_scores: 4,
      top20_share: '47.619047619047619047619047619',
      top20_buyers: 2,
      other_currencies: [{ currency: 'EUR', revenue: '2500', purchases: 1 }],
    },
    previous: {
      ...emptyFigures('2025-10-02', '2025-12-31'),
      revenue: '16800',
      purchases: 14,
      buyers: 8,
      aov: '1200',
      new_customers: 0,
      marketing_cost: '0',
      retention_rate: '50',
      returning_share: '100',
      csat: null,
    },
    monthly: [
      { month: '2026-01', revenue: '8000', purchases: 8, buyers: 5, csat: '4.5', csat_scores: 2 },
      { month: '2026-02', revenue: '6000', purchases: 6, buyers: 4, csat: null, csat_scores: 0 },
      { month: '2026-03', revenue: '7000', purchases: 7, buyers: 6, csat: '4', csat_scores: 2 },
    ],
    segments: [
      { segment: 'vip', count: 2 },
      { segment: 'regular', count: 5 },
      { segment: 'new', count: 3 },
      { segment: 'lapsed', count: 1 },
    ],
    tiers: [
      { tier: { key: 'member', name: { en: 'Member', zh: '普通会员' } }, count: 6 },
      { tier: { key: 'gold', name: { en: 'Gold', zh: '金卡' } }, count: 2 },
    ],
    cohorts: [
      { cohort: '2026-01', customers: 2, active: [2, 1, 1] },
      { cohort: '2026-03', customers: 1, active: [1] },
    ],
    brands: [
      { name: 'Rolex', revenue: '12000', pieces: 9 },
      { name: 'Cartier', revenue: '9000', pieces: 12 },
    ],
    categories: [
      { name: 'watch', revenue: '15000', pieces: 11 },
      { name: 'ring', revenue: '6000', pieces: 10 },
    ],
  };
}

function result(
  id: number,
  name: string,
  channel: CampaignChannel,
  run_on: string,
  cost: string,
  [targeted, responded, orders, unsubscribed = 0]: [number, number, number, number?],
  response_rate: string | null,
  revenue: string,
  cost_per_order: string | null,
): CampaignResult {
  return { id, name, channel, run_on, cost, notes: '', targeted, responded, unsubscribed, response_rate, orders, revenue, cost_per_order };
}

/**
 * Campaigns as the core gives them, newest first, around the last twelve months to 15 March 2026
 * (16 March 2025 – 15 March 2026): one on its first day, one the day before. The autumn email's
 * rate (12.25%) and cost per order (£0.125) sit on a half, rounded to even.
 */
export function campaignResults(): CampaignResult[] {
  return [
    result(1, 'Spring letters', 'post', '2026-02-01', '900', [3, 1, 1], '33.333333333333333333333333333', '4500.00', '900'),
    result(2, 'Autumn email', 'email', '2025-10-10', '6.25', [400, 49, 50, 3], '12.25', '61250.00', '0.125'),
    result(3, 'Trade show', 'other', '2025-06-01', '1000', [0, 0, 0], null, '0.00', null),
    result(4, 'First day', 'sms', '2025-03-16', '0', [2, 0, 0], '0', '0.00', null),
    result(5, 'Day before', 'post', '2025-03-15', '50', [1, 1, 1], '100', '100.00', '50'),
  ];
}

/** Other marketing spend, newest first: two in the last twelve months to 15 March 2026, one before. */
export function marketingExpenses(): Expense[] {
  return [
    { id: 3, spent_on: '2026-03-01', amount: '200.5', note: 'Fair stand' },
    { id: 2, spent_on: '2025-09-12', amount: '49.5', note: '' },
    { id: 1, spent_on: '2025-03-15', amount: '75', note: 'Advert' },
  ];
}
