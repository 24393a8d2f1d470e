/**
 * The one door to the Rust core. Every `invoke` in the UI goes through the
 * `Backend` interface below, so screens never name a command themselves and
 * unit tests can hand the app an in-memory backend instead of Tauri.
 */
import { getContext, setContext } from 'svelte';
import { Channel, invoke as tauriCoreInvoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { getCurrentWindow } from '@tauri-apps/api/window';
import { t } from './i18n/index.svelte';
import type { AboutLoupe } from './bindings/AboutLoupe';
import type { BookInfo } from './bindings/BookInfo';
import type { RecoverySummary } from './bindings/RecoverySummary';
import type { BookSettings } from './bindings/BookSettings';
import type { BookStats } from './bindings/BookStats';
import type { Customer } from './bindings/Customer';
import type { CustomerDraft } from './bindings/CustomerDraft';
import type { CustomerRow } from './bindings/CustomerRow';
import type { PossibleDuplicate } from './bindings/PossibleDuplicate';
import type { DuplicatePairs } from './bindings/DuplicatePairs';
import type { MergePlan } from './bindings/MergePlan';
import type { MergeRecord } from './bindings/MergeRecord';
import type { UndoMergeSummary } from './bindings/UndoMergeSummary';
import type { ErrorPayload } from './bindings/ErrorPayload';
import type { ListPage } from './bindings/ListPage';
import type { SearchResults } from './bindings/SearchResults';
import type { ListQuery } from './bindings/ListQuery';
import type { TagCount } from './bindings/TagCount';
import type { CustomerStory } from './bindings/CustomerStory';
import type { MembershipOverview } from './bindings/MembershipOverview';
import type { PointsDraft } from './bindings/PointsDraft';
import type { PointsLedger } from './bindings/PointsLedger';
import type { Agenda } from './bindings/Agenda';
import type { Campaign } from './bindings/Campaign';
import type { CampaignDraft } from './bindings/CampaignDraft';
import type { CampaignResult } from './bindings/CampaignResult';
import type { CsvTable } from './bindings/CsvTable';
import type { LabelLayout } from './bindings/LabelLayout';
import type { LabelsExport } from './bindings/LabelsExport';
import type { PrintLanguage } from './bindings/PrintLanguage';
import type { Expense } from './bindings/Expense';
import type { ExpenseDraft } from './bindings/ExpenseDraft';
import type { Insights } from './bindings/Insights';
import type { InsightsQuery } from './bindings/InsightsQuery';
import type { AgendaCounts } from './bindings/AgendaCounts';
import type { Arrival } from './bindings/Arrival';
import type { ArrivalDraft } from './bindings/ArrivalDraft';
import type { ArrivalMatches } from './bindings/ArrivalMatches';
import type { Reminder } from './bindings/Reminder';
import type { ReminderClosed } from './bindings/ReminderClosed';
import type { ReminderDone } from './bindings/ReminderDone';
import type { ReminderDraft } from './bindings/ReminderDraft';
import type { EntryDraft } from './bindings/EntryDraft';
import type { EntryKind } from './bindings/EntryKind';
import type { SaleCollection } from './bindings/SaleCollection';
import type { OpenWish } from './bindings/OpenWish';
import type { ColumnMapping } from './bindings/ColumnMapping';
import type { ImportBatch } from './bindings/ImportBatch';
import type { ImportOptions } from './bindings/ImportOptions';
import type { RejectedRowsWording } from './bindings/RejectedRowsWording';
import type { ImportPreview } from './bindings/ImportPreview';
import type { ImportProgress } from './bindings/ImportProgress';
import type { ImportSummary } from './bindings/ImportSummary';
import type { UndoSummary } from './bindings/UndoSummary';
import type { BackupInfo } from './bindings/BackupInfo';
import type { BackupFailure } from './bindings/BackupFailure';
import type { OffsiteStatus } from './bindings/OffsiteStatus';
import type { ErasureSummary } from './bindings/ErasureSummary';
import type { JobProgress } from './bindings/JobProgress';
import type { MailingExport } from './bindings/MailingExport';
import type { MailingFileOptions } from './bindings/MailingFileOptions';
import type { MailingFilter } from './bindings/MailingFilter';
import type { CustomerFilter } from './bindings/CustomerFilter';
import type { SavedSegment } from './bindings/SavedSegment';
import type { SegmentCount } from './bindings/SegmentCount';
import type { MailingPreview } from './bindings/MailingPreview';
import type { BookImportOptions } from './bindings/BookImportOptions';
import type { BookManifest } from './bindings/BookManifest';
import type { TransferStage } from './bindings/TransferStage';
import type { TransferProgress } from './bindings/TransferProgress';
import type { FileToken } from './bindings/shell/FileToken';
import type { ListedBackup } from './bindings/shell/ListedBackup';
import type { BackupSummary } from './bindings/shell/BackupSummary';
import type { RestoreOutcome } from './bindings/shell/RestoreOutcome';
import type { DamagedBookReport } from './bindings/shell/DamagedBookReport';
import type { BookExportReport } from './bindings/shell/BookExportReport';
import type { BookImportReport } from './bindings/shell/BookImportReport';
import type { BackupOverview } from './bindings/shell/BackupOverview';
import { ERROR_CODES, type Commands, type Events } from './bindings/shell/commands';
import type { JobLink } from './job.svelte';

/** A file or folder the dealer chose in a native dialog: a token (the shell keeps its path) and a name to show. */
export type ChosenFile = FileToken;
export type { ListedBackup, BackupSummary, RestoreOutcome, DamagedBookReport, BookExportReport, BookImportReport, BackupOverview };

/** A step of moving the whole book (the backup before a merge is one). */
export type MoveStage = TransferStage;

/** How far a whole-book export or import has come (`done` of `total` in the stage's unit). */
export type MoveProgress = TransferProgress;

export interface Backend {
  /** The day the book fixes as today (LOUPE_TODAY), or null on a dealer's laptop. */
  fixedToday(): Promise<string | null>;
  bookInfo(): Promise<BookInfo>;
  bookStats(): Promise<BookStats>;
  /** Settings → About: the version and the book's path, size and schema. */
  aboutLoupe(): Promise<AboutLoupe>;
  /** Opens the log folder in the file manager; resolves with its path. */
  openLogFolder(): Promise<string>;
  getSettings(): Promise<BookSettings>;
  updateSettings(settings: BookSettings): Promise<BookSettings>;
  listCustomers(query: ListQuery): Promise<ListPage>;
  searchCustomers(text: string, limit: number): Promise<CustomerRow[]>;
  /** The search box: the best `limit` customers, whether more match, and the sold pieces whose reference or serial matches. */
  search(text: string, limit: number): Promise<SearchResults>;
  /** How many customers match `text` in all (the search box's "See all N"), asked for after `search`. */
  countMatches(text: string): Promise<number>;
  getCustomer(id: number): Promise<Customer>;
  createCustomer(draft: CustomerDraft): Promise<Customer>;
  updateCustomer(id: number, draft: CustomerDraft): Promise<Customer>;
  /** Who in the book the profile being typed may duplicate (`except`: the customer being edited), certain ones first. */
  possibleDuplicates(draft: CustomerDraft, except: number | null): Promise<PossibleDuplicate[]>;
  deleteCustomer(id: number): Promise<null>;
  listTags(): Promise<TagCount[]>;
  /** The customer page: profile, totals and every timeline entry (each list newest first). */
  getCustomerStory(id: number): Promise<CustomerStory>;
  /** Adds a sale, note, interaction, wish or score; resolves with the refreshed story. */
  addEntry(customerId: number, entry: EntryDraft): Promise<CustomerStory>;
  updateEntry(id: number, entry: EntryDraft): Promise<CustomerStory>;
  deleteEntry(kind: EntryKind, id: number): Promise<CustomerStory>;
  /** Marks a sale awaiting collection as collected, taking the balance; returns the page. */
  collectPurchase(id: number, collection: SaleCollection): Promise<CustomerStory>;
  /** Open, sourcing and offered wishes of the whole book, newest first. */
  openWishes(filter: string, limit: number): Promise<OpenWish[]>;

  // ---- one person, one customer ----
  /** Pairs of customers who may be one person, strongest first: the first `limit` and the total. */
  duplicatePairs(limit: number): Promise<DuplicatePairs>;
  /** What merging `otherId` into `keptId` would do; writes nothing. */
  planMerge(keptId: number, otherId: number): Promise<MergePlan>;
  /** Merges `otherId` into `keptId`; the record's id undoes it. */
  mergeCustomers(keptId: number, otherId: number): Promise<MergeRecord>;
  undoMerge(mergeId: number): Promise<UndoMergeSummary>;
  /** The two are different people: no longer listed as possible duplicates. */
  markDistinct(firstId: number, secondId: number): Promise<null>;
  unmarkDistinct(firstId: number, secondId: number): Promise<null>;

  // ---- importing contacts ----
  /** The system's file dialog; null when the dealer closed it. */
  chooseImportFile(): Promise<ChosenFile | null>;
  /** Reads the whole file (the token of chooseImportFile) and says what an import would do; writes nothing. */
  previewImport(file: string, options: ImportOptions, job?: JobLink<ImportProgress>): Promise<ImportPreview>;
  /** Imports the file, all or nothing; rejects with code "cancelled" when stopped through `job`. */
  commitImport(file: string, options: ImportOptions, job?: JobLink<ImportProgress>): Promise<ImportSummary>;
  undoImport(batchId: number): Promise<UndoSummary>;
  /** Past imports, newest first. */
  importBatches(): Promise<ImportBatch[]>;
  /** Remembers the mapping for files with the same headers. */
  saveImportMapping(mapping: ColumnMapping[]): Promise<void>;
  /** The save dialog, then the rejected rows with their reasons in `wording`'s words; where they went, or null. */
  saveRejectedRows(file: string, options: ImportOptions, wording: RejectedRowsWording): Promise<string | null>;

  // ---- mailing lists ----
  /** Who the list would reach and who it leaves out (and why); writes nothing. */
  previewMailingList(filter: MailingFilter): Promise<MailingPreview>;
  /** The system's save dialog with `suggested` as the name; null when the dealer closed it. */
  chooseExportFile(suggested: string): Promise<ChosenFile | null>;
  /**
   * Writes the list to `file` (the token of chooseExportFile) and, given `campaign`, records it as that campaign once written
   * whole; rejects with code "cancelled" when stopped through `job`.
   */
  exportMailingList(
    filter: MailingFilter,
    options: MailingFileOptions,
    file: string,
    campaign: string | null,
    job?: JobLink<JobProgress>,
  ): Promise<MailingExport>;

  // ---- printing: a PDF written where the dealer chose, then opened in the system's viewer ----
  /** The save dialog for address labels; null when the dealer closed it. */
  chooseLabelsFile(suggested: string): Promise<ChosenFile | null>;
  /** Prints the postal list of `filter` as labels to `file` (a token of chooseLabelsFile); "cancelled" when stopped through `job`. */
  printLabels(filter: MailingFilter, layout: LabelLayout, file: string, job?: JobLink<JobProgress>): Promise<LabelsExport>;
  chooseReceiptFile(suggested: string): Promise<ChosenFile | null>;
  /** Prints a sale's receipt (in the customer's language unless `language`); resolves to where it went. */
  printReceipt(purchaseId: number, language: PrintLanguage | null, file: string): Promise<string>;
  chooseCardFile(suggested: string): Promise<ChosenFile | null>;
  /** Prints a customer's card in `language`; resolves to where it went. */
  printCard(customerId: number, language: PrintLanguage, file: string): Promise<string>;

  // ---- audiences: saved segments and the counts per segment ----
  /** Every saved segment, by name, with how many customers it selects now. */
  savedSegments(): Promise<SavedSegment[]>;
  /** Saves `filter` under `name`: a new segment when `id` is null, else that one renamed and changed. */
  saveSegment(id: number | null, name: string, filter: CustomerFilter): Promise<SavedSegment>;
  deleteSegment(id: number): Promise<void>;
  /** How many customers of the audience are in each segment (its own segments ignored), all six in order. */
  segmentCounts(filter: CustomerFilter): Promise<SegmentCount[]>;

  // ---- membership: points moved by hand, the programme at a glance ----
  /** Customer `id`'s points ledger, newest first, with the balance. */
  pointsLedger(id: number): Promise<PointsLedger>;
  /** Adds or takes off points with the dealer's reason; never below zero. */
  adjustPoints(id: number, draft: PointsDraft): Promise<PointsLedger>;
  /** Redeems points outside a sale; refused when the balance is short. */
  redeemPoints(id: number, draft: PointsDraft): Promise<PointsLedger>;
  /** Members per tier, this month's upgrades and downgrades, points outstanding. */
  membershipOverview(): Promise<MembershipOverview>;

  // ---- insights: the numbers of a period, campaigns and marketing spend ----
  /** Every number of the period for the audience, with the period before's, months, cohorts, brands and categories. */
  insights(query: InsightsQuery): Promise<Insights>;
  /** What each campaign brought (targeted, responded, revenue, cost per order), newest first. */
  campaignResults(): Promise<CampaignResult[]>;
  /** Every campaign, newest first. */
  campaigns(): Promise<Campaign[]>;
  addCampaign(draft: CampaignDraft): Promise<Campaign>;
  /** Other marketing spend (a fair stand, an advert). */
  addExpense(draft: ExpenseDraft): Promise<Expense>;
  /** Every other marketing expense, newest first. */
  expenses(): Promise<Expense[]>;
  /** The system's save dialog for a table's CSV; null when the dealer closed it. */
  chooseTableFile(suggested: string, title: string): Promise<ChosenFile | null>;
  /** Writes a chart's numbers to `file` (a token of chooseTableFile); resolves to where. */
  saveTable(table: CsvTable, file: string): Promise<string>;

  // ---- the follow-up agenda and the pieces that arrive ----
  /** Open reminders shown up to `days` ahead (overdue ones included), soonest first. */
  agenda(days: number): Promise<Agenda>;
  /** How many reminders are overdue, due today and this week (the navigation's badge). */
  agendaCounts(): Promise<AgendaCounts>;
  /** Whether anything is overdue or due today: the window then opens on the agenda. */
  agendaDue(): Promise<boolean>;
  /** Customer `id`'s open reminders, soonest first. */
  customerReminders(id: number): Promise<Reminder[]>;
  /** A reminder typed for customer `id`. */
  addReminder(id: number, draft: ReminderDraft): Promise<Reminder>;
  /** Changes an open reminder the dealer typed. */
  updateReminder(id: number, draft: ReminderDraft): Promise<Reminder>;
  /** Deletes a reminder the dealer typed; resolves to whose it was. */
  deleteReminder(id: number): Promise<number>;
  /** Done: records the contact on the customer's timeline with its outcome; a repeating one comes back. */
  completeReminder(id: number, done: ReminderDone): Promise<ReminderClosed>;
  /** Shows the reminder again on `until` (YYYY-MM-DD, after today). */
  snoozeReminder(id: number, until: string): Promise<Reminder>;
  /** Closes the reminder without a contact. */
  dismissReminder(id: number): Promise<ReminderClosed>;
  /** Records a piece that came in; the customers it suits, best first. */
  addArrival(draft: ArrivalDraft): Promise<ArrivalMatches>;
  /** The pieces recorded, newest first. */
  arrivals(): Promise<Arrival[]>;
  /** A piece recorded and the customers it suits now. */
  arrivalMatches(id: number): Promise<ArrivalMatches>;
  /** "Tell them": a reminder due today for each customer chosen; resolves to those made. */
  remindArrival(id: number, customers: number[]): Promise<Reminder[]>;
  /** Deletes a piece recorded and its open "tell them" reminders. */
  deleteArrival(id: number): Promise<void>;

  // ---- the right to be forgotten ----
  eraseCustomer(id: number): Promise<ErasureSummary>;
  /** Backups (damaged copies included) that still hold the customer. */
  backupsHoldingCustomer(id: number): Promise<number>;

  // ---- backups ----
  backupOverview(): Promise<BackupOverview>;
  backUpNow(job?: JobLink<JobProgress>): Promise<ListedBackup>;
  /** What a backup file (a listed backup's token, or chooseRestoreFile's) holds, read without changing it. */
  inspectBackup(file: string): Promise<BackupSummary>;
  /** The system's open dialog for a backup file; null when the dealer closed it. */
  chooseRestoreFile(): Promise<ChosenFile | null>;
  /** Replaces the book with the backup `file` (a token; the current book is backed up first). */
  restoreBackup(file: string, job?: JobLink<JobProgress>): Promise<RestoreOutcome>;
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
  backUpOffsite(job?: JobLink<JobProgress>): Promise<BackupInfo>;
  /** What a copy in the chosen folder holds, by the file name the status listed. */
  inspectOffsiteBackup(fileName: string): Promise<BackupSummary>;
  /** Replaces the book with a copy in the chosen folder (the current book is backed up first). */
  restoreOffsiteBackup(fileName: string, job?: JobLink<JobProgress>): Promise<RestoreOutcome>;

  // ---- moving the whole book ----
  /** The system's folder dialog for where to export; null when the dealer closed it. */
  chooseBookExportDir(): Promise<ChosenFile | null>;
  /** The system's folder dialog for a book folder to import; null when the dealer closed it. */
  chooseBookImportDir(): Promise<ChosenFile | null>;
  /** What a book folder (chooseBookImportDir's token) holds, from its manifest only; writes nothing. */
  readBookManifest(folder: string): Promise<BookManifest>;
  /** Writes the whole book into `folder` (chooseBookExportDir's token; new or empty); "cancelled" when stopped through `job`. */
  exportBook(folder: string, job?: JobLink<MoveProgress>): Promise<BookExportReport>;
  /** Imports a book folder (merge: into a book that has customers, after a backup); "cancelled" when stopped through `job`. */
  importBook(folder: string, options: BookImportOptions, job?: JobLink<MoveProgress>): Promise<BookImportReport>;

  // ---- a damaged book ----
  /** What opening found wrong with the book; null when it opened sound (or is still being checked). */
  bookHealth(): Promise<DamagedBookReport | null>;
  /** Calls `handler` when the check that runs after the window opens finds the book damaged. */
  onBookDamaged(handler: (damaged: DamagedBookReport) => void): Promise<() => void>;
  /** Calls `handler(true)` when a command has waited a second for another job holding the
   * book (a `loupe` command, a checkpoint), and `handler(false)` when the wait is over. */
  onBookWaiting(handler: (waiting: boolean) => void): Promise<() => void>;
  /** The whole book's standing was evaluated again by itself (a new day): read what is shown again. */
  onStandingChanged(handler: () => void): Promise<() => void>;
  /** Puts `backup` (a listed backup's token, or chooseRestoreFile's) in place of the damaged book and opens it. */
  recoverBook(backup: string): Promise<RecoverySummary>;

  // ---- the window itself ----
  /** Asks `mayClose` when the dealer closes the window; false keeps it open (to ask about unsaved work first). */
  onCloseRequested(mayClose: () => boolean): Promise<() => void>;
  /** Closes the window, asking nothing more. */
  closeWindow(): Promise<void>;
}

/** `invoke`, typed by the shell's generated contract: a command's name, arguments and result. */
export type Invoke = <K extends keyof Commands>(command: K, args?: Commands[K]['args']) => Promise<Commands[K]['returns']>;

/** The channel a long job reports its progress over, linked to the screen's `job`: its id stops the job. */
export type OpenChannel = <P>(job: JobLink<P> | undefined, cancel: (channelId: number) => Promise<unknown>) => Channel<P>;

/** `invoke`, with every rejection turned into an ErrorPayload. */
const tauriInvoke: Invoke = async (command, args) => {
  try {
    return await tauriCoreInvoke(command, args);
  } catch (e) {
    throw toErrorPayload(e);
  }
};

const openTauriChannel: OpenChannel = <P>(job: JobLink<P> | undefined, cancel: (channelId: number) => Promise<unknown>) => {
  const channel = new Channel<P>();
  if (job) {
    channel.onmessage = (progress) => job.report(progress);
    job.started(async () => {
      await cancel(channel.id);
    });
  }
  return channel;
};

/** Listens to one of the shell's events, typed by the contract. */
function on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): Promise<() => void> {
  return listen<Events[E]>(event, (message) => handler(message.payload));
}

/** The real backend: one thin call per Tauri command, names and arguments checked against the shell's contract. */
export function createTauriBackend(invoke: Invoke = tauriInvoke, openChannel: OpenChannel = openTauriChannel): Backend {
  const progress = <P>(job: JobLink<P> | undefined) => openChannel(job, (id) => invoke('cancel_job', { job: id }));
  return {
    fixedToday: () => invoke('fixed_today'),
    bookInfo: () => invoke('book_info'),
    bookStats: () => invoke('book_stats'),
    aboutLoupe: () => invoke('about_loupe'),
    openLogFolder: () => invoke('open_log_folder'),
    getSettings: () => invoke('get_settings'),
    updateSettings: (settings) => invoke('update_settings', { settings }),
    listCustomers: (query) => invoke('list_customers', { query }),
    searchCustomers: (text, limit) => invoke('search_customers', { text, limit }),
    search: (text, limit) => invoke('search', { text, limit }),
    countMatches: (text) => invoke('count_matches', { text }),
    getCustomer: (id) => invoke('get_customer', { id }),
    createCustomer: (draft) => invoke('create_customer', { draft }),
    updateCustomer: (id, draft) => invoke('update_customer', { id, draft }),
    possibleDuplicates: (draft, except) => invoke('possible_duplicates', { draft, except }),
    deleteCustomer: (id) => invoke('delete_customer', { id }),
    listTags: () => invoke('list_tags'),
    getCustomerStory: (id) => invoke('get_customer_story', { id }),
    addEntry: (customerId, entry) => invoke('add_entry', { customerId, entry }),
    updateEntry: (id, entry) => invoke('update_entry', { id, entry }),
    deleteEntry: (kind, id) => invoke('delete_entry', { kind, id }),
    collectPurchase: (id, collection) => invoke('collect_purchase', { id, collection }),
    openWishes: (filter, limit) => invoke('open_wishes', { filter, limit }),
    duplicatePairs: (limit) => invoke('duplicate_pairs', { limit }),
    planMerge: (keptId, otherId) => invoke('plan_merge', { keptId, otherId }),
    mergeCustomers: (keptId, otherId) => invoke('merge_customers', { keptId, otherId }),
    undoMerge: (mergeId) => invoke('undo_merge', { mergeId }),
    markDistinct: (firstId, secondId) => invoke('mark_distinct', { firstId, secondId }),
    unmarkDistinct: (firstId, secondId) => invoke('unmark_distinct', { firstId, secondId }),
    // The native dialogs speak the window's language: their words go with each call.
    chooseImportFile: () =>
      invoke('choose_import_file', {
        title: t('dialog.importContacts'),
        filter: t('dialog.contactFiles'),
        allFiles: t('dialog.allFiles'),
      }),
    previewImport: (file, options, job) => invoke('preview_import', { file, options, progress: progress(job) }),
    commitImport: (file, options, job) => invoke('commit_import', { file, options, progress: progress(job) }),
    undoImport: (batchId) => invoke('undo_import', { batchId }),
    importBatches: () => invoke('import_batches'),
    saveImportMapping: async (mapping) => {
      await invoke('save_import_mapping', { mapping });
    },
    saveRejectedRows: (file, options, wording) =>
      invoke('save_rejected_rows', { file, options, wording, title: t('dialog.saveRejectedRows') }),
    previewMailingList: (filter) => invoke('preview_mailing_list', { filter }),
    chooseExportFile: (suggested) => invoke('choose_export_file', { suggested, title: t('dialog.saveMailingList') }),
    exportMailingList: (filter, options, file, campaign, job) =>
      invoke('export_mailing_list', { filter, options, file, campaign, progress: progress(job) }),
    chooseLabelsFile: (suggested) => invoke('choose_labels_file', { suggested, title: t('print.saveLabels') }),
    printLabels: (filter, layout, file, job) => invoke('print_labels', { filter, layout, file, progress: progress(job) }),
    chooseReceiptFile: (suggested) => invoke('choose_receipt_file', { suggested, title: t('print.saveReceipt') }),
    printReceipt: (purchaseId, language, file) => invoke('print_receipt', { purchaseId, language, file }),
    chooseCardFile: (suggested) => invoke('choose_card_file', { suggested, title: t('print.saveCard') }),
    printCard: (customerId, language, file) => invoke('print_card', { customerId, language, file }),
    savedSegments: () => invoke('saved_segments'),
    saveSegment: (id, name, filter) => invoke('save_segment', { id, name, filter }),
    deleteSegment: async (id) => {
      await invoke('delete_segment', { id });
    },
    segmentCounts: (filter) => invoke('segment_counts', { filter }),
    pointsLedger: (id) => invoke('points_ledger', { id }),
    adjustPoints: (id, draft) => invoke('adjust_points', { id, draft }),
    redeemPoints: (id, draft) => invoke('redeem_points', { id, draft }),
    membershipOverview: () => invoke('membership_overview'),
    insights: (query) => invoke('insights', { query }),
    campaignResults: () => invoke('campaign_results'),
    campaigns: () => invoke('campaigns'),
    addCampaign: (draft) => invoke('add_campaign', { draft }),
    addExpense: (draft) => invoke('add_expense', { draft }),
    expenses: () => invoke('expenses'),
    chooseTableFile: (suggested, title) => invoke('choose_table_file', { suggested, title }),
    saveTable: (table, file) => invoke('save_table', { table, file }),
    agenda: (days) => invoke('agenda', { days }),
    agendaCounts: () => invoke('agenda_counts'),
    agendaDue: () => invoke('agenda_due'),
    customerReminders: (id) => invoke('customer_reminders', { id }),
    addReminder: (id, draft) => invoke('add_reminder', { id, draft }),
    updateReminder: (id, draft) => invoke('update_reminder', { id, draft }),
    deleteReminder: (id) => invoke('delete_reminder', { id }),
    completeReminder: (id, done) => invoke('complete_reminder', { id, done }),
    snoozeReminder: (id, until) => invoke('snooze_reminder', { id, snooze: { until } }),
    dismissReminder: (id) => invoke('dismiss_reminder', { id }),
    addArrival: (draft) => invoke('add_arrival', { draft }),
    arrivals: () => invoke('arrivals'),
    arrivalMatches: (id) => invoke('arrival_matches', { id }),
    remindArrival: (id, customers) => invoke('remind_arrival', { id, customers }),
    deleteArrival: async (id) => {
      await invoke('delete_arrival', { id });
    },
    eraseCustomer: (id) => invoke('erase_customer', { id }),
    backupsHoldingCustomer: (id) => invoke('backups_holding_customer', { id }),
    backupOverview: () => invoke('backup_overview'),
    backUpNow: (job) => invoke('back_up_now', { progress: progress(job) }),
    inspectBackup: (file) => invoke('inspect_backup', { file }),
    chooseRestoreFile: () => invoke('choose_restore_file', { title: t('dialog.restoreBackup'), filter: t('dialog.backupFiles') }),
    restoreBackup: (file, job) => invoke('restore_backup', { file, progress: progress(job) }),
    onBackupsChanged: (handler) => on('backups-changed', () => handler()),
    onBackupFailed: (handler) => on('backup-failed', handler),
    offsiteStatus: () => invoke('offsite_status'),
    chooseOffsiteFolder: () => invoke('choose_offsite_folder', { title: t('dialog.offsiteFolder') }),
    backUpOffsite: (job) => invoke('back_up_offsite', { progress: progress(job) }),
    inspectOffsiteBackup: (fileName) => invoke('inspect_offsite_backup', { fileName }),
    restoreOffsiteBackup: (fileName, job) => invoke('restore_offsite_backup', { fileName, progress: progress(job) }),
    chooseBookExportDir: () => invoke('choose_book_export_dir', { title: t('dialog.exportBook') }),
    chooseBookImportDir: () => invoke('choose_book_import_dir', { title: t('dialog.importBook') }),
    readBookManifest: (folder) => invoke('read_book_manifest', { folder }),
    exportBook: (folder, job) => invoke('export_book', { folder, progress: progress(job) }),
    importBook: (folder, options, job) => invoke('import_book', { folder, options, progress: progress(job) }),
    bookHealth: () => invoke('book_health'),
    onBookDamaged: (handler) => on('book-damaged', handler),
    onBookWaiting: (handler) => on('book-waiting', handler),
    onStandingChanged: (handler) => on('standing-changed', () => handler()),
    recoverBook: (backup) => invoke('recover_book', { backup }),
    onCloseRequested: (mayClose) =>
      getCurrentWindow().onCloseRequested((event) => {
        if (!mayClose()) event.preventDefault();
      }),
    closeWindow: () => getCurrentWindow().destroy(),
  };
}

export function isErrorPayload(e: unknown): e is ErrorPayload {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as ErrorPayload).message === 'string' &&
    (ERROR_CODES as readonly string[]).includes((e as ErrorPayload).code)
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

/** The context that gives one component its backend when it is rendered outside App (unit tests). */
export function backendContext(backend: Backend): Map<symbol, Backend> {
  return new Map([[BACKEND, backend]]);
}

/** The backend for the component being initialised. */
export function useBackend(): Backend {
  const backend = getContext<Backend | undefined>(BACKEND);
  if (!backend) throw new Error('No backend: render components inside <App> or call setBackend first');
  return backend;
}
