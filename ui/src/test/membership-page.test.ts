import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import App from '../App.svelte';
import type { CustomerStory } from '../lib/bindings/CustomerStory';
import type { ErrorPayload } from '../lib/bindings/ErrorPayload';
import type { Membership } from '../lib/bindings/Membership';
import type { NextTier } from '../lib/bindings/NextTier';
import type { PointsDraft } from '../lib/bindings/PointsDraft';
import type { PointsEntry } from '../lib/bindings/PointsEntry';
import type { PointsLedger } from '../lib/bindings/PointsLedger';
import type { PurchaseItem } from '../lib/bindings/PurchaseItem';
import type { TierChange } from '../lib/bindings/TierChange';
import { blankItem } from '../lib/entries';
import { todayIso } from '../lib/format';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { nextTierProgress, nextTierText, wholeMonthsBetween } from '../lib/membership-story';
import { FakeBackend, draftOf } from './fakeBackend';

const MEMBER = { key: 'member', name: { en: 'Member', zh: '普通会员' } };
const SILVER = { key: 'silver', name: { en: 'Silver', zh: '银卡' } };
const GOLD = { key: 'gold', name: { en: 'Gold', zh: '金卡' } };

/** Four months and a few days from today: the day the oldest purchase counted leaves the window. */
function fourMonthsAhead(): string {
  const [y, m, d] = todayIso().split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + 4, d + 5)).toISOString().slice(0, 10);
}

const item = (partial: Partial<PurchaseItem>): PurchaseItem => ({ ...blankItem(), ...partial });

async function sell(backend: FakeBackend, customerId: number, purchased_on: string, price: string) {
  await backend.addEntry(customerId, {
    kind: 'purchase',
    draft: {
      purchased_on,
      currency: 'GBP',
      channel: 'in_store',
      salesperson: '',
      notes: '',
      items: [item({ brand: 'Cartier', category: 'ring', price, discount: '0' })],
      payments: [],
      trade_ins: [],
      collected_on: null,
    },
  });
}

/**
 * Amelia, a Silver member 4 months from Gold, with her ledger and tier changes as the core gives
 * them (the fake computes no membership: the story is stubbed); Grace, whom she referred. Points
 * moved by hand go through stubs that refuse as the core does and change what the story says.
 */
async function book({ programmeOn = true } = {}) {
  const backend = new FakeBackend([draftOf({ full_name: 'Amelia Hart' }), draftOf({ full_name: 'Grace Wilson' })]);
  await sell(backend, 1, '2025-01-15', '915');
  await sell(backend, 1, '2026-02-20', '6000');
  const [older, newer] = [...(await backend.getCustomerStory(1)).purchases].sort((a, b) => a.id - b.id).map((p) => p.id);

  let balance = 12400;
  const ledger: PointsEntry[] = [
    { id: 5, customer_id: 1, entry_on: '2026-03-10', kind: 'referral', points: 500, reason: '', purchase_id: null, referred_id: 2, referred_name: 'Grace Wilson', balance: 12400 },
    { id: 4, customer_id: 1, entry_on: '2026-02-20', kind: 'redeem', points: -5000, reason: '', purchase_id: newer, referred_id: null, referred_name: null, balance: 11900 },
    { id: 3, customer_id: 1, entry_on: '2025-06-01', kind: 'adjust', points: -100, reason: 'Counted twice', purchase_id: null, referred_id: null, referred_name: null, balance: 16900 },
    { id: 2, customer_id: 1, entry_on: '2025-03-01', kind: 'referral', points: 500, reason: '', purchase_id: null, referred_id: null, referred_name: null, balance: 17000 },
    { id: 1, customer_id: 1, entry_on: '2025-01-15', kind: 'earn', points: 915, reason: '', purchase_id: older, referred_id: null, referred_name: null, balance: 915 },
  ];
  const tierChanges: TierChange[] = [
    { id: 3, customer_id: 1, changed_on: '2026-03-04', from: GOLD, to: SILVER, upgrade: false, reason: { kind: 'grace_ended', kept_until: '2026-03-03' } },
    { id: 2, customer_id: 1, changed_on: '2025-01-15', from: MEMBER, to: GOLD, upgrade: true, reason: { kind: 'qualified', spend: '52000', purchases: 2, window_months: 12 } },
    { id: 1, customer_id: 1, changed_on: '2024-05-10', from: null, to: MEMBER, upgrade: true, reason: { kind: 'qualified', spend: '800', purchases: 1, window_months: null } },
  ];
  const membership = (): Membership => ({
    tier: SILVER,
    discount_percent: '15',
    free_care: false,
    since: '2026-03-04',
    keeps_until: '2027-03-03',
    reason: { kind: 'qualified', spend: '42400', purchases: 3, window_months: 12 },
    next_tier: { tier: GOLD, spend_needed: '7600', purchases_needed: null, before: fourMonthsAhead() },
    uncounted: [{ currency: 'USD', purchases: 2, amount: '1200.00' }],
    points: balance,
    points_expiring: 1200,
    points_expire_on: '2027-03-01',
    evaluated_on: todayIso(),
  });

  const read = backend.getCustomerStory.bind(backend);
  const getCustomerStory = vi.fn(async (id: number): Promise<CustomerStory> => {
    const story = await read(id);
    if (id !== 1 || !programmeOn) return story;
    return {
      ...story,
      membership: membership(),
      tier_changes: tierChanges,
      points: ledger,
      purchases: story.purchases.map((p) =>
        p.id === newer
          ? {
              ...p,
              total: '5050.00',
              points_earned: 5050,
              redemption: { points: 5000, value: '50.00' },
              items: p.items.map((i) => ({ ...i, discount: '900.00', member_discount: { tier: SILVER, percent: '15' } })),
            }
          : { ...p, points_earned: 915 },
      ),
    };
  });
  backend.getCustomerStory = getCustomerStory;

  const refuse = (field: string, problem: ErrorPayload['problem']): ErrorPayload => ({ code: 'invalid_input', message: 'refused', field, problem });
  const move = (points: number, kind: 'adjust' | 'redeem', reason: string): PointsLedger => {
    balance += points;
    ledger.unshift({ id: ledger.length + 1, customer_id: 1, entry_on: todayIso(), kind, points, reason, purchase_id: null, referred_id: null, referred_name: null, balance });
    return { customer_id: 1, balance, entries: ledger };
  };
  const adjustPoints = vi.fn(async (_id: number, draft: PointsDraft) => {
    if (!draft.reason) throw refuse('reason', { kind: 'points_reason_missing' });
    return move(draft.points, 'adjust', draft.reason);
  });
  const redeemPoints = vi.fn(async (_id: number, draft: PointsDraft) => {
    if (draft.points > balance) throw refuse('points', { kind: 'points_short', balance, asked: draft.points });
    return move(-draft.points, 'redeem', draft.reason);
  });
  backend.adjustPoints = adjustPoints;
  backend.redeemPoints = redeemPoints;
  return { backend, getCustomerStory, adjustPoints, redeemPoints, older, newer };
}

function openAmelia(backend: FakeBackend) {
  const user = userEvent.setup();
  render(App, { props: { backend, initialView: { name: 'customer', id: 1 } } });
  return user;
}

describe('membership on the customer page', () => {
  it('shows the tier, why, the way to the next tier, what is not counted, and the points', async () => {
    const { backend } = await book();
    openAmelia(backend);
    const card = await screen.findByTestId('membership-card');

    expect(within(card).getByTestId('membership-tier')).toHaveTextContent('Silver');
    expect(within(card).getByTestId('membership-since')).toHaveTextContent('since 4 Mar 2026');
    expect(within(card).getByTestId('membership-discount')).toHaveTextContent('15 % off every piece');
    // Silver asks for spend: the reason is the spend, not the purchases
    expect(within(card).getByTestId('membership-reason')).toHaveTextContent('spent £42,400 in the last 12 months');
    expect(within(card).getByTestId('membership-next')).toHaveTextContent('£7,600 more in the next 4 months for Gold');
    // Gold asks £50,000: £42,400 of it is 85 %, once the rules are read
    await waitFor(() => expect(within(card).getByTestId('membership-progress')).toHaveAttribute('aria-valuenow', '85'));
    expect(within(card).getByRole('progressbar')).toHaveAccessibleName('Progress to Gold');
    expect(within(card).getByTestId('membership-uncounted')).toHaveTextContent(
      '2 sales in USD (US$1,200.00) are not counted: no rate for USD — Settings → Membership',
    );
    expect(within(card).getByTestId('points-balance')).toHaveTextContent('12,400 points');
    expect(within(card).getByTestId('points-worth')).toHaveTextContent('Worth £124.00');
    expect(within(card).getByTestId('points-expiring')).toHaveTextContent('1,200 expire on 1 Mar 2027');
  });

  it('opens the ledger newest first, each line worded, and a line of a sale shows that sale', async () => {
    const { backend, older } = await book();
    const scrolled = vi.spyOn(Element.prototype, 'scrollIntoView');
    const user = openAmelia(backend);
    const card = await screen.findByTestId('membership-card');
    const toggle = within(card).getByTestId('points-ledger-toggle');
    expect(toggle).toHaveTextContent('Points history (5 lines)');
    expect(within(card).queryByTestId('points-ledger')).toBeNull();
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');

    const rows = within(card).getAllByTestId('points-line');
    expect(rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim()))).toEqual([
      ['10 Mar 2026', 'Referral bonus: referred Grace Wilson', '+500', '12,400'],
      ['20 Feb 2026', 'Redeemed on a sale', '−5,000', '11,900'],
      ['1 Jun 2025', 'Adjusted: Counted twice', '−100', '16,900'],
      ['1 Mar 2025', 'Referral bonus: a customer since erased', '+500', '17,000'],
      ['15 Jan 2025', 'Earned on a sale', '+915', '915'],
    ]);

    // "Earned on a sale" brings that sale into view and marks it
    await user.click(within(rows[4]).getByTestId('points-show-sale'));
    const sale = screen.getAllByTestId('timeline-entry').find((el) => el.dataset.kind === 'purchase' && el.dataset.id === String(older));
    if (!sale) throw new Error('the earning sale is not on the timeline');
    await waitFor(() => expect(scrolled.mock.contexts).toContain(sale));
    expect(sale).toHaveAttribute('data-sale-focus');
    scrolled.mockRestore();

    // the referred customer's name opens her
    await user.click(within(rows[0]).getByTestId('points-open-referred'));
    expect(await screen.findByTestId('customer-name')).toHaveTextContent('Grace Wilson');
  });

  it('puts each tier change on the timeline under the standing chip, and the points and member discount on a sale', async () => {
    const { backend, older, newer } = await book();
    const user = openAmelia(backend);
    await screen.findByTestId('membership-card');

    const changes = await screen.findAllByTestId('tier-change-entry');
    expect(changes.map((c) => [c.querySelector('[data-testid="tier-change-title"]')?.textContent, c.querySelector('[data-testid="tier-change-reason"]')?.textContent])).toEqual([
      ['Stepped down to Silver', 'the tier was kept until 3 Mar 2026'],
      ['Upgraded to Gold', 'spent £52,000 in the last 12 months'],
      ['Upgraded to Member', '1 purchase ever'],
    ]);
    // a change of tier has no edit or delete
    expect(within(changes[0]).queryByTestId('entry-edit')).toBeNull();

    const sales = screen.getAllByTestId('timeline-entry').filter((el) => el.dataset.kind === 'purchase');
    const withRedemption = sales.find((el) => el.dataset.id === String(newer))!;
    expect(within(withRedemption).getByTestId('sale-points-earned')).toHaveTextContent('+5,050 points');
    expect(within(withRedemption).getByTestId('sale-points-redeemed')).toHaveTextContent('5,000 points redeemed (−£50.00)');
    expect(within(withRedemption).getByTestId('item-member-discount')).toHaveTextContent('Silver member −15 %');
    const earning = sales.find((el) => el.dataset.id === String(older))!;
    expect(within(earning).getByTestId('sale-points-earned')).toHaveTextContent('+915 points');
    expect(within(earning).queryByTestId('sale-points-redeemed')).toBeNull();
    expect(within(earning).queryByTestId('item-member-discount')).toBeNull();

    // the standing chip counts them and keeps them; the sales' chip leaves them out
    const standingChip = screen.getByTestId('timeline-kind-standing');
    const standingMoves = screen.queryAllByTestId('standing-entry').length;
    expect(standingChip).toHaveAttribute('data-count', String(standingMoves + 3));
    await user.click(standingChip);
    expect(screen.getAllByTestId('tier-change-entry')).toHaveLength(3);
    expect(screen.queryAllByTestId('timeline-entry')).toHaveLength(0);
    await user.click(standingChip);
    await user.click(screen.getByTestId('timeline-kind-purchase'));
    expect(screen.queryAllByTestId('tier-change-entry')).toHaveLength(0);
  });

  it('reads the story and the rules again when the day\'s evaluation moved customers while the page is open', async () => {
    const { backend, getCustomerStory } = await book();
    openAmelia(backend);
    await screen.findByTestId('membership-card');
    const storyReads = getCustomerStory.mock.calls.length;
    const settingsReads = vi.spyOn(backend, 'getSettings');
    backend.standingChanged();
    await waitFor(() => expect(getCustomerStory.mock.calls.length).toBe(storyReads + 1));
    await waitFor(() => expect(settingsReads).toHaveBeenCalled());
    expect(screen.getByTestId('membership-card')).toBeInTheDocument();
  });

  it('shows nothing of membership while the programme is off', async () => {
    const { backend } = await book({ programmeOn: false });
    openAmelia(backend);
    expect(await screen.findByTestId('customer-name')).toHaveTextContent('Amelia Hart');
    await screen.findAllByTestId('timeline-entry');
    expect(screen.queryByTestId('membership-card')).toBeNull();
    expect(screen.queryByTestId('points-adjust')).toBeNull();
    expect(screen.queryAllByTestId('tier-change-entry')).toHaveLength(0);
    expect(screen.queryAllByTestId('sale-points')).toHaveLength(0);
    expect(screen.queryAllByTestId('item-member-discount')).toHaveLength(0);
  });

  it('adjusts points with a reason: the refusal is beside the reason, and success reads the story again', async () => {
    const { backend, adjustPoints, getCustomerStory } = await book();
    const user = openAmelia(backend);
    const card = await screen.findByTestId('membership-card');
    await user.click(within(card).getByTestId('points-adjust'));
    const dialog = await screen.findByTestId('points-dialog');
    expect(dialog).toHaveTextContent('Adjust points for Amelia Hart');
    expect(within(dialog).getByTestId('points-dialog-balance')).toHaveTextContent('Balance now: 12,400 points');

    // not a whole number: said at once, nothing sent
    await user.type(within(dialog).getByTestId('points-amount'), '12.5');
    await user.click(within(dialog).getByTestId('points-save'));
    expect(within(dialog).getByTestId('field-error')).toHaveAttribute('data-field', 'points');
    expect(adjustPoints).not.toHaveBeenCalled();

    // without a reason the core refuses: its words beside the reason
    await user.clear(within(dialog).getByTestId('points-amount'));
    await user.type(within(dialog).getByTestId('points-amount'), '−500');
    expect(within(dialog).getByTestId('points-dialog-balance')).toHaveTextContent('Balance after: 11,900 points');
    expect(within(dialog).getByTestId('points-dialog-after')).not.toHaveClass('below');
    await user.click(within(dialog).getByTestId('points-save'));
    const refusal = await within(dialog).findByTestId('field-error');
    expect(refusal).toHaveAttribute('data-field', 'reason');
    expect(refusal).toHaveTextContent('Say why the points change.');
    expect(within(dialog).getByTestId('points-reason')).toHaveAttribute('aria-invalid', 'true');

    const readsBefore = getCustomerStory.mock.calls.length;
    await user.type(within(dialog).getByTestId('points-reason'), 'Scratched clasp, goodwill');
    await user.click(within(dialog).getByTestId('points-save'));
    await waitFor(() => expect(screen.queryByTestId('points-dialog')).toBeNull());
    expect(adjustPoints).toHaveBeenLastCalledWith(1, { points: -500, reason: 'Scratched clasp, goodwill' });
    expect(getCustomerStory.mock.calls.length).toBeGreaterThan(readsBefore);
    await waitFor(() => expect(screen.getByTestId('points-balance')).toHaveTextContent('11,900 points'));
    expect(screen.getByTestId('points-ledger-toggle')).toHaveTextContent('Points history (6 lines)');
  });

  it('redeems points: their worth at the book rate, a short balance refused beside the points, success re-read', async () => {
    const { backend, redeemPoints } = await book();
    const user = openAmelia(backend);
    const card = await screen.findByTestId('membership-card');
    await user.click(within(card).getByTestId('points-redeem'));
    const dialog = await screen.findByTestId('points-dialog');
    expect(dialog).toHaveTextContent('Redeem points for Amelia Hart');
    await user.type(within(dialog).getByTestId('points-amount'), '20000');
    expect(within(dialog).getByTestId('points-dialog-worth')).toHaveTextContent('Worth £200.00 · 100 points make £1.00');
    // more than the balance: the balance after is marked before anything is sent
    expect(within(dialog).getByTestId('points-dialog-after')).toHaveClass('below');
    await user.click(within(dialog).getByTestId('points-save'));
    const refusal = await within(dialog).findByTestId('field-error');
    expect(refusal).toHaveAttribute('data-field', 'points');
    expect(refusal).toHaveTextContent('Only 12,400 points are available; 20,000 were asked for.');

    await user.clear(within(dialog).getByTestId('points-amount'));
    await user.type(within(dialog).getByTestId('points-amount'), '5,000');
    expect(within(dialog).getByTestId('points-dialog-worth')).toHaveTextContent('Worth £50.00');
    await user.click(within(dialog).getByTestId('points-save'));
    await waitFor(() => expect(screen.queryByTestId('points-dialog')).toBeNull());
    expect(redeemPoints).toHaveBeenLastCalledWith(1, { points: 5000, reason: '' });
    await waitFor(() => expect(screen.getByTestId('points-balance')).toHaveTextContent('7,400 points'));
  });

  it('says it in Chinese', async () => {
    setUiLanguage('zh');
    const { backend } = await book();
    openAmelia(backend);
    const card = await screen.findByTestId('membership-card');
    expect(within(card).getByTestId('membership-tier')).toHaveTextContent('银卡');
    expect(within(card).getByTestId('membership-reason')).toHaveTextContent('最近 12 个月内消费 £42,400');
    expect(within(card).getByTestId('membership-next')).toHaveTextContent('未来 4 个月内再消费 £7,600，即可升至金卡');
    expect(within(card).getByTestId('points-balance')).toHaveTextContent('12,400 积分');
    const changes = await screen.findAllByTestId('tier-change-entry');
    expect(changes[0]).toHaveTextContent('降级为银卡');
    expect(changes[2]).toHaveTextContent('累计购买 1 次');
  });
});

describe('the way to the next tier in words', () => {
  const next = (partial: Partial<NextTier>): NextTier => ({ tier: GOLD, spend_needed: null, purchases_needed: null, before: null, ...partial });

  it('counts whole months only once their day is reached', () => {
    expect(wholeMonthsBetween('2026-03-15', '2026-07-15')).toBe(4);
    expect(wholeMonthsBetween('2026-03-15', '2026-07-14')).toBe(3);
    expect(wholeMonthsBetween('2026-11-30', '2027-02-28')).toBe(2);
  });

  it('says months two or more ahead, the date when closer, "or" when either is enough, nothing without a limit', () => {
    expect(nextTierText(next({ spend_needed: '7600', before: '2026-07-20' }), 'GBP', '2026-03-15')).toBe('£7,600 more in the next 4 months for Gold');
    expect(nextTierText(next({ spend_needed: '7600', before: '2026-04-20' }), 'GBP', '2026-03-15')).toBe('£7,600 more before 20 Apr 2026 for Gold');
    expect(nextTierText(next({ spend_needed: '7600.50', purchases_needed: 2, before: '2026-09-15' }), 'GBP', '2026-03-15')).toBe(
      '£7,600.50 more or 2 more purchases in the next 6 months for Gold',
    );
    expect(nextTierText(next({ purchases_needed: 1 }), 'GBP', '2026-03-15')).toBe('1 more purchase for Gold');
  });

  it('measures the progress against the tier it leads to, nearer of spend and purchases', () => {
    const gold = { key: 'gold', name: GOLD.name, min_spend: '50000', min_purchases: 10, window_months: 12, discount_percent: '20', benefits: '', free_care: true };
    expect(nextTierProgress(next({ spend_needed: '7600' }), gold)).toBeCloseTo(0.848);
    expect(nextTierProgress(next({ spend_needed: '40000', purchases_needed: 2 }), gold)).toBeCloseTo(0.8);
    expect(nextTierProgress(next({ spend_needed: '7600' }), undefined)).toBeNull();
  });
});
