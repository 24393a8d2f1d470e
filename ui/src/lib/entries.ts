/**
 * The quick-add and edit forms' models: blank entries, entries read back for editing, the
 * light checks the window makes before sending (amounts and dates that the core could not
 * even read), and the draft sent to add_entry / update_entry.
 */
import Big from 'big.js';
import type { EntryDraft } from './bindings/EntryDraft';
import type { EntryKind } from './bindings/EntryKind';
import type { InteractionDraft } from './bindings/InteractionDraft';
import type { InteractionKind } from './bindings/InteractionKind';
import type { InteractionResponse } from './bindings/InteractionResponse';
import type { Direction } from './bindings/Direction';
import type { ItemCategory } from './bindings/ItemCategory';
import type { ItemCondition } from './bindings/ItemCondition';
import type { MemberDiscount } from './bindings/MemberDiscount';
import type { MembershipRules } from './bindings/MembershipRules';
import type { NoteCategory } from './bindings/NoteCategory';
import type { NoteDraft } from './bindings/NoteDraft';
import type { PaymentMethod } from './bindings/PaymentMethod';
import type { PointsRedemption } from './bindings/PointsRedemption';
import type { PurchaseDraft } from './bindings/PurchaseDraft';
import type { PurchaseItem } from './bindings/PurchaseItem';
import type { SaleChannel } from './bindings/SaleChannel';
import type { SalePayment } from './bindings/SalePayment';
import type { TradeIn } from './bindings/TradeIn';
import type { SatisfactionDraft } from './bindings/SatisfactionDraft';
import type { WishStatus } from './bindings/WishStatus';
import type { MessageKey } from './i18n/index.svelte';
import { memberDiscount, redemptionValue } from './membership';
import { cleanAmount, isAmount, isZero, saleSettlement, tidyAmount } from './money';
import type { TimelineItem } from './timeline';

export const ITEM_CATEGORIES: readonly ItemCategory[] = ['watch', 'ring', 'necklace', 'bracelet', 'earrings', 'pendant', 'other'];
export const ITEM_CONDITIONS: readonly ItemCondition[] = ['new', 'pre_owned', 'vintage'];
/**
 * The methods a new payment is taken by. `trade_in` is left out: a trade-in is a piece of its own
 * (with its allowance); the label stays only on payments recorded before there were trade-ins.
 */
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['card', 'cash', 'bank_transfer', 'other'];
export const SALE_CHANNELS: readonly SaleChannel[] = ['in_store', 'phone', 'online', 'fair', 'other'];
export const NOTE_CATEGORIES: readonly NoteCategory[] = [
  'personal_interest',
  'occasion',
  'relationship_history',
  'special_requirement',
  'internal',
];
export const INTERACTION_KINDS: readonly InteractionKind[] = ['call', 'email', 'meeting', 'shop_visit', 'message', 'event'];
export const DIRECTIONS: readonly Direction[] = ['outbound', 'inbound'];
/** What a customer answered, as the dealer records it (none is the form's first choice). */
export const INTERACTION_RESPONSES: readonly InteractionResponse[] = ['replied', 'visited', 'bought', 'unsubscribed'];
export const WISH_STATUSES: readonly WishStatus[] = ['open', 'sourcing', 'offered', 'won', 'lost'];

export const isOpenWish = (status: WishStatus) => status === 'open' || status === 'sourcing' || status === 'offered';

/** A wish as the form holds it: budgets and the closing date as text. */
export interface WishForm {
  brand: string;
  model: string;
  reference_number: string;
  budget_min: string;
  budget_max: string;
  currency: string;
  notes: string;
  status: WishStatus;
  requested_on: string;
  closed_on: string;
}

/**
 * A payment row of the sale form. While `follows_balance`, the row's amount is what the items
 * leave after the trade-ins and the other payments (shown live, sent as such); typing an amount
 * fixes it, as a till's tender line does.
 */
export interface PaymentRow extends SalePayment {
  follows_balance: boolean;
}

/**
 * A sale as the form holds it: payment rows, whether the piece awaits collection, and the points
 * redeemed on it as typed beside what they are worth.
 */
export interface SaleForm extends Omit<PurchaseDraft, 'payments' | 'collected_on' | 'redemption'> {
  payments: PaymentRow[];
  trade_ins: TradeIn[];
  /** A deposit taken: the piece is not collected yet. */
  awaiting_collection: boolean;
  /** The day of collection when it was not the sale's day (kept as it was when editing). */
  collected_apart: string | null;
  /** The points to redeem, as typed. */
  redeem_points: string;
  /** What the typed points redeem (`redemptionOf`, kept in step as they are typed); null for none. */
  redemption: PointsRedemption | null;
  /** What the sale being edited redeemed when it was stored: its points are the customer's again while it is edited. */
  stored_redemption: PointsRedemption | null;
}

export type EntryModel =
  | { kind: 'purchase'; draft: SaleForm }
  | { kind: 'note'; draft: NoteDraft }
  | { kind: 'interaction'; draft: InteractionDraft }
  | { kind: 'wish'; draft: WishForm }
  | { kind: 'satisfaction'; draft: SatisfactionDraft };

export function blankItem(): PurchaseItem {
  return {
    category: 'watch',
    brand: '',
    model: '',
    reference_number: '',
    serial_number: '',
    material: '',
    condition: 'new',
    condition_grade: '',
    has_box: true,
    has_papers: true,
    description: '',
    price: '',
    discount: '',
  };
}

export function blankTradeIn(): TradeIn {
  return {
    category: 'watch',
    brand: '',
    model: '',
    reference_number: '',
    serial_number: '',
    condition: 'pre_owned',
    condition_grade: '',
    description: '',
    allowance: '',
  };
}

/** A payment row dated `paidOn`, taking what is still due until an amount is typed. */
export function balancePayment(paidOn: string, method: PaymentMethod = 'card'): PaymentRow {
  return { method, amount: '', paid_on: paidOn, follows_balance: true };
}

/** What the sale form's rows come to: the amount of each payment row (a following one's live), paid and due. */
export function settlementOf(d: SaleForm) {
  return saleSettlement(d.items, d.trade_ins, d.payments, d.redemption?.value);
}

/**
 * The member discount proposed on an item: the tier's percentage of its price, as the core
 * requires it (blank while the price cannot be read yet, which the core would refuse anyway).
 */
export function proposeMemberDiscount(item: PurchaseItem, member: MemberDiscount): void {
  const price = cleanAmount(item.price);
  item.member_discount = member;
  item.discount = isAmount(price) ? tidyAmount(memberDiscount(price, member.percent)) : '';
}

/** Whole points as typed ("5,000" too); null for text that is not a number of points. */
export function readPoints(text: string): number | null {
  const digits = text.trim().replace(/[\s,.'’]/g, '');
  return /^\d{1,9}$/.test(digits) ? Number(digits) : null;
}

/**
 * What the typed points redeem under `rules`: none for none (or 0); the sale's own stored
 * redemption while its points are unchanged (the core keeps the value it was stored at, even
 * when the rate changed since).
 */
export function redemptionOf(typed: string, stored: PointsRedemption | null, rules: Pick<MembershipRules, 'points_for_one_unit'>): PointsRedemption | null {
  const points = readPoints(typed);
  if (!points) return null;
  if (stored && stored.points === points) return { ...stored };
  return { points, value: redemptionValue(points, rules) };
}

/** What a sale earns, as the core counts it (points.rs), or the currency that has no rate. */
export type EarnedPoints = { points: number } | { noRate: string };

/**
 * The points a sale coming to `total` in `currency` earns: `points_per_unit` per whole unit of
 * the book's currency paid; a sale in another currency at its rate, none without one.
 */
export function pointsEarned(total: string, currency: string, bookCurrency: string, rules: MembershipRules): EarnedPoints {
  let units = new Big(total);
  if (currency && currency !== bookCurrency) {
    const rate = rules.rates.find((r) => r.currency === currency);
    if (!rate) return { noRate: currency };
    units = units.times(rate.rate);
  }
  // Rounding mode 0 is ROUND_DOWN: whole units only.
  return { points: units.gt(0) ? units.round(0, 0).toNumber() * rules.points_per_unit : 0 };
}

/** A new entry of that kind dated `today`; money in `currency` (the book's). */
export function blankEntry(kind: EntryKind, today: string, currency: string): EntryModel {
  switch (kind) {
    case 'purchase':
      return {
        kind,
        draft: {
          purchased_on: today,
          currency,
          channel: 'in_store',
          salesperson: '',
          notes: '',
          items: [blankItem()],
          payments: [balancePayment(today)],
          trade_ins: [],
          awaiting_collection: false,
          collected_apart: null,
          redeem_points: '',
          redemption: null,
          stored_redemption: null,
        },
      };
    case 'note':
      return { kind, draft: { category: 'personal_interest', body: '', pinned: false, noted_on: today } };
    case 'interaction':
      return {
        kind,
        draft: { kind: 'call', direction: 'outbound', occurred_on: today, summary: '', outcome: '', campaign: '', response: null },
      };
    case 'wish':
      return {
        kind,
        draft: {
          brand: '',
          model: '',
          reference_number: '',
          budget_min: '',
          budget_max: '',
          currency,
          notes: '',
          status: 'open',
          requested_on: today,
          closed_on: '',
        },
      };
    case 'satisfaction':
      return { kind, draft: { score: 0, scored_on: today, comment: '' } };
  }
}

/** An entry of the timeline as the form edits it (a copy: cancelling leaves the page as it was). */
export function modelOf(item: TimelineItem): EntryModel {
  switch (item.kind) {
    case 'purchase': {
      const p = item.entry;
      return {
        kind: 'purchase',
        draft: {
          purchased_on: p.purchased_on,
          currency: p.currency,
          channel: p.channel,
          salesperson: p.salesperson,
          notes: p.notes,
          items: p.items.map((i) => ({ ...i })),
          // A sale paid in full by one payment keeps being paid in full when a price is corrected.
          payments: p.payments.map((payment) => ({
            ...payment,
            follows_balance: p.payments.length === 1 && isZero(p.balance_due),
          })),
          trade_ins: p.trade_ins.map((trade) => ({ ...trade })),
          awaiting_collection: p.collected_on === null,
          collected_apart: p.collected_on !== null && p.collected_on !== p.purchased_on ? p.collected_on : null,
          redeem_points: p.redemption ? String(p.redemption.points) : '',
          redemption: p.redemption ? { ...p.redemption } : null,
          stored_redemption: p.redemption ? { ...p.redemption } : null,
        },
      };
    }
    case 'note': {
      const n = item.entry;
      return { kind: 'note', draft: { category: n.category, body: n.body, pinned: n.pinned, noted_on: n.noted_on } };
    }
    case 'interaction': {
      const x = item.entry;
      return {
        kind: 'interaction',
        draft: {
          kind: x.kind,
          direction: x.direction,
          occurred_on: x.occurred_on,
          summary: x.summary,
          outcome: x.outcome,
          campaign: x.campaign,
          response: x.response,
        },
      };
    }
    case 'wish': {
      const w = item.entry;
      return {
        kind: 'wish',
        draft: {
          brand: w.brand,
          model: w.model,
          reference_number: w.reference_number,
          budget_min: w.budget_min ?? '',
          budget_max: w.budget_max ?? '',
          currency: w.currency,
          notes: w.notes,
          status: w.status,
          requested_on: w.requested_on,
          closed_on: w.closed_on ?? '',
        },
      };
    }
    case 'satisfaction': {
      const s = item.entry;
      return { kind: 'satisfaction', draft: { score: s.score, scored_on: s.scored_on, comment: s.comment } };
    }
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface Checked {
  draft: EntryDraft;
  /** Field path → message key, for what the core could not even read. */
  errors: Record<string, MessageKey>;
  /**
   * For a sale: the form row of each payment sent (a following row with nothing left to pay is
   * not sent), so that the core's `payments[1].amount` lands on the right row.
   */
  paymentRows?: number[];
}

function paymentRowsOf(d: SaleForm): number[] {
  const { amounts } = settlementOf(d);
  return d.payments.flatMap((payment, i) => (payment.follows_balance && isZero(amounts[i]) ? [] : [i]));
}

/** The form's field for a path the core named: `payments[n]` of the draft sent is the row it came from. */
export function formPath(path: string, paymentRows: readonly number[] | undefined): string {
  const sent = /^payments\[(\d+)\](.*)$/.exec(path);
  if (!sent || !paymentRows) return path;
  const row = paymentRows[Number(sent[1])];
  return row === undefined ? path : `payments[${row}]${sent[2]}`;
}

/**
 * The draft to send, and the problems found on the way. Only what the wire cannot carry is
 * checked here (amounts that are not plain decimals, missing dates, a score not picked);
 * everything else is the core's to judge, and its message comes back beside the field.
 */
export function toEntryDraft(model: EntryModel): Checked {
  const errors: Record<string, MessageKey> = {};
  const date = (path: string, value: string) => {
    if (!DATE.test(value)) errors[path] = 'entry.err.date';
  };
  const amount = (path: string, value: string, required: boolean) => {
    const v = cleanAmount(value);
    if (v === '') {
      if (required) errors[path] = 'entry.err.amountMissing';
    } else if (!isAmount(v)) errors[path] = 'entry.err.amount';
  };
  switch (model.kind) {
    case 'purchase': {
      const d = model.draft;
      date('purchased_on', d.purchased_on);
      if (d.items.length === 0) errors['items'] = 'entry.err.noItems';
      d.items.forEach((item, i) => {
        amount(`items[${i}].price`, item.price, true);
        amount(`items[${i}].discount`, item.discount, false);
      });
      d.trade_ins.forEach((trade, i) => amount(`trade_ins[${i}].allowance`, trade.allowance, true));
      if (d.redeem_points.trim() !== '' && readPoints(d.redeem_points) === null) errors['redemption.points'] = 'sale.points.errWhole';
      d.payments.forEach((payment, i) => {
        if (!payment.follows_balance) amount(`payments[${i}].amount`, payment.amount, true);
        date(`payments[${i}].paid_on`, payment.paid_on);
      });
      const { amounts } = settlementOf(d);
      // A row following a balance that is already paid (by trade-ins, say) pays nothing: it is left out.
      const paymentRows = paymentRowsOf(d);
      const payments = paymentRows.map((i) => {
        const row = d.payments[i];
        return { method: row.method, amount: row.follows_balance ? amounts[i] : cleanAmount(row.amount), paid_on: row.paid_on };
      });
      const { awaiting_collection, collected_apart, redeem_points, stored_redemption, ...sale } = d;
      const draft: PurchaseDraft = {
        ...sale,
        currency: d.currency.trim().toUpperCase(),
        items: d.items.map((item) => ({
          ...item,
          price: cleanAmount(item.price),
          discount: cleanAmount(item.discount) || '0',
        })),
        trade_ins: d.trade_ins.map((trade) => ({ ...trade, allowance: cleanAmount(trade.allowance) })),
        payments,
        collected_on: awaiting_collection ? null : (collected_apart ?? d.purchased_on),
      };
      return { draft: { kind: 'purchase', draft }, errors, paymentRows };
    }
    case 'note':
      date('noted_on', model.draft.noted_on);
      return { draft: { kind: 'note', draft: { ...model.draft } }, errors };
    case 'interaction':
      date('occurred_on', model.draft.occurred_on);
      return { draft: { kind: 'interaction', draft: { ...model.draft } }, errors };
    case 'wish': {
      const w = model.draft;
      date('requested_on', w.requested_on);
      amount('budget_min', w.budget_min, false);
      amount('budget_max', w.budget_max, false);
      const closing = !isOpenWish(w.status);
      if (closing && w.closed_on !== '') date('closed_on', w.closed_on);
      return {
        draft: {
          kind: 'wish',
          draft: {
            brand: w.brand,
            model: w.model,
            reference_number: w.reference_number,
            budget_min: cleanAmount(w.budget_min) || null,
            budget_max: cleanAmount(w.budget_max) || null,
            currency: w.currency.trim().toUpperCase(),
            notes: w.notes,
            status: w.status,
            requested_on: w.requested_on,
            closed_on: closing && w.closed_on ? w.closed_on : null,
          },
        },
        errors,
      };
    }
    case 'satisfaction': {
      const s = model.draft;
      date('scored_on', s.scored_on);
      if (!(Number.isInteger(s.score) && s.score >= 1 && s.score <= 5)) errors['score'] = 'entry.err.score';
      return { draft: { kind: 'satisfaction', draft: { ...s } }, errors };
    }
  }
}

/** The story's entry with this kind and id turned into a timeline item (for tests and lookups). */
export function entryKey(kind: EntryKind, id: number): string {
  return `${kind}-${id}`;
}
