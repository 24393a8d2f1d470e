/**
 * Exact money in the window. Amounts travel as decimal strings ("1234.50") and are only ever
 * added up here with big.js, never as JS numbers; Intl formats them for display.
 */
import Big from 'big.js';

/**
 * The currencies offered in every picker (the book's default in Settings, a customer's price range,
 * a sale or a wish); a code already chosen that is not among them is added by the picker.
 */
export const CURRENCIES: readonly string[] = ['GBP', 'EUR', 'USD', 'CHF', 'HKD', 'CNY', 'JPY', 'SGD', 'AED'];

/** A plain amount as the core accepts it: digits, optionally a point and up to four decimals. */
const AMOUNT = /^\d{1,10}(\.\d{1,4})?$/;

/** The amount as typed, tidied for the wire ("" stays "", "1 250.5" is not guessed at). */
export function cleanAmount(text: string): string {
  return text.trim();
}

export function isAmount(text: string): boolean {
  return AMOUNT.test(cleanAmount(text));
}

/** An amount or 0 for blank/unreadable text (a running total never throws while typing). */
function big(text: string | null | undefined): Big {
  const s = cleanAmount(text ?? '');
  return AMOUNT.test(s) ? new Big(s) : new Big(0);
}

/** price − discount of one item, exactly. */
export function itemAmount(item: { price: string; discount: string }): Big {
  return big(item.price).minus(big(item.discount));
}

/** The items' amounts added up, as a decimal string with at least two decimals. */
export function saleTotal(items: readonly { price: string; discount: string }[]): string {
  return fixed(items.reduce((sum, item) => sum.plus(itemAmount(item)), new Big(0)));
}

/** Adds decimal strings exactly. */
export function sumAmounts(amounts: readonly string[]): string {
  return fixed(amounts.reduce((sum, a) => sum.plus(big(a)), new Big(0)));
}

/** Whether the amount is exactly zero (blank counts as zero). */
export function isZero(amount: string | null | undefined): boolean {
  return big(amount).eq(0);
}

/** Compares two decimal strings: negative, 0 or positive. */
export function compareAmounts(a: string, b: string): number {
  return big(a).cmp(big(b));
}

/** Lifetime / count, to the cent, half to even (as the core does). */
export function averageAmount(total: string, count: number): string {
  if (count <= 0) return '0.00';
  return big(total).div(count).round(2, Big.roundHalfEven).toFixed(2);
}

/** A Big as text without exponent, with at least two decimals and at most four. */
function fixed(value: Big): string {
  const text = value.toFixed();
  const decimals = text.includes('.') ? text.split('.')[1].length : 0;
  return value.toFixed(Math.min(4, Math.max(2, decimals)));
}
