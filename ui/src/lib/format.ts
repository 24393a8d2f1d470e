/** Locale-aware display of dates, money and counts, in the chosen UI language. */
import { intlLocale, t } from './i18n/index.svelte';

export interface ParsedPartialDate {
  year: number | null;
  month: number;
  day: number;
}

/** "1984-05-17" → {1984, 5, 17}; "--05-17" → {null, 5, 17}; anything else → null. */
export function parsePartialDate(value: string | null | undefined): ParsedPartialDate | null {
  if (!value) return null;
  const m = /^(?:(\d{4})|-)-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return null;
  return { year: m[1] ? Number(m[1]) : null, month: Number(m[2]), day: Number(m[3]) };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The wire form: "YYYY-MM-DD", or "--MM-DD" without a year. */
export function composePartialDate(day: number, month: number, year: number | null): string {
  return year === null ? `--${pad(month)}-${pad(day)}` : `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Whether the day exists in that month (29 February allowed without a year). */
export function isValidDayMonth(day: number, month: number, year: number | null): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const y = year ?? 2000; // a leap year, so 29 Feb stays possible when the year is unknown
  return day <= new Date(Date.UTC(y, month, 0)).getUTCDate();
}

/** "17 May 1984" / "17 May" (year-less) / "1984年5月17日" / "5月17日". */
export function formatPartialDate(value: string | null | undefined): string {
  const p = parsePartialDate(value);
  if (!p) return value ?? '';
  const date = new Date(Date.UTC(p.year ?? 2000, p.month - 1, p.day));
  const opts: Intl.DateTimeFormatOptions =
    p.year === null
      ? { day: 'numeric', month: 'long', timeZone: 'UTC' }
      : { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(intlLocale(), opts).format(date);
}

/** A plain "YYYY-MM-DD" date (consents), shown as a medium date. */
export function formatPlainDate(value: string | null | undefined): string {
  if (!value) return '';
  return formatPartialDate(value);
}

/** An RFC 3339 timestamp as a short local date. */
export function formatTimestampDate(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'short', year: 'numeric' }).format(d);
}

/** An RFC 3339 timestamp as date and time. */
export function formatTimestamp(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat(intlLocale()).format(n);
}

/** "1 customer", "2,300 customers" (Chinese has one form). */
export function customerCount(n: number): string {
  return t('list.count', { count: n });
}

/**
 * A decimal string as money. The wire keeps exact text; for display only the
 * number is rounded by Intl. Whole amounts show without pence/cents.
 */
export function formatMoney(amount: string | null | undefined, currency: string): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const n = Number(amount);
  if (!Number.isFinite(n)) return amount;
  const whole = Number.isInteger(n);
  try {
    return new Intl.NumberFormat(intlLocale(), {
      style: 'currency',
      currency: currency || 'GBP',
      minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: whole ? 0 : 2,
    }).format(n);
  } catch {
    // an unknown currency code: show the amount with the code as typed
    return `${new Intl.NumberFormat(intlLocale()).format(n)} ${currency}`;
  }
}

/** A decimal string (wrist size) as a locale number, keeping its digits. */
export function formatDecimal(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  const decimals = value.includes('.') ? value.split('.')[1].length : 0;
  return new Intl.NumberFormat(intlLocale(), { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(n);
}

/** The day the book fixes as today (`LOUPE_TODAY`, for tests and demos), or null: the laptop's clock. */
let fixedToday: string | null = null;

export function setFixedToday(day: string | null): void {
  fixedToday = day;
}

/** Today as "YYYY-MM-DD" in local time, or the day the book fixes. */
export function todayIso(now?: Date): string {
  if (!now && fixedToday) return fixedToday;
  const day = now ?? new Date();
  return `${pad(day.getFullYear(), 4)}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/**
 * A date format for the UI language, made once: WebKit takes about a millisecond to build one,
 * and a long timeline formats a few dates for every row that scrolls into view.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${intlLocale()} ${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale(), options);
    dateFormats.set(key, format);
  }
  return format;
}

/** "March 2026" / "2026年3月", for the timeline's month headings. */
export function formatMonthYear(year: number, month: number): string {
  return dateFormat({ month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

/** "2024" / "2024年", for the timeline's year headings and choices. */
export function formatYear(year: number): string {
  return dateFormat({ year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, 6, 1)));
}

/** "14 Mar 2026" / "2026年3月14日": a plain "YYYY-MM-DD" date in a timeline or table. */
export function formatShortDate(value: string | null | undefined): string {
  const p = parsePartialDate(value);
  if (!p || p.year === null) return value ?? '';
  return dateFormat({ day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(p.year, p.month - 1, p.day)),
  );
}

/** A budget or price range in one currency: "£5,000 – £8,000", "up to £8,000", "from £5,000". */
export function formatMoneyRange(
  min: string | null | undefined,
  max: string | null | undefined,
  currency: string,
  words: { from: (min: string) => string; upTo: (max: string) => string },
): string {
  const a = formatMoney(min, currency);
  const b = formatMoney(max, currency);
  if (a && b) return `${a} – ${b}`;
  if (a) return words.from(a);
  if (b) return words.upTo(b);
  return '';
}

/**
 * An amount of a sale: always with the currency's minor units ("£9,150.00" beside "£0.25"),
 * more decimals only when the amount has them. Display only: the text stays exact on the wire.
 */
export function formatAmount(amount: string | null | undefined, currency: string): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const n = Number(amount);
  if (!Number.isFinite(n)) return amount;
  const scale = amount.includes('.') ? amount.split('.')[1].replace(/0+$/, '').length : 0;
  try {
    const base = new Intl.NumberFormat(intlLocale(), { style: 'currency', currency: currency || 'GBP' });
    const minor = base.resolvedOptions().minimumFractionDigits ?? 2;
    return new Intl.NumberFormat(intlLocale(), {
      style: 'currency',
      currency: currency || 'GBP',
      minimumFractionDigits: minor,
      maximumFractionDigits: Math.min(4, Math.max(minor, scale)),
    }).format(n);
  } catch {
    return `${amount} ${currency}`;
  }
}
