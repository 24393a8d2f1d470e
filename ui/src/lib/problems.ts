/**
 * The core's problems in the dealer's language. The core sends each problem as data
 * (`Problem`: a kind and its values) beside its English sentence; the window words it here, so
 * a rejected import row or a refused field reads in Chinese on the Chinese screen.
 */
import type { ErrorPayload } from './bindings/ErrorPayload';
import type { Problem } from './bindings/Problem';
import { countryName } from './display';
import { formatCount, formatTimestamp } from './format';
import { t, uiLanguage, type UiLanguage } from './i18n/index.svelte';

/** The standing rules' problems, worded here (Settings → Standing). */
type StandingProblem = Extract<
  Problem,
  {
    kind:
      | 'standing_number_out_of_range'
      | 'standing_key_not_below_main'
      | 'standing_lapsed_not_after_at_risk'
      | 'standing_limits_not_ascending';
  }
>;

const standingWords: Record<UiLanguage, { [K in StandingProblem['kind']]: (p: Extract<StandingProblem, { kind: K }>) => string }> = {
  en: {
    standing_number_out_of_range: (p) => `Use a number from ${p.min} to ${p.max}.`,
    standing_key_not_below_main: () => "The key customers' share must be below the main customers' share.",
    standing_lapsed_not_after_at_risk: () => 'Lapsed must take more months without a purchase than at risk.',
    standing_limits_not_ascending: () => 'Each limit must be higher than the one before it.',
  },
  zh: {
    standing_number_out_of_range: (p) => `请填写 ${p.min} 到 ${p.max} 之间的数字。`,
    standing_key_not_below_main: () => '重点客户的份额须低于主要客户的份额。',
    standing_lapsed_not_after_at_risk: () => '“已流失”所需的未购买月数须多于“流失风险”。',
    standing_limits_not_ascending: () => '每个界限都须高于前一个。',
  },
};

function standingText(problem: StandingProblem): string {
  const words = standingWords[uiLanguage()];
  switch (problem.kind) {
    case 'standing_number_out_of_range':
      return words.standing_number_out_of_range(problem);
    case 'standing_key_not_below_main':
      return words.standing_key_not_below_main(problem);
    case 'standing_lapsed_not_after_at_risk':
      return words.standing_lapsed_not_after_at_risk(problem);
    case 'standing_limits_not_ascending':
      return words.standing_limits_not_ascending(problem);
  }
}

/** Every kind but `other` and the standing rules' has a sentence in both dictionaries: a missing one fails the type check. */
type ProblemKey = `problem.${Exclude<Problem['kind'], 'other' | StandingProblem['kind']>}`;

export function problemText(problem: Problem): string {
  switch (problem.kind) {
    case 'other':
      return problem.message;
    case 'consent_twice':
      return t('problem.consent_twice', { channel: t(`channel.${problem.channel}`) });
    case 'phone_not_in_region':
      return t('problem.phone_not_in_region', { value: problem.value, region: countryName(problem.region) });
    case 'import_already_undone':
      return t('problem.import_already_undone', { when: formatTimestamp(problem.when) });
    case 'merge_already_undone':
      return t('problem.merge_already_undone', { when: formatTimestamp(problem.when) });
    case 'standing_number_out_of_range':
    case 'standing_key_not_below_main':
    case 'standing_lapsed_not_after_at_risk':
    case 'standing_limits_not_ascending':
      return standingText(problem);
    case 'points_short':
      return t('problem.points_short', { balance: formatCount(problem.balance), asked: formatCount(problem.asked) });
    case 'redemption_value_wrong':
      return t('problem.redemption_value_wrong', { points: formatCount(problem.points), expected: problem.expected });
    case 'not_a_date_in_order':
      return t('problem.not_a_date_in_order', { value: problem.value, order: t(`problem.order.${problem.order}`) });
    default: {
      const { kind, ...vars } = problem;
      const key: ProblemKey = `problem.${kind}`;
      return t(key, vars);
    }
  }
}

/** What a failed command says: its problem worded here when it has one, else its message. */
export function errorText(error: ErrorPayload): string {
  return error.problem ? problemText(error.problem) : error.message;
}

/**
 * Why an import row is left out, with the file's column when the problem is in one (in a
 * workbook with its letter too, as the dealer finds it in Excel), else the profile field, as
 * the core names it.
 */
export function rejectionText(rejected: {
  column: string | null;
  column_letter?: string | null;
  field: string | null;
  problem: Problem;
}): string {
  const problem = problemText(rejected.problem);
  if (rejected.column && rejected.column_letter)
    return t('import.inSheetColumn', { letter: rejected.column_letter, column: rejected.column, problem });
  if (rejected.column) return t('problem.inColumn', { column: rejected.column, problem });
  return rejected.field ? `${rejected.field}: ${problem}` : problem;
}
