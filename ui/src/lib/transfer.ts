/** Moving the whole book: what a book folder holds, read from its manifest, and the progress line. */
import type { BookManifest } from './bindings/BookManifest';
import type { BookStats } from './bindings/BookStats';
import type { MoveProgress, MoveStage } from './gateway';
import type { MessageKey } from './i18n/index.svelte';

/** Which table of the folder each count of a book is. */
const TABLE_OF: Record<keyof BookStats, string> = {
  customers: 'customers',
  emails: 'customer_emails',
  phones: 'customer_phones',
  addresses: 'customer_addresses',
  tags: 'customer_tags',
  purchases: 'purchases',
  purchase_items: 'purchase_items',
  notes: 'notes',
  interactions: 'interactions',
  wishes: 'wishes',
  satisfaction_scores: 'satisfaction_scores',
  reminders: 'reminders',
  segments: 'segments',
  import_batches: 'import_batches',
  suppressions: 'suppressions',
};

/** Rows of `table` in the folder (0 when it has no file for it), as the core's `rows_of`. */
export function rowsOf(manifest: BookManifest, table: string): number {
  return manifest.files.find((f) => f.table === table)?.rows ?? 0;
}

/** Every row of every file, the header rows not counted. */
export function totalRows(manifest: BookManifest): number {
  return manifest.files.reduce((n, f) => n + f.rows, 0);
}

/**
 * What the folder holds, in the counts a book shows (so the two can stand side by side).
 * Tags are rows of customer_tags here, not distinct tags; the screen does not show them.
 */
export function manifestStats(manifest: BookManifest): BookStats {
  const stats = {} as BookStats;
  for (const key of Object.keys(TABLE_OF) as (keyof BookStats)[]) stats[key] = rowsOf(manifest, TABLE_OF[key]);
  return stats;
}

/**
 * Whether an import restores the book exactly (the core's own rule: no customers, segments
 * or traces of erased people), or must merge into what it holds.
 */
export function bookIsEmpty(stats: BookStats): boolean {
  return stats.customers === 0 && stats.segments === 0 && stats.suppressions === 0;
}

export const STAGE_LABELS: Record<MoveStage, MessageKey> = {
  writing: 'move.stage.writing',
  verifying: 'move.stage.verifying',
  loading: 'move.stage.loading',
  merging: 'move.stage.merging',
  indexing: 'move.stage.indexing',
  backing_up: 'move.stage.backing_up',
};

/** The unit each stage counts in, for "1,200 of 5,000 rows". */
export const STAGE_UNITS: Record<MoveStage, 'rows' | 'bytes' | 'customers' | 'pages'> = {
  writing: 'rows',
  verifying: 'bytes',
  loading: 'rows',
  merging: 'customers',
  indexing: 'customers',
  backing_up: 'pages',
};

/** The progress as the bar wants it: determinate once there is a total. */
export function moveJob(progress: MoveProgress | null): { done: number; total: number } | null {
  return progress ? { done: progress.done, total: progress.total } : null;
}
