/**
 * The numbers typed in the settings' rules (standing, membership, follow-up), read the one way
 * the core keeps them; each form says in its own words what is wrong.
 */
import Big from 'big.js';
import { readAmount } from './money';

/** A whole number typed in a rule's field ("7"), or null when it is not one. */
export function ruleWhole(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : null;
}

export type RuleAmountProblem = { key: 'problem.not_an_amount' | 'problem.amount_groups'; value: string };

/**
 * An amount typed in a rule's field as the core keeps it ("20,000.00" is the rule's 20000, so an
 * untouched form changes nothing), or why it is refused (a negative amount is not one).
 */
export function ruleAmount(text: string): { amount: string } | { problem: RuleAmountProblem } {
  const read = readAmount(text);
  if ('amount' in read && !read.amount.startsWith('-')) return { amount: new Big(read.amount).toString() };
  const key = 'refused' in read && read.refused === 'amount_groups' ? 'problem.amount_groups' : 'problem.not_an_amount';
  return { problem: { key, value: text.trim() } };
}
