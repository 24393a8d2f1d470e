/**
 * The membership rules as Settings → Membership edits them: every number as the dealer types it
 * (amounts as dealers write them, "£20,000"), read back into `MembershipRules` with each problem
 * named by its field path (`membership.tiers[1].min_spend`, `membership.rates[0].rate`), the same
 * paths the core names, so one error map places both beside their field.
 */
import Big from 'big.js';
import type { MembershipRules } from './bindings/MembershipRules';
import type { Tier } from './bindings/Tier';
import { readAmount, tidyAmount } from './money';
import { ruleAmount, ruleWhole } from './rule-fields';

/** One tier as typed. `key` is null until the tier is first saved (then made from its English name). */
export type TierForm = {
  key: string | null;
  name_en: string;
  name_zh: string;
  /** Blank: spend does not qualify for this tier. */
  min_spend: string;
  /** Blank: a number of purchases does not qualify for this tier. */
  min_purchases: string;
  /** Counted over every purchase ever made, or over the last `window_months`. */
  ever: boolean;
  window_months: string;
  discount_percent: string;
  benefits: string;
  free_care: boolean;
};

export type RateForm = { currency: string; rate: string };

export type MembershipForm = {
  enabled: boolean;
  tiers: TierForm[];
  grace_months: string;
  rates: RateForm[];
  points_per_unit: string;
  points_for_one_unit: string;
  points_expire: boolean;
  points_expire_months: string;
  referral_bonus: string;
};

/** The window a new tier counts over, and the months offered when "ever" is turned into a window. */
const DEFAULT_WINDOW_MONTHS = 12;
/** Points expire after this many months when the dealer first ticks "points expire". */
const DEFAULT_EXPIRY_MONTHS = 24;

/** A whole percentage or rate as plain digits, else as the book's region writes a decimal ("1,125" in Germany). */
function decimalText(value: string, region?: string): string {
  const big = new Big(value);
  if (big.round(0).eq(big)) return big.toFixed(0);
  // tidyAmount reads its text in the region too, where "1.125" may be 1125: a fourth decimal makes the point a decimal mark anywhere.
  const plain = big.toFixed();
  const unambiguous = /\.\d{3}$/.test(plain) ? `${plain}0` : plain;
  return tidyAmount(unambiguous, region).replace(/([.,]\d*?)0+$/, '$1');
}

export function tierForm(tier: Tier, region?: string): TierForm {
  return {
    key: tier.key,
    name_en: tier.name.en,
    name_zh: tier.name.zh,
    min_spend: tier.min_spend === null ? '' : tidyAmount(tier.min_spend, region),
    min_purchases: tier.min_purchases === null ? '' : String(tier.min_purchases),
    ever: tier.window_months === null,
    window_months: String(tier.window_months ?? DEFAULT_WINDOW_MONTHS),
    discount_percent: decimalText(tier.discount_percent, region),
    benefits: tier.benefits,
    free_care: tier.free_care,
  };
}

/** The rules written into the form, amounts as the book's region writes them. */
export function membershipForm(rules: MembershipRules, region?: string): MembershipForm {
  return {
    enabled: rules.enabled,
    tiers: rules.tiers.map((tier) => tierForm(tier, region)),
    grace_months: String(rules.grace_months),
    rates: rules.rates.map((r) => ({ currency: r.currency, rate: decimalText(r.rate, region) })),
    points_per_unit: String(rules.points_per_unit),
    points_for_one_unit: String(rules.points_for_one_unit),
    points_expire: rules.points_expire_months !== null,
    points_expire_months: String(rules.points_expire_months ?? DEFAULT_EXPIRY_MONTHS),
    referral_bonus: String(rules.referral_bonus),
  };
}

/** A tier the dealer adds: no name yet, qualifying by spend over twelve months, no discount. */
export function blankTier(): TierForm {
  return {
    key: null,
    name_en: '',
    name_zh: '',
    min_spend: '',
    min_purchases: '',
    ever: false,
    window_months: String(DEFAULT_WINDOW_MONTHS),
    discount_percent: '0',
    benefits: '',
    free_care: false,
  };
}

/** The core's longest key (`settings.rs`). */
const MAX_KEY_LENGTH = 40;

/**
 * A new tier's key: its English name as a slug ("Platinum Plus" → "platinum-plus"; "tier" when it
 * has none in Latin letters), with "-2", "-3"… when a tier already has it. Made once, when the
 * tier is first saved: a customer's tier, a recorded change and a sale name the key, so it never
 * follows a rename.
 */
export function tierKey(nameEn: string, taken: ReadonlySet<string>): string {
  const slug =
    nameEn
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, MAX_KEY_LENGTH - 4)
      .replace(/-+$/, '') || 'tier';
  if (!taken.has(slug)) return slug;
  let n = 2;
  while (taken.has(`${slug}-${n}`)) n += 1;
  return `${slug}-${n}`;
}

/** Moves the tier at `index` one place up (-1) or down (+1); the tiers are listed lowest first. */
export function moveTier(tiers: TierForm[], index: number, by: -1 | 1): TierForm[] {
  const to = index + by;
  if (to < 0 || to >= tiers.length) return tiers;
  const moved = [...tiers];
  [moved[index], moved[to]] = [moved[to], moved[index]];
  return moved;
}

/** What is wrong with one field: a message key, with the text typed when the message quotes it. */
export type MembershipProblem =
  | { key: 'settings.membership.errorWhole' | 'settings.membership.errorPercent' }
  | { key: 'problem.not_an_amount' | 'problem.amount_groups'; value: string };

/** The form read back, or the problems by field path (`membership.…`). */
export function readMembershipForm(
  form: MembershipForm,
): { rules: MembershipRules } | { problems: Record<string, MembershipProblem> } {
  const problems: Record<string, MembershipProblem> = {};
  const whole = (text: string, path: string): number => {
    const read = ruleWhole(text);
    if (read === null) problems[path] = { key: 'settings.membership.errorWhole' };
    return read ?? 0;
  };
  const optionalWhole = (text: string, path: string): number | null => (text.trim() === '' ? null : whole(text, path));
  const amount = (text: string, path: string): string => {
    const read = ruleAmount(text);
    if ('amount' in read) return read.amount;
    problems[path] = read.problem;
    return text.trim();
  };
  const percent = (text: string, path: string): string => {
    const read = readAmount(text.replace(/%\s*$/, ''));
    if ('amount' in read && !read.amount.startsWith('-')) return new Big(read.amount).toString();
    problems[path] = { key: 'settings.membership.errorPercent' };
    return text.trim();
  };

  const taken = new Set(form.tiers.flatMap((tier) => (tier.key === null ? [] : [tier.key])));
  const tiers: Tier[] = form.tiers.map((tier, i) => {
    const at = (field: string) => `membership.tiers[${i}].${field}`;
    let key = tier.key;
    if (key === null) {
      key = tierKey(tier.name_en, taken);
      taken.add(key);
    }
    return {
      key,
      name: { en: tier.name_en.trim(), zh: tier.name_zh.trim() },
      min_spend: tier.min_spend.trim() === '' ? null : amount(tier.min_spend, at('min_spend')),
      min_purchases: optionalWhole(tier.min_purchases, at('min_purchases')),
      window_months: tier.ever ? null : whole(tier.window_months, at('window_months')),
      discount_percent: percent(tier.discount_percent, at('discount_percent')),
      benefits: tier.benefits.trim(),
      free_care: tier.free_care,
    };
  });
  const rules: MembershipRules = {
    enabled: form.enabled,
    tiers,
    grace_months: whole(form.grace_months, 'membership.grace_months'),
    rates: form.rates.map((r, i) => ({ currency: r.currency, rate: amount(r.rate, `membership.rates[${i}].rate`) })),
    points_per_unit: whole(form.points_per_unit, 'membership.points_per_unit'),
    points_for_one_unit: whole(form.points_for_one_unit, 'membership.points_for_one_unit'),
    points_expire_months: form.points_expire ? whole(form.points_expire_months, 'membership.points_expire_months') : null,
    referral_bonus: whole(form.referral_bonus, 'membership.referral_bonus'),
  };
  return Object.keys(problems).length > 0 ? { problems } : { rules };
}

/**
 * The currencies a rate may be set for: the offered ones and any already set, less the book's own
 * (unless a rate names it: the book's currency changed, and the row must still show what it holds).
 */
export function rateCurrencies(offered: readonly string[], rates: readonly RateForm[], bookCurrency: string): string[] {
  const codes = [...offered, ...rates.map((r) => r.currency).filter((c) => !offered.includes(c))];
  return codes.filter((c) => c !== bookCurrency || rates.some((r) => r.currency === c));
}

/** The first offered currency without a rate yet (a new row's), or null when each has one. */
export function nextRateCurrency(offered: readonly string[], rates: readonly RateForm[], bookCurrency: string): string | null {
  return offered.find((c) => c !== bookCurrency && !rates.some((r) => r.currency === c)) ?? null;
}
