/**
 * The mailing-list screen's logic, kept out of the component so it can be tested: the form the
 * dealer fills in, its checks (the core would refuse the same things, but the wire cannot carry
 * an unreadable amount or date), the MailingFilter and file options it becomes, and the file
 * name offered in the save dialog.
 */
import type { CustomerType } from './bindings/CustomerType';
import { everyone } from './audience';
import type { MailingChannel } from './bindings/MailingChannel';
import type { MailingFileOptions } from './bindings/MailingFileOptions';
import type { MailingFilter } from './bindings/MailingFilter';
import type { MailingFormat } from './bindings/MailingFormat';
import type { MailingPreview } from './bindings/MailingPreview';
import { cleanAmount, isAmount } from './money';
import type { MessageKey } from './i18n/index.svelte';
import Big from 'big.js';

export const MAILING_CHANNELS: readonly MailingChannel[] = ['email', 'sms', 'post'];

/** Languages offered as a filter; "zh" selects every Chinese variant (the core's rule). */
export const MAILING_LANGUAGES = ['en', 'zh', 'de', 'fr', 'it', 'ja'] as const;

/** What the dealer chose, as the form holds it (text as typed). */
export interface MailingForm {
  channel: MailingChannel;
  customerType: CustomerType | '';
  tags: string[];
  language: string;
  minSpend: string;
  maxSpend: string;
  boughtSince: string;
  notBoughtSince: string;
  brand: string;
}

export interface FileChoices {
  format: MailingFormat;
  /** For Excel: BOM, CRLF and formula-like cells made inert. */
  spreadsheet: boolean;
  delimiter: ',' | ';';
}

export function emptyMailingForm(channel: MailingChannel = 'email'): MailingForm {
  return {
    channel,
    customerType: '',
    tags: [],
    language: '',
    minSpend: '',
    maxSpend: '',
    boughtSince: '',
    notBoughtSince: '',
    brand: '',
  };
}

export function defaultFileChoices(): FileChoices {
  return { format: 'generic', spreadsheet: true, delimiter: ',' };
}

/** Field errors keyed by the MailingFilter field they concern (the core's `field` names). */
export type FilterErrors = Partial<Record<'min_spend' | 'max_spend' | 'bought_since' | 'not_bought_since', MessageKey>>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The form as the core's filter, or the errors that keep it from being one. */
export function buildFilter(form: MailingForm): { filter: MailingFilter; errors: null } | { filter: null; errors: FilterErrors } {
  const errors: FilterErrors = {};
  const min = cleanAmount(form.minSpend).replace(/,/g, '');
  const max = cleanAmount(form.maxSpend).replace(/,/g, '');
  if (min && !isAmount(min)) errors.min_spend = 'mailing.errAmount';
  if (max && !isAmount(max)) errors.max_spend = 'mailing.errAmount';
  if (min && max && !errors.min_spend && !errors.max_spend && new Big(max).lt(new Big(min))) errors.max_spend = 'mailing.errBand';
  const since = form.boughtSince.trim();
  const notSince = form.notBoughtSince.trim();
  if (since && !validDate(since)) errors.bought_since = 'mailing.errDate';
  if (notSince && !validDate(notSince)) errors.not_bought_since = 'mailing.errDate';
  if (Object.keys(errors).length > 0) return { filter: null, errors };
  const tags: string[] = [];
  for (const tag of form.tags.map((x) => x.trim()).filter(Boolean)) {
    if (!tags.some((x) => x.toLowerCase() === tag.toLowerCase())) tags.push(tag);
  }
  return {
    errors: null,
    filter: {
      channel: form.channel,
      audience: {
        ...everyone(),
        customer_type: form.customerType || null,
        tags,
        language: form.language.trim() || null,
        min_spend: min || null,
        max_spend: max || null,
        bought_since: since || null,
        not_bought_since: notSince || null,
        brand: form.brand.trim() || null,
      },
    },
  };
}

/** The file options; Mailchimp only exists for email lists, so other channels fall back to generic. */
export function buildFileOptions(channel: MailingChannel, choices: FileChoices): MailingFileOptions {
  return {
    format: channel === 'email' ? choices.format : 'generic',
    spreadsheet: choices.spreadsheet,
    delimiter: choices.delimiter,
  };
}

/** How many filters narrow the list (the channel does not count). */
export function activeFilters(form: MailingForm): number {
  return [
    form.customerType,
    form.tags.length > 0 ? 'tags' : '',
    form.language,
    form.minSpend.trim() || form.maxSpend.trim() ? 'spend' : '',
    form.boughtSince.trim(),
    form.notBoughtSince.trim(),
    form.brand.trim(),
  ].filter(Boolean).length;
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
