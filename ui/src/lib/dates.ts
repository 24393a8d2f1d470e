/**
 * Plain dates ("YYYY-MM-DD") as the date fields show and read them: numeric, in the order of the
 * window's language and the book's region (`intlLocale`), never the computer's locale, which
 * WebKitGTK's own date input follows.
 */
import { isValidDayMonth } from './format';

export type DatePart = 'day' | 'month' | 'year';

/** The order of day, month and year in `locale`, and the mark between them ("/", ".", "-"). */
export function dateLayout(locale: string): { order: DatePart[]; separator: string } {
  const parts = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' })
    .formatToParts(new Date(Date.UTC(2026, 11, 24)));
  const order = parts.map((p) => p.type).filter((type): type is DatePart => type === 'day' || type === 'month' || type === 'year');
  const separator = parts.find((p) => p.type === 'literal')?.value.trim() || '/';
  return { order: order.length === 3 ? order : ['day', 'month', 'year'], separator };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2026-12-04" → "04/12/2026" (en-GB), "12/04/2026" (en-US), "2026/12/04" (zh-CN); other text as it is. */
export function formatDateField(iso: string | null | undefined, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  if (!m) return iso ?? '';
  const values: Record<DatePart, string> = { year: m[1], month: m[2], day: m[3] };
  const { order, separator } = dateLayout(locale);
  return order.map((part) => values[part]).join(separator);
}

/** Two-digit years are this century's up to ten years ahead, else the last one's. */
function fullYear(digits: string, today: Date): number {
  const n = Number(digits);
  if (digits.length !== 2) return n;
  const century = Math.floor(today.getFullYear() / 100) * 100;
  return century + n > today.getFullYear() + 10 ? century - 100 + n : century + n;
}

/**
 * What the dealer typed as "YYYY-MM-DD", or null when it is not a date: numbers in the locale's
 * order with any marks between them ("4/12/26", "04.12.2026"), eight digits in a row, or a year
 * written first ("2026-12-04", as pasted from elsewhere).
 */
export function readDateField(text: string, locale: string, today: Date = new Date()): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  let numbers = trimmed.split(/\D+/).filter(Boolean);
  const { order } = dateLayout(locale);
  if (numbers.length === 1 && numbers[0].length === 8) {
    const run = numbers[0];
    const widths = order.map((part) => (part === 'year' ? 4 : 2));
    let at = 0;
    numbers = widths.map((w) => run.slice(at, (at += w)));
  }
  if (numbers.length !== 3 || numbers.some((n) => n.length > 4)) return null;
  const yearFirst = numbers[0].length > 2;
  const parts = yearFirst ? (['year', 'month', 'day'] as DatePart[]) : order;
  const value = Object.fromEntries(parts.map((part, i) => [part, numbers[i]])) as Record<DatePart, string>;
  if (value.year.length !== 2 && value.year.length !== 4) return null;
  const year = fullYear(value.year, today);
  const month = Number(value.month);
  const day = Number(value.day);
  if (!isValidDayMonth(day, month, year)) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}
