import { cleanup, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ECElementEvent } from 'echarts/core';
import type { Insights } from '../lib/bindings/Insights';
import type { InsightsQuery } from '../lib/bindings/InsightsQuery';
import { AppState } from '../lib/app-state.svelte';
import { everyone } from '../lib/audience';
import { echarts } from '../lib/charts';
import { setFixedToday } from '../lib/format';
import type { Backend } from '../lib/gateway';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import InsightsView from '../lib/components/InsightsView.svelte';
import InApp from './InApp.svelte';
import { FakeBackend } from './fakeBackend';
import { renderApp, stubBackend } from './helpers';
import { campaignResults, marketingExpenses, quarter } from './insightsFixture';

// jsdom lays nothing out: a chart's box gets the size the window would give it, and a fixed
// width per character lays its labels out.
const chartBox = (size: number) => ({
  configurable: true,
  get(this: HTMLElement) {
    return this.classList.contains('chart') ? size : 0;
  },
});
beforeAll(() => {
  echarts.setPlatformAPI({ measureText: (text: string) => ({ width: text.length * 7 }) });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', chartBox(640));
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', chartBox(260));
});
afterAll(() => {
  // back to jsdom's own (on Element), for the files that run after this one
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
});
beforeEach(() => setFixedToday('2026-03-15'));
afterEach(() => {
  setFixedToday(null);
  setUiLanguage('en');
});

function book(overrides: Partial<Backend> = {}) {
  const insights = vi.fn(async (_query: InsightsQuery): Promise<Insights> => quarter());
  const results = vi.fn(async () => campaignResults());
  const backend = stubBackend({
    insights,
    campaignResults: results,
    expenses: async () => marketingExpenses(),
    savedSegments: async () => [],
    listTags: async () => [],
    getSettings: () => new FakeBackend().getSettings(),
    ...overrides,
  });
  const app = new AppState();
  const user = userEvent.setup();
  render(InApp, { props: { view: InsightsView, app, backend } });
  return { app, backend, insights, results, user };
}

const lastQuery = (insights: ReturnType<typeof book>['insights']) => insights.mock.calls.at(-1)?.[0];

/** The chart's ECharts instance, as a click on one of its bars reaches it. */
function chartIn(name: string) {
  const el = within(screen.getByTestId(`insights-chart-${name}`)).getByRole('img');
  const chart = echarts.getInstanceByDom(el);
  if (!chart) throw new Error(`no chart drawn in ${name}`);
  return chart;
}

describe('the Insights view', () => {
  it('opens from its tab on the last twelve months and shows each figure with its change', async () => {
    const backend = new FakeBackend();
    vi.spyOn(backend as Backend, 'fixedToday').mockResolvedValue('2026-03-15');
    const insights = vi.spyOn(backend, 'insights').mockResolvedValue(quarter());
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-insights'));
    const view = await screen.findByTestId('insights-view');
    expect(screen.getByTestId('nav-insights')).toHaveAttribute('aria-current', 'page');
    await waitFor(() => expect(insights).toHaveBeenCalledWith({ from: '2025-03-16', to: '2026-03-15', filter: everyone() }));
    expect(within(view).getByTestId('insights-period-last-12-months')).toHaveAttribute('aria-pressed', 'true');

    const card = (name: string) => within(view).getByTestId(`insights-card-${name}`);
    const value = (name: string) => within(view).getByTestId(`insights-card-${name}-value`).textContent;
    const moved = (name: string) => within(view).getByTestId(`insights-card-${name}-change`).querySelector('[aria-hidden]')?.textContent;
    await waitFor(() => expect(value('revenue')).toBe('£21,000'));
    expect(moved('revenue')).toBe('↑ 25.0%');
    expect(value('aov')).toBe('£1,000');
    expect(moved('aov')).toBe('↓ 16.7%');
    expect(value('frequency')).toBe('8.5 a year');
    expect(card('lifespan')).toHaveTextContent('2.2 years');
    expect(card('lifespan')).toHaveTextContent('rests on 8 customers with two or more purchases');
    expect(value('clv')).toBe('£19,175.62');
    expect(card('clv')).toHaveTextContent('£1,000 × 8.5 a year × 2.2 years');
    expect(value('cac')).toBe('£200');
    expect(card('cac')).toHaveTextContent('marketing £600');
    expect(moved('cac')).toBe('—');
    expect(value('retention')).toBe('62.5%');
    expect(moved('retention')).toBe('↑ 12.5 pts');
    expect(card('retention')).toHaveTextContent('5 of 8 buyers of the period before bought again');
    expect(value('returning')).toBe('70.0%');
    expect(card('returning')).toHaveTextContent('Starting shop: 5–10%');
    expect(card('returning')).toHaveTextContent('Advanced stage: over 10%');
    expect(value('repeat')).toBe('66.7%');
    expect(value('csat')).toBe('4.2 / 5');
    expect(card('csat')).toHaveTextContent('75.0% gave 4 or 5 · 4 scores');
    expect(value('top20')).toBe('47.6%');
    expect(card('top20')).toHaveTextContent('of the revenue came from the top 2 buyers');
    expect(within(view).getByTestId('insights-other-currencies')).toHaveTextContent('€2,500 (1 sale)');
    for (const name of ['monthly', 'segments', 'tiers', 'cohorts', 'brands', 'categories', 'csat']) {
      expect(within(view).getByTestId(`insights-chart-${name}`)).toBeInTheDocument();
    }
  });

  it('asks for the preset’s days, and for a custom period once it reads', async () => {
    const { insights, user } = book();
    await waitFor(() => expect(lastQuery(insights)).toEqual({ from: '2025-03-16', to: '2026-03-15', filter: everyone() }));
    await user.click(screen.getByTestId('insights-period-this-quarter'));
    await waitFor(() => expect(lastQuery(insights)).toMatchObject({ from: '2026-01-01', to: '2026-03-15' }));
    await user.click(screen.getByTestId('insights-period-this-month'));
    await waitFor(() => expect(lastQuery(insights)).toMatchObject({ from: '2026-03-01', to: '2026-03-15' }));
    await user.click(screen.getByTestId('insights-period-this-year'));
    await waitFor(() => expect(lastQuery(insights)).toMatchObject({ from: '2026-01-01', to: '2026-03-15' }));

    await user.click(screen.getByTestId('insights-period-custom'));
    const calls = insights.mock.calls.length;
    const from = screen.getByTestId('insights-from');
    const to = screen.getByTestId('insights-to');
    await user.clear(from);
    await user.type(from, '01/03/2026');
    await user.clear(to);
    await user.type(to, '01/02/2026');
    await user.click(screen.getByTestId('insights-apply'));
    expect(screen.getByTestId('insights-period-error')).toHaveTextContent('The period ends before it begins.');
    expect(insights.mock.calls.length).toBe(calls);
    await user.clear(to);
    await user.type(to, '31/03/2026');
    await user.click(screen.getByTestId('insights-apply'));
    await waitFor(() => expect(lastQuery(insights)).toMatchObject({ from: '2026-03-01', to: '2026-03-31' }));
    expect(screen.queryByTestId('insights-period-error')).toBeNull();
  });

  it('opens the customers of a segment or a tier, within the audience chosen, from a bar or the table', async () => {
    const { app, insights, user } = book();
    await screen.findByTestId('insights-card-revenue');
    // the audience: trade customers only
    await user.click(screen.getByTestId('insights-audience-toggle'));
    await user.selectOptions(screen.getByTestId('insights-type'), 'trade');
    await waitFor(() => expect(lastQuery(insights)?.filter.customer_type).toBe('trade'));
    await waitFor(() => expect(within(screen.getByTestId('insights-chart-segments')).getByRole('img')).toBeInTheDocument());

    // the second bar: Regular
    chartIn('segments').trigger('click', { type: 'click', componentType: 'series', seriesIndex: 0, dataIndex: 1 } as Partial<ECElementEvent> as ECElementEvent);
    expect(app.view).toEqual({ name: 'list' });
    expect(app.list.filter).toEqual({ ...everyone(), customer_type: 'trade', segments: ['regular'] });
    expect(app.list.scrollTop).toBe(0);

    app.view = { name: 'insights' };
    const tiers = screen.getByTestId('insights-chart-tiers');
    await user.click(within(tiers).getByTestId('insights-table-toggle'));
    const table = within(tiers).getByTestId('insights-table');
    await user.click(within(table).getAllByRole('button', { name: 'Show customers' })[1]);
    expect(app.list.filter).toEqual({ ...everyone(), customer_type: 'trade', tiers: ['gold'] });
  });

  it('opens the buyers of a month from its bar or its row', async () => {
    const { app, user } = book();
    await screen.findByTestId('insights-card-revenue');
    await waitFor(() => expect(within(screen.getByTestId('insights-chart-monthly')).getByRole('img')).toBeInTheDocument());
    // February: the whole month, 29 days in none but a leap year
    chartIn('monthly').trigger('click', { type: 'click', componentType: 'series', seriesIndex: 0, dataIndex: 1 } as Partial<ECElementEvent> as ECElementEvent);
    expect(app.view).toEqual({ name: 'list' });
    expect(app.list.filter).toEqual({ ...everyone(), bought_since: '2026-02-01', bought_until: '2026-02-28' });

    app.view = { name: 'insights' };
    const monthly = screen.getByTestId('insights-chart-monthly');
    await user.click(within(monthly).getByTestId('insights-table-toggle'));
    await user.click(within(within(monthly).getByTestId('insights-table')).getAllByRole('button', { name: 'Show customers' })[2]);
    expect(app.list.filter).toEqual({ ...everyone(), bought_since: '2026-03-01', bought_until: '2026-03-31' });
  });

  it('shows a chart’s numbers as a table instead of the chart, and back', async () => {
    const { user } = book();
    const cohorts = await screen.findByTestId('insights-chart-cohorts');
    const toggle = within(cohorts).getByTestId('insights-table-toggle');
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    const table = within(cohorts).getByTestId('insights-table');
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Cohort', 'Customers', 'Month 0', 'Month 1', 'Month 2']);
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent(/2026-01\s*2\s*2\s*1\s*1/);
    expect(within(cohorts).queryByRole('img')).toBeNull();
    await user.click(toggle);
    expect(within(cohorts).queryByTestId('insights-table')).toBeNull();
    expect(within(cohorts).getByRole('img')).toBeInTheDocument();
  });

  it('saves a chart’s numbers as CSV where the dealer chooses, and says where', async () => {
    const chooseTableFile = vi.fn(async () => ({ token: 'tok', name: 'brands.csv' }));
    const saveTable = vi.fn(async () => '/home/dealer/brands.csv');
    const { app, user } = book({ chooseTableFile, saveTable });
    const brands = await screen.findByTestId('insights-chart-brands');
    await user.click(within(brands).getByTestId('insights-csv'));
    await waitFor(() => expect(saveTable).toHaveBeenCalled());
    expect(chooseTableFile).toHaveBeenCalledWith('loupe-insights-brands-2025-03-16-2026-03-15.csv', 'Save the numbers of “Top brands”');
    expect(saveTable).toHaveBeenCalledWith(
      {
        columns: ['Brand', 'Revenue (GBP)', 'Pieces'],
        rows: [
          ['Rolex', '12000', '9'],
          ['Cartier', '9000', '12'],
        ],
      },
      'tok',
    );
    expect(chooseTableFile.mock.invocationCallOrder[0]).toBeLessThan(saveTable.mock.invocationCallOrder[0]);
    expect(app.notice).toBe('Saved the numbers to /home/dealer/brands.csv.');
  });

  it('writes nothing when the dealer cancels the file dialog, and shows a failure in the error banner', async () => {
    const saveTable = vi.fn(async () => '');
    const { app } = book({ chooseTableFile: async () => null, saveTable, insights: async () => Promise.reject({ code: 'io', message: 'disk', field: null, problem: null }) });
    await waitFor(() => expect(app.error?.code).toBe('io'));
    expect(screen.queryByTestId('insights-card-revenue')).toBeNull();
    expect(saveTable).not.toHaveBeenCalled();
  });

  it('reads in Chinese', async () => {
    setUiLanguage('zh');
    book();
    const view = await screen.findByTestId('insights-view');
    await within(view).findByTestId('insights-card-revenue');
    expect(within(view).getByRole('heading', { level: 1 })).toHaveTextContent('经营分析');
    expect(within(view).getByTestId('insights-card-aov')).toHaveTextContent('客单价');
    expect(within(view).getByTestId('insights-card-retention-change').querySelector('[aria-hidden]')?.textContent).toBe('↑ 12.5 个百分点');
    expect(within(view).getByTestId('insights-period-last-12-months')).toHaveTextContent('近 12 个月');
  });
});

describe('the campaigns of the Insights view', () => {
  const campaignsCard = () => screen.findByTestId('insights-chart-campaigns');

  it('tells the dealer what to do before any campaign or expense, and says when none falls in the period', async () => {
    book({ campaignResults: async () => [], expenses: async () => [] });
    const card = await campaignsCard();
    expect(within(card).getByTestId('insights-empty')).toHaveTextContent(
      'No campaigns yet. Add one with its day and cost, then name it on the contacts it reached (a mailing list written for it does that): Loupe counts who bought afterwards.',
    );
    expect(within(card).queryByRole('img')).toBeNull();
    expect(screen.getByTestId('insights-expenses')).toHaveTextContent('None in this period.');
    expect(screen.getByTestId('insights-campaigns')).toHaveTextContent('responded by buying within 30 days of its day, or by a reply, visit or purchase recorded on that contact');
    cleanup();
    const { user } = book();
    await user.click(await screen.findByTestId('insights-period-this-month'));
    // campaigns exist, none this month (1–15 March 2026)
    expect(within(await campaignsCard()).getByTestId('insights-empty')).toHaveTextContent('No campaign in this period.');
  });

  it('draws the period’s campaigns and lists its expenses with their total', async () => {
    book();
    const card = await campaignsCard();
    const chart = await waitFor(() => chartIn('campaigns'));
    const option = chart.getOption() as { yAxis: { data: string[] }[] };
    expect(option.yAxis[0].data).toEqual(['Spring letters', 'Autumn email', 'Trade show', 'First day']);
    expect(within(card).getByRole('heading', { level: 3 })).toHaveTextContent('Campaign results');
    const expenses = screen.getByTestId('insights-expenses');
    expect(within(expenses).getAllByTestId('insights-expense').map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      '1 Mar 2026 Fair stand £200.50',
      '12 Sept 2025 No note £49.50',
    ]);
    expect(within(expenses).getByTestId('insights-expenses-total')).toHaveTextContent('Total £250');
  });

  it('shows the campaigns’ numbers as a table and saves them as CSV where the dealer chooses', async () => {
    const chooseTableFile = vi.fn(async () => ({ token: 'tok', name: 'campaigns.csv' }));
    const saveTable = vi.fn(async () => '/home/dealer/campaigns.csv');
    const { app, user } = book({ chooseTableFile, saveTable });
    const card = await campaignsCard();
    await waitFor(() => expect(within(card).getByRole('img')).toBeInTheDocument());
    await user.click(within(card).getByTestId('insights-table-toggle'));
    const table = within(card).getByTestId('insights-table');
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual([
      'Campaign',
      'Channel',
      'Day',
      'Cost (GBP)',
      'Targeted',
      'Responded',
      'Response rate (%)',
      'Unsubscribed',
      'Revenue (GBP)',
      'Cost per order (GBP)',
    ]);
    const rows = within(table).getAllByRole('row').slice(1).map((row) => within(row).getAllByRole('cell').map((td) => td.textContent));
    expect(rows).toEqual([
      ['Spring letters', 'Post', '2026-02-01', '900.00', '3', '1', '33.3', '0', '4500.00', '900.00'],
      ['Autumn email', 'Email', '2025-10-10', '6.25', '400', '49', '12.2', '3', '61250.00', '0.12'],
      ['Trade show', 'Other', '2025-06-01', '1000.00', '0', '0', '', '0', '0.00', ''],
      ['First day', 'SMS', '2025-03-16', '0.00', '2', '0', '0.0', '0', '0.00', ''],
    ]);
    expect(within(card).queryByRole('img')).toBeNull();

    await user.click(within(card).getByTestId('insights-csv'));
    await waitFor(() => expect(saveTable).toHaveBeenCalled());
    expect(chooseTableFile).toHaveBeenCalledWith('loupe-insights-campaigns-2025-03-16-2026-03-15.csv', 'Save the numbers of “Campaign results”');
    expect(saveTable.mock.calls[0]).toEqual([{ columns: within(table).getAllByRole('columnheader').map((th) => th.textContent), rows }, 'tok']);
    expect(app.notice).toBe('Saved the numbers to /home/dealer/campaigns.csv.');
  });

  it('adds a campaign: its own checks and the core’s refusals beside their field, then everything read again', async () => {
    const addCampaign = vi
      .fn<Backend['addCampaign']>()
      .mockRejectedValueOnce({ code: 'invalid_input', message: 'taken', field: 'name', problem: { kind: 'listed_twice', value: 'Spring letters' } })
      .mockImplementationOnce(async (draft) => ({ id: 9, ...draft }));
    const { app, insights, results, user } = book({ addCampaign });
    await campaignsCard();
    await user.click(screen.getByTestId('insights-add-campaign'));
    const dialog = screen.getByTestId('campaign-dialog');
    expect(within(dialog).getByRole('heading')).toHaveTextContent('Add a campaign');
    const fieldError = (field: string) => dialog.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent?.trim();

    await user.type(within(dialog).getByTestId('campaign-name'), 'Spring letters');
    await user.clear(within(dialog).getByTestId('campaign-day'));
    await user.click(within(dialog).getByTestId('campaign-save'));
    expect(fieldError('run_on')).toBe('Enter the day.');
    expect(fieldError('cost')).toBe('Enter the amount (0 if it cost nothing).');
    expect(within(dialog).getByTestId('campaign-cost')).toHaveAttribute('aria-invalid', 'true');
    expect(addCampaign).not.toHaveBeenCalled();

    await user.type(within(dialog).getByTestId('campaign-day'), '01/02/2026');
    await user.type(within(dialog).getByTestId('campaign-cost'), '12,00,0');
    await user.click(within(dialog).getByTestId('campaign-save'));
    expect(fieldError('cost')).toBe('This is not an amount Loupe can read: write it as 9150, 9,150 or £9,150.00, grouping digits in threes.');
    expect(fieldError('run_on')).toBeUndefined();

    await user.clear(within(dialog).getByTestId('campaign-cost'));
    await user.type(within(dialog).getByTestId('campaign-cost'), '£1,250.50');
    await user.selectOptions(within(dialog).getByTestId('campaign-channel'), 'post');
    await user.type(within(dialog).getByTestId('campaign-notes'), ' Two hundred letters ');
    await user.click(within(dialog).getByTestId('campaign-save'));
    await waitFor(() => expect(fieldError('name')).toBe('Spring letters is listed twice.'));
    expect(fieldError('cost')).toBeUndefined();
    expect(addCampaign).toHaveBeenLastCalledWith({ name: 'Spring letters', channel: 'post', run_on: '2026-02-01', cost: '1250.50', notes: 'Two hundred letters' });

    const readsBefore = [insights.mock.calls.length, results.mock.calls.length];
    const name = within(dialog).getByTestId('campaign-name');
    await user.clear(name);
    await user.type(name, 'Summer letters');
    await user.click(within(dialog).getByTestId('campaign-save'));
    await waitFor(() => expect(screen.queryByTestId('campaign-dialog')).toBeNull());
    expect(addCampaign).toHaveBeenCalledTimes(2);
    expect(app.notice).toBe('Added the campaign “Summer letters”.');
    await waitFor(() => expect([insights.mock.calls.length, results.mock.calls.length]).toEqual([readsBefore[0] + 1, readsBefore[1] + 1]));
  });

  it('adds a marketing expense: its checks and the core’s refusals beside their field, then the marketing cost read again', async () => {
    const addExpense = vi
      .fn<Backend['addExpense']>()
      .mockRejectedValueOnce({ code: 'invalid_input', message: 'negative', field: 'amount', problem: { kind: 'negative_price' } })
      .mockImplementationOnce(async (draft) => ({ id: 4, ...draft }));
    const { app, insights, results, user } = book({ addExpense });
    await campaignsCard();
    await user.click(screen.getByTestId('insights-add-expense'));
    const dialog = screen.getByTestId('expense-dialog');
    const fieldError = (field: string) => dialog.querySelector(`[data-testid="field-error"][data-field="${field}"]`)?.textContent?.trim();
    // the day starts on today
    expect(within(dialog).getByTestId('expense-day')).toHaveValue('15/03/2026');
    await user.click(within(dialog).getByTestId('expense-save'));
    expect(fieldError('amount')).toBe('Enter the amount (0 if it cost nothing).');
    expect(fieldError('spent_on')).toBeUndefined();

    await user.type(within(dialog).getByTestId('expense-amount'), '-80');
    await user.type(within(dialog).getByTestId('expense-note'), 'Refund?');
    await user.click(within(dialog).getByTestId('expense-save'));
    await waitFor(() => expect(fieldError('amount')).toBe('A price cannot be negative.'));
    expect(addExpense).toHaveBeenLastCalledWith({ spent_on: '2026-03-15', amount: '-80.00', note: 'Refund?' });

    const readsBefore = [insights.mock.calls.length, results.mock.calls.length];
    const amount = within(dialog).getByTestId('expense-amount');
    await user.clear(amount);
    await user.type(amount, '350');
    const note = within(dialog).getByTestId('expense-note');
    await user.clear(note);
    await user.type(note, 'Watch fair stand');
    await user.click(within(dialog).getByTestId('expense-save'));
    await waitFor(() => expect(screen.queryByTestId('expense-dialog')).toBeNull());
    expect(addExpense).toHaveBeenLastCalledWith({ spent_on: '2026-03-15', amount: '350.00', note: 'Watch fair stand' });
    expect(app.notice).toBe('Added £350 of marketing on 15 Mar 2026.');
    await waitFor(() => expect([insights.mock.calls.length, results.mock.calls.length]).toEqual([readsBefore[0] + 1, readsBefore[1] + 1]));
  });

  it('reads in Chinese', async () => {
    setUiLanguage('zh');
    const { user } = book({ campaignResults: async () => [] });
    const section = await screen.findByTestId('insights-campaigns');
    expect(within(section).getByRole('heading', { level: 2 })).toHaveTextContent('营销活动与费用');
    expect(within(await campaignsCard()).getByTestId('insights-empty')).toHaveTextContent('还没有营销活动。');
    expect(section).toHaveTextContent('在活动当天起 30 天内购买');
    expect(within(screen.getByTestId('insights-expenses')).getByTestId('insights-expenses-total')).toHaveTextContent('合计 £250');
    await user.click(within(section).getByTestId('insights-add-expense'));
    const dialog = screen.getByTestId('expense-dialog');
    expect(within(dialog).getByRole('heading')).toHaveTextContent('添加营销费用');
    await user.click(within(dialog).getByTestId('expense-save'));
    expect(within(dialog).getByTestId('field-error')).toHaveTextContent('请填写金额（没有花费就填 0）。');
  });
});
