/**
 * The standing rules as Settings → Standing edits them: every number as the dealer types it
 * (amounts as dealers write them, "£20,000"), read back into `StandingRules` with each problem
 * named by its field path (`standing.vip_min_spend`, `standing.recency_months[2]`), the same
 * paths the core names, so one error map places both beside their field.
 */
import type { RfmMethod } from './bindings/RfmMethod';
import type { StandingRules } from './bindings/StandingRules';
import { tidyAmount } from './money';
import { ruleAmount, ruleWhole } from './rule-fields';

/** The rules' whole numbers, in the order the tab shows them. */
export const WHOLE_FIELDS = [
  'lapsed_after_months',
  'at_risk_after_months',
  'low_score_max',
  'low_score_months',
  'vip_min_purchases',
  'vip_months',
  'new_within_days',
  'value_months',
  'key_percent',
  'main_percent',
] as const;
export type WholeField = (typeof WHOLE_FIELDS)[number];
export type BandField = 'recency_months' | 'frequency_purchases' | 'monetary_spend';

export type RulesForm = Record<WholeField, string> & {
  vip_min_spend: string;
  rfm_method: RfmMethod;
  recency_months: string[];
  frequency_purchases: string[];
  monetary_spend: string[];
};

/** The rules written into the form, amounts as the book's region writes them. */
export function rulesForm(rules: StandingRules, region?: string): RulesForm {
  const whole = Object.fromEntries(WHOLE_FIELDS.map((f) => [f, String(rules[f])])) as Record<WholeField, string>;
  return {
    ...whole,
    vip_min_spend: tidyAmount(rules.vip_min_spend, region),
    rfm_method: rules.rfm_method,
    recency_months: rules.recency_months.map(String),
    frequency_purchases: rules.frequency_purchases.map(String),
    monetary_spend: rules.monetary_spend.map((a) => tidyAmount(a, region)),
  };
}

/** What is wrong with one field: a message key, with the text typed when the message quotes it. */
export type RuleProblem = { key: 'settings.standing.errorWhole' } | { key: 'problem.not_an_amount' | 'problem.amount_groups'; value: string };

/** The form read back, or the problems by field path (`standing.…`). */
export function readRulesForm(form: RulesForm): { rules: StandingRules } | { problems: Record<string, RuleProblem> } {
  const problems: Record<string, RuleProblem> = {};
  const whole = (text: string, path: string): number => {
    const read = ruleWhole(text);
    if (read === null) problems[path] = { key: 'settings.standing.errorWhole' };
    return read ?? 0;
  };
  const amount = (text: string, path: string): string => {
    const read = ruleAmount(text);
    if ('amount' in read) return read.amount;
    problems[path] = read.problem;
    return text.trim();
  };
  const four = <T>(values: string[], field: BandField, read: (text: string, path: string) => T) =>
    values.map((v, i) => read(v, `standing.${field}[${i}]`)) as [T, T, T, T];
  const numbers = Object.fromEntries(WHOLE_FIELDS.map((f) => [f, whole(form[f], `standing.${f}`)])) as Record<WholeField, number>;
  const rules: StandingRules = {
    ...numbers,
    vip_min_spend: amount(form.vip_min_spend, 'standing.vip_min_spend'),
    rfm_method: form.rfm_method,
    recency_months: four(form.recency_months, 'recency_months', whole),
    frequency_purchases: four(form.frequency_purchases, 'frequency_purchases', whole),
    monetary_spend: four(form.monetary_spend, 'monetary_spend', amount),
  };
  return Object.keys(problems).length > 0 ? { problems } : { rules };
}
