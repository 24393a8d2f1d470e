/**
 * The follow-up agenda in the window: the rules' defaults as the core has them.
 */
import type { FollowUpRules } from './bindings/FollowUpRules';

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
