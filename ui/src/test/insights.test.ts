import { render, screen, waitFor, within } from '@testing-library/svelte';
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
import { quarter } from './insightsFixture';

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
  const backend = stubBackend({
    insights,
    savedSegments: async () => [],
    listTags: async () => [],
    getSettings: () => new FakeBackend().getSettings(),
    ...overrides,
  });
  const app = new AppState();
  const user = userEvent.setup();
  render(InApp, { props: { view: InsightsView, app, backend } });
  return { app, backend, insights, user };
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
