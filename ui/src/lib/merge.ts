/**
 * Words for what a merge does: the profile fields it fills or keeps apart (named as the core's
 * draft names them) and the entries it moves.
 */
import type { KeptApart } from './bindings/KeptApart';
import type { MergeCounts } from './bindings/MergeCounts';
import { t, type MessageKey, type PluralKey } from './i18n/index.svelte';
import { PROFILE_FIELD_LABELS } from './profile-fields';


/** A profile field's label in the window's language; the field's own name when unknown. */
export function fieldLabel(field: string): string {
  const key = PROFILE_FIELD_LABELS[field];
  return key ? t(key) : field;
}

/** A kept-apart value in words: enum values (customer type, influence, contact, source) by their labels. */
export function apartValue(apart: KeptApart, which: 'kept' | 'other'): string {
  const value = apart[which];
  const prefix: Record<string, string> = {
    customer_type: 'type',
    influence: 'influence',
    preferred_contact: 'contact',
    source: 'source',
  };
  const key = prefix[apart.field] ? `${prefix[apart.field]}.${value}` : null;
  return key ? t(key as MessageKey) : value;
}

const KINDS: [keyof MergeCounts, PluralKey][] = [
  ['purchases', 'merge.moved.purchases'],
  ['notes', 'merge.moved.notes'],
  ['interactions', 'merge.moved.interactions'],
  ['wishes', 'merge.moved.wishes'],
  ['scores', 'merge.moved.scores'],
  ['reminders', 'merge.moved.reminders'],
];

/** "2 sales, 1 note" (only the kinds that moved), or "no entries". */
export function movedText(counts: MergeCounts): string {
  const parts = KINDS.filter(([kind]) => counts[kind] > 0).map(([kind, key]) => t(key, { count: counts[kind] }));
  return parts.length > 0 ? parts.join(t('merge.listSeparator')) : t('merge.moved.nothing');
}
