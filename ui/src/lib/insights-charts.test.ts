import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chartLocale, echarts, readPalette } from './charts';
import { setUiLanguage } from './i18n/index.svelte';
import { brandsOption, categoriesOption, cohortsOption, csatOption, monthlyOption, segmentsOption, tiersOption } from './insights-charts';
import { quarter } from '../test/insightsFixture';

afterEach(() => setUiLanguage('en'));

// Neither Node nor jsdom measures text: a fixed width per character lays labels out.
beforeAll(() => echarts.setPlatformAPI({ measureText: (text: string) => ({ width: text.length * 7 }) }));

const palette = readPalette();
const insights = quarter();

/** The parts of an option the tests read, without ECharts' wide union types. */
type Loose = { series: { type: string; name?: string; data: unknown[]; yAxisIndex?: number }[]; xAxis: { data?: string[] }; yAxis: { data?: string[] } | unknown[]; title: { text: string } };
const loose = (option: unknown) => option as Loose;

describe('the Insights charts’ options', () => {
  it('draw revenue as bars on the left axis and purchases as a line on the right one', () => {
    const option = loose(monthlyOption(insights, palette));
    expect(option.xAxis.data).toEqual(['Jan 2026', 'Feb 2026', 'Mar 2026']);
    expect(option.series.map((s) => [s.type, s.name, s.yAxisIndex])).toEqual([
      ['bar', 'Revenue', 0],
      ['line', 'Purchases', 1],
    ]);
    expect(option.series[0].data).toEqual([8000, 6000, 7000]);
    expect(option.series[1].data).toEqual([8, 6, 7]);
    expect(option.yAxis).toHaveLength(2);
  });

  it('colour each segment’s bar as its chip, every segment in the window’s order', () => {
    const option = loose(segmentsOption(insights, palette));
    expect(option.xAxis.data).toEqual(['VIP', 'Regular', 'New', 'At risk', 'Lapsed', 'Prospect']);
    expect(option.series[0].data).toEqual([
      { value: 2, itemStyle: { color: '#7a5a12', borderRadius: [3, 3, 0, 0] } },
      { value: 5, itemStyle: { color: '#2b5a38', borderRadius: [3, 3, 0, 0] } },
      { value: 3, itemStyle: { color: '#22406b', borderRadius: [3, 3, 0, 0] } },
      { value: 0, itemStyle: { color: '#8c1d18', borderRadius: [3, 3, 0, 0] } },
      { value: 1, itemStyle: { color: '#667085', borderRadius: [3, 3, 0, 0] } },
      { value: 0, itemStyle: { color: '#33405a', borderRadius: [3, 3, 0, 0] } },
    ]);
    const tiers = loose(tiersOption(insights, palette));
    expect(tiers.xAxis.data).toEqual(['Member', 'Gold']);
    expect((tiers.series[0].data as { value: number }[]).map((d) => d.value)).toEqual([6, 2]);
  });

  it('fill the cohort heatmap with the share of each cohort active per month since, one cell per month reached', () => {
    const option = loose(cohortsOption(insights, palette));
    expect(option.xAxis.data).toEqual(['0', '1', '2']);
    expect((option.yAxis as { data: string[] }).data).toEqual(['Jan 2026', 'Mar 2026']);
    // [month since, cohort row, % of the cohort]
    expect(option.series[0].data).toEqual([
      [0, 0, 100],
      [1, 0, 50],
      [2, 0, 50],
      [0, 1, 100],
    ]);
  });

  it('rank brands and categories as horizontal bars, categories named in the window’s language', () => {
    const brands = loose(brandsOption(insights, palette));
    expect((brands.yAxis as { data: string[] }).data).toEqual(['Rolex', 'Cartier']);
    expect(brands.series[0].data).toEqual([12000, 9000]);
    setUiLanguage('zh');
    const categories = loose(categoriesOption(insights, palette));
    expect((categories.yAxis as { data: string[] }).data).toEqual(['腕表', '戒指']);
    expect(categories.title.text).toBe('品类排行');
  });

  it('plot satisfaction on the 1–5 scale with a gap for a month without scores', () => {
    const option = csatOption(insights, palette) as unknown as Loose & { yAxis: { min: number; max: number } };
    expect(option.series[0].data).toEqual([4.5, null, 4]);
    expect([option.yAxis.min, option.yAxis.max]).toEqual([1, 5]);
  });
});

describe('a chart drawn', () => {
  it('renders as an SVG string without a DOM (server-side), with its data and labels', () => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 320, locale: chartLocale('en') });
    chart.setOption(segmentsOption(insights, palette));
    const svg = chart.renderToSVGString();
    chart.dispose();
    expect(svg.startsWith('<svg')).toBe(true);
    for (const label of ['VIP', 'Regular', 'At risk', 'Prospect']) expect(svg).toContain(`>${label}<`);
    // six bars, the VIP one in its chip's colour
    expect(svg).toContain('fill="#7a5a12"');
  });

  it('describes itself to screen readers by its title and data, in Chinese too', () => {
    const el = document.createElement('div');
    document.body.append(el);
    const chart = echarts.init(el, null, { renderer: 'svg', width: 640, height: 320, locale: chartLocale('en') });
    chart.setOption(segmentsOption(insights, palette));
    expect(el.getAttribute('role')).toBe('img');
    expect(el.getAttribute('aria-label')).toContain('Customers by segment');
    expect(el.getAttribute('aria-label')).toContain('VIP');
    chart.dispose();

    setUiLanguage('zh');
    const zh = echarts.init(el, null, { renderer: 'svg', width: 640, height: 320, locale: chartLocale('zh') });
    zh.setOption(segmentsOption(insights, palette));
    expect(el.getAttribute('aria-label')).toContain('各分群客户数');
    expect(el.getAttribute('aria-label')).toContain('贵宾');
    // ECharts' own Chinese words around them
    expect(el.getAttribute('aria-label')).toContain('这是一个关于');
    zh.dispose();
    el.remove();
  });
});
