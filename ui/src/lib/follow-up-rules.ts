/**
 * The follow-up rules as Settings → Follow-up edits them: every number as the dealer types it
 * (the check-in's threshold as dealers write amounts, "£5,000"), read back into `FollowUpRules`
 * with each problem named by its field path (`follow_up.after_sale_days`,
 * `follow_up.service_brands[1].years`), the same paths the core names, so one error map places
 * both beside their field.
 */
import type { FollowUpRules } from './bindings/FollowUpRules';
import type { LeapDayRule } from './bindings/LeapDayRule';
import { tidyAmount } from './money';
import { ruleAmount, ruleWhole } from './rule-fields';

/** The rules' switches, in the order the tab lists them. */
export const FOLLOW_UP_SWITCHES = [
  'after_sale',
  'check_in',
  'birthdays',
  'anniversaries',
  'key_visits',
  're_engagement',
  'service',
  'care',
  'tier_upgrades',
  'give_back',
] as const;
export type FollowUpSwitch = (typeof FOLLOW_UP_SWITCHES)[number];

/** The rules' whole numbers (days or years). */
export const FOLLOW_UP_NUMBERS = ['after_sale_days', 'check_in_days', 'key_visit_days', 'service_years'] as const;
export type FollowUpNumber = (typeof FOLLOW_UP_NUMBERS)[number];

/** One brand's service interval as typed. */
export type ServiceBrandForm = { brand: string; years: string };

export type FollowUpForm = Record<FollowUpSwitch, boolean> &
  Record<FollowUpNumber, string> & {
    check_in_min_total: string;
    leap_day: LeapDayRule;
    service_brands: ServiceBrandForm[];
  };

/** The rules written into the form, the threshold as the book's region writes amounts. */
export function followUpForm(rules: FollowUpRules, region?: string): FollowUpForm {
  const switches = Object.fromEntries(FOLLOW_UP_SWITCHES.map((s) => [s, rules[s]])) as Record<FollowUpSwitch, boolean>;
  const numbers = Object.fromEntries(FOLLOW_UP_NUMBERS.map((n) => [n, String(rules[n])])) as Record<FollowUpNumber, string>;
  return {
    ...switches,
    ...numbers,
    check_in_min_total: tidyAmount(rules.check_in_min_total, region),
    leap_day: rules.leap_day,
    service_brands: rules.service_brands.map((s) => ({ brand: s.brand, years: String(s.years) })),
  };
}

/** A brand the dealer adds: no name yet, at the interval of "any other brand" until changed. */
export function blankServiceBrand(form: FollowUpForm): ServiceBrandForm {
  return { brand: '', years: form.service_years.trim() };
}

/** What is wrong with one field: a message key, with the text typed when the message quotes it. */
export type FollowUpProblem =
  | { key: 'settings.followUp.errorWhole' | 'problem.service_brand_missing' }
  | { key: 'problem.not_an_amount' | 'problem.amount_groups'; value: string };

/** The form read back, or the problems by field path (`follow_up.…`). */
export function readFollowUpForm(form: FollowUpForm): { rules: FollowUpRules } | { problems: Record<string, FollowUpProblem> } {
  const problems: Record<string, FollowUpProblem> = {};
  const whole = (text: string, path: string): number => {
    const read = ruleWhole(text);
    if (read === null) problems[path] = { key: 'settings.followUp.errorWhole' };
    return read ?? 0;
  };
  const amount = (text: string, path: string): string => {
    const read = ruleAmount(text);
    if ('amount' in read) return read.amount;
    problems[path] = read.problem;
    return text.trim();
  };
  const service_brands = form.service_brands.map((row, i) => {
    const brand = row.brand.trim();
    if (brand === '') problems[`follow_up.service_brands[${i}].brand`] = { key: 'problem.service_brand_missing' };
    return { brand, years: whole(row.years, `follow_up.service_brands[${i}].years`) };
  });
  const switches = Object.fromEntries(FOLLOW_UP_SWITCHES.map((s) => [s, form[s]])) as Record<FollowUpSwitch, boolean>;
  const numbers = Object.fromEntries(FOLLOW_UP_NUMBERS.map((n) => [n, whole(form[n], `follow_up.${n}`)])) as Record<FollowUpNumber, number>;
  const rules: FollowUpRules = {
    ...switches,
    ...numbers,
    check_in_min_total: amount(form.check_in_min_total, 'follow_up.check_in_min_total'),
    leap_day: form.leap_day,
    service_brands,
  };
  return Object.keys(problems).length > 0 ? { problems } : { rules };
}
