import type { CustomerFilter } from './bindings/CustomerFilter';
import type { StandingRules } from './bindings/StandingRules';

/** The audience that selects everyone: every part empty. */
export function everyone(): CustomerFilter {
  return {
    customer_type: null,
    tags: [],
    language: null,
    min_spend: null,
    max_spend: null,
    bought_since: null,
    bought_until: null,
    not_bought_since: null,
    brand: null,
    segments: [],
    value_classes: [],
    rfm_groups: [],
    tiers: [],
    min_rfm: null,
    influence: [],
    likes: null,
    saved_segment: null,
    search: null,
  };
}

/** The core's default standing rules (`StandingRules::default`), for a new book's settings. */
export function defaultStandingRules(): StandingRules {
  return {
    lapsed_after_months: 24,
    at_risk_after_months: 12,
    low_score_max: 2,
    low_score_months: 12,
    vip_min_spend: '20000',
    vip_min_purchases: 4,
    vip_months: 24,
    new_within_days: 180,
    value_months: 24,
    key_percent: 50,
    main_percent: 80,
    rfm_method: 'bands',
    recency_months: [3, 6, 12, 24],
    frequency_purchases: [2, 3, 5, 8],
    monetary_spend: ['2000', '5000', '15000', '40000'],
  };
}
