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

/** Regions that write a decimal comma ("9,15"); the others write a decimal point (as the core's amount.rs). */
const DECIMAL_COMMA_REGIONS = new Set(['AT', 'BE', 'BR', 'CZ', 'DE', 'DK', 'ES', 'FI', 'FR', 'ID', 'IT', 'NL', 'NO', 'PL', 'PT', 'RU', 'SE', 'TR']);
/** Currency signs and codes a dealer may type before or after the digits. */
const CURRENCY_MARKS = ['HK$', 'US$', 'S$', 'CHF', 'Fr.', 'GBP', 'EUR', 'USD', 'HKD', 'CNY', 'RMB', 'JPY', 'SGD', 'AED', '£', '$', '€', '¥', '￥'];
/** Characters that only ever group thousands. */
const GROUP_SPACES = new Set([' ', '\u00a0', '\u202f', "'", '’']);

/** The book's region, which decides "9,150" (set when the window reads the book's settings). */
let bookRegion = 'GB';

export function setAmountRegion(region: string): void {
  bookRegion = region || 'GB';
}

function stripCurrency(text: string): string {
  let s = text.trim();
  for (;;) {
    const mark = CURRENCY_MARKS.find((m) => s.startsWith(m) || s.endsWith(m));
    if (!mark) return s;
    s = (s.startsWith(mark) ? s.slice(mark.length) : s.slice(0, -mark.length)).trim();
  }
}

/** Why an amount typed cannot be read: not an amount at all, or its digits not grouped in threes. */
export type AmountRefusal = 'not_an_amount' | 'amount_groups';

/**
 * The amount as dealers type it ("9,150", "£9,150", "9 150", "9.150,00", "9'150") as a plain
 * decimal ("9150"), read exactly as the core's amount.rs reads it in `region` (both suites check
 * tests/fixtures/amounts.json); or why it cannot be read.
 */
export function readAmount(text: string, region: string | null = bookRegion): { amount: string } | { refused: AmountRefusal } {
  const notAnAmount = { refused: 'not_an_amount' as const };
  let body = stripCurrency(text);
  const negative = body.startsWith('-');
  if (negative) body = body.slice(1).trimStart();
  const chars = [...body];
  if (!chars.some((c) => c >= '0' && c <= '9') || chars.some((c) => !(c >= '0' && c <= '9') && c !== ',' && c !== '.' && !GROUP_SPACES.has(c)))
    return notAnAmount;
  const regionMark = region !== null && DECIMAL_COMMA_REGIONS.has(region) ? ',' : '.';
  const lastComma = body.lastIndexOf(',');
  const lastPoint = body.lastIndexOf('.');
  let decimalAt = -1;
  if (lastComma >= 0 && lastPoint >= 0) decimalAt = Math.max(lastComma, lastPoint);
  else if (lastComma >= 0 || lastPoint >= 0) {
    const at = Math.max(lastComma, lastPoint);
    const mark = body[at];
    const once = body.split(mark).length === 2;
    const after = body.slice(at + 1);
    const threeDigits = /^\d{3}$/.test(after);
    if (once) decimalAt = threeDigits ? (mark === regionMark ? at : -1) : at;
  }
  const whole = decimalAt >= 0 ? body.slice(0, decimalAt) : body;
  const fraction = decimalAt >= 0 ? body.slice(decimalAt + 1) : '';
  if (!/^\d*$/.test(fraction)) return notAnAmount;
  if (decimalAt >= 0 && whole.includes(body[decimalAt])) return notAnAmount;
  const groups = whole.split(/[,.\u0020\u00a0\u202f'’]/);
  const inThrees = groups.length === 1 || (groups[0].length >= 1 && groups[0].length <= 3 && groups.slice(1).every((g) => g.length === 3));
  if (!inThrees || groups.some((g) => !/^\d*$/.test(g))) return { refused: 'amount_groups' };
  const digits = groups.join('') || '0';
  return { amount: `${negative ? '-' : ''}${digits}${fraction ? `.${fraction}` : ''}` };
}

/** The amount as typed, made plain for the wire ("£9,150" → "9150"); text that cannot be read stays as typed, for the form to refuse. */
export function cleanAmount(text: string): string {
  const read = readAmount(text);
  return 'amount' in read ? read.amount : text.trim();
}

/**
 * The amount written back as the book's region writes it, once the field loses focus ("9150" →
 * "9,150.00", in a German book "9.150,00"); text that cannot be read stays as typed.
 */
export function tidyAmount(text: string, region: string = bookRegion): string {
  const read = readAmount(text, region);
  if (!('amount' in read)) return text;
  const negative = read.amount.startsWith('-');
  const [whole, fraction = ''] = read.amount.replace('-', '').split('.');
  const comma = DECIMAL_COMMA_REGIONS.has(region);
  const group = region === 'CH' ? '’' : region === 'FR' ? '\u202f' : comma ? '.' : ',';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${negative ? '-' : ''}${grouped}${comma ? ',' : '.'}${fraction.padEnd(2, '0')}`;
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

/**
 * A sale's settlement as the form shows it live: each payment row's amount (a row that
 * `follows_balance` takes what the sale comes to after the trade-ins and the other rows, never
 * below 0), what the trade-ins and payments come to, and the balance due (negative when
 * overpaid). The sale comes to its items less `redeemed`, the value of the points redeemed on it.
 */
export function saleSettlement(
  items: readonly { price: string; discount: string }[],
  tradeIns: readonly { allowance: string }[],
  payments: readonly { amount: string; follows_balance: boolean }[],
  redeemed = '0',
): { amounts: string[]; paid: string; balance: string; overpaid: boolean } {
  const total = items.reduce((sum, item) => sum.plus(itemAmount(item)), new Big(0)).minus(big(redeemed));
  const allowed = tradeIns.reduce((sum, trade) => sum.plus(big(trade.allowance)), new Big(0));
  const fixedPaid = payments.reduce((sum, p) => (p.follows_balance ? sum : sum.plus(big(p.amount))), new Big(0));
  let left = total.minus(allowed).minus(fixedPaid);
  const amounts = payments.map((p) => {
    if (!p.follows_balance) return fixed(big(p.amount));
    const share = left.gt(0) ? left : new Big(0);
    left = left.minus(share);
    return fixed(share);
  });
  const paid = amounts.reduce((sum, a) => sum.plus(big(a)), allowed);
  const balance = total.minus(paid);
  return { amounts, paid: fixed(paid), balance: fixed(balance), overpaid: balance.lt(0) };
}

/** a − b exactly (a balance: total less what was paid). */
export function amountLess(a: string, b: string): string {
  return fixed(big(a).minus(big(b)));
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
