/**
 * The core's problems in the dealer's language. The core sends each problem as data
 * (`Problem`: a kind and its values) beside its English sentence; the window words it here, so
 * a rejected import row or a refused field reads in Chinese on the Chinese screen.
 */
import type { ErrorPayload } from './bindings/ErrorPayload';
import type { Problem } from './bindings/Problem';
import { countryName } from './display';
import { formatTimestamp } from './format';
import { t } from './i18n/index.svelte';

/** Every kind but `other` has a sentence in both dictionaries: a missing one fails the type check. */
type ProblemKey = `problem.${Exclude<Problem['kind'], 'other'>}`;

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
 * Why an import row is left out, with the file's column when the problem is in one (else the
 * profile field, as the core names it).
 */
export function rejectionText(rejected: { column: string | null; field: string | null; problem: Problem }): string {
  const problem = problemText(rejected.problem);
  if (rejected.column) return t('problem.inColumn', { column: rejected.column, problem });
  return rejected.field ? `${rejected.field}: ${problem}` : problem;
}
