/** The backups screen's small logic: sizes, the "backups to keep" setting, the newest backup. */
import type { BackupInfo } from './bindings/BackupInfo';
import { intlLocale, type MessageKey } from './i18n/index.svelte';

export const KEEP_MIN = 1;
export const KEEP_MAX = 365;

/** The setting as typed: a whole number from 1 to 365, or the message saying why not. */
export function parseKeep(text: string): { value: number; error: null } | { value: null; error: MessageKey } {
  const s = text.trim();
  if (!/^\d+$/.test(s)) return { value: null, error: 'backups.keepWhole' };
  const n = Number(s);
  if (n < KEEP_MIN || n > KEEP_MAX) return { value: null, error: 'backups.keepRange' };
  return { value: n, error: null };
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

/** Whether a daily backup was made in the last 24 hours (the core's own rule for "due"). */
export function backedUpToday(backups: readonly BackupInfo[], now: Date = new Date()): boolean {
  const newest = backups[0];
  if (!newest) return false;
  return now.getTime() - new Date(newest.created_at).getTime() < 24 * 3600 * 1000;
}
