import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Arrival } from '../lib/bindings/Arrival';
import type { ArrivalMatches } from '../lib/bindings/ArrivalMatches';
import type { ArrivalReason } from '../lib/bindings/ArrivalReason';
import type { CustomerStory } from '../lib/bindings/CustomerStory';
import type { ErrorPayload } from '../lib/bindings/ErrorPayload';
import type { Wish } from '../lib/bindings/Wish';
import { AppState } from '../lib/app-state.svelte';
import { arrivalReasonText, blankArrival, pieceLabel, preselected, readArrivalForm } from '../lib/arrivals';
import ArrivalsView from '../lib/components/ArrivalsView.svelte';
import { setFixedToday } from '../lib/format';
import type { Backend } from '../lib/gateway';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import InApp from './InApp.svelte';
import { stubBackend } from './helpers';

afterEach(() => {
  setUiLanguage('en');
  setFixedToday(null);
});

const WISH: ArrivalReason = {
  kind: 'wish',
  wish_id: 41,
  brand: 'Rolex',
  model: 'Submariner',
  reference_number: '126610LN',
  reference: true,
  within_budget: true,
};

describe('why a piece suits a customer, worded', () => {
  const reasons: ArrivalReason[] = [
    WISH,
    { ...WISH, within_budget: false },
    { ...WISH, reference: false, within_budget: null },
    { kind: 'bought_brand', brand: 'Rolex', count: 1 },
    { kind: 'bought_brand', brand: 'Rolex', count: 3 },
    { kind: 'prefers_brand', brand: 'Rolex' },
    { kind: 'bought_category', category: 'watch', count: 2 },
    { kind: 'bought_material', material: 'steel', count: 4 },
    { kind: 'prefers_material', material: 'steel' },
  ];

  it('in English', () => {
    expect(reasons.map(arrivalReasonText)).toEqual([
      'Wishes for this reference (126610LN), within budget',
      'Wishes for this reference (126610LN), over budget',
      'Wishes for Rolex Submariner',
      'Bought Rolex once',
      'Bought Rolex 3 times',
      'Prefers Rolex',
      'Bought this kind of piece (Watch) 2 times',
      'Bought 4 pieces in steel',
      'Prefers steel',
    ]);
  });

  it('in Chinese', () => {
    setUiLanguage('zh');
    expect(reasons.map(arrivalReasonText)).toEqual([
      '心愿单正是此编号（126610LN），在预算内',
      '心愿单正是此编号（126610LN），超出预算',
      '心愿单：Rolex Submariner',
      '购买过 Rolex 1 次',
      '购买过 Rolex 3 次',
      '偏好 Rolex',
      '购买过同类商品（腕表）2 次',
      '购买过 4 件材质为 steel 的商品',
      '偏好材质：steel',
    ]);
  });

  it('names the piece by brand, model and reference, else by its category', () => {
    const piece = { brand: 'Omega', model: 'Speedmaster', reference_number: '310.30.42', category: null };
    expect(pieceLabel(piece)).toBe('Omega Speedmaster 310.30.42');
    expect(pieceLabel({ brand: '', model: '', reference_number: '', category: 'ring' })).toBe('Ring');
    expect(pieceLabel({ brand: '', model: '', reference_number: '', category: null })).toBe('A piece');
  });

  it('ticks at first those not yet told whom a wish or the brand bought ties to the piece', () => {
    const match = (customer_id: number, reasons: ArrivalReason[], told = false) => ({ customer_id, customer_name: '', score: 1, reasons, wish_id: null, told });
    expect(
      preselected([
        match(1, [WISH]),
        match(2, [{ kind: 'prefers_brand', brand: 'Rolex' }]),
        match(3, [{ kind: 'prefers_material', material: 'gold' }, { kind: 'bought_brand', brand: 'Rolex', count: 1 }]),
        match(4, [WISH], true),
      ]),
    ).toEqual([1, 3]);
  });

  it('reads the price as dealers type it, and refuses a date or an amount it cannot read', () => {
    const form = { ...blankArrival('2026-12-05', 'GBP'), brand: ' Rolex ', category: 'watch' as const, price: '£9,150' };
    expect(readArrivalForm(form)).toEqual({
      draft: { arrived_on: '2026-12-05', category: 'watch', brand: 'Rolex', model: '', reference_number: '', material: '', price: '9150', currency: 'GBP', notes: '' },
    });
    expect(readArrivalForm({ ...form, category: '', price: '' })).toMatchObject({ draft: { category: null, price: null } });
    expect(readArrivalForm({ ...form, arrived_on: '5 Dec', price: 'lots' })).toEqual({
      problems: { arrived_on: { key: 'entry.err.date' }, price: { key: 'problem.not_an_amount', value: 'lots' } },
    });
  });
});

const ARRIVAL: Arrival = {
  id: 7,
  told: 0,
  created_at: '2026-12-05T09:00:00Z',
  arrived_on: '2026-12-05',
  category: 'watch',
  brand: 'Rolex',
  model: 'Submariner',
  reference_number: '126610LN',
  material: 'steel',
  price: '9150',
  currency: 'GBP',
  notes: '',
};

function matches(): ArrivalMatches {
  return {
    arrival: { ...ARRIVAL },
    matches: [
      { customer_id: 1, customer_name: 'Margaret Chen', score: 100, reasons: [WISH, { kind: 'bought_brand', brand: 'Rolex', count: 2 }], wish_id: 41, told: false },
      { customer_id: 2, customer_name: 'Thomas Reid', score: 40, reasons: [{ kind: 'bought_brand', brand: 'Rolex', count: 1 }], wish_id: null, told: false },
      { customer_id: 3, customer_name: 'Li Wei', score: 10, reasons: [{ kind: 'prefers_material', material: 'steel' }], wish_id: null, told: false },
    ],
  };
}

const WISH_41: Wish = {
  id: 41,
  customer_id: 1,
  created_at: '2026-10-01T10:00:00Z',
  updated_at: '2026-10-01T10:00:00Z',
  brand: 'Rolex',
  model: 'Submariner',
  reference_number: '126610LN',
  budget_min: null,
  budget_max: '10000',
  currency: 'GBP',
  notes: 'Black dial',
  status: 'sourcing',
  requested_on: '2026-10-01',
  closed_on: null,
};

function renderView(methods: Partial<Backend>) {
  const backend = stubBackend({ arrivals: async () => [], ...methods });
  const app = new AppState();
  const user = userEvent.setup();
  render(InApp, { props: { view: ArrivalsView, app, backend } });
  return { user, app, backend };
}

const row = (id: number) => screen.getAllByTestId('arrival-match').find((el) => el.dataset.customerId === String(id))!;

describe('New arrivals', () => {
  it('records a piece, ticks those with a wish or who bought the brand, and tells the chosen ones', async () => {
    setFixedToday('2026-12-05');
    const addArrival = vi.fn<Backend['addArrival']>().mockResolvedValue(matches());
    const remindArrival = vi.fn<Backend['remindArrival']>().mockResolvedValue([]);
    const { user, app } = renderView({ addArrival, remindArrival });
    await screen.findByTestId('arrival-no-recent');
    await user.type(screen.getByTestId('arrival-brand'), 'Rolex');
    await user.type(screen.getByTestId('arrival-model'), 'Submariner');
    await user.type(screen.getByTestId('arrival-reference'), '126610LN');
    await user.selectOptions(screen.getByTestId('arrival-category'), 'watch');
    await user.type(screen.getByTestId('arrival-material'), 'steel');
    await user.type(screen.getByTestId('arrival-price'), '9,150');
    await user.click(screen.getByTestId('arrival-save'));

    expect(addArrival).toHaveBeenCalledWith({
      arrived_on: '2026-12-05',
      category: 'watch',
      brand: 'Rolex',
      model: 'Submariner',
      reference_number: '126610LN',
      material: 'steel',
      // tidied as the book writes amounts when the field was left
      price: '9150.00',
      currency: 'GBP',
      notes: '',
    });
    await screen.findByTestId('arrival-matches');
    expect(screen.getByTestId('arrival-matches')).toHaveTextContent('Who Rolex Submariner 126610LN suits');
    expect(screen.getAllByTestId('arrival-match').map((el) => el.dataset.customerId)).toEqual(['1', '2', '3']);
    expect(within(row(1)).getAllByTestId('arrival-reason').map((el) => el.textContent)).toEqual([
      'Wishes for this reference (126610LN), within budget',
      'Bought Rolex 2 times',
    ]);
    expect(within(row(1)).getByTestId('arrival-match-check')).toBeChecked();
    expect(within(row(2)).getByTestId('arrival-match-check')).toBeChecked();
    expect(within(row(3)).getByTestId('arrival-match-check')).not.toBeChecked();
    expect(within(row(3)).queryByTestId('arrival-wish-offered')).not.toBeInTheDocument();
    // the form is ready for the next piece of the delivery
    expect(screen.getByTestId('arrival-brand')).toHaveValue('');

    // Thomas is left out, Li Wei is told too
    await user.click(within(row(2)).getByTestId('arrival-match-check'));
    await user.click(within(row(3)).getByTestId('arrival-match-check'));
    const tell = screen.getByTestId('arrival-tell');
    expect(tell).toHaveTextContent('Tell them (2)');
    remindArrival.mockResolvedValue([{} as never, {} as never]);
    const revision = app.revision;
    await user.click(tell);
    expect(remindArrival).toHaveBeenCalledWith(7, [1, 3]);
    expect(await screen.findByTestId('arrival-told-notice')).toHaveTextContent('2 reminders added to the agenda.');
    expect(within(row(1)).getByTestId('arrival-told')).toHaveTextContent('Told');
    expect(within(row(1)).getByTestId('arrival-match-check')).toBeDisabled();
    expect(within(row(3)).getByTestId('arrival-told')).toBeInTheDocument();
    expect(within(row(2)).queryByTestId('arrival-told')).not.toBeInTheDocument();
    expect(screen.getByTestId('arrival-tell')).toBeDisabled();
    expect(app.revision).toBeGreaterThan(revision);
  });

  it('shows the refusal beside the field the core names', async () => {
    setUiLanguage('zh');
    const refusal: ErrorPayload = {
      code: 'invalid_input',
      message: 'Give the piece’s brand, reference, category or material to find who it suits.',
      field: 'brand',
      problem: { kind: 'arrival_nothing_to_match' },
    };
    const { user } = renderView({ addArrival: vi.fn().mockRejectedValue(refusal) });
    await user.type(screen.getByTestId('arrival-model'), 'Submariner');
    await user.click(screen.getByTestId('arrival-save'));
    const error = await screen.findByTestId('field-error');
    expect(error).toHaveAttribute('data-field', 'brand');
    expect(screen.getByTestId('arrival-brand')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('arrival-model')).toHaveValue('Submariner');
  });

  it('marks the wish the piece answers as offered, keeping its other fields', async () => {
    const story = { wishes: [WISH_41] } as unknown as CustomerStory;
    const getCustomerStory = vi.fn<Backend['getCustomerStory']>().mockResolvedValue(story);
    const updateEntry = vi.fn<Backend['updateEntry']>().mockResolvedValue(story);
    const { user } = renderView({
      arrivals: async () => [ARRIVAL],
      arrivalMatches: vi.fn<Backend['arrivalMatches']>().mockResolvedValue(matches()),
      getCustomerStory,
      updateEntry,
    });
    const recent = await screen.findByTestId('arrival-recent');
    expect(recent).toHaveTextContent('Rolex Submariner 126610LN');
    expect(recent).toHaveTextContent('Nobody told yet');
    await user.click(within(recent).getByTestId('arrival-open'));
    await screen.findByTestId('arrival-matches');
    await user.click(within(row(1)).getByTestId('arrival-wish-offered'));
    await waitFor(() => expect(within(row(1)).getByTestId('arrival-wish-offered-done')).toBeInTheDocument());
    expect(getCustomerStory).toHaveBeenCalledWith(1);
    expect(updateEntry).toHaveBeenCalledWith(41, {
      kind: 'wish',
      draft: {
        brand: 'Rolex',
        model: 'Submariner',
        reference_number: '126610LN',
        budget_min: null,
        budget_max: '10000',
        currency: 'GBP',
        notes: 'Black dial',
        status: 'offered',
        requested_on: '2026-10-01',
        closed_on: null,
      },
    });
    expect(within(row(1)).queryByTestId('arrival-wish-offered')).not.toBeInTheDocument();
  });

  it('deletes an arrival after asking, and forgets its matches', async () => {
    let stored = [ARRIVAL];
    const deleteArrival = vi.fn<Backend['deleteArrival']>(async () => {
      stored = [];
    });
    const { user } = renderView({
      arrivals: async () => stored,
      arrivalMatches: vi.fn<Backend['arrivalMatches']>().mockResolvedValue(matches()),
      deleteArrival,
    });
    const recent = await screen.findByTestId('arrival-recent');
    await user.click(within(recent).getByTestId('arrival-open'));
    await screen.findByTestId('arrival-matches');
    await user.click(within(recent).getByTestId('arrival-delete'));
    const dialog = await screen.findByTestId('confirm-dialog');
    expect(dialog).toHaveTextContent('Rolex Submariner 126610LN leaves the arrivals');
    await user.click(within(dialog).getByTestId('confirm-delete'));
    expect(deleteArrival).toHaveBeenCalledWith(7);
    await screen.findByTestId('arrival-no-recent');
    expect(screen.queryByTestId('arrival-matches')).not.toBeInTheDocument();
    expect(screen.queryByTestId('confirm-dialog')).not.toBeInTheDocument();
  });
});
