/** The backups screen's small logic: sizes, the counts typed, why a backup failed, the reminder to copy the book elsewhere. */
import type { BackupFailure } from './bindings/BackupFailure';
import type { OffsiteStatus } from './bindings/OffsiteStatus';
import { intlLocale, t, type MessageKey } from './i18n/index.svelte';

export const KEEP_MIN = 1;
export const KEEP_MAX = 365;

type Parsed = { value: number; error: null } | { value: null; error: MessageKey };

/** A count typed in the backups form: a whole number from 1 to 365, or the message saying why not. */
function parseBetween(text: string, whole: MessageKey, range: MessageKey): Parsed {
  const s = text.trim();
  if (!/^\d+$/.test(s)) return { value: null, error: whole };
  const n = Number(s);
  if (n < KEEP_MIN || n > KEEP_MAX) return { value: null, error: range };
  return { value: n, error: null };
}

/** The daily backups to keep, as typed. */
export function parseKeep(text: string): Parsed {
  return parseBetween(text, 'backups.keepWhole', 'backups.keepRange');
}

/** The other backups to keep (by hand, before a restore or a merge), as typed. */
export function parseOtherKeep(text: string): Parsed {
  return parseBetween(text, 'backups.keepWhole', 'backups.otherRange');
}

/** The days without a copy elsewhere before the reminder, as typed. */
export function parseRemindDays(text: string): Parsed {
  return parseBetween(text, 'backups.remindWhole', 'backups.remindRange');
}

/** Why a backup failed, in the dealer's words. */
export function failureText(failure: BackupFailure): string {
  return t(`backupFailure.${failure.kind}`);
}

const DISMISSED_KEY = 'loupe.offsiteReminderDismissedOn';

/** Today on this computer, as the reminder's "not today" records it. */
export function localDay(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whether the window reminds the dealer to copy the book elsewhere: the core says it is due, and it was not put off today. */
export function offsiteReminderShown(status: OffsiteStatus | null, dismissedOn: string | null, today: string = localDay()): boolean {
  return !!status?.reminder_due && dismissedOn !== today;
}

/** The day the dealer last said "not today" to the reminder (kept on this computer). */
export function reminderDismissedOn(): string | null {
  try {
    return localStorage.getItem(DISMISSED_KEY);
  } catch {
    return null;
  }
}

export function dismissReminderForToday(today: string = localDay()) {
  try {
    localStorage.setItem(DISMISSED_KEY, today);
  } catch {
    // without storage the reminder comes back when the window opens again
  }
}

/** "12.4 MB", "840 kB": decimal units, as file managers show them. */
export function formatBytes(bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  try {
    return new Intl.NumberFormat(intlLocale(), {
      style: 'unit',
      unit: units[unit],
      unitDisplay: 'short',
      maximumFractionDigits: digits,
    }).format(value);
  } catch {
    return `${value.toFixed(digits)} ${['B', 'kB', 'MB', 'GB'][unit]}`;
  }
}

/** The file name shown for a path the dealer chose. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
