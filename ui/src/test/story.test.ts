import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { CustomerStory } from '../lib/bindings/CustomerStory';
import type { PurchaseItem } from '../lib/bindings/PurchaseItem';
import { blankItem, toEntryDraft, blankEntry } from '../lib/entries';
import { formatAmount, formatMoney } from '../lib/format';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { saleTotal, sumAmounts } from '../lib/money';
import { groupByMonth, mergeTimeline } from '../lib/timeline';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';
import { everyone } from '../lib/audience';

const item = (partial: Partial<PurchaseItem>): PurchaseItem => ({ ...blankItem(), ...partial });
const at = (n: number) => `2026-01-01T10:00:${String(n).padStart(2, '0')}Z`;
const stamp = (id: number, created: number) => ({ id, customer_id: 1, created_at: at(created), updated_at: at(created) });

describe('timeline merge', () => {
  it('orders every kind newest first by its own date, ties by creation time', () => {
    const story: Pick<CustomerStory, 'purchases' | 'notes' | 'interactions' | 'wishes' | 'satisfaction'> = {
      purchases: [
        {
          ...stamp(1, 1),
          total: '10.00',
          purchased_on: '2026-03-01',
          currency: 'GBP',
          paid: '10.00',
          balance_due: '0.00',
          points_earned: 0,
          channel: 'in_store',
          salesperson: '',
          notes: '',
          items: [],
          payments: [{ method: 'card', amount: '10.00', paid_on: '2026-03-01' }],
          trade_ins: [],
          collected_on: '2026-03-01',
        },
      ],
      notes: [
        { ...stamp(2, 5), category: 'internal', body: 'later note', pinned: false, noted_on: '2026-03-01' },
        { ...stamp(3, 2), category: 'internal', body: 'old', pinned: false, noted_on: '2025-12-24' },
      ],
      interactions: [
        { ...stamp(4, 3), kind: 'call', direction: 'outbound', occurred_on: '2026-04-10', summary: 'x', outcome: '', campaign: '', response: null },
      ],
      wishes: [
        {
          ...stamp(5, 4),
          brand: 'Rolex',
          model: 'Daytona',
          reference_number: '',
          budget_min: null,
          budget_max: '25000',
          currency: 'GBP',
          notes: '',
          status: 'open',
          requested_on: '2026-02-15',
          closed_on: null,
        },
      ],
      satisfaction: [{ ...stamp(6, 6), score: 5, scored_on: '2026-04-10', comment: '' }],
    };
    const merged = mergeTimeline(story);
    expect(merged.map((e) => `${e.kind}:${e.id}`)).toEqual([
      'satisfaction:6', // 10 April, written after the call
      'interaction:4',
      'note:2', // 1 March, written after the sale
      'purchase:1',
      'wish:5',
      'note:3',
    ]);
    expect(groupByMonth(merged).map((g) => [g.key, g.items.length])).toEqual([
      ['2026-04', 2],
      ['2026-03', 2],
      ['2026-02', 1],
      ['2025-12', 1],
    ]);
  });
});

describe('exact money', () => {
  it('adds decimals exactly', () => {
    expect(saleTotal([item({ price: '0.10' }), item({ price: '0.20' })])).toBe('0.30');
    expect(saleTotal([item({ price: '9999999.99' }), item({ price: '0.01' })])).toBe('10000000.00');
    expect(saleTotal([item({ price: '9150.00', discount: '150.50' }), item({ price: '0.10', discount: '' })])).toBe('8999.60');
    expect(sumAmounts(['0.1', '0.2', '0.3'])).toBe('0.60');
    // what dealers type counts as they mean it ("£9,150", "12,5")
    expect(saleTotal([item({ price: '£9,150' }), item({ price: '12,5' })])).toBe('9162.50');
    // unreadable text while typing counts as nothing, never NaN
    expect(saleTotal([item({ price: '12,34,5' }), item({ price: '1.005' })])).toBe('1.005');
  });

  it('formats money for the dealer’s language', () => {
    setUiLanguage('en');
    expect(formatMoney('9150.10', 'GBP')).toBe('£9,150.10');
    expect(formatMoney('10000000.00', 'GBP')).toBe('£10,000,000');
    expect(formatMoney('0.30', 'EUR')).toBe('€0.30');
    expect(formatAmount('9150', 'GBP')).toBe('£9,150.00');
    expect(formatAmount('0.1250', 'GBP')).toBe('£0.125');
    expect(formatAmount('120000', 'JPY')).toBe('JP¥120,000');
    setUiLanguage('zh');
    expect(formatMoney('9150.10', 'CNY')).toBe('¥9,150.10');
    expect(formatAmount('9150', 'CNY')).toBe('¥9,150.00');
    expect(formatMoney('25000', 'GBP')).toMatch(/£25,000/);
    setUiLanguage('en');
  });

  it('sends amounts as typed by dealers as plain decimals, and refuses only what cannot be read', () => {
    const model = blankEntry('purchase', '2026-03-01', 'GBP');
    if (model.kind !== 'purchase') throw new Error('purchase expected');
    model.draft.items = [item({ price: ' 9150.00 ' }), item({ price: '£1,000' }), item({ price: '12,34,567' })];
    const checked = toEntryDraft(model);
    expect(checked.errors).toEqual({ 'items[2].price': 'entry.err.amount' });
    if (checked.draft.kind !== 'purchase') throw new Error('purchase expected');
    expect(checked.draft.draft.items[0]).toMatchObject({ price: '9150.00', discount: '0' });
    expect(checked.draft.draft.items[1]).toMatchObject({ price: '1000', discount: '0' });
  });
});

describe('fake backend story', () => {
  it('add, update and delete change the totals exactly', async () => {
    const b = new FakeBackend([draftOf({ full_name: 'Ada' })]);
    const sale = (price: string) => ({
      kind: 'purchase' as const,
      draft: {
        purchased_on: '2026-03-01',
        currency: '',
        channel: 'in_store' as const,
        salesperson: '',
        notes: '',
        items: [item({ brand: 'Rolex', price, discount: '0' })],
        payments: [],
        trade_ins: [],
        collected_on: null,
      },
    });
    let story = await b.addEntry(1, sale('0.10'));
    story = await b.addEntry(1, sale('0.20'));
    expect(story.totals.by_currency[0]).toMatchObject({ currency: 'GBP', lifetime_spend: '0.30', purchases: 2, average_order: '0.15' });
    story = await b.updateEntry(story.purchases[0].id, sale('9999999.99'));
    expect(story.totals.by_currency[0].lifetime_spend).toBe('10000000.09');
    const row = (await b.listCustomers({ sort: 'spend', descending: true, filter: everyone(), offset: 0, limit: 10 })).rows[0];
    expect(row).toMatchObject({ lifetime_spend: '10000000.09', purchase_count: 2, last_purchase: '2026-03-01' });
    story = await b.deleteEntry('purchase', story.purchases[0].id);
    expect(story.totals.by_currency[0]).toMatchObject({ lifetime_spend: '0.10', purchases: 1 });
    await expect(b.addEntry(1, sale('-1'))).rejects.toMatchObject({ field: 'items[0].price' });
  });

  it('lists only open wishes, filtered by brand, model, reference or notes', async () => {
    const b = new FakeBackend([draftOf({ full_name: 'Ada' }), draftOf({ full_name: 'Bo' })]);
    const wish = (brand: string, model: string, status: 'open' | 'won' = 'open') => ({
      kind: 'wish' as const,
      draft: {
        brand,
        model,
        reference_number: '',
        budget_min: null,
        budget_max: null,
        currency: '',
        notes: '',
        status,
        requested_on: '2026-02-01',
        closed_on: null,
      },
    });
    await b.addEntry(1, wish('Rolex', 'Daytona'));
    await b.addEntry(2, wish('Omega', 'Speedmaster'));
    await b.addEntry(2, wish('Rolex', 'GMT', 'won'));
    expect((await b.openWishes('', 50)).map((w) => w.customer_name).sort()).toEqual(['Ada', 'Bo']);
    expect((await b.openWishes('rolex', 50)).map((w) => w.model)).toEqual(['Daytona']);
    expect((await b.openWishes('speed', 50)).map((w) => w.customer_name)).toEqual(['Bo']);
  });
});

async function openAda(backend: FakeBackend) {
  const r = renderApp(backend);
  await r.user.click((await screen.findAllByTestId('customer-row'))[0]);
  await screen.findByTestId('timeline-empty');
  return r;
}

describe('customer page story', () => {
  it('records a two-item sale with an exact running total, then edits it', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Ada Lovelace' })]);
    const { user } = await openAda(backend);
    expect(screen.getByTestId('total-lifetime-spend')).toHaveTextContent('£0.00');

    await user.click(screen.getByTestId('add-purchase'));
    const form = await screen.findByTestId('entry-form');
    await user.type(within(form).getByTestId('item-brand'), 'Rolex');
    await user.type(within(form).getByTestId('item-serial'), '7Z4Q8801');
    await user.type(within(form).getByTestId('item-price'), '0.10');
    await user.click(within(form).getByTestId('add-item'));
    expect(within(form).getAllByTestId('item-row')).toHaveLength(2);
    await user.type(within(form).getAllByTestId('item-price')[1], '0.20');
    expect(within(form).getByTestId('sale-total')).toHaveTextContent('£0.30');
    await user.click(screen.getByTestId('entry-save'));

    await waitFor(() => expect(screen.queryByTestId('entry-form')).not.toBeInTheDocument());
    expect(screen.getByTestId('total-lifetime-spend')).toHaveTextContent('£0.30');
    expect(screen.getByTestId('total-purchase-count')).toHaveTextContent('1');
    const sent = backend.callsOf('addEntry')[0].args[1] as { draft: { items: PurchaseItem[]; currency: string } };
    expect(sent.draft.items.map((i) => [i.price, i.discount])).toEqual([
      ['0.10', '0'],
      ['0.20', '0'],
    ]);
    expect(sent.draft.currency).toBe('GBP');

    const entry = screen.getByTestId('timeline-entry');
    expect(entry).toHaveAttribute('data-kind', 'purchase');
    expect(entry).toHaveTextContent('7Z4Q8801');
    await user.click(within(entry).getByTestId('entry-edit'));
    const edit = await screen.findByTestId('entry-form');
    const second = within(edit).getAllByTestId('item-price')[1];
    expect(second).toHaveValue('0.20');
    await user.clear(second);
    await user.type(second, '1.25');
    await user.click(screen.getByTestId('entry-save'));
    await waitFor(() => expect(screen.getByTestId('total-lifetime-spend')).toHaveTextContent('£1.35'));
    expect(backend.callsOf('updateEntry')).toHaveLength(1);
  });

  it('shows a server error beside the second item’s price and keeps what was typed', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Ada Lovelace' })]);
    const { user } = await openAda(backend);
    backend.failNext.addEntry = { code: 'invalid_input', message: 'the discount must be between 0 and the price', field: 'items[1].discount', problem: null };
    await user.click(screen.getByTestId('add-purchase'));
    const form = await screen.findByTestId('entry-form');
    await user.type(within(form).getByTestId('item-price'), '100');
    await user.click(within(form).getByTestId('add-item'));
    await user.type(within(form).getAllByTestId('item-brand')[1], 'Strap');
    await user.type(within(form).getAllByTestId('item-price')[1], '5');
    await user.type(within(form).getAllByTestId('item-discount')[1], '9');
    await user.click(screen.getByTestId('entry-save'));
    const error = await within(form).findByTestId('field-error');
    expect(error).toHaveAttribute('data-field', 'items[1].discount');
    expect(within(form).getAllByTestId('item-row')[1]).toContainElement(error);
    expect(within(form).getAllByTestId('item-brand')[1]).toHaveValue('Strap');

    // a client-side check: an amount that cannot be read never leaves the window
    await user.clear(within(form).getAllByTestId('item-price')[0]);
    await user.type(within(form).getAllByTestId('item-price')[0], '1,00,0');
    await user.click(screen.getByTestId('entry-save'));
    expect(await within(form).findByTestId('field-error')).toHaveAttribute('data-field', 'items[0].price');
    expect(backend.callsOf('addEntry')).toHaveLength(1);
  });

  it('records what the customer answered to a contact, shows it on the timeline, and clears it', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Ada Lovelace' })]);
    const { user } = await openAda(backend);
    await user.click(screen.getByTestId('add-interaction'));
    await user.type(await screen.findByTestId('interaction-summary'), 'Spring letter');
    const response = screen.getByTestId('interaction-response');
    expect(within(response).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'None recorded',
      'Replied',
      'Visited',
      'Bought',
      'Unsubscribed',
    ]);
    expect(response).toHaveDisplayValue('None recorded');
    await user.type(screen.getByTestId('interaction-campaign'), 'Spring letters');
    await user.selectOptions(response, 'Visited');
    await user.click(screen.getByTestId('entry-save'));

    const entry = await screen.findByTestId('timeline-entry');
    expect(within(entry).getByTestId('entry-response')).toHaveTextContent('Response: Visited');
    expect(backend.callsOf('addEntry')[0].args[1]).toMatchObject({
      kind: 'interaction',
      draft: { campaign: 'Spring letters', response: 'visited' },
    });

    await user.click(within(entry).getByTestId('entry-edit'));
    expect(await screen.findByTestId('interaction-response')).toHaveDisplayValue('Visited');
    await user.selectOptions(screen.getByTestId('interaction-response'), 'None recorded');
    await user.click(screen.getByTestId('entry-save'));
    await waitFor(() => expect(screen.queryByTestId('entry-response')).not.toBeInTheDocument());
    expect([...backend.interactions.values()].map((x) => x.response)).toEqual([null]);
  });

  it('adds a pinned note, a contact, a wish and a score; deletes one after confirmation', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Ada Lovelace' })]);
    const { user } = await openAda(backend);

    await user.click(screen.getByTestId('add-note'));
    await user.type(await screen.findByTestId('note-body'), 'Collects Daytonas');
    await user.click(screen.getByTestId('note-pinned'));
    await user.click(screen.getByTestId('entry-save'));
    await screen.findByTestId('pinned-note');

    await user.click(screen.getByTestId('add-interaction'));
    await user.type(await screen.findByTestId('interaction-summary'), 'Called about the Daytona');
    await user.click(screen.getByTestId('entry-save'));

    await user.click(screen.getByTestId('add-wish'));
    await user.type(await screen.findByTestId('wish-brand'), 'Rolex');
    await user.type(screen.getByTestId('wish-model'), 'Daytona');
    await user.click(screen.getByTestId('entry-save'));

    await user.click(screen.getByTestId('add-satisfaction'));
    await screen.findByTestId('entry-form');
    await user.click(screen.getByTestId('entry-save'));
    expect(await screen.findByTestId('field-error')).toHaveAttribute('data-field', 'score');
    await user.click(screen.getByTestId('score-4'));
    await user.click(screen.getByTestId('entry-save'));

    await waitFor(() => expect(screen.getAllByTestId('timeline-entry')).toHaveLength(4));
    // all on the same day: the last written comes first
    expect(screen.getAllByTestId('timeline-entry').map((e) => e.dataset.kind)).toEqual(['satisfaction', 'wish', 'interaction', 'note']);

    const wish = screen.getAllByTestId('timeline-entry')[1];
    await user.click(within(wish).getByTestId('entry-delete'));
    await screen.findByTestId('confirm-dialog');
    expect(backend.wishes.size).toBe(1);
    await user.click(screen.getByTestId('confirm-delete'));
    await waitFor(() => expect(screen.getAllByTestId('timeline-entry')).toHaveLength(3));
    expect(backend.wishes.size).toBe(0);
  });
});

describe('open wishes view', () => {
  it('narrows as the dealer types and opens the customer', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Ada Lovelace' }), draftOf({ full_name: 'Bo Chen' })]);
    const w = (brand: string, model: string) => ({
      kind: 'wish' as const,
      draft: {
        brand,
        model,
        reference_number: '',
        budget_min: '5000',
        budget_max: '8000',
        currency: '',
        notes: '',
        status: 'open' as const,
        requested_on: '2026-02-01',
        closed_on: null,
      },
    });
    await backend.addEntry(1, w('Rolex', 'Daytona'));
    await backend.addEntry(2, w('Omega', 'Speedmaster'));
    const { user } = renderApp(backend);
    await user.click(await screen.findByTestId('nav-wishes'));
    await waitFor(() => expect(screen.getAllByTestId('open-wish-row')).toHaveLength(2));
    expect(screen.getAllByTestId('open-wish-row')[0]).toHaveTextContent('£5,000 – £8,000');
    await user.type(screen.getByTestId('wishes-filter'), 'omega');
    await waitFor(() => expect(screen.getAllByTestId('open-wish-row')).toHaveLength(1));
    expect(screen.getByTestId('open-wish-row')).toHaveTextContent('Bo Chen');
    await user.type(screen.getByTestId('wishes-filter'), 'xyz');
    await screen.findByTestId('wishes-empty');
    await user.clear(screen.getByTestId('wishes-filter'));
    await user.type(screen.getByTestId('wishes-filter'), 'daytona');
    await waitFor(() => expect(screen.getAllByTestId('open-wish-row')).toHaveLength(1));
    await user.click(screen.getByTestId('open-wish-customer'));
    await waitFor(() => expect(screen.getByTestId('customer-name')).toHaveTextContent('Ada Lovelace'));
  });
});

describe('customer list spend', () => {
  it('shows lifetime spend, count and last sale, and sorts biggest spenders first', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Ada' }), draftOf({ full_name: 'Bo' }), draftOf({ full_name: 'Cy' })]);
    const sale = (price: string, purchased_on: string) => ({
      kind: 'purchase' as const,
      draft: {
        purchased_on,
        currency: '',
        channel: 'in_store' as const,
        salesperson: '',
        notes: '',
        items: [item({ price, discount: '0' })],
        payments: [{ method: 'card' as const, amount: price, paid_on: purchased_on }],
        trade_ins: [],
        collected_on: purchased_on,
      },
    });
    await backend.addEntry(2, sale('9150.00', '2026-03-01'));
    await backend.addEntry(2, sale('0.30', '2026-03-05'));
    await backend.addEntry(3, sale('120.00', '2026-01-10'));
    const { user } = renderApp(backend);
    await waitFor(() => expect(screen.getAllByTestId('customer-row')).toHaveLength(3));
    const bo = screen.getAllByTestId('customer-row')[1];
    expect(within(bo).getByTestId('cell-spend')).toHaveTextContent('£9,150.30');
    expect(within(bo).getByTestId('cell-purchases')).toHaveTextContent('2');
    expect(bo).toHaveTextContent('5 Mar 2026');
    expect(within(screen.getAllByTestId('customer-row')[0]).getByTestId('cell-spend')).toHaveTextContent('—');

    await user.click(screen.getByTestId('sort-spend'));
    await waitFor(() => expect(screen.getAllByTestId('customer-row')[0]).toHaveTextContent('Bo'));
    expect(backend.callsOf('listCustomers').at(-1)?.args[0]).toMatchObject({ sort: 'spend', descending: true });
    expect(screen.getAllByTestId('customer-row').map((r) => r.querySelector('.name')?.textContent)).toEqual(['Bo', 'Cy', 'Ada']);
    await user.click(screen.getByTestId('sort-spend'));
    await waitFor(() => expect(screen.getAllByTestId('customer-row')[0]).toHaveTextContent('Ada'));
  });
});
