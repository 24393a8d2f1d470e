/**
 * The mailing-list screen's logic, kept out of the component so it can be tested: the filter
 * (a channel and an audience, chosen with the window's one audience filter), the file options,
 * and the file name offered in the save dialog.
 */
import type { CustomerFilter } from './bindings/CustomerFilter';
import type { MailingChannel } from './bindings/MailingChannel';
import type { MailingFileOptions } from './bindings/MailingFileOptions';
import type { MailingFilter } from './bindings/MailingFilter';
import type { MailingFormat } from './bindings/MailingFormat';
import type { MailingPreview } from './bindings/MailingPreview';

export const MAILING_CHANNELS: readonly MailingChannel[] = ['email', 'sms', 'post'];

export interface FileChoices {
  format: MailingFormat;
  /** For Excel: BOM, CRLF and formula-like cells made inert. */
  spreadsheet: boolean;
  delimiter: ',' | ';';
}

export function defaultFileChoices(): FileChoices {
  return { format: 'generic', spreadsheet: true, delimiter: ',' };
}

/** Who the list goes to: the audience on the channel (only those who opted in to it are written). */
export function mailingFilter(channel: MailingChannel, audience: CustomerFilter): MailingFilter {
  return { channel, audience: { ...audience, search: null } };
}

/** The file options; Mailchimp only exists for email lists, so other channels fall back to generic. */
export function buildFileOptions(channel: MailingChannel, choices: FileChoices): MailingFileOptions {
  return {
    format: channel === 'email' ? choices.format : 'generic',
    spreadsheet: choices.spreadsheet,
    delimiter: choices.delimiter,
  };
}

/** "mailing-list-email-2026-05-01.csv": what the save dialog offers. */
export function suggestedFileName(channel: MailingChannel, format: MailingFormat, today: string): string {
  const kind = channel === 'email' && format === 'mailchimp' ? 'mailchimp' : channel;
  return `mailing-list-${kind}-${today}.csv`;
}

/** The reasons people are left out, each with its count, in the order the screen lists them. */
export function leftOut(preview: MailingPreview): { key: 'opted_out' | 'unknown' | 'no_address'; count: number }[] {
  return [
    { key: 'opted_out' as const, count: preview.excluded_opted_out },
    { key: 'unknown' as const, count: preview.excluded_unknown },
    { key: 'no_address' as const, count: preview.excluded_no_address },
  ];
}

/** A job's progress as a whole percentage (0 when its size is not known yet). */
export function jobPercent(progress: { done: number; total: number } | null): number {
  if (!progress || progress.total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((progress.done / progress.total) * 100)));
}
