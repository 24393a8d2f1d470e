/**
 * Printing: the save dialog for a PDF, then the core writes it and the system's viewer opens
 * it. A receipt is in the customer's language (the core decides), a card in the window's.
 */
import { todayIso } from './format';
import type { Backend } from './gateway';
import type { Customer } from './bindings/Customer';
import type { LabelLayout } from './bindings/LabelLayout';
import type { PrintLanguage } from './bindings/PrintLanguage';

/** The label sheets, in the order the mailing screen offers them. */
export const LABEL_LAYOUTS: LabelLayout[] = ['l7160', '5160', 'envelope'];

/** A name for a file: letters (any script) and digits kept, every other run made one '-'. */
export function fileSlug(name: string): string {
  const slug = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return slug || 'customer';
}

export function labelsFileName(layout: LabelLayout, today: string): string {
  return `labels-${layout}-${today}.pdf`;
}

export function receiptFileName(customer: Customer, purchaseId: number): string {
  return `receipt-${purchaseId}-${fileSlug(customer.full_name)}.pdf`;
}

export function cardFileName(customer: Customer, today: string): string {
  return `card-${fileSlug(customer.full_name)}-${today}.pdf`;
}

/** Prints sale `purchaseId`'s receipt; where it went, or null when the dealer closed the dialog. */
export async function printReceipt(backend: Backend, customer: Customer, purchaseId: number): Promise<string | null> {
  const chosen = await backend.chooseReceiptFile(receiptFileName(customer, purchaseId));
  if (!chosen) return null;
  return backend.printReceipt(purchaseId, null, chosen.token);
}

/** Prints the customer's card in `language`; where it went, or null when the dealer closed the dialog. */
export async function printCard(
  backend: Backend,
  customer: Customer,
  language: PrintLanguage,
  today: string = todayIso(),
): Promise<string | null> {
  const chosen = await backend.chooseCardFile(cardFileName(customer, today));
  if (!chosen) return null;
  return backend.printCard(customer.id, language, chosen.token);
}
