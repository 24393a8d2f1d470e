// Generated from the shell's commands (src-tauri/app/src/commands/); do not edit. Regenerate with
// LOUPE_UPDATE_BINDINGS=1 cargo test -p loupe-desktop --features e2e-hooks contract
import type { Channel as ProgressChannel } from '@tauri-apps/api/core';
import type { AboutLoupe } from '../AboutLoupe';
import type { Agenda } from '../Agenda';
import type { AgendaCounts } from '../AgendaCounts';
import type { Arrival } from '../Arrival';
import type { ArrivalDraft } from '../ArrivalDraft';
import type { ArrivalMatches } from '../ArrivalMatches';
import type { BackupFailure } from '../BackupFailure';
import type { BackupInfo } from '../BackupInfo';
import type { BackupOverview } from './BackupOverview';
import type { BackupSummary } from './BackupSummary';
import type { BookExportReport } from './BookExportReport';
import type { BookImportOptions } from '../BookImportOptions';
import type { BookImportReport } from './BookImportReport';
import type { BookInfo } from '../BookInfo';
import type { BookManifest } from '../BookManifest';
import type { BookSettings } from '../BookSettings';
import type { BookStats } from '../BookStats';
import type { Campaign } from '../Campaign';
import type { CampaignDraft } from '../CampaignDraft';
import type { CampaignResult } from '../CampaignResult';
import type { ColumnMapping } from '../ColumnMapping';
import type { CsvTable } from '../CsvTable';
import type { Customer } from '../Customer';
import type { CustomerDraft } from '../CustomerDraft';
import type { CustomerFilter } from '../CustomerFilter';
import type { CustomerRow } from '../CustomerRow';
import type { CustomerStory } from '../CustomerStory';
import type { DamagedBookReport } from './DamagedBookReport';
import type { DuplicatePairs } from '../DuplicatePairs';
import type { EntryDraft } from '../EntryDraft';
import type { EntryKind } from '../EntryKind';
import type { ErasureSummary } from '../ErasureSummary';
import type { Expense } from '../Expense';
import type { ExpenseDraft } from '../ExpenseDraft';
import type { FileToken } from './FileToken';
import type { ImportBatch } from '../ImportBatch';
import type { ImportOptions } from '../ImportOptions';
import type { ImportPreview } from '../ImportPreview';
import type { ImportProgress } from '../ImportProgress';
import type { ImportSummary } from '../ImportSummary';
import type { Insights } from '../Insights';
import type { InsightsQuery } from '../InsightsQuery';
import type { JobProgress } from '../JobProgress';
import type { LabelLayout } from '../LabelLayout';
import type { LabelsExport } from '../LabelsExport';
import type { ListPage } from '../ListPage';
import type { ListQuery } from '../ListQuery';
import type { ListedBackup } from './ListedBackup';
import type { MailingExport } from '../MailingExport';
import type { MailingFileOptions } from '../MailingFileOptions';
import type { MailingFilter } from '../MailingFilter';
import type { MailingPreview } from '../MailingPreview';
import type { MembershipOverview } from '../MembershipOverview';
import type { MergePlan } from '../MergePlan';
import type { MergeRecord } from '../MergeRecord';
import type { OffsiteStatus } from '../OffsiteStatus';
import type { OpenWish } from '../OpenWish';
import type { PointsDraft } from '../PointsDraft';
import type { PointsLedger } from '../PointsLedger';
import type { PossibleDuplicate } from '../PossibleDuplicate';
import type { PrintLanguage } from '../PrintLanguage';
import type { RecoverySummary } from '../RecoverySummary';
import type { RejectedRowsWording } from '../RejectedRowsWording';
import type { Reminder } from '../Reminder';
import type { ReminderClosed } from '../ReminderClosed';
import type { ReminderDone } from '../ReminderDone';
import type { ReminderDraft } from '../ReminderDraft';
import type { ReminderSnooze } from '../ReminderSnooze';
import type { RestoreOutcome } from './RestoreOutcome';
import type { SaleCollection } from '../SaleCollection';
import type { SavedSegment } from '../SavedSegment';
import type { SearchResults } from '../SearchResults';
import type { SegmentCount } from '../SegmentCount';
import type { TagCount } from '../TagCount';
import type { TransferProgress } from '../TransferProgress';
import type { UndoMergeSummary } from '../UndoMergeSummary';
import type { UndoSummary } from '../UndoSummary';

/** Every command the shell registers: the arguments `invoke` takes and what it resolves with. */
export interface Commands {
  fixed_today: { args: Record<string, never>; returns: string | null };
  book_info: { args: Record<string, never>; returns: BookInfo };
  book_stats: { args: Record<string, never>; returns: BookStats };
  about_loupe: { args: Record<string, never>; returns: AboutLoupe };
  open_log_folder: { args: Record<string, never>; returns: string };
  get_settings: { args: Record<string, never>; returns: BookSettings };
  update_settings: { args: { settings: BookSettings }; returns: BookSettings };
  book_health: { args: Record<string, never>; returns: DamagedBookReport | null };
  recover_book: { args: { backup: string }; returns: RecoverySummary };
  list_customers: { args: { query: ListQuery }; returns: ListPage };
  search_customers: { args: { text: string; limit: number }; returns: Array<CustomerRow> };
  search: { args: { text: string; limit: number }; returns: SearchResults };
  count_matches: { args: { text: string }; returns: number };
  get_customer: { args: { id: number }; returns: Customer };
  create_customer: { args: { draft: CustomerDraft }; returns: Customer };
  possible_duplicates: { args: { draft: CustomerDraft; except: number | null }; returns: Array<PossibleDuplicate> };
  update_customer: { args: { id: number; draft: CustomerDraft }; returns: Customer };
  delete_customer: { args: { id: number }; returns: null };
  list_tags: { args: Record<string, never>; returns: Array<TagCount> };
  get_customer_story: { args: { id: number }; returns: CustomerStory };
  add_entry: { args: { customerId: number; entry: EntryDraft }; returns: CustomerStory };
  update_entry: { args: { id: number; entry: EntryDraft }; returns: CustomerStory };
  delete_entry: { args: { kind: EntryKind; id: number }; returns: CustomerStory };
  collect_purchase: { args: { id: number; collection: SaleCollection }; returns: CustomerStory };
  open_wishes: { args: { filter: string; limit: number }; returns: Array<OpenWish> };
  erase_customer: { args: { id: number }; returns: ErasureSummary };
  backups_holding_customer: { args: { id: number }; returns: number };
  choose_import_file: { args: { title: string; filter: string; allFiles: string }; returns: FileToken | null };
  preview_import: { args: { file: string; options: ImportOptions; progress: ProgressChannel<ImportProgress> }; returns: ImportPreview };
  commit_import: { args: { file: string; options: ImportOptions; progress: ProgressChannel<ImportProgress> }; returns: ImportSummary };
  undo_import: { args: { batchId: number }; returns: UndoSummary };
  import_batches: { args: Record<string, never>; returns: Array<ImportBatch> };
  save_import_mapping: { args: { mapping: Array<ColumnMapping> }; returns: null };
  save_rejected_rows: { args: { file: string; options: ImportOptions; wording: RejectedRowsWording; title: string }; returns: string | null };
  cancel_job: { args: { job: number }; returns: null };
  preview_mailing_list: { args: { filter: MailingFilter }; returns: MailingPreview };
  choose_export_file: { args: { suggested: string; title: string }; returns: FileToken | null };
  export_mailing_list: { args: { filter: MailingFilter; options: MailingFileOptions; file: string; campaign: string | null; progress: ProgressChannel<JobProgress> }; returns: MailingExport };
  choose_labels_file: { args: { suggested: string; title: string }; returns: FileToken | null };
  choose_receipt_file: { args: { suggested: string; title: string }; returns: FileToken | null };
  choose_card_file: { args: { suggested: string; title: string }; returns: FileToken | null };
  print_labels: { args: { filter: MailingFilter; layout: LabelLayout; file: string; progress: ProgressChannel<JobProgress> }; returns: LabelsExport };
  print_receipt: { args: { purchaseId: number; language: PrintLanguage | null; file: string }; returns: string };
  print_card: { args: { customerId: number; language: PrintLanguage; file: string }; returns: string };
  saved_segments: { args: Record<string, never>; returns: Array<SavedSegment> };
  save_segment: { args: { id: number | null; name: string; filter: CustomerFilter }; returns: SavedSegment };
  delete_segment: { args: { id: number }; returns: null };
  segment_counts: { args: { filter: CustomerFilter }; returns: Array<SegmentCount> };
  points_ledger: { args: { id: number }; returns: PointsLedger };
  adjust_points: { args: { id: number; draft: PointsDraft }; returns: PointsLedger };
  redeem_points: { args: { id: number; draft: PointsDraft }; returns: PointsLedger };
  membership_overview: { args: Record<string, never>; returns: MembershipOverview };
  insights: { args: { query: InsightsQuery }; returns: Insights };
  campaigns: { args: Record<string, never>; returns: Array<Campaign> };
  campaign_results: { args: Record<string, never>; returns: Array<CampaignResult> };
  add_campaign: { args: { draft: CampaignDraft }; returns: Campaign };
  add_expense: { args: { draft: ExpenseDraft }; returns: Expense };
  expenses: { args: Record<string, never>; returns: Array<Expense> };
  choose_table_file: { args: { suggested: string; title: string }; returns: FileToken | null };
  save_table: { args: { table: CsvTable; file: string }; returns: string };
  agenda: { args: { days: number }; returns: Agenda };
  agenda_counts: { args: Record<string, never>; returns: AgendaCounts };
  agenda_due: { args: Record<string, never>; returns: boolean };
  customer_reminders: { args: { id: number }; returns: Array<Reminder> };
  add_reminder: { args: { id: number; draft: ReminderDraft }; returns: Reminder };
  update_reminder: { args: { id: number; draft: ReminderDraft }; returns: Reminder };
  delete_reminder: { args: { id: number }; returns: number };
  complete_reminder: { args: { id: number; done: ReminderDone }; returns: ReminderClosed };
  snooze_reminder: { args: { id: number; snooze: ReminderSnooze }; returns: Reminder };
  dismiss_reminder: { args: { id: number }; returns: ReminderClosed };
  add_arrival: { args: { draft: ArrivalDraft }; returns: ArrivalMatches };
  arrivals: { args: Record<string, never>; returns: Array<Arrival> };
  arrival_matches: { args: { id: number }; returns: ArrivalMatches };
  remind_arrival: { args: { id: number; customers: Array<number> }; returns: Array<Reminder> };
  delete_arrival: { args: { id: number }; returns: null };
  duplicate_pairs: { args: { limit: number }; returns: DuplicatePairs };
  plan_merge: { args: { keptId: number; otherId: number }; returns: MergePlan };
  merge_customers: { args: { keptId: number; otherId: number }; returns: MergeRecord };
  undo_merge: { args: { mergeId: number }; returns: UndoMergeSummary };
  mark_distinct: { args: { firstId: number; secondId: number }; returns: null };
  unmark_distinct: { args: { firstId: number; secondId: number }; returns: null };
  backup_overview: { args: Record<string, never>; returns: BackupOverview };
  back_up_now: { args: { progress: ProgressChannel<JobProgress> }; returns: ListedBackup };
  inspect_backup: { args: { file: string }; returns: BackupSummary };
  choose_restore_file: { args: { title: string; filter: string }; returns: FileToken | null };
  restore_backup: { args: { file: string; progress: ProgressChannel<JobProgress> }; returns: RestoreOutcome };
  offsite_status: { args: Record<string, never>; returns: OffsiteStatus };
  choose_offsite_folder: { args: { title: string }; returns: OffsiteStatus | null };
  back_up_offsite: { args: { progress: ProgressChannel<JobProgress> }; returns: BackupInfo };
  inspect_offsite_backup: { args: { fileName: string }; returns: BackupSummary };
  restore_offsite_backup: { args: { fileName: string; progress: ProgressChannel<JobProgress> }; returns: RestoreOutcome };
  choose_book_export_dir: { args: { title: string }; returns: FileToken | null };
  choose_book_import_dir: { args: { title: string }; returns: FileToken | null };
  read_book_manifest: { args: { folder: string }; returns: BookManifest };
  export_book: { args: { folder: string; progress: ProgressChannel<TransferProgress> }; returns: BookExportReport };
  import_book: { args: { folder: string; options: BookImportOptions; progress: ProgressChannel<TransferProgress> }; returns: BookImportReport };
}

/** The names of the commands, for checking that the gateway calls each. */
export const COMMAND_NAMES = [
  'fixed_today',
  'book_info',
  'book_stats',
  'about_loupe',
  'open_log_folder',
  'get_settings',
  'update_settings',
  'book_health',
  'recover_book',
  'list_customers',
  'search_customers',
  'search',
  'count_matches',
  'get_customer',
  'create_customer',
  'possible_duplicates',
  'update_customer',
  'delete_customer',
  'list_tags',
  'get_customer_story',
  'add_entry',
  'update_entry',
  'delete_entry',
  'collect_purchase',
  'open_wishes',
  'erase_customer',
  'backups_holding_customer',
  'choose_import_file',
  'preview_import',
  'commit_import',
  'undo_import',
  'import_batches',
  'save_import_mapping',
  'save_rejected_rows',
  'cancel_job',
  'preview_mailing_list',
  'choose_export_file',
  'export_mailing_list',
  'choose_labels_file',
  'choose_receipt_file',
  'choose_card_file',
  'print_labels',
  'print_receipt',
  'print_card',
  'saved_segments',
  'save_segment',
  'delete_segment',
  'segment_counts',
  'points_ledger',
  'adjust_points',
  'redeem_points',
  'membership_overview',
  'insights',
  'campaigns',
  'campaign_results',
  'add_campaign',
  'add_expense',
  'expenses',
  'choose_table_file',
  'save_table',
  'agenda',
  'agenda_counts',
  'agenda_due',
  'customer_reminders',
  'add_reminder',
  'update_reminder',
  'delete_reminder',
  'complete_reminder',
  'snooze_reminder',
  'dismiss_reminder',
  'add_arrival',
  'arrivals',
  'arrival_matches',
  'remind_arrival',
  'delete_arrival',
  'duplicate_pairs',
  'plan_merge',
  'merge_customers',
  'undo_merge',
  'mark_distinct',
  'unmark_distinct',
  'backup_overview',
  'back_up_now',
  'inspect_backup',
  'choose_restore_file',
  'restore_backup',
  'offsite_status',
  'choose_offsite_folder',
  'back_up_offsite',
  'inspect_offsite_backup',
  'restore_offsite_backup',
  'choose_book_export_dir',
  'choose_book_import_dir',
  'read_book_manifest',
  'export_book',
  'import_book',
] as const;

/** Every event the shell sends, with its payload. */
export interface Events {
  'backups-changed': null;
  'backup-failed': BackupFailure;
  'book-damaged': DamagedBookReport;
  'book-waiting': boolean;
  'standing-changed': null;
}

/** Every `code` a failed command may carry. */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'newer_database',
  'not_a_book',
  'io',
  'storage',
  'cancelled',
  'damaged',
  'book_not_empty',
] as const;
