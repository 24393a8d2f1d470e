import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chartLocale, echarts, readPalette } from './charts';
import { setUiLanguage } from './i18n/index.svelte';
import { brandsOption, campaignsOption, categoriesOption, cohortsOption, csatOption, monthlyOption, segmentsOption, tiersOption } from './insights-charts';
import { campaignResults, quarter } from '../test/insightsFixture';

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

  it('keep a brand typed with markup as text in its tooltip', () => {
    const typed = { ...insights, brands: [{ name: '<img src=x onerror=alert(1)>', revenue: '12000', pieces: 2 }] };
    const tip = (brandsOption(typed, palette) as unknown as { tooltip: { formatter: (p: { dataIndex: number }) => string } }).tooltip.formatter({ dataIndex: 0 });
    expect(tip).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(tip).not.toContain('<img');
  });

  it('plot satisfaction on the 1–5 scale with a gap for a month without scores', () => {
    const option = csatOption(insights, palette) as unknown as Loose & { yAxis: { min: number; max: number } };
    expect(option.series[0].data).toEqual([4.5, null, 4]);
    expect([option.yAxis.min, option.yAxis.max]).toEqual([1, 5]);
  });
});

describe('the campaign results chart', () => {
  // The four campaigns of the last twelve months, newest first.
  const results = campaignResults().slice(0, 4);
  type Labelled = { label: { formatter: (p: { dataIndex: number }) => string } };
  type Tipped = { tooltip: { formatter: (p: { dataIndex: number }[]) => string }; legend: { data: string[] } };

  it('draws targeted and responded as bars per campaign, newest on top, the response rate at the end of the responded bar', () => {
    const option = campaignsOption(results, 'GBP', palette) as unknown as Loose & Tipped;
    expect(option.title.text).toBe('Campaign results');
    expect((option.yAxis as { data: string[]; inverse: boolean }).data).toEqual(['Spring letters', 'Autumn email', 'Trade show', 'First day']);
    expect((option.yAxis as { inverse: boolean }).inverse).toBe(true);
    expect(option.legend.data).toEqual(['Targeted', 'Responded']);
    expect(option.series.map((s) => [s.type, s.name, s.data])).toEqual([
      ['bar', 'Targeted', [3, 400, 0, 2]],
      ['bar', 'Responded', [1, 49, 0, 0]],
    ]);
    const label = (option.series[1] as unknown as Labelled).label.formatter;
    // 12.25% rounds half to even; a campaign that reached nobody has no rate
    expect(results.map((_, dataIndex) => label({ dataIndex }))).toEqual(['33.3%', '12.2%', '—', '0.0%']);
  });

  it('tells a campaign’s channel, day, reach and money in its tooltip, the dealer’s name made inert', () => {
    const tip = (list: typeof results, dataIndex: number) => (campaignsOption(list, 'GBP', palette) as unknown as Tipped).tooltip.formatter([{ dataIndex }]);
    expect(tip(results, 0)).toBe(
      '<strong>Spring letters</strong><br>Post · 1 Feb 2026<br>Targeted 3 · responded 1 (33.3%)<br>Revenue £4,500 · cost £900 · per order £900',
    );
    expect(tip(results, 1)).toBe(
      '<strong>Autumn email</strong><br>Email · 10 Oct 2025<br>Targeted 400 · responded 49 (12.2%)<br>Revenue £61,250 · cost £6.25 · per order £0.12',
    );
    expect(tip(results, 2)).toContain('Targeted 0 · responded 0 (—)<br>Revenue £0 · cost £1,000 · per order —');
    const named = [{ ...results[0], name: 'Fair <img src=x> & co' }];
    expect(tip(named, 0).startsWith('<strong>Fair &lt;img src=x&gt; &amp; co</strong>')).toBe(true);
  });

  it('speaks Chinese', () => {
    setUiLanguage('zh');
    const option = campaignsOption(results, 'GBP', palette) as unknown as Loose & Tipped;
    expect(option.title.text).toBe('营销活动效果');
    expect(option.legend.data).toEqual(['触达', '回应']);
    expect(option.tooltip.formatter([{ dataIndex: 0 }])).toContain('<br>邮寄 · 2026年2月1日<br>触达 3 · 回应 1（33.3%）');
  });

  it('renders as an SVG string with every campaign’s name and rate', () => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 720, height: 240, locale: chartLocale('en') });
    chart.setOption(campaignsOption(results, 'GBP', palette));
    const svg = chart.renderToSVGString();
    chart.dispose();
    for (const text of ['Spring letters', 'Autumn email', 'Trade show', 'First day', '33.3%', '12.2%', 'Targeted', 'Responded']) expect(svg).toContain(`>${text}<`);
    // the responded bars in the accent, the targeted ones in the link colour
    expect(svg).toContain('fill="#b08d3c"');
    expect(svg).toContain('fill="#23477a"');
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
