import { screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { PurchaseItem } from '../lib/bindings/PurchaseItem';
import { defaultStandingRules } from '../lib/audience';
import { blankItem } from '../lib/entries';
import { todayIso } from '../lib/format';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { FakeBackend, draftOf } from './fakeBackend';
import { monthsBefore } from './fakeStanding';
import { renderApp } from './helpers';

const today = todayIso();
const item = (partial: Partial<PurchaseItem>): PurchaseItem => ({ ...blankItem(), ...partial });

async function sell(backend: FakeBackend, customerId: number, purchased_on: string, price: string, partial: Partial<PurchaseItem> = {}) {
  await backend.addEntry(customerId, {
    kind: 'purchase',
    draft: {
      purchased_on,
      currency: 'GBP',
      channel: 'in_store',
      salesperson: '',
      notes: '',
      items: [item({ brand: 'Cartier', category: 'ring', material: '18k gold', price, discount: '0', ...partial })],
      payments: [],
      trade_ins: [],
      collected_on: null,
    },
  });
}

/** A VIP collector (four sales in two years, £32,400), a new buyer, and a prospect. */
async function book() {
  const backend = new FakeBackend([
    draftOf({ full_name: 'Amelia Hart', influence: 'trade_professional', preferences: { brands: ['Cartier'], styles: [], materials: ['pearls'], price_min: null, price_max: null, currency: '' } }),
    draftOf({ full_name: 'Ben Newman' }),
    draftOf({ full_name: 'Cleo Prospect' }),
  ]);
  await sell(backend, 1, monthsBefore(today, 20), '9000');
  await sell(backend, 1, monthsBefore(today, 9), '12400');
  await sell(backend, 1, monthsBefore(today, 2), '11000', { category: 'watch', brand: 'Rolex', material: 'steel' });
  await sell(backend, 2, monthsBefore(today, 1), '800', { brand: 'Tudor', category: 'watch', material: 'steel' });
  return backend;
}

async function open(user: ReturnType<typeof renderApp>['user'], name: string) {
  const rows = await screen.findAllByTestId('customer-row');
  const row = rows.find((r) => r.textContent?.includes(name));
  if (!row) throw new Error(`no row for ${name}`);
  await user.click(row);
  return screen.findByTestId('standing-strip');
}

afterEach(() => setUiLanguage('en'));

describe('the standing strip on the customer page', () => {
  it('shows segment, value class, RFM and influence, each with its reason on a click or a key', async () => {
    const { user } = renderApp(await book());
    const strip = await open(user, 'Amelia Hart');
    const segment = within(strip).getByTestId('standing-segment');
    expect(segment).toHaveTextContent('VIP');
    expect(segment).toHaveAttribute('title', 'VIP: £32,400.00 spent in the last 24 months (threshold £20,000.00)');
    expect(within(strip).getByTestId('standing-value-class')).toHaveTextContent('Key customer');
    expect(within(strip).getByTestId('standing-rfm')).toHaveAttribute('data-rfm', '534');
    expect(within(strip).getByTestId('standing-rfm')).toHaveTextContent('RFM 534');
    expect(within(strip).getByTestId('standing-influence')).toHaveAttribute('data-stars', '4');
    expect(within(strip).getByTestId('standing-influence')).toHaveAccessibleName('Influence: Trade professional, 4 of 5 stars');

    // the reason is read without hovering: a click opens it below the strip
    const why = screen.getByTestId('standing-why');
    expect(why).not.toBeVisible();
    await user.click(segment);
    expect(why).toBeVisible();
    expect(segment).toHaveAttribute('aria-expanded', 'true');
    expect(within(why).getAllByTestId('standing-reason').map((li) => li.textContent)).toEqual([
      'VIP: £32,400.00 spent in the last 24 months (threshold £20,000.00)',
    ]);

    // and from the keyboard: Enter on a chip, Esc closes and gives the focus back
    const rfm = within(strip).getByTestId('standing-rfm');
    rfm.focus();
    await user.keyboard('{Enter}');
    expect(within(why).getAllByTestId('standing-reason')[0]).toHaveTextContent('RFM 534: last purchase 2 months ago, 3 purchases, £32,400 spent');
    expect(within(why).getAllByTestId('standing-reason')[1]).toHaveTextContent('Recency 5, frequency 3, monetary 4');
    await user.keyboard('{Escape}');
    expect(why).not.toBeVisible();
    expect(rfm).toHaveFocus();
    // Esc on the strip closed the reasons, not the page
    expect(screen.getByTestId('customer-page')).toBeInTheDocument();

    // "Why?" opens every reason
    await user.click(within(strip).getByTestId('standing-why-toggle'));
    const topics = within(why).getAllByTestId('standing-reason').map((li) => li.dataset.topic);
    expect(topics).toEqual(['segment', 'value_class', 'rfm', 'rfm', 'influence']);
    expect(why).toHaveTextContent('Key customer: £32,400.00 in the last 24 months; those ranked before spent 0 % of the total (key while below 50 %, main while below 80 %)');
    expect(why).toHaveTextContent('Influence: a trade professional');

    // what they buy most, beside what they said they like
    expect(screen.getByTestId('customer-bought-most')).toHaveTextContent('rings · 18k gold · Cartier');
  });

  it('says it in Chinese', async () => {
    setUiLanguage('zh');
    const { user } = renderApp(await book());
    const strip = await open(user, 'Ben Newman');
    expect(within(strip).getByTestId('standing-segment')).toHaveTextContent('新客');
    expect(within(strip).getByTestId('standing-value-class')).toHaveTextContent('普通客户');
    await user.click(within(strip).getByTestId('standing-why-toggle'));
    expect(screen.getByTestId('standing-why')).toHaveTextContent(/新客：首次购买在 .+，在最近 180 天内/);
    expect(screen.getByTestId('customer-bought-most')).toHaveTextContent('腕表 · steel · Tudor');
  });

  it('a prospect has a segment and influence, no value class or RFM', async () => {
    const { user } = renderApp(await book());
    const strip = await open(user, 'Cleo Prospect');
    expect(within(strip).getByTestId('standing-segment')).toHaveTextContent('Prospect');
    expect(within(strip).queryByTestId('standing-value-class')).toBeNull();
    expect(within(strip).queryByTestId('standing-rfm')).toBeNull();
    expect(within(strip).getByTestId('standing-influence')).toHaveAttribute('data-stars', '0');
    expect(screen.queryByTestId('customer-bought-most')).toBeNull();
  });
});

describe('standing moves on the timeline', () => {
  it('shows each move on its day, with a filter chip of its own', async () => {
    const backend = await book();
    backend.addStandingChange(1, monthsBefore(today, 9), { kind: 'segment', from: 'new', to: 'vip' });
    backend.addStandingChange(1, monthsBefore(today, 9), { kind: 'value_class', from: 'main', to: 'key' });
    backend.addStandingChange(1, monthsBefore(today, 20), { kind: 'segment', from: null, to: 'new' });
    const { user } = renderApp(backend);
    await open(user, 'Amelia Hart');
    const moves = await screen.findAllByTestId('standing-entry');
    expect(moves.map((m) => m.textContent)).toEqual([
      // seen while the sales were recorded: the first sale alone left her at risk
      expect.stringContaining('At risk → VIP'),
      expect.stringContaining('Value class: Main → Key'),
      expect.stringContaining('New → VIP'),
      expect.stringContaining('Became New'),
    ]);
    // a move made by a sale reads above that day's sale
    const lines = screen.getAllByTestId(/^(timeline-entry|standing-entry)$/);
    const nine = monthsBefore(today, 9);
    expect(lines.filter((l) => l.dataset.date === nine).map((l) => l.dataset.kind)).toEqual(['standing', 'standing', 'purchase']);
    // no edit or delete on a line the book wrote
    expect(within(moves[0]).queryByRole('button')).toBeNull();

    const chip = screen.getByTestId('timeline-kind-standing');
    expect(chip).toHaveAttribute('data-count', '4');
    await user.click(chip);
    await waitFor(() => expect(screen.queryAllByTestId('timeline-entry')).toHaveLength(0));
    expect(screen.getAllByTestId('standing-entry')).toHaveLength(4);
    await user.click(screen.getByTestId('timeline-kind-purchase'));
    await waitFor(() => expect(screen.getAllByTestId('timeline-entry')).toHaveLength(3));
    await user.click(chip);
    await waitFor(() => expect(screen.queryAllByTestId('standing-entry')).toHaveLength(0));
  });

  it('a sale that makes a new customer a VIP changes the chip and adds the move', async () => {
    const { user } = renderApp(await book());
    const strip = await open(user, 'Ben Newman');
    expect(within(strip).getByTestId('standing-segment')).toHaveTextContent('New');
    await user.click(screen.getByTestId('add-purchase'));
    const form = await screen.findByTestId('entry-form');
    await user.type(within(form).getByTestId('item-brand'), 'Patek Philippe');
    await user.type(within(form).getByTestId('item-price'), '24,500');
    await user.click(screen.getByTestId('entry-save'));
    await waitFor(() => expect(screen.getByTestId('standing-segment')).toHaveTextContent('VIP'));
    const move = screen.getAllByTestId('standing-entry').find((m) => m.dataset.move === 'segment');
    expect(move).toHaveTextContent('New → VIP');
    expect(move).toHaveAttribute('data-date', today);
  });
});

describe('Settings → Standing', () => {
  it('shows every rule in words beside its segment, saves a changed number, and restores the defaults', async () => {
    const backend = await book();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('settings-button'));
    await screen.findByTestId('settings-dialog');
    await user.click(screen.getByTestId('settings-tab-standing'));
    const tab = await screen.findByTestId('settings-standing');
    expect(screen.getByTestId('settings-tab-standing')).toHaveAttribute('aria-selected', 'true');
    const vip = within(tab).getByTestId('rule-vip');
    expect(vip).toHaveTextContent(/^VIP\s*at least\s*GBP\s*spent or\s*purchases in the last\s*months\.$/);
    expect(within(vip).getByTestId('rule-vip_min_spend')).toHaveValue('20,000.00');
    expect(within(vip).getByTestId('rule-vip_min_purchases')).toHaveValue('4');
    expect(within(vip).getByTestId('rule-vip_months')).toHaveValue('24');
    expect(within(tab).getByTestId('rule-band-monetary_spend').querySelectorAll('input')).toHaveLength(4);
    expect(tab).toHaveTextContent('Quintiles apply from 500 buyers');

    const spend = within(vip).getByTestId('rule-vip_min_spend');
    await user.clear(spend);
    await user.type(spend, '£30,000');
    await user.tab();
    expect(spend).toHaveValue('30,000.00');
    await user.selectOptions(within(tab).getByTestId('rule-rfm_method'), 'quintiles');
    await user.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(screen.queryByTestId('settings-dialog')).not.toBeInTheDocument());
    expect(backend.settings.standing).toEqual({ ...defaultStandingRules(), vip_min_spend: '30000', rfm_method: 'quintiles' });

    // Amelia's £32,400 is still at least 30,000; the rule applies at once
    await open(user, 'Amelia Hart');
    expect(screen.getByTestId('standing-segment')).toHaveAttribute('title', 'VIP: £32,400.00 spent in the last 24 months (threshold £30,000.00)');

    await user.click(screen.getByTestId('settings-button'));
    await user.click(await screen.findByTestId('settings-tab-standing'));
    expect(screen.getByTestId('rule-vip_min_spend')).toHaveValue('30,000.00');
    await user.click(screen.getByTestId('settings-standing-restore'));
    expect(screen.getByTestId('rule-vip_min_spend')).toHaveValue('20,000.00');
    expect(screen.getByTestId('rule-rfm_method')).toHaveValue('bands');
    await user.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(screen.queryByTestId('settings-dialog')).not.toBeInTheDocument());
    expect(backend.settings.standing).toEqual(defaultStandingRules());
  });

  it('places a typing mistake and the book’s refusal beside their field', async () => {
    const backend = await book();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('settings-button'));
    await user.click(await screen.findByTestId('settings-tab-standing'));
    const months = screen.getByTestId('rule-vip_months');
    await user.clear(months);
    await user.type(months, 'two years');
    // saved from the other tab: the standing tab comes back with the field in error
    await user.click(screen.getByTestId('settings-tab-general'));
    await user.click(screen.getByTestId('settings-save'));
    expect(screen.getByTestId('settings-tab-standing')).toHaveAttribute('aria-selected', 'true');
    expect(months).toHaveAttribute('aria-invalid', 'true');
    expect(months).toHaveFocus();
    const error = within(screen.getByTestId('rule-vip')).getByTestId('field-error');
    expect(error).toHaveAttribute('data-field', 'standing.vip_months');
    expect(error).toHaveTextContent('Write a whole number, such as 12.');
    expect(backend.callsOf('updateSettings')).toHaveLength(0);

    await user.clear(months);
    await user.type(months, '24');
    const key = screen.getByTestId('rule-key_percent');
    await user.clear(key);
    await user.type(key, '85');
    await user.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(screen.getByTestId('rule-main_percent')).toHaveAttribute('aria-invalid', 'true'));
    expect(within(screen.getByTestId('settings-standing')).getAllByTestId('field-error').map((e) => e.dataset.field)).toEqual(['standing.main_percent']);
    expect(screen.getByTestId('settings-dialog')).toBeInTheDocument();
    expect(backend.settings.standing).toEqual(defaultStandingRules());
  });
});

describe('influence on the profile form', () => {
  it('offers each influence with its stars and says what they mean', async () => {
    const { user } = renderApp(await book());
    await open(user, 'Cleo Prospect');
    await user.click(screen.getByTestId('edit-customer'));
    const select = await screen.findByRole('combobox', { name: 'Influence' });
    expect([...select.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
      'None',
      'Reviewer ★★★',
      'Trade professional ★★★★',
      'Public figure ★★★★★',
    ]);
    expect(select).toHaveAccessibleDescription(/a reviewer ★★★, a trade professional ★★★★, a public figure ★★★★★/);
  });
});
