/**
 * The one door to the Rust core. Every `invoke` in the UI goes through the
 * `Backend` interface below, so screens never name a command themselves and
 * unit tests can hand the app an in-memory backend instead of Tauri.
 */
import { getContext, setContext } from 'svelte';
import { invoke as tauriCoreInvoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { t } from './i18n/index.svelte';
import type { BookInfo } from './bindings/BookInfo';
import type { RecoverySummary } from './bindings/RecoverySummary';
import type { BookSettings } from './bindings/BookSettings';
import type { BookStats } from './bindings/BookStats';
import type { Customer } from './bindings/Customer';
import type { CustomerDraft } from './bindings/CustomerDraft';
import type { CustomerRow } from './bindings/CustomerRow';
import type { ErrorCode } from './bindings/ErrorCode';
import type { ErrorPayload } from './bindings/ErrorPayload';
import type { ListPage } from './bindings/ListPage';
import type { ListQuery } from './bindings/ListQuery';
import type { TagCount } from './bindings/TagCount';
import type { CustomerStory } from './bindings/CustomerStory';
import type { EntryDraft } from './bindings/EntryDraft';
import type { EntryKind } from './bindings/EntryKind';
import type { OpenWish } from './bindings/OpenWish';
import type { ColumnMapping } from './bindings/ColumnMapping';
import type { ImportBatch } from './bindings/ImportBatch';
import type { ImportOptions } from './bindings/ImportOptions';
import type { RejectedRowsWording } from './bindings/RejectedRowsWording';
import type { ImportPreview } from './bindings/ImportPreview';
import type { ImportProgress } from './bindings/ImportProgress';
import type { ImportSummary } from './bindings/ImportSummary';
import type { UndoSummary } from './bindings/UndoSummary';
import type { BackupContents } from './bindings/BackupContents';
import type { BackupInfo } from './bindings/BackupInfo';
import type { BackupFailure } from './bindings/BackupFailure';
import type { OffsiteStatus } from './bindings/OffsiteStatus';
import type { DamagedBook } from './bindings/DamagedBook';
import type { ErasureSummary } from './bindings/ErasureSummary';
import type { JobProgress } from './bindings/JobProgress';
import type { MailingExport } from './bindings/MailingExport';
import type { MailingFileOptions } from './bindings/MailingFileOptions';
import type { MailingFilter } from './bindings/MailingFilter';
import type { MailingPreview } from './bindings/MailingPreview';
import type { RestoreSummary } from './bindings/RestoreSummary';
import type { BookExportSummary } from './bindings/BookExportSummary';
import type { BookImportOptions } from './bindings/BookImportOptions';
import type { BookImportSummary } from './bindings/BookImportSummary';
import type { BookManifest } from './bindings/BookManifest';
import type { TransferStage } from './bindings/TransferStage';

/**
 * A file or folder the dealer chose in a native dialog. The shell keeps its path: commands that
 * read or write files take the token alone, and refuse a path or a token they did not issue.
 */
export interface ChosenFile {
  token: string;
  /** What the screen shows: a file's name when it is read, the whole path of a file written or a folder. */
  name: string;
}

/** A backup as the window lists it: a token (to inspect or restore it) in place of its path. */
export type ListedBackup = Omit<BackupInfo, 'path'> & { token: string };

/** What a backup holds, as the window gets it (without the file's path). */
export type BackupSummary = Omit<BackupContents, 'path'>;

/** What a restore did: the safety backup listed with its token. */
export type RestoreOutcome = Omit<RestoreSummary, 'safety_backup' | 'restored'> & {
  safety_backup: ListedBackup;
  restored: BackupSummary;
};

/** A damaged book, for the recovery screen: its newest good backup listed with its token. */
export type DamagedBookReport = Omit<DamagedBook, 'newest_good_backup' | 'backup_contents'> & {
  newest_good_backup: ListedBackup | null;
  backup_contents: BackupSummary | null;
};

/** What a whole-book export wrote (the window already shows the folder). */
export type BookExportReport = Omit<BookExportSummary, 'dir'>;

/** The backups screen (a type of the window's shell, not of the core). */
export interface BackupOverview {
  /** The folder beside the book that holds its backups. */
  folder: string;
  /** Newest first. */
  backups: ListedBackup[];
  /** The day's backup is being made in the background. */
  daily_running: boolean;
  /** Why the day's backup failed, when it did. */
  daily_error: BackupFailure | null;
}

/** A step of moving the whole book (the backup before a merge is one). */
export type MoveStage = TransferStage;

/** How far a whole-book export or import has come (`done` of `total` in the stage's unit). */
export interface MoveProgress {
  stage: MoveStage;
  done: number;
  total: number;
}

/** What importing a whole book did: the backup the core made before a merge listed with its token. */
export type BookImportReport = Omit<BookImportSummary, 'safety_backup'> & { safety_backup: ListedBackup | null };

export interface Backend {
  bookInfo(): Promise<BookInfo>;
  bookStats(): Promise<BookStats>;
  getSettings(): Promise<BookSettings>;
  updateSettings(settings: BookSettings): Promise<BookSettings>;
  listCustomers(query: ListQuery): Promise<ListPage>;
  searchCustomers(text: string, limit: number): Promise<CustomerRow[]>;
  getCustomer(id: number): Promise<Customer>;
  createCustomer(draft: CustomerDraft): Promise<Customer>;
  updateCustomer(id: number, draft: CustomerDraft): Promise<Customer>;
  deleteCustomer(id: number): Promise<null>;
  listTags(): Promise<TagCount[]>;
  /** The customer page: profile, totals and every timeline entry (each list newest first). */
  getCustomerStory(id: number): Promise<CustomerStory>;
  /** Adds a sale, note, interaction, wish or score; resolves with the refreshed story. */
  addEntry(customerId: number, entry: EntryDraft): Promise<CustomerStory>;
  updateEntry(id: number, entry: EntryDraft): Promise<CustomerStory>;
  deleteEntry(kind: EntryKind, id: number): Promise<CustomerStory>;
  /** Open, sourcing and offered wishes of the whole book, newest first. */
  openWishes(filter: string, limit: number): Promise<OpenWish[]>;

  // ---- importing contacts ----
  /** The system's file dialog; null when the dealer closed it. */
  chooseImportFile(): Promise<ChosenFile | null>;
  /** Reads the whole file (the token of chooseImportFile) and says what an import would do; writes nothing. */
  previewImport(file: string, options: ImportOptions): Promise<ImportPreview>;
  /** Imports the file, all or nothing; rejects with code "cancelled" after cancelImport. */
  commitImport(file: string, options: ImportOptions): Promise<ImportSummary>;
  /** Stops the running preview or commit. */
  cancelImport(): Promise<void>;
  undoImport(batchId: number): Promise<UndoSummary>;
  /** Past imports, newest first. */
  importBatches(): Promise<ImportBatch[]>;
  /** Remembers the mapping for files with the same headers. */
  saveImportMapping(mapping: ColumnMapping[]): Promise<void>;
  /** The save dialog, then the rejected rows with their reasons in `wording`'s words; where they went, or null. */
  saveRejectedRows(file: string, options: ImportOptions, wording: RejectedRowsWording): Promise<string | null>;
  /** Calls `handler` with each progress report of a running preview or commit; resolves with the way to stop. */
  onImportProgress(handler: (progress: ImportProgress) => void): Promise<() => void>;

  // ---- mailing lists ----
  /** Who the list would reach and who it leaves out (and why); writes nothing. */
  previewMailingList(filter: MailingFilter): Promise<MailingPreview>;
  /** The system's save dialog with `suggested` as the name; null when the dealer closed it. */
  chooseExportFile(suggested: string): Promise<ChosenFile | null>;
  /** Writes the list to `file` (the token of chooseExportFile); rejects with code "cancelled" after cancelJob. */
  exportMailingList(filter: MailingFilter, options: MailingFileOptions, file: string): Promise<MailingExport>;
  /** Stops the running export (a backup or restore runs to its end). */
  cancelJob(): Promise<void>;
  /** Calls `handler` with each progress report of an export, backup or restore. */
  onJobProgress(handler: (progress: JobProgress) => void): Promise<() => void>;

  // ---- the right to be forgotten ----
  eraseCustomer(id: number): Promise<ErasureSummary>;
  /** Backups (damaged copies included) that still hold the customer. */
  backupsHoldingCustomer(id: number): Promise<number>;

  // ---- backups ----
  backupOverview(): Promise<BackupOverview>;
  backUpNow(): Promise<ListedBackup>;
  /** What a backup file (a listed backup's token, or chooseRestoreFile's) holds, read without changing it. */
  inspectBackup(file: string): Promise<BackupSummary>;
  /** The system's open dialog for a backup file; null when the dealer closed it. */
  chooseRestoreFile(): Promise<ChosenFile | null>;
  /** Replaces the book with the backup `file` (a token; the current book is backed up first). */
  restoreBackup(file: string): Promise<RestoreOutcome>;
  /** Called when the backups folder changed by itself (the day's backup was made). */
  onBackupsChanged(handler: () => void): Promise<() => void>;
  /** Called when the day's backup failed, with why. */
  onBackupFailed(handler: (failure: BackupFailure) => void): Promise<() => void>;

  // ---- "Back up to…" another folder or drive (the shell keeps the path; the window never sends one) ----
  /** The chosen folder's name, whether it is reachable, the copies there, the reminder. */
  offsiteStatus(): Promise<OffsiteStatus>;
  /** The system's folder dialog, opened and remembered by the shell; null when the dealer closed it. */
  chooseOffsiteFolder(): Promise<OffsiteStatus | null>;
  /** Writes a copy of the book to the chosen folder. */
  backUpOffsite(): Promise<BackupInfo>;
  /** What a copy in the chosen folder holds, by the file name the status listed. */
  inspectOffsiteBackup(fileName: string): Promise<BackupSummary>;
  /** Replaces the book with a copy in the chosen folder (the current book is backed up first). */
  restoreOffsiteBackup(fileName: string): Promise<RestoreOutcome>;

  // ---- moving the whole book ----
  /** The system's folder dialog for where to export; null when the dealer closed it. */
  chooseBookExportDir(): Promise<ChosenFile | null>;
  /** The system's folder dialog for a book folder to import; null when the dealer closed it. */
  chooseBookImportDir(): Promise<ChosenFile | null>;
  /** What a book folder (chooseBookImportDir's token) holds, from its manifest only; writes nothing. */
  readBookManifest(folder: string): Promise<BookManifest>;
  /** Writes the whole book into `folder` (chooseBookExportDir's token; new or empty); "cancelled" after cancelJob. */
  exportBook(folder: string): Promise<BookExportReport>;
  /** Imports a book folder (merge: into a book that has customers, after a backup); "cancelled" after cancelJob. */
  importBook(folder: string, options: BookImportOptions): Promise<BookImportReport>;
  /** Calls `handler` with each progress report of a whole-book export or import. */
  onTransferProgress(handler: (progress: MoveProgress) => void): Promise<() => void>;

  // ---- a damaged book ----
  /** What opening found wrong with the book; null when it opened sound (or is still being checked). */
  bookHealth(): Promise<DamagedBookReport | null>;
  /** Calls `handler` when the check that runs after the window opens finds the book damaged. */
  onBookDamaged(handler: (damaged: DamagedBookReport) => void): Promise<() => void>;
  /** Calls `handler(true)` when a command has waited a second for another job holding the
   * book (a `loupe` command, a checkpoint), and `handler(false)` when the wait is over. */
  onBookWaiting(handler: (waiting: boolean) => void): Promise<() => void>;
  /** Puts `backup` (a listed backup's token, or chooseRestoreFile's) in place of the damaged book and opens it. */
  recoverBook(backup: string): Promise<RecoverySummary>;
}

type Invoke = <T>(cmd: string, args?: Record<string, unknown>) => Promise<T>;

/** `invoke`, with every rejection turned into an ErrorPayload. */
const tauriInvoke: Invoke = async <T>(cmd: string, args?: Record<string, unknown>) => {
  try {
    return await tauriCoreInvoke<T>(cmd, args);
  } catch (e) {
    throw toErrorPayload(e);
  }
};

/** The real backend: one thin call per Tauri command, names and argument objects exactly as the Rust side declares them. */
export function createTauriBackend(invoke: Invoke = tauriInvoke): Backend {
  return {
    bookInfo: () => invoke<BookInfo>('book_info'),
    bookStats: () => invoke<BookStats>('book_stats'),
    getSettings: () => invoke<BookSettings>('get_settings'),
    updateSettings: (settings) => invoke<BookSettings>('update_settings', { settings }),
    listCustomers: (query) => invoke<ListPage>('list_customers', { query }),
    searchCustomers: (text, limit) => invoke<CustomerRow[]>('search_customers', { text, limit }),
    getCustomer: (id) => invoke<Customer>('get_customer', { id }),
    createCustomer: (draft) => invoke<Customer>('create_customer', { draft }),
    updateCustomer: (id, draft) => invoke<Customer>('update_customer', { id, draft }),
    deleteCustomer: (id) => invoke<null>('delete_customer', { id }),
    listTags: () => invoke<TagCount[]>('list_tags'),
    getCustomerStory: (id) => invoke<CustomerStory>('get_customer_story', { id }),
    addEntry: (customerId, entry) => invoke<CustomerStory>('add_entry', { customerId, entry }),
    updateEntry: (id, entry) => invoke<CustomerStory>('update_entry', { id, entry }),
    deleteEntry: (kind, id) => invoke<CustomerStory>('delete_entry', { kind, id }),
    openWishes: (filter, limit) => invoke<OpenWish[]>('open_wishes', { filter, limit }),
    // The native dialogs speak the window's language: their words go with each call.
    chooseImportFile: () =>
      invoke<ChosenFile | null>('choose_import_file', { title: t('dialog.importContacts'), filter: t('dialog.contactFiles') }),
    previewImport: (file, options) => invoke<ImportPreview>('preview_import', { file, options }),
    commitImport: (file, options) => invoke<ImportSummary>('commit_import', { file, options }),
    cancelImport: () => invoke<void>('cancel_import'),
    undoImport: (batchId) => invoke<UndoSummary>('undo_import', { batchId }),
    importBatches: () => invoke<ImportBatch[]>('import_batches'),
    saveImportMapping: (mapping) => invoke<void>('save_import_mapping', { mapping }),
    saveRejectedRows: (file, options, wording) =>
      invoke<string | null>('save_rejected_rows', { file, options, wording, title: t('dialog.saveRejectedRows') }),
    onImportProgress: (handler) => listen<ImportProgress>('import-progress', (event) => handler(event.payload)),
    previewMailingList: (filter) => invoke<MailingPreview>('preview_mailing_list', { filter }),
    chooseExportFile: (suggested) =>
      invoke<ChosenFile | null>('choose_export_file', { suggested, title: t('dialog.saveMailingList') }),
    exportMailingList: (filter, options, file) => invoke<MailingExport>('export_mailing_list', { filter, options, file }),
    cancelJob: () => invoke<void>('cancel_job'),
    onJobProgress: (handler) => listen<JobProgress>('job-progress', (event) => handler(event.payload)),
    eraseCustomer: (id) => invoke<ErasureSummary>('erase_customer', { id }),
    backupsHoldingCustomer: (id) => invoke<number>('backups_holding_customer', { id }),
    backupOverview: () => invoke<BackupOverview>('backup_overview'),
    backUpNow: () => invoke<ListedBackup>('back_up_now'),
    inspectBackup: (file) => invoke<BackupSummary>('inspect_backup', { file }),
    chooseRestoreFile: () =>
      invoke<ChosenFile | null>('choose_restore_file', { title: t('dialog.restoreBackup'), filter: t('dialog.backupFiles') }),
    restoreBackup: (file) => invoke<RestoreOutcome>('restore_backup', { file }),
    onBackupsChanged: (handler) => listen('backups-changed', () => handler()),
    onBackupFailed: (handler) => listen<BackupFailure>('backup-failed', (event) => handler(event.payload)),
    offsiteStatus: () => invoke<OffsiteStatus>('offsite_status'),
    chooseOffsiteFolder: () => invoke<OffsiteStatus | null>('choose_offsite_folder', { title: t('dialog.offsiteFolder') }),
    backUpOffsite: () => invoke<BackupInfo>('back_up_offsite'),
    inspectOffsiteBackup: (fileName) => invoke<BackupSummary>('inspect_offsite_backup', { fileName }),
    restoreOffsiteBackup: (fileName) => invoke<RestoreOutcome>('restore_offsite_backup', { fileName }),
    chooseBookExportDir: () => invoke<ChosenFile | null>('choose_book_export_dir', { title: t('dialog.exportBook') }),
    chooseBookImportDir: () => invoke<ChosenFile | null>('choose_book_import_dir', { title: t('dialog.importBook') }),
    readBookManifest: (folder) => invoke<BookManifest>('read_book_manifest', { folder }),
    exportBook: (folder) => invoke<BookExportReport>('export_book', { folder }),
    importBook: (folder, options) => invoke<BookImportReport>('import_book', { folder, options }),
    onTransferProgress: (handler) => listen<MoveProgress>('transfer-progress', (event) => handler(event.payload)),
    bookHealth: () => invoke<DamagedBookReport | null>('book_health'),
    onBookDamaged: (handler) => listen<DamagedBookReport>('book-damaged', (event) => handler(event.payload)),
    onBookWaiting: (handler) => listen<boolean>('book-waiting', (event) => handler(event.payload)),
    recoverBook: (backup) => invoke<RecoverySummary>('recover_book', { backup }),
  };
}

const ERROR_CODES: readonly ErrorCode[] = [
  'invalid_input',
  'not_found',
  'newer_database',
  'not_a_book',
  'io',
  'storage',
  'cancelled',
  'damaged',
  'book_not_empty',
];

export function isErrorPayload(e: unknown): e is ErrorPayload {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as ErrorPayload).message === 'string' &&
    ERROR_CODES.includes((e as ErrorPayload).code)
  );
}

/**
 * Whatever a command rejected with, as an ErrorPayload. The core always sends
 * one; anything else (a missing command, a crashed IPC, a thrown Error in a
 * test) becomes a plain `io` error carrying its text.
 */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (isErrorPayload(e)) return { code: e.code, message: e.message, field: e.field ?? null, problem: e.problem ?? null };
  if (e instanceof Error) return { code: 'io', message: e.message, field: null, problem: null };
  if (typeof e === 'string') return { code: 'io', message: e, field: null, problem: null };
  return { code: 'io', message: String(e), field: null, problem: null };
}

const BACKEND = Symbol('loupe.backend');

/** Called once by the root component (App) with the real or a fake backend. */
export function setBackend(backend: Backend): Backend {
  return setContext(BACKEND, backend);
}

/** The backend for the component being initialised. */
export function useBackend(): Backend {
  const backend = getContext<Backend | undefined>(BACKEND);
  if (!backend) throw new Error('No backend: render components inside <App> or call setBackend first');
  return backend;
}
