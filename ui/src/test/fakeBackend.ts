/**
 * An in-memory Backend for UI tests: the same interface as the Tauri one,
 * with the core's observable behaviour (paging, sorting, filtering, search
 * over name/email/phone digits, field errors on invalid input).
 */
import type { AboutLoupe } from '../lib/bindings/AboutLoupe';
import type { Standing } from '../lib/bindings/Standing';
import type { StandingChange } from '../lib/bindings/StandingChange';
import type { StandingMove } from '../lib/bindings/StandingMove';
import { computeStanding } from './fakeStanding';
import { defaultStandingRules } from '../lib/audience';
import { defaultMembershipRules } from '../lib/membership';
import { defaultFollowUpRules } from '../lib/agenda';
import type { Backend } from '../lib/gateway';
import type { MembershipOverview } from '../lib/bindings/MembershipOverview';
import type { PointsDraft } from '../lib/bindings/PointsDraft';
import type { PointsEntry } from '../lib/bindings/PointsEntry';
import type { PointsKind } from '../lib/bindings/PointsKind';
import type { PointsLedger } from '../lib/bindings/PointsLedger';
import type { Agenda } from '../lib/bindings/Agenda';
import type { Campaign } from '../lib/bindings/Campaign';
import type { CampaignContacts } from '../lib/bindings/CampaignContacts';
import type { CampaignDraft } from '../lib/bindings/CampaignDraft';
import type { CampaignResult } from '../lib/bindings/CampaignResult';
import type { CsvTable } from '../lib/bindings/CsvTable';
import type { Expense } from '../lib/bindings/Expense';
import type { ExpenseDraft } from '../lib/bindings/ExpenseDraft';
import type { Insights } from '../lib/bindings/Insights';
import type { InsightsQuery } from '../lib/bindings/InsightsQuery';
import type { AgendaCounts } from '../lib/bindings/AgendaCounts';
import type { Arrival } from '../lib/bindings/Arrival';
import type { ArrivalDraft } from '../lib/bindings/ArrivalDraft';
import type { ArrivalMatches } from '../lib/bindings/ArrivalMatches';
import type { Reminder } from '../lib/bindings/Reminder';
import type { ReminderClosed } from '../lib/bindings/ReminderClosed';
import type { ReminderDone } from '../lib/bindings/ReminderDone';
import type { ReminderDraft } from '../lib/bindings/ReminderDraft';
import type { JobLink } from '../lib/job.svelte';
import type { BookSettings } from '../lib/bindings/BookSettings';
import type { Customer } from '../lib/bindings/Customer';
import type { CustomerDraft } from '../lib/bindings/CustomerDraft';
import type { CustomerRow } from '../lib/bindings/CustomerRow';
import type { PossibleDuplicate } from '../lib/bindings/PossibleDuplicate';
import type { DuplicatePair } from '../lib/bindings/DuplicatePair';
import type { MergePlan } from '../lib/bindings/MergePlan';
import type { MergeRecord } from '../lib/bindings/MergeRecord';
import type { ImportWarning } from '../lib/bindings/ImportWarning';
import type { FileKind } from '../lib/bindings/FileKind';
import type { CustomerType } from '../lib/bindings/CustomerType';
import type { ErrorPayload } from '../lib/bindings/ErrorPayload';
import type { ListQuery } from '../lib/bindings/ListQuery';
import type { PieceMatch } from '../lib/bindings/PieceMatch';
import type { SearchResults } from '../lib/bindings/SearchResults';
import type { CustomerStory } from '../lib/bindings/CustomerStory';
import type { CustomerTotals } from '../lib/bindings/CustomerTotals';
import type { EntryDraft } from '../lib/bindings/EntryDraft';
import type { EntryKind } from '../lib/bindings/EntryKind';
import type { PurchaseDraft } from '../lib/bindings/PurchaseDraft';
import type { SaleCollection } from '../lib/bindings/SaleCollection';
import type { Interaction } from '../lib/bindings/Interaction';
import type { ItemCategory } from '../lib/bindings/ItemCategory';
import type { Note } from '../lib/bindings/Note';
import type { OpenWish } from '../lib/bindings/OpenWish';
import type { Purchase } from '../lib/bindings/Purchase';
import type { SatisfactionScore } from '../lib/bindings/SatisfactionScore';
import type { SpendSummary } from '../lib/bindings/SpendSummary';
import type { Wish } from '../lib/bindings/Wish';
import type { ColumnMapping } from '../lib/bindings/ColumnMapping';
import type { ImportBatch } from '../lib/bindings/ImportBatch';
import type { ImportOptions } from '../lib/bindings/ImportOptions';
import type { RejectedRowsWording } from '../lib/bindings/RejectedRowsWording';
import type { ImportPreview } from '../lib/bindings/ImportPreview';
import type { ImportProgress } from '../lib/bindings/ImportProgress';
import type { ImportSummary } from '../lib/bindings/ImportSummary';
import type { PreviewRow } from '../lib/bindings/PreviewRow';
import type { BackupContents } from '../lib/bindings/BackupContents';
import type { BackupInfo } from '../lib/bindings/BackupInfo';
import type { BackupKind } from '../lib/bindings/BackupKind';
import type { DamagedBook } from '../lib/bindings/DamagedBook';
import type { RejectedRow } from '../lib/bindings/RejectedRow';
import type { Problem } from '../lib/bindings/Problem';
import type { JobProgress } from '../lib/bindings/JobProgress';
import type { MailingChannel } from '../lib/bindings/MailingChannel';
import type { MailingExport } from '../lib/bindings/MailingExport';
import type { MailingFileOptions } from '../lib/bindings/MailingFileOptions';
import type { MailingFilter } from '../lib/bindings/MailingFilter';
import type { MailingPreview } from '../lib/bindings/MailingPreview';
import type { MailingRow } from '../lib/bindings/MailingRow';
import type {
  BackupOverview,
  BackupSummary,
  BookImportReport,
  ChosenFile,
  DamagedBookReport,
  ListedBackup,
  MoveProgress,
  MoveStage,
  RestoreOutcome,
} from '../lib/gateway';
import type { BackupFailure } from '../lib/bindings/BackupFailure';
import type { OffsiteStatus } from '../lib/bindings/OffsiteStatus';
import type { BookManifest } from '../lib/bindings/BookManifest';
import type { BookImportOptions } from '../lib/bindings/BookImportOptions';
import { amountLess, averageAmount, compareAmounts, isAmount, saleTotal, sumAmounts } from '../lib/money';
import { isOpenWish } from '../lib/entries';
import { todayIso } from '../lib/format';
import type { CustomerFilter } from '../lib/bindings/CustomerFilter';
import type { Influence } from '../lib/bindings/Influence';
import type { SavedSegment } from '../lib/bindings/SavedSegment';
import type { LabelLayout } from '../lib/bindings/LabelLayout';
import type { LabelsExport } from '../lib/bindings/LabelsExport';
import type { PrintLanguage } from '../lib/bindings/PrintLanguage';
import type { Segment } from '../lib/bindings/Segment';
import { INFLUENCE_RANK, SEGMENT_RANK, VALUE_CLASS_RANK, bookStanding, inAudience, monthsBefore, type FakeStanding } from './fakeAudience';

export function draftOf(partial: Partial<CustomerDraft> & { full_name: string }): CustomerDraft {
  return {
    given_name: '',
    family_name: '',
    title: '',
    customer_type: 'retail',
    company: '',
    job_title: '',
    emails: [],
    phones: [],
    addresses: [],
    preferred_contact: null,
    language: '',
    birthday: null,
    occasions: [],
    source: null,
    source_detail: '',
    referred_by: null,
    ring_size: null,
    wrist_cm: null,
    preferences: { brands: [], styles: [], materials: [], price_min: null, price_max: null, currency: '' },
    influence: 'none',
    tags: [],
    consents: [],
    ...partial,
  };
}

/** What the shell keeps a chosen file for (`FileUse` in the shell's files.rs). */
type FileUse = 'open' | 'save' | 'open_folder' | 'save_folder';

const withoutPath = ({ path: _path, ...rest }: BackupContents): BackupSummary => rest;

const fail = (
  message: string,
  field: string | null,
  code: ErrorPayload['code'] = 'invalid_input',
  problem: Problem | null = null,
): ErrorPayload => ({
  code,
  message,
  field,
  problem,
});

type Stamp = { id: number; customer_id: number; created_at: string; updated_at: string };

export class FakeBackend implements Backend {
  customers = new Map<number, Customer>();
  purchases = new Map<number, Purchase>();
  notes = new Map<number, Note>();
  interactions = new Map<number, Interaction>();
  wishes = new Map<number, Wish>();
  satisfaction = new Map<number, SatisfactionScore>();
  private nextEntryId = 1;
  /** Merges made, with what undoing each needs. */
  private merges: { record: MergeRecord; kept: Customer; other: Customer; moved: [EntryKind, number][] }[] = [];
  /** Pairs marked as different people, as "low-high". */
  distinct = new Set<string>();
  settings: BookSettings = { default_region: 'GB', default_currency: 'GBP', backups_to_keep: 14, other_backups_to_keep: 10, offsite_reminder_days: 7, staff: [], standing: defaultStandingRules(), membership: defaultMembershipRules(), follow_up: defaultFollowUpRules(), campaign_response_days: 30, shop_name: '', shop_address: '', shop_phone: '' };
  calls: { method: string; args: unknown[] }[] = [];
  /** Each customer's segment and value class as last seen, and the moves recorded since. */
  private standingSeen = new Map<number, Pick<Standing, 'segment' | 'value_class'>>();
  private standingChanges: StandingChange[] = [];
  private nextChangeId = 1;
  private nextId = 1;
  private clock = Date.UTC(2026, 0, 1);
  /** Makes the next call of that method reject with this payload. */
  failNext: Partial<Record<keyof Backend, ErrorPayload>> = {};

  constructor(drafts: CustomerDraft[] = []) {
    for (const d of drafts) this.insert(d);
  }

  /**
   * n generated customers, cheap to build (for the 10,000-row list), with purchases that put
   * them in every segment (by i % 12: prospects, lapsed, at risk, VIPs, new, regulars) and a few
   * reviewers, trade professionals and public figures.
   */
  static withGenerated(n: number): FakeBackend {
    const types: CustomerType[] = ['retail', 'trade', 'collector'];
    const b = new FakeBackend();
    const today = todayIso();
    // [months ago, amount] of each purchase, by i % 12.
    const histories: [number, string][][] = [
      [],
      [],
      [],
      [[30, '1200']],
      [[15, '3400']],
      [[6, '18000'], [3, '6500']],
      [[20, '900'], [14, '1100'], [8, '700'], [2, '1500']],
      [[2, '4200']],
      [[1, '850']],
      [[10, '2600'], [7, '1900']],
      [[9, '5400']],
      [[11, '760'], [4, '1300']],
    ];
    for (let i = 0; i < n; i++) {
      const num = String(i).padStart(5, '0');
      const influence: Influence = i % 53 === 7 ? 'public_figure' : i % 29 === 5 ? 'trade_professional' : i % 17 === 3 ? 'reviewer' : 'none';
      const c = b.insert(
        draftOf({
          full_name: `Customer ${num}`,
          customer_type: types[i % 3],
          company: i % 4 === 0 ? `House ${i % 50}` : '',
          emails: [{ label: '', address: `c${num}@example.com`, primary: true }],
          phones: [{ label: '', number: `+44 20 7946 ${num.slice(1)}`, e164: null, primary: true }],
          tags: i % 10 === 0 ? ['vip'] : [],
          influence,
        }),
      );
      for (const [months, amount] of histories[i % 12]) b.addGeneratedSale(c.id, monthsBefore(today, months), amount, i);
    }
    return b;
  }

  /** A collected, fully paid sale of one piece, written directly (no checks: generated data). */
  private addGeneratedSale(customerId: number, on: string, amount: string, seed: number) {
    const id = this.nextEntryId++;
    const stamp = new Date(this.clock).toISOString();
    const pearls = seed % 5 === 0;
    this.purchases.set(id, {
      id,
      customer_id: customerId,
      total: amount,
      paid: amount,
      balance_due: '0',
      points_earned: 0,
      created_at: stamp,
      updated_at: stamp,
      purchased_on: on,
      currency: this.settings.default_currency,
      channel: 'in_store',
      salesperson: '',
      notes: '',
      items: [
        {
          category: pearls ? 'necklace' : 'watch',
          brand: pearls ? 'Mikimoto' : ['Rolex', 'Omega', 'Cartier'][seed % 3],
          model: '',
          reference_number: '',
          serial_number: '',
          material: pearls ? 'Pearl' : 'Steel',
          condition: 'new',
          condition_grade: '',
          has_box: true,
          has_papers: true,
          description: '',
          price: amount,
          discount: '0',
        },
      ],
      payments: [{ method: 'card', amount, paid_on: on }],
      trade_ins: [],
      collected_on: on,
    });
  }

  insert(draft: CustomerDraft): Customer {
    const now = new Date((this.clock += 1000)).toISOString();
    const id = this.nextId++;
    const c: Customer = {
      ...structuredClone(draft),
      phones: draft.phones.map((p) => ({ ...p, e164: p.number.startsWith('+') ? '+' + p.number.replace(/\D/g, '') : null })),
      id,
      referred_by_name: draft.referred_by !== null ? (this.customers.get(draft.referred_by)?.full_name ?? null) : null,
      created_at: now,
      updated_at: now,
    };
    this.customers.set(id, c);
    return c;
  }

  private record(method: string, ...args: unknown[]) {
    this.calls.push({ method, args });
    const f = this.failNext[method as keyof Backend];
    if (f) {
      delete this.failNext[method as keyof Backend];
      throw f;
    }
  }

  callsOf(method: keyof Backend) {
    return this.calls.filter((c) => c.method === method);
  }

  private row(c: Customer, standing: FakeStanding = this.standing().get(c.id)!): CustomerRow {
    const email = c.emails.find((e) => e.primary) ?? c.emails[0];
    const phone = c.phones.find((p) => p.primary) ?? c.phones[0];
    return {
      id: c.id,
      full_name: c.full_name,
      customer_type: c.customer_type,
      company: c.company,
      primary_email: email?.address ?? null,
      primary_phone: phone?.number ?? null,
      tags: [...c.tags],
      ...this.spendOf(c.id),
      updated_at: c.updated_at,
      segment: standing.segment,
      value_class: standing.valueClass,
      rfm: standing.rfm,
      influence: c.influence,
      tier: null,
    };
  }

  /** The list's spend columns: book-currency lifetime spend, purchases in any currency, last date. */
  private spendOf(customerId: number): Pick<CustomerRow, 'lifetime_spend' | 'purchase_count' | 'last_purchase'> {
    const own = [...this.purchases.values()].filter((p) => p.customer_id === customerId);
    const book = own.filter((p) => p.currency === this.settings.default_currency);
    return {
      lifetime_spend: sumAmounts(book.map((p) => p.total)),
      purchase_count: own.length,
      last_purchase: own.reduce<string | null>((d, p) => (d === null || p.purchased_on > d ? p.purchased_on : d), null),
    };
  }

  private validate(d: CustomerDraft) {
    if (!d.full_name.trim()) throw fail('A customer needs a name.', 'full_name');
    d.emails.forEach((e, i) => {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e.address)) throw fail(`“${e.address}” is not an email address.`, `emails[${i}].address`);
    });
    d.phones.forEach((p, i) => {
      if (p.number.replace(/\D/g, '').length < 6) throw fail(`“${p.number}” is not a phone number.`, `phones[${i}].number`);
    });
    if (d.wrist_cm !== null && !/^\d+(\.\d+)?$/.test(d.wrist_cm)) throw fail('Not a number.', 'wrist_cm');
  }

  async fixedToday() {
    return null;
  }

  async bookInfo() {
    this.record('bookInfo');
    return { path: '/home/dealer/Loupe/book.sqlite3', schema_version: 3, customers: this.customers.size };
  }

  /** What Settings → About shows: a book of 1.2 MB with 8 kB in its WAL, at the latest schema. */
  about: AboutLoupe = {
    version: '0.1.0',
    book_path: '/home/dealer/Loupe/book.sqlite3',
    book_bytes: 1_228_800,
    wal_bytes: 8_240,
    schema_version: 13,
    latest_schema_version: 13,
  };

  async aboutLoupe() {
    this.record('aboutLoupe');
    return { ...this.about };
  }

  async openLogFolder() {
    this.record('openLogFolder');
    return '/home/dealer/.local/share/app.loupe.desktop/logs';
  }

  async bookStats() {
    this.record('bookStats');
    const all = [...this.customers.values()];
    return {
      customers: all.length,
      emails: all.reduce((n, c) => n + c.emails.length, 0),
      phones: all.reduce((n, c) => n + c.phones.length, 0),
      addresses: all.reduce((n, c) => n + c.addresses.length, 0),
      tags: new Set(all.flatMap((c) => c.tags)).size,
      purchases: this.purchases.size,
      purchase_items: [...this.purchases.values()].reduce((n, p) => n + p.items.length, 0),
      notes: this.notes.size,
      interactions: this.interactions.size,
      wishes: this.wishes.size,
      satisfaction_scores: this.satisfaction.size,
      reminders: 0,
      segments: 0,
      import_batches: 0,
      suppressions: 0,
    };
  }

  async getSettings() {
    this.record('getSettings');
    return { ...this.settings };
  }

  async updateSettings(settings: BookSettings) {
    this.record('updateSettings', settings);
    if (!/^[A-Z]{2}$/.test(settings.default_region)) throw fail(`'${settings.default_region}' is not a country code`, 'default_region', 'invalid_input', {
        kind: 'not_a_country',
        value: settings.default_region,
      });
    if (!(settings.backups_to_keep >= 1 && settings.backups_to_keep <= 365))
      throw fail('keep between 1 and 365 daily backups', 'backups_to_keep', 'invalid_input', { kind: 'backups_to_keep_out_of_range' });
    if (!(settings.other_backups_to_keep >= 1 && settings.other_backups_to_keep <= 365))
      throw fail('keep between 1 and 365 other backups', 'other_backups_to_keep', 'invalid_input', { kind: 'other_backups_to_keep_out_of_range' });
    if (!(settings.offsite_reminder_days >= 1 && settings.offsite_reminder_days <= 365))
      throw fail('remind after between 1 and 365 days', 'offsite_reminder_days', 'invalid_input', { kind: 'offsite_reminder_days_out_of_range' });
    const rules = settings.standing;
    if (!(rules.key_percent < rules.main_percent && rules.main_percent <= 100))
      throw fail('the main class must end after the key class, at 100 % at most', 'standing.main_percent');
    if (!(rules.at_risk_after_months < rules.lapsed_after_months))
      throw fail('customers are at risk before they are lapsed: at risk must come after fewer months', 'standing.at_risk_after_months');
    this.settings = { ...settings };
    return { ...this.settings };
  }

  /** The last standing computed and what it was computed from (a 10,000-customer list reads it on every page). */
  private standingCache: { key: unknown[]; standing: Map<number, FakeStanding> } | null = null;

  /** Every customer's standing as of today, by the book's rules. */
  private standing(): Map<number, FakeStanding> {
    let changed = '';
    for (const p of this.purchases.values()) if (p.updated_at > changed) changed = p.updated_at;
    for (const s of this.satisfaction.values()) if (s.updated_at > changed) changed = s.updated_at;
    const key = [this.customers, this.customers.size, this.purchases, this.purchases.size, this.satisfaction, this.satisfaction.size, changed, JSON.stringify(this.settings), todayIso()];
    const cached = this.standingCache;
    if (cached && cached.key.every((part, i) => part === key[i])) return cached.standing;
    const standing = this.computeStanding();
    this.standingCache = { key, standing };
    return standing;
  }

  private computeStanding(): Map<number, FakeStanding> {
    return bookStanding({
      customers: this.customers,
      purchases: this.purchases,
      satisfaction: this.satisfaction,
      wishes: this.wishes,
      currency: this.settings.default_currency,
      rules: this.settings.standing,
      today: todayIso(),
    });
  }

  /**
   * The customers in an audience, with everyone's standing: the one selection of the list, the
   * mailing lists, segment counts and saved segments (the core's audience.rs).
   */
  private audience(filter: CustomerFilter): { selected: Customer[]; standing: Map<number, FakeStanding> } {
    const units = (amount: string | null, field: string) => {
      if (amount !== null && !/^\d+(\.\d{1,4})?$/.test(amount))
        throw fail(`${amount} is not an amount`, field, 'invalid_input', { kind: 'not_an_amount', value: amount });
    };
    units(filter.min_spend, 'min_spend');
    units(filter.max_spend, 'max_spend');
    if (filter.min_spend !== null && filter.max_spend !== null && compareAmounts(filter.max_spend, filter.min_spend) < 0)
      throw fail('the highest spend is below the lowest', 'max_spend', 'invalid_input', { kind: 'spend_range_reversed' });
    if (filter.saved_segment !== null && !this.segments.has(filter.saved_segment))
      throw fail(`saved segment ${filter.saved_segment} does not exist`, 'saved_segment', 'not_found');
    const standing = this.standing();
    const searched = new Map<string, Set<number>>();
    const ctx = {
      book: { customers: this.customers, purchases: this.purchases, satisfaction: this.satisfaction, wishes: this.wishes, currency: this.settings.default_currency, rules: this.settings.standing, today: todayIso() },
      standing,
      savedFilter: (id: number) => this.segments.get(id)?.filter,
      searchMatches: (text: string) => {
        let hits = searched.get(text);
        if (!hits) searched.set(text, (hits = new Set(this.matching(text).map((c) => c.id))));
        return hits;
      },
    };
    return { selected: [...this.customers.values()].filter((c) => inAudience(c, filter, ctx)), standing };
  }

  async listCustomers(query: ListQuery) {
    this.record('listCustomers', query);
    const { selected: rows, standing } = this.audience(query.filter);
    const of = (c: Customer) => standing.get(c.id)!;
    const rfmKey = (c: Customer) => {
      const rfm = of(c).rfm;
      return rfm ? rfm.r * 100 + rfm.f * 10 + rfm.m : -1;
    };
    const compare: (a: Customer, b: Customer) => number =
      query.sort === 'spend'
        ? (a, b) => compareAmounts(of(a).spend, of(b).spend)
        : query.sort === 'last_purchase'
          ? (a, b) => (of(a).lastPurchase ?? '').localeCompare(of(b).lastPurchase ?? '')
          : query.sort === 'segment'
            ? (a, b) => SEGMENT_RANK[of(a).segment] - SEGMENT_RANK[of(b).segment]
            : query.sort === 'value_class'
              ? (a, b) => (of(a).valueClass ? VALUE_CLASS_RANK[of(a).valueClass!] : 9) - (of(b).valueClass ? VALUE_CLASS_RANK[of(b).valueClass!] : 9)
              : query.sort === 'rfm'
                ? (a, b) => rfmKey(a) - rfmKey(b)
                : query.sort === 'influence'
                  ? (a, b) => INFLUENCE_RANK[a.influence] - INFLUENCE_RANK[b.influence]
                  : (a, b) => {
                      const key = (c: Customer): string =>
                        query.sort === 'name'
                          ? c.full_name.toLowerCase()
                          : query.sort === 'company'
                            ? c.company.toLowerCase()
                            : query.sort === 'customer_type'
                              ? c.customer_type
                              : query.sort === 'created'
                                ? c.created_at
                                : c.updated_at;
                      return key(a).localeCompare(key(b));
                    };
    const byName = query.sort !== 'name' && query.sort !== 'company' && query.sort !== 'customer_type' && query.sort !== 'created' && query.sort !== 'updated';
    rows.sort((a, b) => compare(a, b) || (byName ? a.full_name.localeCompare(b.full_name) : 0) || a.id - b.id);
    if (query.descending) rows.reverse();
    return {
      total: rows.length,
      offset: query.offset,
      rows: rows.slice(query.offset, query.offset + query.limit).map((c) => this.row(c, of(c))),
    };
  }

  // ---- saved segments and standing counts ----

  /** Saved segments by id (the `segments` table). */
  segments = new Map<number, Omit<SavedSegment, 'count'>>();
  private nextSegmentId = 1;

  async savedSegments() {
    this.record('savedSegments');
    return [...this.segments.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((segment) => ({ ...structuredClone(segment), count: this.audience(segment.filter).selected.length }));
  }

  async saveSegment(id: number | null, name: string, filter: CustomerFilter) {
    this.record('saveSegment', id, name, filter);
    const trimmed = name.trim();
    if (!trimmed) throw fail('a segment needs a name', 'name', 'invalid_input', { kind: 'name_missing' });
    if (trimmed.length > 100) throw fail('longer than 100 characters', 'name', 'invalid_input', { kind: 'too_long', max_chars: 100 });
    if ([...this.segments.values()].some((x) => x.id !== id && x.name.toLowerCase() === trimmed.toLowerCase()))
      throw fail(`${trimmed} is listed twice`, 'name', 'invalid_input', { kind: 'listed_twice', value: trimmed });
    if (id !== null && !this.segments.has(id)) throw fail(`saved segment ${id} does not exist`, null, 'not_found');
    if (id !== null && filter.saved_segment === id) throw fail('a segment cannot include itself', 'saved_segment');
    this.audience(filter);
    const saved = { id: id ?? this.nextSegmentId++, name: trimmed, filter: structuredClone(filter), updated_at: new Date((this.clock += 1000)).toISOString() };
    this.segments.set(saved.id, saved);
    return { ...structuredClone(saved), count: this.audience(filter).selected.length };
  }

  async deleteSegment(id: number) {
    this.record('deleteSegment', id);
    if (!this.segments.delete(id)) throw fail(`saved segment ${id} does not exist`, null, 'not_found');
  }

  async segmentCounts(filter: CustomerFilter) {
    this.record('segmentCounts', filter);
    const { selected, standing } = this.audience(filter);
    const counts = new Map<Segment, number>();
    for (const c of selected) {
      const segment = standing.get(c.id)!.segment;
      counts.set(segment, (counts.get(segment) ?? 0) + 1);
    }
    const all: Segment[] = ['prospect', 'lapsed', 'at_risk', 'vip', 'new', 'regular'];
    return all.map((segment) => ({ segment, count: counts.get(segment) ?? 0 }));
  }

  /** Points moved by hand only: the fake's sales earn none (tests of earned points stub the story). */
  points = new Map<number, PointsEntry[]>();

  async pointsLedger(id: number): Promise<PointsLedger> {
    this.record('pointsLedger', id);
    if (!this.customers.has(id)) throw fail(`No customer ${id}.`, null, 'not_found');
    const entries = this.points.get(id) ?? [];
    return { customer_id: id, balance: entries[0]?.balance ?? 0, entries: structuredClone(entries) };
  }

  async adjustPoints(id: number, draft: PointsDraft) {
    this.record('adjustPoints', id, draft);
    return this.movePoints(id, draft, 'adjust');
  }

  async redeemPoints(id: number, draft: PointsDraft) {
    this.record('redeemPoints', id, draft);
    return this.movePoints(id, { ...draft, points: -draft.points }, 'redeem');
  }

  private async movePoints(id: number, draft: PointsDraft, kind: PointsKind): Promise<PointsLedger> {
    if (!this.customers.has(id)) throw fail(`No customer ${id}.`, null, 'not_found');
    const entries = this.points.get(id) ?? [];
    const balance = entries[0]?.balance ?? 0;
    if (draft.points === 0) throw fail('Give a number of points other than 0.', 'points', 'invalid_input', { kind: 'points_zero' });
    if (kind === 'adjust' && draft.reason.trim() === '') {
      throw fail('Say why the points change.', 'reason', 'invalid_input', { kind: 'points_reason_missing' });
    }
    if (balance + draft.points < 0) {
      throw fail(`Only ${balance} points are available.`, 'points', 'invalid_input', { kind: 'points_short', balance, asked: -draft.points });
    }
    const entry: PointsEntry = {
      id: this.nextId++,
      customer_id: id,
      entry_on: todayIso(),
      kind,
      points: draft.points,
      reason: draft.reason.trim(),
      purchase_id: null,
      referred_id: null,
      referred_name: null,
      balance: balance + draft.points,
    };
    this.points.set(id, [entry, ...entries]);
    return this.pointsLedger(id);
  }

  async membershipOverview(): Promise<MembershipOverview> {
    this.record('membershipOverview');
    const outstanding = [...this.points.values()].reduce((sum, entries) => sum + Math.max(0, entries[0]?.balance ?? 0), 0);
    return {
      enabled: this.settings.membership.enabled,
      tiers: this.settings.membership.tiers.map((tier) => ({ tier: { key: tier.key, name: tier.name }, count: 0 })),
      non_members: this.customers.size,
      upgrades_this_month: 0,
      downgrades_this_month: 0,
      recent_changes: [],
      points_outstanding: outstanding,
      points_liability: (outstanding / Math.max(1, this.settings.membership.points_for_one_unit)).toFixed(2),
      evaluated_on: todayIso(),
    };
  }

  // Insights and campaigns are the core's: tests of their screens stub what they need.
  async insights(query: InsightsQuery): Promise<Insights> {
    this.record('insights', query);
    return this.notInTheFake('insights');
  }

  async campaignResults(): Promise<CampaignResult[]> {
    this.record('campaignResults');
    return [];
  }

  async campaigns(): Promise<Campaign[]> {
    this.record('campaigns');
    return [];
  }

  async addCampaign(draft: CampaignDraft): Promise<Campaign> {
    this.record('addCampaign', draft);
    return this.notInTheFake('addCampaign');
  }

  async addExpense(draft: ExpenseDraft): Promise<Expense> {
    this.record('addExpense', draft);
    return this.notInTheFake('addExpense');
  }

  async expenses(): Promise<Expense[]> {
    this.record('expenses');
    return [];
  }

  async chooseTableFile(suggested: string, title: string): Promise<ChosenFile | null> {
    this.record('chooseTableFile', suggested, title);
    return null;
  }

  async saveTable(table: CsvTable, file: string): Promise<string> {
    this.record('saveTable', table, file);
    return this.notInTheFake('saveTable');
  }

  // The agenda is the core's: the fake has an empty one, and tests of its screens stub what they need.
  async agenda(days: number): Promise<Agenda> {
    this.record('agenda', days);
    const today = todayIso();
    return { today, until: today, items: [], counts: { overdue: 0, today: 0, week: 0, later: 0, quarter: 0 }, truncated: false };
  }

  async agendaCounts(): Promise<AgendaCounts> {
    this.record('agendaCounts');
    return { overdue: 0, today: 0, week: 0, later: 0, quarter: 0 };
  }

  async agendaDue(): Promise<boolean> {
    this.record('agendaDue');
    return false;
  }

  async customerReminders(id: number): Promise<Reminder[]> {
    this.record('customerReminders', id);
    return [];
  }

  private notInTheFake(name: string): never {
    throw fail(`${name} is not in the fake backend: stub it in the test`, null, 'not_found');
  }

  async addReminder(id: number, draft: ReminderDraft): Promise<Reminder> {
    this.record('addReminder', id, draft);
    return this.notInTheFake('addReminder');
  }

  async updateReminder(id: number, draft: ReminderDraft): Promise<Reminder> {
    this.record('updateReminder', id, draft);
    return this.notInTheFake('updateReminder');
  }

  async deleteReminder(id: number): Promise<number> {
    this.record('deleteReminder', id);
    return this.notInTheFake('deleteReminder');
  }

  async completeReminder(id: number, done: ReminderDone): Promise<ReminderClosed> {
    this.record('completeReminder', id, done);
    return this.notInTheFake('completeReminder');
  }

  async snoozeReminder(id: number, until: string): Promise<Reminder> {
    this.record('snoozeReminder', id, until);
    return this.notInTheFake('snoozeReminder');
  }

  async dismissReminder(id: number): Promise<ReminderClosed> {
    this.record('dismissReminder', id);
    return this.notInTheFake('dismissReminder');
  }

  async addArrival(draft: ArrivalDraft): Promise<ArrivalMatches> {
    this.record('addArrival', draft);
    return this.notInTheFake('addArrival');
  }

  async arrivals(): Promise<Arrival[]> {
    this.record('arrivals');
    return [];
  }

  async arrivalMatches(id: number): Promise<ArrivalMatches> {
    this.record('arrivalMatches', id);
    return this.notInTheFake('arrivalMatches');
  }

  async remindArrival(id: number, customers: number[]): Promise<Reminder[]> {
    this.record('remindArrival', id, customers);
    return this.notInTheFake('remindArrival');
  }

  async deleteArrival(id: number): Promise<void> {
    this.record('deleteArrival', id);
    return this.notInTheFake('deleteArrival');
  }

  async searchCustomers(text: string, limit: number) {
    this.record('searchCustomers', text, limit);
    return this.matching(text)
      .slice(0, limit)
      .map((c) => this.row(c));
  }

  async search(text: string, limit: number): Promise<SearchResults> {
    this.record('search', text, limit);
    const hits = this.matching(text);
    const q = text.trim().toLowerCase();
    const pieces: PieceMatch[] = [];
    for (const p of this.purchases.values()) {
      p.items.forEach((item, n) => {
        const serial = q.length >= 3 && item.serial_number.toLowerCase().startsWith(q);
        if (!serial && !(q.length >= 3 && item.reference_number.toLowerCase().startsWith(q))) return;
        pieces.push({
          item_id: p.id * 100 + n,
          purchase_id: p.id,
          customer_id: p.customer_id,
          owner: this.customers.get(p.customer_id)?.full_name ?? '',
          sold_on: p.purchased_on,
          brand: item.brand,
          model: item.model,
          reference_number: item.reference_number,
          serial_number: item.serial_number,
          matched: serial ? 'serial' : 'reference',
        });
      });
    }
    pieces.sort(
      (a, b) => Number(a.matched !== 'serial') - Number(b.matched !== 'serial') || b.sold_on.localeCompare(a.sold_on),
    );
    return { customers: hits.slice(0, limit).map((c) => this.row(c)), more: hits.length > limit, pieces: pieces.slice(0, limit) };
  }

  async countMatches(text: string): Promise<number> {
    this.record('countMatches', text);
    return this.matching(text).length;
  }

  /** The customers a search finds, in the book's order; the real ranking is the core's. */
  private matching(text: string): Customer[] {
    const q = text.trim().toLowerCase();
    const digits = q.replace(/\D/g, '');
    if (!q) return [];
    return [...this.customers.values()].filter(
      (c) =>
        c.full_name.toLowerCase().includes(q) ||
        c.company.toLowerCase().includes(q) ||
        c.emails.some((e) => e.address.toLowerCase().includes(q)) ||
        (digits.length >= 3 && c.phones.some((p) => p.number.replace(/\D/g, '').includes(digits))) ||
        [...this.purchases.values()].some(
          (p) =>
            p.customer_id === c.id &&
            p.items.some((i) => i.serial_number.toLowerCase().startsWith(q) || i.reference_number.toLowerCase().startsWith(q)),
        ),
    );
  }

  async getCustomer(id: number) {
    this.record('getCustomer', id);
    const c = this.customers.get(id);
    if (!c) throw fail(`No customer ${id}.`, null, 'not_found');
    return structuredClone(c);
  }

  async createCustomer(draft: CustomerDraft) {
    this.record('createCustomer', draft);
    this.validate(draft);
    return structuredClone(this.insert(draft));
  }

  /** Who possibleDuplicates answers with; the real rule is the core's (tests set this per case). */
  duplicatesOf: (draft: CustomerDraft, except: number | null) => PossibleDuplicate[] = () => [];

  async possibleDuplicates(draft: CustomerDraft, except: number | null) {
    this.record('possibleDuplicates', draft, except);
    return this.duplicatesOf(draft, except);
  }

  async updateCustomer(id: number, draft: CustomerDraft) {
    this.record('updateCustomer', id, draft);
    const old = this.customers.get(id);
    if (!old) throw fail(`No customer ${id}.`, null, 'not_found');
    this.validate(draft);
    const c: Customer = {
      ...structuredClone(draft),
      id,
      referred_by_name: draft.referred_by !== null ? (this.customers.get(draft.referred_by)?.full_name ?? null) : null,
      created_at: old.created_at,
      updated_at: new Date((this.clock += 1000)).toISOString(),
    };
    this.customers.set(id, c);
    return structuredClone(c);
  }

  async deleteCustomer(id: number) {
    this.record('deleteCustomer', id);
    if (!this.customers.delete(id)) throw fail(`No customer ${id}.`, null, 'not_found');
    for (const kind of ['purchase', 'note', 'interaction', 'wish', 'satisfaction'] as const) {
      const map = this.mapOf(kind);
      for (const [key, entry] of map) if (entry.customer_id === id) map.delete(key);
    }
    return null;
  }

  // The core's rule, simplified: pairs share an email (certain when the family names agree);
  // a merge moves the entries, adds the emails, phones and tags, and fills an empty company.
  async duplicatePairs(limit: number) {
    this.record('duplicatePairs', limit);
    const pairs: DuplicatePair[] = [];
    const people = [...this.customers.values()].sort((a, b) => a.id - b.id);
    for (const [i, first] of people.entries()) {
      for (const second of people.slice(i + 1)) {
        const shared = first.emails.some((e) => second.emails.some((o) => o.address.toLowerCase() === e.address.toLowerCase()));
        if (!shared || this.distinct.has(`${first.id}-${second.id}`)) continue;
        const family = (c: Customer) => c.full_name.split(' ').at(-1)?.toLowerCase();
        pairs.push({ first: this.row(first), second: this.row(second), reasons: ['same_email'], certain: family(first) === family(second) });
      }
    }
    pairs.sort((a, b) => Number(b.certain) - Number(a.certain));
    return { total: pairs.length, pairs: pairs.slice(0, limit) };
  }

  private planOf(keptId: number, otherId: number): MergePlan & { merged: Customer } {
    const kept = this.customers.get(keptId);
    const other = this.customers.get(otherId);
    if (!kept || !other) throw fail(`No customer ${kept ? otherId : keptId}.`, null, 'not_found');
    const merged = structuredClone(kept);
    const filled: string[] = [];
    const newEmails = other.emails.filter((e) => !kept.emails.some((k) => k.address.toLowerCase() === e.address.toLowerCase()));
    if (newEmails.length) (merged.emails.push(...newEmails.map((e) => ({ ...e, primary: false }))), filled.push('emails'));
    const newPhones = other.phones.filter((p) => !kept.phones.some((k) => k.number === p.number));
    if (newPhones.length) (merged.phones.push(...newPhones.map((p) => ({ ...p, primary: false }))), filled.push('phones'));
    const newTags = other.tags.filter((tag) => !kept.tags.some((k) => k.toLowerCase() === tag.toLowerCase()));
    if (newTags.length) (merged.tags.push(...newTags), filled.push('tags'));
    const kept_apart = [];
    if (!kept.company && other.company) (merged.company = other.company, filled.push('company'));
    else if (other.company && other.company !== kept.company) kept_apart.push({ field: 'company', kept: kept.company, other: other.company });
    if (other.full_name !== kept.full_name) kept_apart.push({ field: 'full_name', kept: kept.full_name, other: other.full_name });
    const count = (m: Map<number, { customer_id: number }>) => [...m.values()].filter((x) => x.customer_id === otherId).length;
    const moved = {
      purchases: count(this.purchases),
      notes: count(this.notes),
      interactions: count(this.interactions),
      wishes: count(this.wishes),
      scores: count(this.satisfaction),
      reminders: 0,
    };
    return { kept: this.row(kept), other: this.row(other), moved, filled, kept_apart, consents: [], merged };
  }

  async planMerge(keptId: number, otherId: number) {
    this.record('planMerge', keptId, otherId);
    const { merged: _merged, ...plan } = this.planOf(keptId, otherId);
    return plan;
  }

  async mergeCustomers(keptId: number, otherId: number) {
    this.record('mergeCustomers', keptId, otherId);
    if (keptId === otherId) {
      throw fail('customer cannot be merged with themselves', 'other_id', 'invalid_input', { kind: 'merge_with_itself', id: keptId });
    }
    const { merged, ...plan } = this.planOf(keptId, otherId);
    const kept = structuredClone(this.customers.get(keptId)!);
    const other = structuredClone(this.customers.get(otherId)!);
    const moved: [EntryKind, number][] = [];
    for (const kind of ['purchase', 'note', 'interaction', 'wish', 'satisfaction'] as const) {
      for (const entry of this.mapOf(kind).values()) {
        if (entry.customer_id === otherId) {
          entry.customer_id = keptId;
          moved.push([kind, entry.id]);
        }
      }
    }
    this.customers.delete(otherId);
    this.customers.set(keptId, { ...merged, updated_at: new Date((this.clock += 1000)).toISOString() });
    const record: MergeRecord = {
      id: this.merges.length + 1,
      kept_id: keptId,
      other_id: otherId,
      other_name: other.full_name,
      merged_at: new Date((this.clock += 1000)).toISOString(),
      moved: plan.moved,
      filled: plan.filled,
      kept_apart: plan.kept_apart,
      undone_at: null,
    };
    this.merges.push({ record, kept, other, moved });
    return structuredClone(record);
  }

  async undoMerge(mergeId: number) {
    this.record('undoMerge', mergeId);
    const merge = this.merges.find((m) => m.record.id === mergeId);
    if (!merge) throw fail(`No merge ${mergeId}.`, null, 'not_found');
    if (merge.record.undone_at) {
      throw fail('already undone', 'merge_id', 'invalid_input', { kind: 'merge_already_undone', merge_id: mergeId, when: merge.record.undone_at });
    }
    this.customers.set(merge.other.id, structuredClone(merge.other));
    this.customers.set(merge.kept.id, structuredClone(merge.kept));
    for (const [kind, id] of merge.moved) {
      const entry = this.mapOf(kind).get(id);
      if (entry) entry.customer_id = merge.other.id;
    }
    merge.record.undone_at = new Date((this.clock += 1000)).toISOString();
    return {
      kept_id: merge.kept.id,
      restored_id: merge.other.id,
      restored_name: merge.other.full_name,
      moved_back: merge.record.moved,
    };
  }

  async markDistinct(firstId: number, secondId: number) {
    this.record('markDistinct', firstId, secondId);
    this.distinct.add(`${Math.min(firstId, secondId)}-${Math.max(firstId, secondId)}`);
    return null;
  }

  async unmarkDistinct(firstId: number, secondId: number) {
    this.record('unmarkDistinct', firstId, secondId);
    this.distinct.delete(`${Math.min(firstId, secondId)}-${Math.max(firstId, secondId)}`);
    return null;
  }

  async listTags() {
    this.record('listTags');
    const counts = new Map<string, number>();
    for (const c of this.customers.values()) for (const t of c.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([tag, count]) => ({ tag, count }));
  }

  // ---- the customer's story ----

  private stamp(customerId: number, id = this.nextEntryId++, created?: string): Stamp {
    const now = new Date((this.clock += 1000)).toISOString();
    return { id, customer_id: customerId, created_at: created ?? now, updated_at: now };
  }

  private mapOf(kind: EntryKind): Map<number, { id: number; customer_id: number; created_at: string }> {
    switch (kind) {
      case 'purchase':
        return this.purchases;
      case 'note':
        return this.notes;
      case 'interaction':
        return this.interactions;
      case 'wish':
        return this.wishes;
      case 'satisfaction':
        return this.satisfaction;
    }
  }

  private checkAmount(field: string, amount: string) {
    if (!isAmount(amount)) throw fail(`${amount} is not an amount between 0 and 1,000,000,000`, field);
  }

  /** The entry checked as the core checks it, then stored under `stamp`. */
  private store(stamp: Stamp, entry: EntryDraft): void {
    const book = this.settings.default_currency;
    switch (entry.kind) {
      case 'purchase': {
        const d = structuredClone(entry.draft);
        if (d.items.length === 0) throw fail('a sale needs at least one item', 'items');
        d.items.forEach((item, i) => {
          this.checkAmount(`items[${i}].price`, item.price);
          this.checkAmount(`items[${i}].discount`, item.discount);
          if (compareAmounts(item.discount, item.price) > 0)
            throw fail('the discount must be between 0 and the price', `items[${i}].discount`, 'invalid_input', {
              kind: 'discount_above_price',
            });
        });
        const currency = d.currency.trim() || book;
        if (!/^[A-Z]{3}$/.test(currency)) throw fail(`${currency} is not a currency code`, 'currency');
        const total = saleTotal(d.items);
        // The core's order: trade-ins first, then the payments; the first past the total is named.
        const parts = [
          ...d.trade_ins.map((trade, i) => [`trade_ins[${i}].allowance`, trade.allowance]),
          ...d.payments.map((payment, i) => [`payments[${i}].amount`, payment.amount]),
        ];
        let paid = '0';
        for (const [field, amount] of parts) {
          paid = sumAmounts([paid, amount]);
          if (compareAmounts(paid, total) > 0)
            throw fail(`the payments and trade-ins come to ${paid}, more than the sale's total of ${total}`, field, 'invalid_input', {
              kind: 'overpaid',
              total,
              paid,
            });
        }
        const balance = amountLess(total, paid);
        if (d.collected_on !== null && compareAmounts(balance, '0') > 0)
          throw fail(`${balance} is still due`, 'payments', 'invalid_input', { kind: 'balance_due', balance });
        this.purchases.set(stamp.id, { ...stamp, ...d, currency, total, paid, balance_due: balance, points_earned: 0 });
        return;
      }
      case 'note': {
        const body = entry.draft.body.trim();
        if (!body) throw fail('write the note', 'body', 'invalid_input', { kind: 'note_empty' });
        this.notes.set(stamp.id, { ...stamp, ...entry.draft, body });
        return;
      }
      case 'interaction': {
        const summary = entry.draft.summary.trim();
        if (!summary) throw fail('say what it was about', 'summary', 'invalid_input', { kind: 'interaction_unsummarised' });
        this.interactions.set(stamp.id, { ...stamp, ...entry.draft, summary });
        return;
      }
      case 'wish': {
        const w = { ...entry.draft };
        if (![w.brand, w.model, w.reference_number, w.notes].some((x) => x.trim()))
          throw fail('say what the customer is looking for', 'brand');
        if (w.budget_min !== null) this.checkAmount('budget_min', w.budget_min);
        if (w.budget_max !== null) this.checkAmount('budget_max', w.budget_max);
        if (w.budget_min !== null && w.budget_max !== null && compareAmounts(w.budget_min, w.budget_max) > 0)
          throw fail('the upper price is below the lower one', 'budget_max', 'invalid_input', { kind: 'price_range_reversed' });
        w.currency = w.currency.trim() || book;
        if (isOpenWish(w.status)) w.closed_on = null;
        else {
          w.closed_on ??= todayIso();
          if (w.closed_on < w.requested_on)
            throw fail('a wish cannot close before it was made', 'closed_on', 'invalid_input', { kind: 'wish_closed_before_made' });
        }
        this.wishes.set(stamp.id, { ...stamp, ...w });
        return;
      }
      case 'satisfaction': {
        const s = entry.draft;
        if (!(Number.isInteger(s.score) && s.score >= 1 && s.score <= 5))
          throw fail(`${s.score} is not a score from 1 to 5`, 'score');
        this.satisfaction.set(stamp.id, { ...stamp, ...s });
        return;
      }
    }
  }

  private totals(customerId: number): CustomerTotals {
    const own = [...this.purchases.values()].filter((p) => p.customer_id === customerId);
    const byCurrency = new Map<string, Purchase[]>();
    for (const p of own) byCurrency.set(p.currency, [...(byCurrency.get(p.currency) ?? []), p]);
    const book = this.settings.default_currency;
    const summaries: SpendSummary[] = [...byCurrency.entries()].map(([currency, ps]) => {
      const lifetime = sumAmounts(ps.map((p) => p.total));
      const dates = ps.map((p) => p.purchased_on).sort();
      return {
        currency,
        lifetime_spend: lifetime,
        purchases: ps.length,
        average_order: averageAmount(lifetime, ps.length),
        first_purchase: dates[0],
        last_purchase: dates[dates.length - 1],
      };
    });
    summaries.sort((a, b) => Number(a.currency !== book) - Number(b.currency !== book) || a.currency.localeCompare(b.currency));
    const brands = new Map<string, number>();
    const categories = new Map<ItemCategory, number>();
    for (const item of own.flatMap((p) => p.items)) {
      if (item.brand) brands.set(item.brand, (brands.get(item.brand) ?? 0) + 1);
      categories.set(item.category, (categories.get(item.category) ?? 0) + 1);
    }
    const top = <K extends string>(m: Map<K, number>) =>
      [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3).map(([k]) => k);
    return { by_currency: summaries, favourite_brands: top(brands), favourite_categories: top(categories) };
  }

  private story(customerId: number): CustomerStory {
    const customer = this.customers.get(customerId);
    if (!customer) throw fail(`No customer ${customerId}.`, null, 'not_found');
    const own = <T extends { customer_id: number; id: number }>(m: Map<number, T>, date: (x: T) => string) =>
      structuredClone([...m.values()].filter((x) => x.customer_id === customerId)).sort(
        (a, b) => date(b).localeCompare(date(a)) || b.id - a.id,
      );
    const standing = this.standingOf(customer);
    return {
      customer: structuredClone(customer),
      totals: this.totals(customerId),
      purchases: own(this.purchases, (p) => p.purchased_on),
      notes: own(this.notes, (n) => n.noted_on),
      interactions: own(this.interactions, (x) => x.occurred_on),
      wishes: own(this.wishes, (w) => w.requested_on),
      satisfaction: own(this.satisfaction, (s) => s.scored_on),
      merges: structuredClone(this.merges.filter((m) => m.record.kept_id === customerId).map((m) => m.record)).reverse(),
      standing,
      standing_changes: this.movesOf(customerId, standing),
      membership: null,
      tier_changes: [],
      points: [],
      reminders: [],
    };
  }

  async getCustomerStory(id: number) {
    this.record('getCustomerStory', id);
    return this.story(id);
  }

  async addEntry(customerId: number, entry: EntryDraft) {
    this.record('addEntry', customerId, entry);
    if (!this.customers.has(customerId)) throw fail(`No customer ${customerId}.`, null, 'not_found');
    this.store(this.stamp(customerId), entry);
    return this.story(customerId);
  }

  async updateEntry(id: number, entry: EntryDraft) {
    this.record('updateEntry', id, entry);
    const old = this.mapOf(entry.kind).get(id);
    if (!old) throw fail(`No ${entry.kind} ${id}.`, null, 'not_found');
    this.store(this.stamp(old.customer_id, id, old.created_at), entry);
    return this.story(old.customer_id);
  }

  async collectPurchase(id: number, collection: SaleCollection) {
    this.record('collectPurchase', id, collection);
    const old = this.purchases.get(id);
    if (!old) throw fail(`No purchase ${id}.`, null, 'not_found');
    const draft: PurchaseDraft = {
      purchased_on: old.purchased_on,
      currency: old.currency,
      channel: old.channel,
      salesperson: old.salesperson,
      notes: old.notes,
      items: old.items,
      trade_ins: old.trade_ins,
      payments: [...old.payments, ...collection.payments],
      collected_on: collection.collected_on,
    };
    this.store(this.stamp(old.customer_id, id, old.created_at), { kind: 'purchase', draft });
    return this.story(old.customer_id);
  }

  async deleteEntry(kind: EntryKind, id: number) {
    this.record('deleteEntry', kind, id);
    const map = this.mapOf(kind);
    const old = map.get(id);
    if (!old) throw fail(`No ${kind} ${id}.`, null, 'not_found');
    map.delete(id);
    return this.story(old.customer_id);
  }

  async openWishes(filter: string, limit: number) {
    this.record('openWishes', filter, limit);
    const f = filter.trim().toLowerCase();
    const wishes: OpenWish[] = [...this.wishes.values()]
      .filter((w) => isOpenWish(w.status))
      .filter((w) => !f || [w.brand, w.model, w.reference_number, w.notes].some((x) => x.toLowerCase().includes(f)))
      .sort((a, b) => b.requested_on.localeCompare(a.requested_on) || b.id - a.id)
      .slice(0, limit)
      .map((w) => ({ ...structuredClone(w), customer_name: this.customers.get(w.customer_id)?.full_name ?? '' }));
    return wishes;
  }

  // ---- files by token, as the shell keeps them ----

  /** The shell's registry: token → the path the dealer chose and what for. */
  private chosenFiles = new Map<string, { path: string; use: FileUse }>();

  /** As the shell does for a dialog's answer or a listed backup: the same file and use keep their token. */
  private issue(path: string, use: FileUse): ChosenFile {
    const name = use === 'open' ? (path.split('/').pop() ?? path) : path;
    for (const [token, chosen] of this.chosenFiles) if (chosen.path === path && chosen.use === use) return { token, name };
    const token = `token-${this.chosenFiles.size + 1}`;
    this.chosenFiles.set(token, { path, use });
    return { token, name };
  }

  /** The path behind a token issued for `use`; the shell refuses anything else the same way. */
  private resolve(token: string, use: FileUse): string {
    const chosen = this.chosenFiles.get(token);
    if (!chosen || chosen.use !== use)
      throw fail('Loupe acts only on files and folders chosen in its own dialogs or listed as its backups: choose the file again', null);
    return chosen.path;
  }

  /** The path a token the window sent stands for (undefined: the shell never issued it). */
  chosenPath(token: unknown): string | undefined {
    return typeof token === 'string' ? this.chosenFiles.get(token)?.path : undefined;
  }

  private listed(info: BackupInfo): ListedBackup {
    const { path, ...rest } = structuredClone(info);
    return { ...rest, token: this.issue(path, 'open').token };
  }

  // ---- importing contacts: one canned fair file, classified against the book ----

  /** What choose_import_file answers (null: the dealer closed the dialog). */
  importFile: string | null = '/home/dealer/Downloads/fair-visitors.csv';
  importBatchList: ImportBatch[] = [];
  /** Mappings saved per header list. */
  savedMappings = new Map<string, ColumnMapping[]>();
  private batchPeople = new Map<number, number[]>();
  private progressHandlers = new Set<(p: ImportProgress) => void>();
  private held: { release: () => void; cancel: () => void } | null = null;
  private holding = false;

  /** Makes the next preview or commit wait (after a first progress report) until released or cancelled. */
  hold(): () => void {
    this.holding = true;
    return () => {
      this.holding = false;
      this.held?.release();
    };
  }

  static readonly IMPORT_HEADERS = ['Name', 'Email', 'Phone', 'Company', 'Birthday', 'Stand notes'];
  static readonly IMPORT_SHEETS = ['Visitors', 'Basel 2024'];

  /** A few different values of each column, as the core reads them from the file's first rows. */
  static importSamples(): string[][] {
    const cells = FakeBackend.IMPORT_ROWS.map((r) => [r.name, r.email, r.phone, r.company, '', '']);
    return FakeBackend.IMPORT_HEADERS.map((_, column) => [...new Set(cells.map((row) => row[column]).filter(Boolean))].slice(0, 3));
  }

  /** The file's rows as the core would read them with the default mapping. */
  static readonly IMPORT_ROWS: { line: number; name: string; email: string; phone: string; company: string }[] = [
    { line: 2, name: 'Anna Smith', email: 'anna@example.com', phone: '07911 100200', company: '' },
    { line: 3, name: 'Ben Jones', email: 'not-an-email', phone: '07911 100201', company: '' },
    { line: 4, name: 'Eve Adams', email: 'eve@example.com', phone: '07911 100204', company: 'Adams & Co' },
    { line: 5, name: 'Anna Smith', email: 'ANNA@example.com', phone: '+44 7911 100200', company: '' },
    { line: 6, name: 'Harry Day', email: 'harry@example.com', phone: '07911 100207', company: '' },
    { line: 7, name: 'Carl Brown', email: 'carl@example.com', phone: '12', company: '' },
    { line: 8, name: 'Wang Wei', email: 'wei@example.cn', phone: '', company: 'Golden Hour Ltd' },
    { line: 9, name: '', email: '', phone: '', company: 'Stand 12' },
  ];

  private emitProgress(p: ImportProgress) {
    for (const h of this.progressHandlers) h(p);
  }

  private async runLong() {
    this.emitProgress({ bytes_read: 400, file_size: 1000, rows: 4 });
    if (this.holding) {
      await new Promise<void>((resolve, reject) => {
        this.held = {
          release: resolve,
          cancel: () => reject(fail('cancelled; nothing was changed', null, 'cancelled')),
        };
      }).finally(() => {
        this.held = null;
        this.holding = false;
      });
    }
    this.emitProgress({ bytes_read: 1000, file_size: 1000, rows: 8 });
  }

  private importMapping(options: ImportOptions): { mapping: ColumnMapping[]; saved: boolean } {
    const headers = FakeBackend.IMPORT_HEADERS;
    const fileName = this.importFile?.split('/').pop() ?? 'contacts.csv';
    if (options.mapping) {
      if (options.mapping.length !== headers.length || options.mapping.some((m, i) => m.column !== headers[i]))
        throw fail(`${fileName}: the mapping does not fit this file's columns (${headers.join(', ')})`, null);
      return { mapping: structuredClone(options.mapping), saved: false };
    }
    const saved = this.savedMappings.get(headers.join('\u001f'));
    if (saved) return { mapping: structuredClone(saved), saved: true };
    return {
      saved: false,
      mapping: [
        { column: 'Name', target: { field: 'full_name' }, recognised: true },
        { column: 'Email', target: { field: 'email', group: '' }, recognised: true },
        { column: 'Phone', target: { field: 'phone', group: '' }, recognised: true },
        { column: 'Company', target: { field: 'company' }, recognised: true },
        { column: 'Birthday', target: { field: 'birthday' }, recognised: true },
        {
          column: 'Stand notes',
          target: options.unknown_columns_to_note ? { field: 'note' } : { field: 'ignore' },
          recognised: false,
        },
      ],
    };
  }

  /** The preview the core would give: every row classified against the book. */
  private classify(path: string, options: ImportOptions): ImportPreview {
    const fileName = path.split('/').pop() ?? path;
    if (/empty/i.test(fileName)) throw fail(`${path}: the file is empty`, null, 'invalid_input', { kind: 'file_empty' });
    const { mapping, saved } = this.importMapping(options);
    const has = (field: string) => mapping.some((m) => m.target.field === field);
    if (!has('full_name') && !has('email') && !has('phone'))
      throw fail(`${path}: no column holds a name, an email or a phone number`, null, 'invalid_input', {
        kind: 'no_identifying_column',
        columns: FakeBackend.IMPORT_HEADERS.join(', '),
      });
    const confirmed = new Set((options.confirmed_matches as unknown as number[]).map(Number));
    // A file named .xlsx stands for a workbook of two sheets, the chosen one (or the first) read.
    let file_kind: FileKind = { kind: 'text' };
    if (fileName.endsWith('.xlsx')) {
      const sheets = [...FakeBackend.IMPORT_SHEETS];
      const sheet = options.sheet ?? sheets[0];
      if (!sheets.includes(sheet))
        throw fail(`${path}: the workbook has no sheet '${sheet}'`, null, 'invalid_input', {
          kind: 'no_such_sheet',
          sheet,
          sheets: sheets.join(', '),
        });
      file_kind = { kind: 'workbook', format: 'excel', sheet, sheets };
    }
    const letter = (column: string) =>
      file_kind.kind === 'workbook' ? String.fromCharCode(65 + FakeBackend.IMPORT_HEADERS.indexOf(column)) : null;
    const seen = new Map<string, number>();
    const counts = { rows: 0, new: 0, merge: 0, duplicates_in_file: 0, likely_matches: 0, rejected: 0, erased: 0, warnings: 0 };
    const warnings: ImportWarning[] = [];
    const rows: PreviewRow[] = [];
    const rejected_rows: RejectedRow[] = [];
    for (const r of FakeBackend.IMPORT_ROWS) {
      counts.rows += 1;
      const row: PreviewRow = {
        line: r.line,
        outcome: { kind: 'new' },
        name: has('full_name') ? r.name : '',
        email: has('email') ? r.email.trim().toLowerCase() : '',
        phone: has('phone') ? r.phone : '',
        company: has('company') ? r.company : '',
        conflicts: [],
      };
      // As the core does: a cell it cannot use is kept as typed and listed; the row is
      // rejected only when nothing in it names a person.
      if (row.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(row.email)) {
        const problem: Problem = { kind: 'not_an_email', value: r.email };
        const reason = `column 'Email': '${r.email}' is not an email address; kept as typed in the customer's import note`;
        warnings.push({ line: r.line, column: 'Email', column_letter: letter('Email'), reason, problem, action: 'kept_in_note' });
        row.email = '';
      }
      if (row.phone && row.phone.replace(/\D/g, '').length < 6) {
        const problem: Problem = { kind: 'not_a_phone', value: r.phone };
        const reason = `column 'Phone': '${r.phone}' is not a phone number; kept as typed, unverified (not used for texts or to recognise people)`;
        warnings.push({ line: r.line, column: 'Phone', column_letter: letter('Phone'), reason, problem, action: 'phone_unverified' });
      }
      let rejected: { column: null; column_letter: null; field: null; problem: Problem } | null = null;
      if (!row.name && !row.email && !row.phone)
        rejected = { column: null, column_letter: null, field: null, problem: { kind: 'no_name_email_or_phone' } };
      if (rejected) {
        const reason = 'no name, email or phone';
        row.outcome = { kind: 'rejected', reason, ...rejected };
        rejected_rows.push({ line: r.line, reason, ...rejected });
        counts.rejected += 1;
        rows.push(row);
        continue;
      }
      const key = row.email || row.phone.replace(/\D/g, '') || row.name.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        row.outcome = { kind: 'duplicate_in_file', first_line: first };
        counts.duplicates_in_file += 1;
        rows.push(row);
        continue;
      }
      seen.set(key, r.line);
      const book = [...this.customers.values()];
      const byEmail = row.email ? book.find((c) => c.emails.some((e) => e.address.toLowerCase() === row.email)) : undefined;
      const byName = book.find(
        (c) => c.full_name.toLowerCase() === row.name.toLowerCase() && !!row.company && c.company === row.company,
      );
      if (byEmail) {
        row.outcome = { kind: 'merge', customer_id: byEmail.id, customer_name: byEmail.full_name };
        if (byEmail.company && row.company && byEmail.company !== row.company)
          row.conflicts.push({ field: 'company', book_value: byEmail.company, file_value: row.company });
        counts.merge += 1;
      } else if (byName) {
        if (confirmed.has(r.line)) {
          row.outcome = { kind: 'merge', customer_id: byName.id, customer_name: byName.full_name };
          counts.merge += 1;
        } else {
          row.outcome = {
            kind: 'likely_match',
            customer_id: byName.id,
            customer_name: byName.full_name,
            reason: 'same_name_and_company',
          };
          counts.likely_matches += 1;
        }
      } else {
        counts.new += 1;
      }
      rows.push(row);
    }
    counts.warnings = warnings.length;
    const chosen = options.date_orders.find((d) => d.column === 'Birthday');
    const dates = has('birthday')
      ? [
          chosen
            ? { column: 'Birthday', order: chosen.order, decided_by: 'chosen' as const }
            : { column: 'Birthday', order: 'day_first' as const, decided_by: 'assumed' as const },
        ]
      : [];
    const text = file_kind.kind === 'text';
    return {
      file_name: fileName,
      file_kind,
      encoding: !text ? '' : options.encoding ? options.encoding.toUpperCase() : 'UTF-8',
      delimiter: !text ? '' : (options.delimiter ?? ','),
      headers: [...FakeBackend.IMPORT_HEADERS],
      samples: FakeBackend.importSamples(),
      mapping,
      saved_mapping: saved,
      dates,
      counts,
      rows,
      rejected_rows,
      warnings,
    };
  }

  async chooseImportFile() {
    this.record('chooseImportFile');
    return this.importFile ? this.issue(this.importFile, 'open') : null;
  }

  async previewImport(file: string, options: ImportOptions, job?: JobLink<ImportProgress>) {
    this.record('previewImport', file, options);
    const path = this.resolve(file, 'open');
    await this.linked(this.progressHandlers, job, () => this.held?.cancel(), () => this.runLong());
    return this.classify(path, options);
  }

  async commitImport(file: string, options: ImportOptions, job?: JobLink<ImportProgress>): Promise<ImportSummary> {
    this.record('commitImport', file, options);
    const path = this.resolve(file, 'open');
    await this.linked(this.progressHandlers, job, () => this.held?.cancel(), () => this.runLong());
    const preview = this.classify(path, options);
    const id = this.importBatchList.reduce((n, b) => Math.max(n, b.id), 0) + 1;
    const created: number[] = [];
    for (const row of preview.rows) {
      if (row.outcome.kind !== 'new' && row.outcome.kind !== 'likely_match') continue;
      const c = this.insert(
        draftOf({
          full_name: row.name || row.email || row.phone,
          company: row.company,
          emails: row.email ? [{ label: '', address: row.email, primary: true }] : [],
          phones: row.phone ? [{ label: '', number: row.phone, e164: null, primary: true }] : [],
          source: 'fair',
        }),
      );
      created.push(c.id);
    }
    this.batchPeople.set(id, created);
    this.importBatchList.unshift({
      id,
      file_name: preview.file_name,
      imported_at: new Date((this.clock += 1000)).toISOString(),
      created: created.length,
      merged: preview.counts.merge,
      duplicates_in_file: preview.counts.duplicates_in_file,
      rejected: preview.counts.rejected,
      undone_at: null,
    });
    return {
      batch_id: id,
      file_name: preview.file_name,
      file_kind: preview.file_kind,
      created: created.length,
      merged: preview.counts.merge,
      duplicates_in_file: preview.counts.duplicates_in_file,
      likely_matches: preview.counts.likely_matches,
      erased: preview.counts.erased,
      rejected: preview.counts.rejected,
      rejected_rows: preview.rejected_rows,
      warning_count: preview.counts.warnings,
      warnings: preview.warnings,
      conflicts: preview.rows.filter((r) => r.conflicts.length > 0),
    };
  }

  /**
   * Runs `work` with `job` hearing the progress reported to `handlers`, and stopping through
   * `stop`, as the shell links a call to its own channel.
   */
  private async linked<P, T>(handlers: Set<(p: P) => void>, job: JobLink<P> | undefined, stop: () => void, work: () => Promise<T>): Promise<T> {
    const report = job ? (p: P) => job.report(p) : null;
    if (report) handlers.add(report);
    job?.started(async () => {
      this.record('cancelJob');
      stop();
    });
    try {
      return await work();
    } finally {
      if (report) handlers.delete(report);
    }
  }

  async undoImport(batchId: number) {
    this.record('undoImport', batchId);
    const batch = this.importBatchList.find((b) => b.id === batchId);
    if (!batch) throw fail(`import ${batchId} does not exist`, null, 'not_found');
    if (batch.undone_at) throw fail(`import ${batchId} was already undone on ${batch.undone_at}`, 'batch_id');
    const people = this.batchPeople.get(batchId) ?? [];
    for (const id of people) this.customers.delete(id);
    batch.undone_at = new Date((this.clock += 1000)).toISOString();
    return { removed: people.length, restored: batch.merged };
  }

  async importBatches() {
    this.record('importBatches');
    return structuredClone(this.importBatchList);
  }

  async saveImportMapping(mapping: ColumnMapping[]) {
    this.record('saveImportMapping', mapping);
    this.savedMappings.set(mapping.map((m) => m.column).join('\u001f'), structuredClone(mapping));
  }

  async saveRejectedRows(file: string, options: ImportOptions, wording: RejectedRowsWording) {
    this.record('saveRejectedRows', file, options, wording);
    return this.resolve(file, 'open').replace(/\.[^./]+$/, '') + '-rejected.csv';
  }

  // ---- mailing lists, erasure, backups, recovery ----

  /** Campaigns that mailing lists were recorded as, by name as first given. */
  recordedCampaigns: string[] = [];
  /** Files written by exportMailingList: path → the rows written. */
  exported = new Map<string, { options: MailingFileOptions; rows: MailingRow[] }>();
  /** What chooseExportFile / chooseRestoreFile answer (null: the dealer closed the dialog). */
  exportFile: string | null = '/home/dealer/Desktop/list.csv';
  /** PDFs printed: path → what (the labels' names in order; the sale or customer and the language asked). */
  printed = new Map<string, { kind: 'labels' | 'receipt' | 'card'; layout?: LabelLayout; names?: string[]; id?: number; language?: PrintLanguage | null }>();
  /** What the PDF save dialogs answer (null: the dealer closed it). */
  pdfFile: string | null = '/home/dealer/Desktop/print.pdf';
  restoreFile: string | null = '/media/usb/book-copy.sqlite3';
  /** Set to start the window on the recovery screen (as the core reports it; the window gets tokens). */
  damaged: DamagedBook | null = null;
  backupList: BackupInfo[] = [];
  dailyRunning = false;
  dailyError: BackupFailure | null = null;
  suppressions = 0;
  private snapshots = new Map<string, { customers: Map<number, Customer>; purchases: Map<number, Purchase> }>();
  private jobHandlers = new Set<(p: JobProgress) => void>();
  private backupHandlers = new Set<() => void>();
  private failureHandlers = new Set<(failure: BackupFailure) => void>();
  private jobHeld: { release: () => void; cancel: () => void } | null = null;
  private jobHolding = false;

  /** Makes the next export, backup or restore wait (after a first progress report) until released or cancelled. */
  holdJob(): () => void {
    this.jobHolding = true;
    return () => {
      this.jobHolding = false;
      this.jobHeld?.release();
    };
  }

  private async runJob(total: number) {
    for (const h of this.jobHandlers) h({ done: Math.floor(total / 2), total });
    await this.heldJob();
    for (const h of this.jobHandlers) h({ done: total, total });
  }

  /** Waits while holdJob() holds the running job; rejects with "cancelled" on cancelJob. */
  private async heldJob() {
    if (this.jobHolding) {
      await new Promise<void>((resolve, reject) => {
        this.jobHeld = {
          release: resolve,
          cancel: () => reject(fail('cancelled; nothing was changed', null, 'cancelled')),
        };
      }).finally(() => {
        this.jobHeld = null;
        this.jobHolding = false;
      });
    }
  }

  /** Where the customer stands today, by the book's rules (fakeStanding.ts). */
  private standingOf(customer: Customer): Standing {
    return computeStanding({
      customerId: customer.id,
      influence: customer.influence,
      rules: this.settings.standing,
      today: todayIso(),
      bookPurchases: [...this.purchases.values()].filter((p) => p.currency === this.settings.default_currency),
      scores: [...this.satisfaction.values()].filter((x) => x.customer_id === customer.id),
    });
  }

  /**
   * The customer's moves, newest first: their standing now is compared with the one last seen
   * (as the core re-evaluates after a sale or score) and a move recorded on today's date.
   */
  private movesOf(customerId: number, now: Standing): StandingChange[] {
    const seen = this.standingSeen.get(customerId);
    const day = todayIso();
    if (seen && seen.segment !== now.segment)
      this.standingChanges.push({ id: this.nextChangeId++, customer_id: customerId, changed_on: day, change: { kind: 'segment', from: seen.segment, to: now.segment } });
    if (seen && seen.value_class !== now.value_class)
      this.standingChanges.push({ id: this.nextChangeId++, customer_id: customerId, changed_on: day, change: { kind: 'value_class', from: seen.value_class, to: now.value_class } });
    this.standingSeen.set(customerId, { segment: now.segment, value_class: now.value_class });
    return structuredClone(this.standingChanges.filter((c) => c.customer_id === customerId)).sort(
      (a, b) => b.changed_on.localeCompare(a.changed_on) || b.id - a.id,
    );
  }

  /** A move recorded earlier (a test's history). */
  addStandingChange(customerId: number, changed_on: string, change: StandingMove): StandingChange {
    const recorded = { id: this.nextChangeId++, customer_id: customerId, changed_on, change };
    this.standingChanges.push(recorded);
    return recorded;
  }

  /** The core's selection: the filter, then consent and an address for the channel. */
  private mailing({ channel, audience: filter }: MailingFilter): { preview: MailingPreview; rows: MailingRow[]; written: number[] } {
    const selected = this.audience(filter)
      .selected      .sort((a, b) => a.full_name.localeCompare(b.full_name));
    const preview: MailingPreview = {
      matching: selected.length,
      rows: 0,
      excluded_unknown: 0,
      excluded_opted_out: 0,
      excluded_no_consent: 0,
      excluded_no_address: 0,
      sample: [],
    };
    const rows: MailingRow[] = [];
    const written: number[] = [];
    for (const c of selected) {
      const status = c.consents.find((k) => k.channel === channel)?.status ?? 'unknown';
      if (status !== 'opted_in') {
        if (status === 'opted_out') preview.excluded_opted_out += 1;
        else preview.excluded_unknown += 1;
        preview.excluded_no_consent += 1;
        continue;
      }
      const primary = <T extends { primary: boolean }>(list: T[]) => list.find((x) => x.primary) ?? list[0];
      const email = primary(c.emails);
      const phone = primary(c.phones);
      const address = primary(c.addresses);
      const to =
        channel === 'email'
          ? email?.address
          : channel === 'sms'
            ? (phone?.e164 ?? phone?.number)
            : address && [address.street, address.city, address.postal_code].filter(Boolean).join('\n');
      if (!to) {
        preview.excluded_no_address += 1;
        continue;
      }
      written.push(c.id);
      rows.push({
        salutation: c.given_name || c.full_name,
        first_name: c.given_name,
        last_name: c.family_name,
        full_name: c.full_name,
        address: to,
        street: channel === 'post' ? (address?.street ?? '') : '',
        city: channel === 'post' ? (address?.city ?? '') : '',
        region: channel === 'post' ? (address?.region ?? '') : '',
        postal_code: channel === 'post' ? (address?.postal_code ?? '') : '',
        country: channel === 'post' ? (address?.country ?? '') : '',
        language: c.language,
        customer_type: c.customer_type,
        tags: [...c.tags],
      });
    }
    preview.rows = rows.length;
    preview.sample = rows.slice(0, 20);
    return { preview, rows, written };
  }

  /** The core's recording of a written list as a campaign: found by name (case ignored) or made, one contact a day each. */
  private recordCampaign(name: string, channel: MailingChannel, written: number[]): CampaignContacts {
    const found = this.recordedCampaigns.find((known) => known.toLowerCase() === name.toLowerCase());
    const campaign = found ?? name;
    if (!found) this.recordedCampaigns.push(name);
    const today = todayIso();
    let recorded = 0;
    let already_recorded = 0;
    for (const id of written) {
      const contacted = [...this.interactions.values()].some(
        (x) => x.customer_id === id && x.occurred_on === today && x.campaign.toLowerCase() === campaign.toLowerCase(),
      );
      if (contacted) {
        already_recorded += 1;
        continue;
      }
      const stamp = this.stamp(id);
      this.interactions.set(stamp.id, {
        ...stamp,
        kind: channel === 'email' ? 'email' : 'message',
        direction: 'outbound',
        occurred_on: today,
        summary: `Mailing list (${channel}): ${campaign}`,
        outcome: '',
        campaign,
        response: null,
      });
      recorded += 1;
    }
    return { campaign, created: !found, recorded, already_recorded };
  }

  async previewMailingList(filter: MailingFilter) {
    this.record('previewMailingList', filter);
    return this.mailing(filter).preview;
  }

  async chooseExportFile(suggested: string) {
    this.record('chooseExportFile', suggested);
    return this.exportFile ? this.issue(this.exportFile, 'save') : null;
  }

  async exportMailingList(
    filter: MailingFilter,
    options: MailingFileOptions,
    file: string,
    campaign: string | null,
    job?: JobLink<JobProgress>,
  ): Promise<MailingExport> {
    this.record('exportMailingList', filter, options, file, campaign);
    const path = this.resolve(file, 'save');
    if (options.format === 'mailchimp' && filter.channel !== 'email')
      throw fail('a Mailchimp list is an email list: choose the email channel', 'format');
    const name = campaign?.trim() ?? null;
    if (name === '') throw fail('name the campaign', 'campaign', 'invalid_input', { kind: 'campaign_name_missing' });
    if (name !== null && [...name].length > 120)
      throw fail('longer than 120 characters', 'campaign', 'invalid_input', { kind: 'too_long', max_chars: 120 });
    const { preview, rows, written } = this.mailing(filter);
    await this.linked(this.jobHandlers, job, () => this.jobHeld?.cancel(), () => this.runJob(rows.length));
    this.exported.set(path, { options, rows });
    return {
      file: path,
      rows: rows.length,
      excluded_no_consent: preview.excluded_no_consent,
      excluded_no_address: preview.excluded_no_address,
      campaign: name === null ? null : this.recordCampaign(name, filter.channel, written),
    };
  }

  async chooseLabelsFile(suggested: string) {
    this.record('chooseLabelsFile', suggested);
    return this.pdfFile ? this.issue(this.pdfFile, 'save') : null;
  }

  async printLabels(filter: MailingFilter, layout: LabelLayout, file: string, job?: JobLink<JobProgress>): Promise<LabelsExport> {
    this.record('printLabels', filter, layout, file);
    const path = this.resolve(file, 'save');
    if (filter.channel !== 'post')
      throw fail('address labels are for post: choose the post channel', 'channel', 'invalid_input', { kind: 'labels_need_post' });
    const { preview, rows } = this.mailing(filter);
    await this.linked(this.jobHandlers, job, () => this.jobHeld?.cancel(), () => this.runJob(rows.length));
    this.printed.set(path, { kind: 'labels', layout, names: rows.map((row) => row.full_name) });
    const perPage = { l7160: 21, '5160': 30, envelope: 1 }[layout];
    return {
      file: path,
      labels: rows.length,
      pages: Math.ceil(rows.length / perPage),
      excluded_no_consent: preview.excluded_no_consent,
      excluded_no_address: preview.excluded_no_address,
    };
  }

  async chooseReceiptFile(suggested: string) {
    this.record('chooseReceiptFile', suggested);
    return this.pdfFile ? this.issue(this.pdfFile, 'save') : null;
  }

  async printReceipt(purchaseId: number, language: PrintLanguage | null, file: string): Promise<string> {
    this.record('printReceipt', purchaseId, language, file);
    const path = this.resolve(file, 'save');
    if (!this.purchases.has(purchaseId)) throw fail(`purchase ${purchaseId} does not exist`, null, 'not_found');
    this.printed.set(path, { kind: 'receipt', id: purchaseId, language });
    return path;
  }

  async chooseCardFile(suggested: string) {
    this.record('chooseCardFile', suggested);
    return this.pdfFile ? this.issue(this.pdfFile, 'save') : null;
  }

  async printCard(customerId: number, language: PrintLanguage, file: string): Promise<string> {
    this.record('printCard', customerId, language, file);
    const path = this.resolve(file, 'save');
    if (!this.customers.has(customerId)) throw fail(`customer ${customerId} does not exist`, null, 'not_found');
    this.printed.set(path, { kind: 'card', id: customerId, language });
    return path;
  }

  async eraseCustomer(id: number) {
    this.record('eraseCustomer', id);
    const c = this.customers.get(id);
    if (!c) throw fail(`customer ${id} does not exist`, null, 'not_found');
    const backups_holding = await this.backupsHoldingCustomer(id);
    await this.deleteCustomer(id);
    this.suppressions += c.emails.length + c.phones.length;
    return { customer_id: id, name: c.full_name, suppressed_emails: c.emails.length, suppressed_phones: c.phones.length, backups_holding };
  }

  async backupsHoldingCustomer(id: number) {
    this.record('backupsHoldingCustomer', id);
    return [...this.snapshots.values()].filter((snap) => snap.customers.has(id)).length;
  }

  /** A backup of the book as it is now (its customers and sales), newest first in the list. */
  addBackup(kind: BackupKind, createdAt?: string): BackupInfo {
    const created_at = createdAt ?? new Date((this.clock += 1000)).toISOString();
    const stamp = created_at.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const file_name = `book-${stamp}-${kind.replace('_', '-')}.sqlite3`;
    const info: BackupInfo = { path: `/home/dealer/Loupe/backups/${file_name}`, file_name, created_at, kind, bytes: 204_800 };
    this.snapshots.set(info.path, { customers: structuredClone(this.customers), purchases: structuredClone(this.purchases) });
    this.backupList = [info, ...this.backupList].sort((a, b) => b.created_at.localeCompare(a.created_at));
    return info;
  }

  /** A backup file kept elsewhere (the restore-from-file dialog answers with it). */
  addBackupFile(path: string) {
    this.snapshots.set(path, { customers: structuredClone(this.customers), purchases: structuredClone(this.purchases) });
  }

  /** What the backup at `path` holds, as the core reads it. */
  async contentsOf(path: string): Promise<BackupContents> {
    const snap = this.snapshots.get(path);
    if (!snap) throw fail(`${path} is not a Loupe book (not an SQLite file)`, null, 'not_a_book');
    const now = { customers: this.customers, purchases: this.purchases };
    this.customers = snap.customers;
    this.purchases = snap.purchases;
    try {
      const stats = await this.bookStats();
      const last = [...snap.customers.values()].reduce<string | null>((d, c) => (d === null || c.updated_at > d ? c.updated_at : d), null);
      return { path, schema_version: 3, stats, last_change: last };
    } finally {
      this.customers = now.customers;
      this.purchases = now.purchases;
    }
  }

  async backupOverview(): Promise<BackupOverview> {
    this.record('backupOverview');
    return {
      folder: '/home/dealer/Loupe/backups',
      backups: this.backupList.map((b) => this.listed(b)),
      daily_running: this.dailyRunning,
      daily_error: this.dailyError,
    };
  }

  async backUpNow(job?: JobLink<JobProgress>) {
    this.record('backUpNow');
    await this.linked(this.jobHandlers, job, () => {}, () => this.runJob(100));
    return this.listed(this.addBackup('manual'));
  }

  async inspectBackup(file: string): Promise<BackupSummary> {
    this.record('inspectBackup', file);
    return withoutPath(await this.contentsOf(this.resolve(file, 'open')));
  }

  async chooseRestoreFile() {
    this.record('chooseRestoreFile');
    return this.restoreFile ? this.issue(this.restoreFile, 'open') : null;
  }

  async restoreBackup(file: string, job?: JobLink<JobProgress>): Promise<RestoreOutcome> {
    this.record('restoreBackup', file);
    const path = this.resolve(file, 'open');
    return this.linked(this.jobHandlers, job, () => {}, () => this.restoreFrom(path));
  }

  /** Puts the backup at `path` in place of the book, as the core does. */
  private async restoreFrom(path: string): Promise<RestoreOutcome> {
    const restored = await this.contentsOf(path);
    const safety_backup = this.addBackup('before_restore');
    await this.runJob(100);
    const snap = this.snapshots.get(path)!;
    this.customers = structuredClone(snap.customers);
    this.purchases = structuredClone(snap.purchases);
    return { safety_backup: this.listed(safety_backup), restored: withoutPath(restored), erased_again: 0 };
  }

  async onBackupsChanged(handler: () => void) {
    this.backupHandlers.add(handler);
    return () => {
      this.backupHandlers.delete(handler);
    };
  }

  /** As the shell does when the day's backup is done. */
  backupsChanged() {
    for (const h of this.backupHandlers) h();
  }

  async onBackupFailed(handler: (failure: BackupFailure) => void) {
    this.failureHandlers.add(handler);
    return () => {
      this.failureHandlers.delete(handler);
    };
  }

  /** As the shell does when the day's backup failed. */
  backupFailed(failure: BackupFailure) {
    this.dailyError = failure;
    for (const h of this.failureHandlers) h(failure);
    this.backupsChanged();
  }

  // ---- "Back up to…" ----

  /** What the shell's folder dialog answers (null: the dealer closed it). */
  offsiteDialogAnswer: string | null = '/media/dealer/LOUPE-USB';
  /** The folder the shell remembers. */
  offsiteFolder: string | null = null;
  /** The drive is plugged in. */
  offsiteReachable = true;
  offsiteSameDisk = false;
  offsiteCopies: BackupInfo[] = [];
  /** The newest copy on another disk, as the shell remembers it (also while unplugged). */
  offsiteNewestOutside: string | null = null;

  async offsiteStatus(): Promise<OffsiteStatus> {
    this.record('offsiteStatus');
    const folder = this.offsiteFolder;
    const reachable = folder !== null && this.offsiteReachable;
    const newest = this.offsiteNewestOutside;
    const days = this.settings.offsite_reminder_days;
    const due = newest === null || Date.now() - new Date(newest).getTime() >= days * 24 * 3600 * 1000;
    return {
      folder_name: folder ? folder.split('/').pop() || folder : null,
      folder,
      reachable,
      problem: folder !== null && !reachable ? { kind: 'offsite_folder_missing', folder } : null,
      same_disk: reachable && this.offsiteSameDisk,
      backups: reachable ? structuredClone(this.offsiteCopies) : [],
      newest_outside: newest,
      reminder_due: due,
      reminder_days: days,
    };
  }

  async chooseOffsiteFolder() {
    this.record('chooseOffsiteFolder');
    if (this.offsiteDialogAnswer === null) return null;
    if (this.offsiteDialogAnswer !== this.offsiteFolder) this.offsiteCopies = [];
    this.offsiteFolder = this.offsiteDialogAnswer;
    this.offsiteReachable = true;
    return this.offsiteStatus();
  }

  async backUpOffsite(job?: JobLink<JobProgress>) {
    this.record('backUpOffsite');
    if (this.offsiteFolder === null) throw fail('offsite_folder: choose a folder to back up to first', 'offsite_folder', 'invalid_input', { kind: 'offsite_folder_not_chosen' });
    if (!this.offsiteReachable)
      throw fail(`offsite_folder: ${this.offsiteFolder} is not there: is the drive plugged in?`, 'offsite_folder', 'invalid_input', {
        kind: 'offsite_folder_missing',
        folder: this.offsiteFolder,
      });
    await this.linked(this.jobHandlers, job, () => {}, () => this.runJob(100));
    const created_at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const stamp = created_at.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const file_name = `book-${stamp}-offsite.sqlite3`;
    const info: BackupInfo = { path: `${this.offsiteFolder}/${file_name}`, file_name, created_at, kind: 'offsite', bytes: 204_800 };
    this.snapshots.set(info.path, { customers: structuredClone(this.customers), purchases: structuredClone(this.purchases) });
    this.offsiteCopies = [info, ...this.offsiteCopies];
    if (!this.offsiteSameDisk) this.offsiteNewestOutside = created_at;
    return info;
  }

  private offsiteCopy(fileName: string): BackupInfo {
    const copy = this.offsiteReachable ? this.offsiteCopies.find((b) => b.file_name === fileName) : undefined;
    if (!copy) throw fail(`there is no book at ${this.offsiteFolder}/${fileName}`, null, 'not_a_book');
    return copy;
  }

  async inspectOffsiteBackup(fileName: string) {
    this.record('inspectOffsiteBackup', fileName);
    return withoutPath(await this.contentsOf(this.offsiteCopy(fileName).path));
  }

  async restoreOffsiteBackup(fileName: string, job?: JobLink<JobProgress>) {
    this.record('restoreOffsiteBackup', fileName);
    const path = this.offsiteCopy(fileName).path;
    return this.linked(this.jobHandlers, job, () => {}, () => this.restoreFrom(path));
  }

  // ---- moving the whole book ----

  /** What the folder dialogs answer (null: the dealer closed it). */
  bookExportDir: string | null = '/media/usb/loupe-book';
  bookImportDir: string | null = '/media/usb/loupe-book';
  /** Book folders: path → the manifest and the customers and sales it holds. */
  bookFolders = new Map<string, { manifest: BookManifest; customers: Map<number, Customer>; purchases: Map<number, Purchase> }>();
  /** Folders that fail the import's checks: path → the core's message (file, line and column). */
  brokenFolders = new Map<string, string>();
  private transferHandlers = new Set<(p: MoveProgress) => void>();

  private async runTransfer(stages: MoveStage[], total: number) {
    // The first stage is reported before a held job waits, the others after it goes on.
    const report = (stage: MoveStage, done: number) => {
      for (const h of this.transferHandlers) h({ stage, done, total });
    };
    report(stages[0], Math.floor(total / 2));
    await this.heldJob();
    for (const stage of stages) report(stage, total);
  }

  /** A folder as exported from a book holding `drafts` (nothing of the current book changes). */
  addBookFolder(path: string, drafts: CustomerDraft[]): BookManifest {
    const other = new FakeBackend(drafts);
    const manifest = other.manifestOf();
    this.bookFolders.set(path, { manifest, customers: other.customers, purchases: other.purchases });
    return manifest;
  }

  private manifestOf(): BookManifest {
    const all = [...this.customers.values()];
    const table = (name: string, rows: number) => ({
      name: `${name}.csv`,
      table: name,
      rows,
      bytes: 100 + rows * 80,
      sha256: '0'.repeat(64),
      columns: ['id'],
      nullable: [],
    });
    return {
      format: 'loupe-book',
      format_version: 1,
      schema_version: 3,
      conventions: 'UTF-8 CSV',
      files: [
        table('settings', 3),
        table('customers', all.length),
        table('customer_emails', all.reduce((n, c) => n + c.emails.length, 0)),
        table('customer_phones', all.reduce((n, c) => n + c.phones.length, 0)),
        table('customer_addresses', all.reduce((n, c) => n + c.addresses.length, 0)),
        table('purchases', this.purchases.size),
        table('notes', this.notes.size),
        table('interactions', this.interactions.size),
        table('wishes', this.wishes.size),
      ],
    };
  }

  async chooseBookExportDir() {
    this.record('chooseBookExportDir');
    return this.bookExportDir ? this.issue(this.bookExportDir, 'save_folder') : null;
  }

  async chooseBookImportDir() {
    this.record('chooseBookImportDir');
    return this.bookImportDir ? this.issue(this.bookImportDir, 'open_folder') : null;
  }

  async readBookManifest(token: string) {
    this.record('readBookManifest', token);
    const dir = this.resolve(token, 'open_folder');
    const folder = this.bookFolders.get(dir);
    if (!folder) throw fail(`${dir}/manifest.json: missing: this folder is not a Loupe book export`, null);
    return structuredClone(folder.manifest);
  }

  async exportBook(token: string, job?: JobLink<MoveProgress>) {
    this.record('exportBook', token);
    const dir = this.resolve(token, 'save_folder');
    if (this.bookFolders.has(dir)) throw fail(`${dir} already holds files; export into a new or empty folder`, 'dir');
    const manifest = this.manifestOf();
    await this.linked(this.transferHandlers, job, () => this.jobHeld?.cancel(), () =>
      this.runTransfer(['writing'], manifest.files.reduce((n, f) => n + f.rows, 0)),
    );
    this.bookFolders.set(dir, { manifest, customers: structuredClone(this.customers), purchases: structuredClone(this.purchases) });
    return { manifest: structuredClone(manifest) };
  }

  async importBook(token: string, options: BookImportOptions, job?: JobLink<MoveProgress>): Promise<BookImportReport> {
    this.record('importBook', token, options);
    const dir = this.resolve(token, 'open_folder');
    const folder = this.bookFolders.get(dir);
    if (!folder) throw fail(`${dir}/manifest.json: missing: this folder is not a Loupe book export`, null);
    const holds = this.customers.size > 0 || this.suppressions > 0;
    if (holds && !options.merge)
      throw fail(`the book is not empty (it holds ${this.customers.size} customers); nothing was written`, null, 'book_not_empty');
    const safety_backup = holds && options.merge ? this.listed(this.addBackup('before_merge')) : null;
    const rows = folder.manifest.files.reduce((n, f) => n + f.rows, 0);
    const stages: MoveStage[] = holds ? ['verifying', 'backing_up', 'loading', 'merging', 'indexing'] : ['verifying', 'loading', 'indexing'];
    await this.linked(this.transferHandlers, job, () => this.jobHeld?.cancel(), () => this.runTransfer(stages, rows));
    const broken = this.brokenFolders.get(dir);
    if (broken) throw fail(broken, null);
    if (!holds) {
      this.customers = structuredClone(folder.customers);
      this.purchases = structuredClone(folder.purchases);
      this.nextId = Math.max(0, ...this.customers.keys()) + 1;
      return { merged_into_existing: false, customers_created: this.customers.size, customers_merged: 0, erased_left_out: 0, conflicts: 0, rows_read: rows, batch_id: null, safety_backup };
    }
    let created = 0;
    let merged = 0;
    for (const c of folder.customers.values()) {
      const emails = c.emails.map((e) => e.address.toLowerCase());
      const same = [...this.customers.values()].find((b) => b.emails.some((e) => emails.includes(e.address.toLowerCase())));
      if (same) merged += 1;
      else {
        this.insert(structuredClone(c));
        created += 1;
      }
    }
    return { merged_into_existing: true, customers_created: created, customers_merged: merged, erased_left_out: 0, conflicts: 0, rows_read: rows, batch_id: 7, safety_backup };
  }

  /** A damaged book as the shell sends it: its newest good backup listed with a token. */
  private report(damaged: DamagedBook): DamagedBookReport {
    const { newest_good_backup, backup_contents, ...rest } = structuredClone(damaged);
    return {
      ...rest,
      newest_good_backup: newest_good_backup && this.listed(newest_good_backup),
      backup_contents: backup_contents && withoutPath(backup_contents),
    };
  }

  async bookHealth() {
    this.record('bookHealth');
    return this.damaged ? this.report(this.damaged) : null;
  }

  private damageHandlers = new Set<(damaged: DamagedBookReport) => void>();

  async onBookDamaged(handler: (damaged: DamagedBookReport) => void) {
    this.damageHandlers.add(handler);
    return () => {
      this.damageHandlers.delete(handler);
    };
  }

  private standingHandlers = new Set<() => void>();

  async onStandingChanged(handler: () => void) {
    this.standingHandlers.add(handler);
    return () => {
      this.standingHandlers.delete(handler);
    };
  }

  /** As the shell does when the day changed and the whole book's standing was evaluated again. */
  standingChanged() {
    for (const handler of this.standingHandlers) handler();
  }

  private waitingHandlers = new Set<(waiting: boolean) => void>();

  async onBookWaiting(handler: (waiting: boolean) => void) {
    this.waitingHandlers.add(handler);
    return () => {
      this.waitingHandlers.delete(handler);
    };
  }

  /** As the shell does when a command starts or stops waiting for another job on the book. */
  bookWaiting(waiting: boolean) {
    for (const h of this.waitingHandlers) h(waiting);
  }

  /** As the shell does when the check after opening finds the book damaged. */
  bookDamaged(damaged: DamagedBook) {
    this.damaged = damaged;
    for (const h of this.damageHandlers) h(this.report(damaged));
  }

  /** What the next recovery reports about the damaged book's erasures. */
  recovery = { erased_again: 0, erasures_unread: false };

  async recoverBook(token: string) {
    this.record('recoverBook', token);
    const backup = this.resolve(token, 'open');
    if (!this.damaged) throw fail('the book is open and sound: restore backups from the Backups screen', null);
    const snap = this.snapshots.get(backup);
    if (!snap) throw fail(`${backup} does not exist`, null, 'not_a_book');
    this.customers = structuredClone(snap.customers);
    this.purchases = structuredClone(snap.purchases);
    this.damaged = null;
    return { book: await this.bookInfo(), ...this.recovery };
  }

  // ---- the window itself ----

  private mayClose: (() => boolean) | null = null;
  /** Whether the window was closed (closeWindow, or a close nothing held back). */
  windowClosed = false;

  async onCloseRequested(mayClose: () => boolean) {
    this.mayClose = mayClose;
    return () => {
      this.mayClose = null;
    };
  }

  /** What the dealer's click on the window's close button does. */
  requestClose() {
    if (this.mayClose?.() ?? true) this.windowClosed = true;
  }

  async closeWindow() {
    this.record('closeWindow');
    this.windowClosed = true;
  }
}
