import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { BookSettings } from '../lib/bindings/BookSettings';
import type { Membership } from '../lib/bindings/Membership';
import type { PurchaseDraft } from '../lib/bindings/PurchaseDraft';
import { blankEntry, pointsEarned, redemptionOf } from '../lib/entries';
import { defaultMembershipRules } from '../lib/membership';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

const SILVER = { key: 'silver', name: { en: 'Silver', zh: '银卡' } };

function silverMember(points: number): Membership {
  return {
    tier: SILVER,
    discount_percent: '15',
    free_care: false,
    since: '2026-01-10',
    keeps_until: '2027-01-10',
    reason: null,
    next_tier: null,
    uncounted: [],
    points,
    points_expiring: null,
    points_expire_on: null,
    evaluated_on: '2026-04-10',
  };
}

/**
 * A book of one customer whose story carries `membership` (the fake computes none: the core
 * does), stubbed on the backend; `settings` changes the book's settings the form reads.
 */
function bookWith(membership: Membership | null, settings: Partial<BookSettings> = {}) {
  const backend = new FakeBackend([draftOf({ full_name: 'Grace Wilson' })]);
  const story = backend.getCustomerStory.bind(backend);
  backend.getCustomerStory = vi.fn(async (id: number) => ({ ...(await story(id)), membership }));
  backend.settings = { ...backend.settings, ...settings };
  return backend;
}

async function openSaleForm(backend: FakeBackend) {
  const r = renderApp(backend);
  await r.user.click((await screen.findAllByTestId('customer-row'))[0]);
  await screen.findByTestId('timeline-empty');
  await r.user.click(screen.getByTestId('add-purchase'));
  return { ...r, form: await screen.findByTestId('entry-form') };
}

const sentSale = (backend: FakeBackend) => (backend.callsOf('addEntry').at(-1)!.args[1] as { draft: PurchaseDraft }).draft;

describe('a sale for a member', () => {
  it('proposes the Silver discount on every item, kept in step with the price, and sends it as the member’s', async () => {
    const backend = bookWith(silverMember(0));
    const { user, form } = await openSaleForm(backend);
    const first = within(form).getAllByTestId('item-row')[0];
    expect(within(first).getByTestId('item-member-discount')).toHaveTextContent('Silver member −15 %');
    await user.type(within(first).getByTestId('item-price'), '9,150');
    expect(within(first).getByTestId('item-discount')).toHaveValue('1,372.50');

    await user.click(within(form).getByTestId('add-item'));
    const second = within(form).getAllByTestId('item-row')[1];
    expect(within(second).getByTestId('item-member-discount')).toHaveTextContent('Silver member −15 %');
    await user.type(within(second).getByTestId('item-price'), '2000.50');
    expect(within(second).getByTestId('item-discount')).toHaveValue('300.08');
    expect(within(form).getByTestId('sale-total')).toHaveAttribute('data-amount', '9477.92');

    await user.click(screen.getByTestId('entry-save'));
    await waitFor(() => expect(screen.queryByTestId('entry-form')).not.toBeInTheDocument());
    const sent = sentSale(backend);
    expect(sent.items.map((item) => [item.price, item.discount, item.member_discount])).toEqual([
      ['9150.00', '1372.50', { tier: SILVER, percent: '15' }],
      ['2000.50', '300.08', { tier: SILVER, percent: '15' }],
    ]);
    expect(sent.redemption).toBeNull();
  });

  it('removes the discount from one item, and a discount of the dealer’s own is no longer the member’s', async () => {
    const backend = bookWith(silverMember(0));
    const { user, form } = await openSaleForm(backend);
    await user.type(within(form).getByTestId('item-price'), '1000');
    await user.click(within(form).getByTestId('add-item'));
    const [first, second] = within(form).getAllByTestId('item-row');
    await user.type(within(second).getByTestId('item-price'), '400');
    expect(within(second).getByTestId('item-discount')).toHaveValue('60.00');

    await user.click(within(second).getByTestId('item-member-remove'));
    expect(within(second).queryByTestId('item-member-discount')).not.toBeInTheDocument();
    expect(within(second).getByTestId('item-discount')).toHaveValue('');
    // The first item keeps its own.
    expect(within(first).getByTestId('item-member-discount')).toBeInTheDocument();

    const discount = within(first).getByTestId('item-discount');
    await user.clear(discount);
    await user.type(discount, '100');
    expect(within(first).queryByTestId('item-member-discount')).not.toBeInTheDocument();
    expect(within(form).getByTestId('sale-total')).toHaveAttribute('data-amount', '1300.00');

    await user.click(screen.getByTestId('entry-save'));
    await waitFor(() => expect(screen.queryByTestId('entry-form')).not.toBeInTheDocument());
    expect(sentSale(backend).items.map((item) => [item.discount, item.member_discount])).toEqual([
      ['100.00', null],
      ['0', null],
    ]);
  });

  it('redeems points: their value comes off the total and the balance due, and the sale sends them', async () => {
    const backend = bookWith(silverMember(12_340));
    const { user, form } = await openSaleForm(backend);
    await user.type(within(form).getByTestId('item-price'), '1000');
    const points = await within(form).findByTestId('sale-redeem-points');
    expect(within(form).getByTestId('sale-points-available')).toHaveTextContent('12,340 points available');
    expect(within(form).getByTestId('sale-total')).toHaveAttribute('data-amount', '850.00');

    await user.type(points, '5,000');
    expect(within(form).getByTestId('sale-redeem-value')).toHaveTextContent('= −£50.00');
    expect(within(form).getByTestId('sale-items-total')).toHaveTextContent('£850.00');
    expect(within(form).getByTestId('sale-total')).toHaveTextContent('£800.00');
    expect(within(form).getByTestId('payment-amount')).toHaveValue('800.00');
    const payment = within(form).getByTestId('payment-amount');
    await user.clear(payment);
    await user.type(payment, '300');
    expect(within(form).getByTestId('sale-due')).toHaveTextContent('£500.00');
    await user.clear(payment);
    await user.type(payment, '800');

    // The fake knows nothing of points (its sale would still owe their value): the core's answer is stubbed.
    const story = await backend.getCustomerStory(backend.callsOf('getCustomerStory')[0].args[0] as number);
    const addEntry = vi.fn(async () => story);
    backend.addEntry = addEntry;
    await user.click(screen.getByTestId('entry-save'));
    await waitFor(() => expect(screen.queryByTestId('entry-form')).not.toBeInTheDocument());
    const sent = (addEntry.mock.calls[0] as unknown as [number, { draft: PurchaseDraft }])[1].draft;
    expect(sent.redemption).toEqual({ points: 5000, value: '50.00' });
    expect(sent.payments.map((p) => p.amount)).toEqual(['800.00']);
  });

  it('places the core’s refusal of the points beside the field', async () => {
    const backend = bookWith(silverMember(1_000));
    const { user, form } = await openSaleForm(backend);
    await user.type(within(form).getByTestId('item-price'), '1000');
    await user.type(await within(form).findByTestId('sale-redeem-points'), '2000');
    expect(within(form).getByTestId('sale-points-available')).toHaveClass('short');
    backend.addEntry = vi.fn(async () => {
      throw {
        code: 'invalid_input',
        message: 'Only 1000 points are available; 2000 were asked for.',
        field: 'redemption.points',
        problem: { kind: 'points_short', balance: 1000, asked: 2000 },
      };
    });
    await user.click(screen.getByTestId('entry-save'));
    const error = await within(form).findByTestId('field-error');
    expect(error).toHaveAttribute('data-field', 'redemption.points');
    expect(error).toHaveTextContent('Only 1000 points are available; 2000 were asked for.');
    expect(within(form).getByTestId('sale-redeem-points')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByTestId('entry-error')).not.toBeInTheDocument();
  });

  it('shows the points the sale earns, at a currency’s rate, and says when a currency has none', async () => {
    const backend = bookWith(silverMember(0), {
      membership: { ...defaultMembershipRules(), rates: [{ currency: 'EUR', rate: '0.85' }] },
    });
    const { user, form } = await openSaleForm(backend);
    await user.type(within(form).getByTestId('item-price'), '1000.99');
    // 1000.99 − 150.15 = 850.84: 850 whole pounds, a point each.
    expect(await within(form).findByTestId('sale-points-earned')).toHaveTextContent('Earns 850 points');
    // No balance: nothing to redeem.
    expect(within(form).queryByTestId('sale-redeem-points')).not.toBeInTheDocument();
    await user.selectOptions(within(form).getByTestId('purchase-currency'), 'EUR');
    // 850.84 × 0.85 = 723.214.
    expect(within(form).getByTestId('sale-points-earned')).toHaveTextContent('Earns 723 points');
    await user.selectOptions(within(form).getByTestId('purchase-currency'), 'USD');
    expect(within(form).getByTestId('sale-points-earned')).toHaveTextContent('No points: no rate for USD');
  });

  it('with the programme off shows nothing of it', async () => {
    const backend = bookWith(null);
    const { user, form } = await openSaleForm(backend);
    await user.type(within(form).getByTestId('item-price'), '1000');
    await waitFor(() => expect(backend.callsOf('getSettings').length).toBeGreaterThan(0));
    expect(within(form).queryByTestId('item-member-discount')).not.toBeInTheDocument();
    expect(within(form).queryByTestId('item-member-apply')).not.toBeInTheDocument();
    expect(within(form).queryByTestId('sale-points')).not.toBeInTheDocument();
    expect(within(form).queryByTestId('sale-points-earned')).not.toBeInTheDocument();
    expect(within(form).getByTestId('item-discount')).toHaveValue('');
  });
});

describe('editing a member’s sale', () => {
  it('keeps the discounts and the redemption it stored, gives its points back to the balance, and proposes today’s tier on a new item', async () => {
    const backend = new FakeBackend();
    const { id } = backend.insert(draftOf({ full_name: 'Grace Wilson' }));
    const { draft } = blankEntry('purchase', '2026-03-02', 'GBP');
    if (!('items' in draft)) throw new Error('a sale');
    await backend.addEntry(id, {
      kind: 'purchase',
      draft: {
        purchased_on: '2026-03-02',
        currency: 'GBP',
        channel: 'in_store',
        salesperson: '',
        notes: '',
        items: [{ ...draft.items[0], brand: 'Cartier', price: '1000.00', discount: '150.00', member_discount: { tier: SILVER, percent: '15' } }],
        payments: [{ method: 'card', amount: '850.00', paid_on: '2026-03-02' }],
        trade_ins: [],
        collected_on: '2026-03-02',
        redemption: null,
      },
    });
    // Since then Grace has reached Gold (20 %); the sale redeemed 300 points the fake knows nothing of.
    const story = backend.getCustomerStory.bind(backend);
    backend.getCustomerStory = vi.fn(async (customer: number) => {
      const told = await story(customer);
      const paid = [{ method: 'card' as const, amount: '847.00', paid_on: '2026-03-02' }];
      told.purchases[0] = { ...told.purchases[0], payments: paid, paid: '847.00', redemption: { points: 300, value: '3.00' }, balance_due: '0.00' };
      return { ...told, membership: { ...silverMember(700), tier: { key: 'gold', name: { en: 'Gold', zh: '金卡' } }, discount_percent: '20' } };
    });
    const r = renderApp(backend);
    await r.user.click((await screen.findAllByTestId('customer-row'))[0]);
    await r.user.click(within(await screen.findByTestId('timeline-entry')).getByTestId('entry-edit'));
    const form = await screen.findByTestId('entry-form');

    const stored = within(form).getAllByTestId('item-row')[0];
    expect(within(stored).getByTestId('item-member-discount')).toHaveTextContent('Silver member −15 %');
    expect(within(stored).getByTestId('item-discount')).toHaveValue('150.00');
    expect(await within(form).findByTestId('sale-redeem-points')).toHaveValue('300');
    expect(within(form).getByTestId('sale-points-available')).toHaveTextContent('1,000 points available');
    expect(within(form).getByTestId('sale-total')).toHaveAttribute('data-amount', '847.00');
    expect(within(form).getByTestId('sale-due')).toHaveTextContent('Paid in full');

    await r.user.click(within(form).getByTestId('add-item'));
    const added = within(form).getAllByTestId('item-row')[1];
    expect(within(added).getByTestId('item-member-discount')).toHaveTextContent('Gold member −20 %');
    await r.user.type(within(added).getByTestId('item-price'), '500');
    expect(within(added).getByTestId('item-discount')).toHaveValue('100.00');

    const updateEntry = vi.fn(async () => story(id));
    backend.updateEntry = updateEntry;
    await r.user.click(screen.getByTestId('entry-save'));
    await waitFor(() => expect(updateEntry).toHaveBeenCalledOnce());
    const sent = (updateEntry.mock.calls[0] as unknown as [number, { draft: PurchaseDraft }])[1].draft;
    expect(sent.items.map((item) => [item.discount, item.member_discount?.tier.key, item.member_discount?.percent])).toEqual([
      ['150.00', 'silver', '15'],
      ['100.00', 'gold', '20'],
    ]);
    expect(sent.redemption).toEqual({ points: 300, value: '3.00' });
  });
});

describe('points in the sale form’s model', () => {
  const rules = defaultMembershipRules();

  it('values typed points at the book’s rate, keeps a stored redemption’s value while its points are unchanged', () => {
    expect(redemptionOf('5,000', null, rules)).toEqual({ points: 5000, value: '50.00' });
    expect(redemptionOf('', null, rules)).toBeNull();
    expect(redemptionOf('0', null, rules)).toBeNull();
    expect(redemptionOf('lots', null, rules)).toBeNull();
    const stored = { points: 3000, value: '20.00' };
    expect(redemptionOf('3000', stored, rules)).toEqual(stored);
    expect(redemptionOf('3001', stored, rules)).toEqual({ points: 3001, value: '30.01' });
  });

  it('earns per whole unit paid, nothing on a total at or below zero', () => {
    expect(pointsEarned('99.99', 'GBP', 'GBP', rules)).toEqual({ points: 99 });
    expect(pointsEarned('99.99', '', 'GBP', { ...rules, points_per_unit: 3 })).toEqual({ points: 297 });
    expect(pointsEarned('-5.00', 'GBP', 'GBP', rules)).toEqual({ points: 0 });
    expect(pointsEarned('100', 'CHF', 'GBP', rules)).toEqual({ noRate: 'CHF' });
  });
});
