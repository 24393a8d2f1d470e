/**
 * The import view's logic, kept out of the components so it can be tested alone: how a
 * column's <select> value stands for a Target and back, how the dealer's choices become the
 * ImportOptions sent with every preview and commit, the progress bar's percentage, the
 * outcome filter of the preview rows, and what kind of file was read.
 */
import type { AddressPart } from './bindings/AddressPart';
import type { Channel } from './bindings/Channel';
import type { ColumnMapping } from './bindings/ColumnMapping';
import type { DateColumn } from './bindings/DateColumn';
import type { DateOrder } from './bindings/DateOrder';
import type { FileKind } from './bindings/FileKind';
import type { ImportCounts } from './bindings/ImportCounts';
import type { ImportOptions } from './bindings/ImportOptions';
import type { ImportProgress } from './bindings/ImportProgress';
import type { PreviewRow } from './bindings/PreviewRow';
import type { RowOutcome } from './bindings/RowOutcome';
import type { Target } from './bindings/Target';
import { t, type MessageKey } from './i18n/index.svelte';

/** Encodings the dealer can force (encoding_rs labels, which the core accepts). */
export const ENCODINGS = [
  'utf-8',
  'windows-1252',
  'gb18030',
  'utf-16le',
  'utf-16be',
  'iso-8859-15',
  'shift_jis',
  'big5',
] as const;

/** Delimiters the dealer can force; the value is the character itself. */
export const DELIMITERS: readonly { value: string; key: MessageKey }[] = [
  { value: ',', key: 'import.delim.comma' },
  { value: ';', key: 'import.delim.semicolon' },
  { value: '\t', key: 'import.delim.tab' },
  { value: '|', key: 'import.delim.pipe' },
];

/** Countries offered for reading national phone numbers. */
export const IMPORT_REGIONS = ['GB', 'CN', 'HK', 'TW', 'MO', 'SG', 'JP', 'CH', 'DE', 'FR', 'IT', 'ES', 'NL', 'IE', 'US', 'CA', 'AU', 'AE'];

/**
 * The detected encoding as one of our select values: the core answers with encoding_rs's
 * canonical names ("UTF-8", "Shift_JIS"), our options are lowercase labels.
 */
export function encodingValue(name: string): string {
  return name.trim().toLowerCase();
}

const ADDRESS_PARTS: readonly AddressPart[] = ['street', 'city', 'region', 'postal_code', 'country'];
const CHANNELS: readonly Channel[] = ['email', 'sms', 'phone', 'post'];

/** One entry of the target <select>: its value and the message naming it. */
export interface TargetOption {
  value: string;
  key: MessageKey;
}

export interface TargetGroup {
  key: MessageKey;
  options: TargetOption[];
}

/** Every place a column can go, grouped as the dealer thinks of them. */
export const TARGET_GROUPS: readonly TargetGroup[] = [
  {
    key: 'import.group.name',
    options: [
      { value: 'full_name', key: 'import.target.full_name' },
      { value: 'given_name', key: 'import.target.given_name' },
      { value: 'middle_name', key: 'import.target.middle_name' },
      { value: 'family_name', key: 'import.target.family_name' },
      { value: 'title', key: 'import.target.title' },
      { value: 'suffix', key: 'import.target.suffix' },
    ],
  },
  {
    key: 'import.group.contact',
    options: [
      { value: 'email', key: 'import.target.email' },
      { value: 'email_label', key: 'import.target.email_label' },
      { value: 'phone', key: 'import.target.phone' },
      { value: 'phone_label', key: 'import.target.phone_label' },
      { value: 'company', key: 'import.target.company' },
      { value: 'job_title', key: 'import.target.job_title' },
      { value: 'language', key: 'import.target.language' },
    ],
  },
  {
    key: 'import.group.address',
    options: ADDRESS_PARTS.map((part) => ({ value: `address.${part}`, key: `import.target.address.${part}` as MessageKey })),
  },
  {
    key: 'import.group.dates',
    options: [
      { value: 'birthday', key: 'import.target.birthday' },
      { value: 'anniversary', key: 'import.target.anniversary' },
      { value: 'contact_date', key: 'import.target.contact_date' },
      { value: 'email_unsubscribed', key: 'import.target.email_unsubscribed' },
      { value: 'email_bounced', key: 'import.target.email_bounced' },
    ],
  },
  {
    key: 'import.group.other',
    options: [
      { value: 'tags', key: 'import.target.tags' },
      { value: 'source_detail', key: 'import.target.source_detail' },
      ...CHANNELS.map((channel) => ({ value: `consent.${channel}`, key: `import.target.consent.${channel}` as MessageKey })),
      { value: 'note', key: 'import.target.note' },
    ],
  },
  {
    key: 'import.group.ignore',
    options: [{ value: 'ignore', key: 'import.target.ignore' }],
  },
];

/** The <select> value standing for a target (groups are not part of it). */
export function targetValue(target: Target): string {
  switch (target.field) {
    case 'address':
      return `address.${target.part}`;
    case 'consent':
      return `consent.${target.channel}`;
    default:
      return target.field;
  }
}

/** The message naming a target, for the sample list and tests. */
export function targetKey(target: Target): MessageKey {
  return `import.target.${targetValue(target)}` as MessageKey;
}

const GROUPED = new Set(['email', 'email_label', 'phone', 'phone_label']);

/** The target a <select> value stands for; grouped fields take `group`. Unknown values: null. */
export function targetFromValue(value: string, group = ''): Target | null {
  if (value.startsWith('address.')) {
    const part = value.slice('address.'.length) as AddressPart;
    return ADDRESS_PARTS.includes(part) ? { field: 'address', group, part } : null;
  }
  if (value.startsWith('consent.')) {
    const channel = value.slice('consent.'.length) as Channel;
    return CHANNELS.includes(channel) ? { field: 'consent', channel } : null;
  }
  if (GROUPED.has(value)) return { field: value, group } as Target;
  const plain = TARGET_GROUPS.flatMap((g) => g.options).some((o) => o.value === value);
  return plain ? ({ field: value } as Target) : null;
}

function groupOf(target: Target): string | null {
  return 'group' in target ? target.group : null;
}

/** The group of the column nearest to `index` whose target passes `wanted` (before it first). */
function nearestGroup(mapping: readonly ColumnMapping[], index: number, wanted: (t: Target) => boolean): string | null {
  for (let i = index - 1; i >= 0; i--) if (wanted(mapping[i].target)) return groupOf(mapping[i].target);
  for (let i = index + 1; i < mapping.length; i++) if (wanted(mapping[i].target)) return groupOf(mapping[i].target);
  return null;
}

/**
 * The mapping with column `index` sent to the target `value` stands for. Groups are chosen so
 * columns the dealer keeps apart stay apart: a column made an email or phone is its own entry
 * (group = its header); a label joins the nearest email or phone; an address part joins the
 * nearest address, so Street, City and Postcode make one address. A column that keeps its
 * kind keeps its group.
 */
export function retarget(mapping: readonly ColumnMapping[], index: number, value: string): ColumnMapping[] {
  const column = mapping[index];
  if (!column) return [...mapping];
  const current = column.target;
  let target: Target | null;
  if (targetValue(current) === value) {
    target = current;
  } else if (value === 'email' || value === 'phone') {
    target = targetFromValue(value, column.column);
  } else if (value === 'email_label' || value === 'phone_label') {
    const kind = value === 'email_label' ? 'email' : 'phone';
    target = targetFromValue(value, nearestGroup(mapping, index, (t) => t.field === kind) ?? column.column);
  } else if (value.startsWith('address.')) {
    const group = current.field === 'address' ? current.group : nearestGroup(mapping, index, (t) => t.field === 'address');
    target = targetFromValue(value, group ?? 'address');
  } else {
    target = targetFromValue(value);
  }
  if (!target) return [...mapping];
  return mapping.map((m, i) => (i === index ? { ...m, target } : m));
}

/** What the dealer has chosen so far in the preview; null/empty: let Loupe detect it. */
export interface ImportChoices {
  encoding: string | null;
  delimiter: string | null;
  /** A workbook's sheet by name; null reads the first. */
  sheet: string | null;
  /** The full edited mapping, or null while the dealer has not touched it. */
  mapping: ColumnMapping[] | null;
  region: string | null;
  /** Only the date columns the dealer decided. */
  dateOrders: Record<string, DateOrder>;
  /** Lines of likely matches the dealer confirmed as the same person. */
  confirmed: number[];
}

export function emptyChoices(): ImportChoices {
  return { encoding: null, delimiter: null, sheet: null, mapping: null, region: null, dateOrders: {}, confirmed: [] };
}

/** The options for preview_import / commit_import / save_rejected_rows. */
export function buildOptions(choices: ImportChoices): ImportOptions {
  const dateOrders: DateColumn[] = Object.entries(choices.dateOrders).map(([column, order]) => ({
    column,
    order,
    decided_by: 'chosen',
  }));
  return {
    encoding: choices.encoding || null,
    delimiter: choices.delimiter || null,
    mapping: choices.mapping ? choices.mapping.map((m) => ({ ...m, target: { ...m.target } })) : null,
    region: choices.region || null,
    date_orders: dateOrders,
    unknown_columns_to_note: true,
    confirmed_matches: [...new Set(choices.confirmed)].sort((a, b) => a - b),
    sheet: choices.sheet || null,
  };
}

/** What the preview says the file was read as: "Excel workbook, sheet “Visitors”", "vCard, 12 cards"; null for text. */
export function fileKindText(kind: FileKind): string | null {
  switch (kind.kind) {
    case 'text':
      return null;
    case 'workbook':
      return t('import.readAs.workbook', { format: t(`import.workbookFormat.${kind.format}`), sheet: kind.sheet });
    case 'vcard':
      return t('import.readAs.vcard', { count: kind.cards });
  }
}

/** The sheets the dealer may choose among: only a workbook of more than one sheet offers any. */
export function sheetChoices(kind: FileKind): string[] {
  return kind.kind === 'workbook' && kind.sheets.length > 1 ? kind.sheets : [];
}

/**
 * The choices after the dealer forced another encoding or delimiter, or chose another sheet:
 * the columns may differ now, so the mapping, the date orders and the confirmations start afresh.
 */
export function withFormat(
  choices: ImportChoices,
  change: { encoding?: string | null; delimiter?: string | null; sheet?: string | null },
): ImportChoices {
  return {
    ...choices,
    ...change,
    mapping: null,
    dateOrders: {},
    confirmed: [],
  };
}

/** Whole percent of the file read, 0 to 100 (0 while the size is unknown). */
export function progressPercent(progress: ImportProgress | null): number {
  if (!progress || !(progress.file_size > 0)) return 0;
  const pct = Math.floor((progress.bytes_read / progress.file_size) * 100);
  return Math.max(0, Math.min(100, pct));
}

export type OutcomeKind = RowOutcome['kind'];
export type OutcomeFilter = 'all' | OutcomeKind;

export const OUTCOME_KINDS: readonly OutcomeKind[] = ['new', 'merge', 'duplicate_in_file', 'likely_match', 'erased', 'rejected'];

export function filterRows(rows: readonly PreviewRow[], filter: OutcomeFilter): PreviewRow[] {
  return filter === 'all' ? [...rows] : rows.filter((r) => r.outcome.kind === filter);
}

/** Lines the dealer can confirm: a likely match (same person) or an erased person (import anyway). */
function confirmable(kind: OutcomeKind): boolean {
  return kind === 'likely_match' || kind === 'erased';
}

/**
 * How many rows of each kind as the commit will see them: confirmed likely matches count as
 * merges, erased people confirmed for import as new.
 */
export function effectiveCounts(counts: ImportCounts, rows: readonly PreviewRow[], confirmed: readonly number[]): ImportCounts {
  const kindOf = new Map(rows.map((r) => [r.line, r.outcome.kind]));
  const confirmedOf = (kind: OutcomeKind) => confirmed.filter((line) => kindOf.get(line) === kind).length;
  const likely = Math.min(confirmedOf('likely_match'), counts.likely_matches);
  const erased = Math.min(confirmedOf('erased'), counts.erased);
  return {
    ...counts,
    merge: counts.merge + likely,
    likely_matches: counts.likely_matches - likely,
    new: counts.new + erased,
    erased: counts.erased - erased,
  };
}

/** People the commit will create or update: every row that is neither a duplicate nor rejected. */
export function peopleToImport(counts: ImportCounts): number {
  return counts.new + counts.merge + counts.likely_matches;
}

/** The count of one outcome kind. */
export function countOf(counts: ImportCounts, kind: OutcomeKind): number {
  switch (kind) {
    case 'new':
      return counts.new;
    case 'merge':
      return counts.merge;
    case 'duplicate_in_file':
      return counts.duplicates_in_file;
    case 'likely_match':
      return counts.likely_matches;
    case 'erased':
      return counts.erased;
    case 'rejected':
      return counts.rejected;
  }
}

/** Confirmed lines still offered for confirmation after a new preview. */
export function keepConfirmed(confirmed: readonly number[], rows: readonly PreviewRow[]): number[] {
  const offered = new Set(rows.filter((r) => confirmable(r.outcome.kind)).map((r) => r.line));
  return confirmed.filter((line) => offered.has(line));
}
