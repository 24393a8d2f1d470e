/**
 * Pieces that come into the shop, in the window: the form that records one (the price as dealers
 * write amounts), the piece named in a line, and why it suits each customer, worded.
 */
import type { Arrival } from './bindings/Arrival';
import type { ArrivalDraft } from './bindings/ArrivalDraft';
import type { ArrivalMatch } from './bindings/ArrivalMatch';
import type { ArrivalReason } from './bindings/ArrivalReason';
import type { ItemCategory } from './bindings/ItemCategory';
import { t, type MessageKey } from './i18n/index.svelte';
import { readAmount } from './money';

/** A piece as the form holds it: the category '' while not given, the price as typed. */
export type ArrivalForm = Omit<ArrivalDraft, 'category' | 'price'> & { category: ItemCategory | ''; price: string };

/** A new piece, arrived today, priced in the book's currency. */
export function blankArrival(today: string, currency: string): ArrivalForm {
  return { arrived_on: today, category: '', brand: '', model: '', reference_number: '', material: '', price: '', currency, notes: '' };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with one field before anything is sent: a message key, with the text typed when it quotes it. */
export type ArrivalProblem = { key: 'entry.err.date' } | { key: 'problem.not_an_amount' | 'problem.amount_groups'; value: string };

/** The form read back as the draft the core takes, or the problems by field (`price`, `arrived_on`). */
export function readArrivalForm(form: ArrivalForm): { draft: ArrivalDraft } | { problems: Record<string, ArrivalProblem> } {
  const problems: Record<string, ArrivalProblem> = {};
  if (!DATE.test(form.arrived_on)) problems.arrived_on = { key: 'entry.err.date' };
  let price: string | null = null;
  if (form.price.trim() !== '') {
    const read = readAmount(form.price);
    if ('amount' in read && !read.amount.startsWith('-')) price = read.amount;
    else problems.price = { key: 'refused' in read && read.refused === 'amount_groups' ? 'problem.amount_groups' : 'problem.not_an_amount', value: form.price.trim() };
  }
  if (Object.keys(problems).length > 0) return { problems };
  return {
    draft: {
      arrived_on: form.arrived_on,
      category: form.category === '' ? null : form.category,
      brand: form.brand.trim(),
      model: form.model.trim(),
      reference_number: form.reference_number.trim(),
      material: form.material.trim(),
      price,
      currency: form.currency,
      notes: form.notes.trim(),
    },
  };
}

/** The piece in a line: "Rolex Submariner 126610LN", else its category, else "A piece". */
export function pieceLabel(piece: Pick<Arrival, 'brand' | 'model' | 'reference_number' | 'category'>): string {
  const named = [piece.brand, piece.model, piece.reference_number].map((s) => s.trim()).filter(Boolean).join(' ');
  if (named) return named;
  return piece.category ? t(`category.${piece.category}`) : t('arrivals.unnamedPiece');
}

/** A wish's budget said after it: within, over, or nothing when the budget or the price is not known in one currency. */
function budgetKey(base: 'arrivals.reason.wishReference' | 'arrivals.reason.wishBrand', within: boolean | null): MessageKey {
  if (within === null) return base;
  return within ? `${base}Within` : `${base}Over`;
}

/** Why the piece suits a customer, in the window's language. */
export function arrivalReasonText(reason: ArrivalReason): string {
  switch (reason.kind) {
    case 'wish':
      return reason.reference
        ? t(budgetKey('arrivals.reason.wishReference', reason.within_budget), { reference: reason.reference_number })
        : t(budgetKey('arrivals.reason.wishBrand', reason.within_budget), {
            piece: [reason.brand, reason.model].filter((s) => s.trim()).join(' '),
          });
    case 'bought_brand':
      return t('arrivals.reason.boughtBrand', { count: reason.count, brand: reason.brand });
    case 'prefers_brand':
      return t('arrivals.reason.prefersBrand', { brand: reason.brand });
    case 'bought_category':
      return t('arrivals.reason.boughtCategory', { count: reason.count, category: t(`category.${reason.category}`) });
    case 'bought_material':
      return t('arrivals.reason.boughtMaterial', { count: reason.count, material: reason.material });
    case 'prefers_material':
      return t('arrivals.reason.prefersMaterial', { material: reason.material });
  }
}

/** Whether a reason is one of the strong ones: a wish for the piece, or the brand bought before. */
const strong = (reason: ArrivalReason) => reason.kind === 'wish' || reason.kind === 'bought_brand';

/** The customers ticked at first: those not yet told whom a wish or a purchase of the brand ties to the piece. */
export function preselected(matches: readonly ArrivalMatch[]): number[] {
  return matches.filter((m) => !m.told && m.reasons.some(strong)).map((m) => m.customer_id);
}
