import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { PurchaseDraft } from '../lib/bindings/PurchaseDraft';
import { blankEntry, toEntryDraft, type SaleForm } from '../lib/entries';
import { saleSettlement } from '../lib/money';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

async function openSaleForm(backend: FakeBackend) {
  const r = renderApp(backend);
  await r.user.click((await screen.findAllByTestId('customer-row'))[0]);
  await screen.findByTestId('timeline-empty');
  await r.user.click(screen.getByTestId('add-purchase'));
  return { ...r, form: await screen.findByTestId('entry-form') };
}

const sentSale = (backend: FakeBackend, call: 'addEntry' | 'updateEntry' = 'addEntry') =>
  (backend.callsOf(call).at(-1)!.args[1] as { draft: PurchaseDraft }).draft;

describe('a sale’s settlement', () => {
  it('follows the balance in the untouched payment row, exactly', () => {
    const items = [{ price: '9150.00', discount: '0' }];
    expect(saleSettlement(items, [{ allowance: '3,500' }], [{ amount: '', follows_balance: true }])).toEqual({
      amounts: ['5650.00'],
      paid: '9150.00',
      balance: '0.00',
      overpaid: false,
    });
    const split = saleSettlement(items, [], [
      { amount: '2,000', follows_balance: false },
      { amount: '', follows_balance: true },
    ]);
    expect(split.amounts).toEqual(['2000.00', '7150.00']);
    // More allowed than the price: the following row takes nothing and the balance goes negative.
    expect(saleSettlement(items, [{ allowance: '9200' }], [{ amount: '', follows_balance: true }])).toEqual({
      amounts: ['0.00'],
      paid: '9200.00',
      balance: '-50.00',
      overpaid: true,
    });
  });

  it('sends no payment for a following row with nothing left to pay, and maps the core’s rows back', () => {
    const model = blankEntry('purchase', '2026-04-10', 'GBP');
    if (model.kind !== 'purchase') throw new Error('a sale');
    const sale: SaleForm = model.draft;
    sale.items[0].price = '9,150';
    sale.trade_ins.push({ ...sale.trade_ins[0], category: 'watch', brand: 'Omega', model: '', reference_number: '', serial_number: 'X1', condition: 'pre_owned', condition_grade: '', description: '', allowance: '9150' });
    const checked = toEntryDraft(model);
    expect(checked.errors).toEqual({});
    const draft = checked.draft.draft as PurchaseDraft;
    expect(draft.payments).toEqual([]);
    expect(draft.collected_on).toBe('2026-04-10');
    expect(draft.trade_ins[0].allowance).toBe('9150');
  });
});

describe('the sale form’s payments', () => {
  it('records a sale paid by card, bank transfer and a trade-in, with the balance shown live', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Grace Wilson' })]);
    const { user, form } = await openSaleForm(backend);
    await user.type(within(form).getByTestId('item-brand'), 'Rolex');
    await user.type(within(form).getByTestId('item-price'), '9,150');
    // One row takes the whole balance until an amount is typed.
    expect(within(form).getByTestId('payment-amount')).toHaveValue('9,150.00');
    expect(within(form).getByTestId('sale-due')).toHaveTextContent('Paid in full');

    await user.click(within(form).getByTestId('add-trade-in'));
    await user.type(within(form).getByTestId('trade-in-brand'), 'Omega');
    await user.type(within(form).getByTestId('trade-in-model'), 'Speedmaster Professional');
    await user.type(within(form).getByTestId('trade-in-serial'), '81234567');
    await user.type(within(form).getByTestId('trade-in-allowance'), '3,500');
    expect(within(form).getByTestId('payment-amount')).toHaveValue('5,650.00');

    const first = within(form).getByTestId('payment-amount');
    await user.clear(first);
    await user.type(first, '2,000');
    expect(within(form).getByTestId('sale-due')).toHaveTextContent('£3,650.00');
    expect(within(form).getByTestId('sale-paid')).toHaveTextContent('£5,500.00');
    await user.click(within(form).getByTestId('add-payment'));
    const rows = within(form).getAllByTestId('payment-row');
    expect(rows).toHaveLength(2);
    await user.selectOptions(within(rows[1]).getByTestId('payment-method'), 'bank_transfer');
    expect(within(rows[1]).getByTestId('payment-amount')).toHaveValue('3,650.00');
    expect(within(form).getByTestId('sale-due')).toHaveTextContent('Paid in full');
    await user.click(screen.getByTestId('entry-save'));

    await waitFor(() => expect(screen.queryByTestId('entry-form')).not.toBeInTheDocument());
    const sent = sentSale(backend);
    expect(sent.payments).toEqual([
      { method: 'card', amount: '2000.00', paid_on: sent.purchased_on },
      { method: 'bank_transfer', amount: '3650.00', paid_on: sent.purchased_on },
    ]);
    expect(sent.trade_ins).toMatchObject([{ brand: 'Omega', serial_number: '81234567', allowance: '3500.00', condition: 'pre_owned' }]);
    expect(sent.collected_on).toBe(sent.purchased_on);
    const entry = screen.getByTestId('timeline-entry');
    expect(within(entry).getByTestId('sale-trade-in')).toHaveTextContent('81234567');
    expect(within(entry).getAllByTestId('sale-payment')).toHaveLength(2);
    expect(within(entry).queryByTestId('sale-status')).not.toBeInTheDocument();
  });

  it('names an overpaid payment beside its row', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Grace Wilson' })]);
    const { user, form } = await openSaleForm(backend);
    await user.type(within(form).getByTestId('item-price'), '1000');
    const first = within(form).getByTestId('payment-amount');
    await user.clear(first);
    await user.type(first, '600');
    await user.click(within(form).getByTestId('add-payment'));
    const second = within(form).getAllByTestId('payment-amount')[1];
    await user.clear(second);
    await user.type(second, '500');
    expect(within(form).getByTestId('sale-due')).toHaveTextContent('Overpaid by £100.00');
    await user.click(screen.getByTestId('entry-save'));
    await waitFor(() => expect(second).toHaveAttribute('aria-invalid', 'true'));
    expect(form).toHaveTextContent('more than the sale’s total');
  });

  it('takes a deposit, shows the sale awaiting collection, then marks it collected with the balance', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Grace Wilson' })]);
    const { user, form } = await openSaleForm(backend);
    await user.type(within(form).getByTestId('item-price'), '9150');
    await user.click(within(form).getByTestId('sale-awaiting'));
    const deposit = within(form).getByTestId('payment-amount');
    expect(deposit).toHaveValue('');
    await user.type(deposit, '1,000');
    expect(within(form).getByTestId('sale-due')).toHaveTextContent('£8,150.00');
    await user.click(screen.getByTestId('entry-save'));
    await waitFor(() => expect(screen.queryByTestId('entry-form')).not.toBeInTheDocument());
    expect(sentSale(backend).collected_on).toBeNull();

    const entry = screen.getByTestId('timeline-entry');
    expect(within(entry).getByTestId('sale-awaiting')).toHaveTextContent('Awaiting collection');
    expect(within(entry).getByTestId('sale-balance-due')).toHaveTextContent('£8,150.00');
    await user.click(within(entry).getByTestId('sale-collect'));
    const dialog = await screen.findByTestId('collect-dialog');
    expect(within(dialog).getByTestId('collect-amount')).toHaveValue('8,150.00');
    await user.selectOptions(within(dialog).getByTestId('collect-method'), 'bank_transfer');
    await user.click(within(dialog).getByTestId('collect-save'));

    await waitFor(() => expect(screen.queryByTestId('collect-dialog')).not.toBeInTheDocument());
    const collected = backend.callsOf('collectPurchase')[0].args[1] as { payments: unknown[] };
    expect(collected.payments).toEqual([{ method: 'bank_transfer', amount: '8150.00', paid_on: expect.any(String) }]);
    const after = screen.getByTestId('timeline-entry');
    expect(within(after).queryByTestId('sale-awaiting')).not.toBeInTheDocument();
    expect(within(after).getAllByTestId('sale-payment')).toHaveLength(2);
  });
});
