/**
 * What the customer page offers the parts deep in its timeline (a sale's "Mark collected"),
 * without every component between passing a callback on. Dialogs are opened by the page itself:
 * the timeline's rows are moved with transforms (virtualised), and a fixed dialog inside one
 * would be placed and stacked within that row.
 */
import { getContext, setContext } from 'svelte';
import type { Purchase } from './bindings/Purchase';

export interface SaleActions {
  /** Opens "Mark collected" for a sale awaiting collection. */
  collect: (purchase: Purchase) => void;
}

const KEY = Symbol('sale-actions');

export function provideSaleActions(actions: SaleActions): void {
  setContext(KEY, actions);
}

export function useSaleActions(): SaleActions {
  const actions = getContext<SaleActions | undefined>(KEY);
  if (!actions) throw new Error('useSaleActions outside a customer page');
  return actions;
}
