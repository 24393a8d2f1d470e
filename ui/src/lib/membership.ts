/**
 * The loyalty programme in the window: a tier's name in the window's language, and the two
 * amounts the sale form proposes, computed exactly as the core checks them (membership.rs and
 * points.rs): a member discount is price × percent ÷ 100 to the cent, half to even; points
 * redeemed are worth points ÷ points_for_one_unit, to the cent, rounded down.
 */
import Big from 'big.js';
import { t, uiLanguage } from './i18n/index.svelte';
import type { TierLabel } from './bindings/TierLabel';
import type { TierName } from './bindings/TierName';
import type { MembershipRules } from './bindings/MembershipRules';
import type { MemberDiscount } from './bindings/MemberDiscount';

/** The tier's name in the window's language, else in the other one, else its key. */
export function tierName(tier: TierLabel | { key: string; name: TierName }): string {
  const { en, zh } = tier.name;
  const preferred = uiLanguage() === 'zh' ? [zh, en] : [en, zh];
  return preferred.find((name) => name.trim() !== '') ?? tier.key;
}

/**
 * What a member discount says on the form, the timeline and the receipt: "Silver member −15 %";
 * a tier already named a membership ("Member", "普通会员") is not named twice.
 */
export function memberDiscountLabel(member: MemberDiscount): string {
  const tier = tierName(member.tier);
  const percent = Number(member.percent).toString();
  return /member|会员/i.test(tier) ? t('sale.member.labelNamed', { tier, percent }) : t('sale.member.label', { tier, percent });
}

/** The member discount on `price` for `percent` (decimal strings), as the core requires it. */
export function memberDiscount(price: string, percent: string): string {
  // big.js rounding mode 2 is ROUND_HALF_EVEN.
  return new Big(price).times(percent).div(100).round(2, 2).toFixed(2);
}

/** What `points` are worth redeemed under `rules`, as the core requires it. */
export function redemptionValue(points: number, rules: Pick<MembershipRules, 'points_for_one_unit'>): string {
  // Rounding mode 0 is ROUND_DOWN.
  return new Big(points).div(Math.max(1, rules.points_for_one_unit)).round(2, 0).toFixed(2);
}

/** The core's default rules (`MembershipRules::default`): seed 001's three tiers. */
export function defaultMembershipRules(): MembershipRules {
  const tier = (key: string, en: string, zh: string) => ({
    key,
    name: { en, zh },
    min_spend: null,
    min_purchases: null,
    window_months: 12 as number | null,
    discount_percent: '0',
    benefits: '',
    free_care: false,
  });
  return {
    enabled: true,
    tiers: [
      { ...tier('member', 'Member', '普通会员'), min_purchases: 1, window_months: null, discount_percent: '10' },
      { ...tier('silver', 'Silver', '银卡'), min_spend: '20000', discount_percent: '15' },
      { ...tier('gold', 'Gold', '金卡'), min_spend: '50000', discount_percent: '20', benefits: 'Free cleaning and care', free_care: true },
    ],
    grace_months: 12,
    rates: [],
    points_per_unit: 1,
    points_for_one_unit: 100,
    points_expire_months: null,
    referral_bonus: 500,
  };
}
