/**
 * Each Insights chart as an ECharts option, built from the core's figures alone (pure: the same
 * Insights, palette and language give the same option), so the tests read a chart's data
 * without drawing it. Every chart carries a title (not drawn: the card's heading shows it) that
 * names it in the description ECharts writes for screen readers.
 */
import type { CampaignResult } from './bindings/CampaignResult';
import type { Insights } from './bindings/Insights';
import type { RankedTotal } from './bindings/RankedTotal';
import type { ChartOption, ChartPalette } from './charts';
import { echarts, resolveColour } from './charts';
import { formatCount, formatShortDate } from './format';
import { intlLocale, t } from './i18n/index.svelte';
import { categoryName, cohortMonths, cohortPercent, insightDecimal, insightMoney, insightPercent, monthLabel, segmentRows } from './insights';
import { tierName } from './membership';
import { segmentTone } from './standing';

/** What every chart shares: the theme's text, a quiet grid, a tooltip on the surface colour, ARIA on. */
function base(title: string, palette: ChartPalette): ChartOption {
  return {
    title: { text: title, show: false },
    aria: { enabled: true },
    textStyle: { fontFamily: palette.font, color: palette.text },
    animationDuration: 300,
    tooltip: {
      backgroundColor: palette.surface,
      borderColor: palette.grid,
      textStyle: { color: palette.text, fontFamily: palette.font },
      confine: true,
    },
  };
}

/** An axis's money in few characters ("£12K", "£1.2万"), so the ticks of a narrow chart never collide. */
function axisMoney(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(intlLocale(), { style: 'currency', currency, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }).format(value);
  } catch {
    return formatCount(value);
  }
}

function axisStyle(palette: ChartPalette) {
  return {
    axisLine: { lineStyle: { color: palette.grid } },
    axisTick: { show: false },
    axisLabel: { color: palette.muted },
    splitLine: { lineStyle: { color: palette.grid } },
  };
}

/** Revenue as bars on the left axis, purchases as a line on the right one. */
export function monthlyOption(insights: Insights, palette: ChartPalette): ChartOption {
  const money = (value: unknown) => insightMoney(String(value), insights.currency);
  const revenueName = t('insights.series.revenue');
  const purchasesName = t('insights.series.purchases');
  return {
    ...base(t('insights.chart.monthly'), palette),
    tooltip: { ...base('', palette).tooltip, trigger: 'axis' },
    legend: { top: 0, textStyle: { color: palette.text }, data: [revenueName, purchasesName] },
    grid: { left: 8, right: 8, top: 36, bottom: 8 },
    xAxis: { type: 'category', data: insights.monthly.map((row) => monthLabel(row.month)), ...axisStyle(palette), splitLine: { show: false } },
    yAxis: [
      { type: 'value', name: '', ...axisStyle(palette), axisLabel: { color: palette.muted, formatter: (v: number) => axisMoney(v, insights.currency) } },
      { type: 'value', name: '', minInterval: 1, ...axisStyle(palette), splitLine: { show: false } },
    ],
    series: [
      {
        type: 'bar',
        name: revenueName,
        yAxisIndex: 0,
        itemStyle: { color: palette.primary, borderRadius: [3, 3, 0, 0] },
        data: insights.monthly.map((row) => Number(row.revenue)),
        tooltip: { valueFormatter: (v) => money(v) },
      },
      {
        type: 'line',
        name: purchasesName,
        yAxisIndex: 1,
        itemStyle: { color: palette.secondary },
        lineStyle: { color: palette.secondary, width: 2 },
        symbolSize: 6,
        data: insights.monthly.map((row) => row.purchases),
        tooltip: { valueFormatter: (v) => formatCount(Number(v)) },
      },
    ],
  };
}

/** Vertical bars with a category axis, one colour per bar: what the segment and tier charts share. */
function countBars(title: string, labels: string[], counts: number[], colours: string[], palette: ChartPalette): ChartOption {
  return {
    ...base(title, palette),
    tooltip: { ...base('', palette).tooltip, trigger: 'item', valueFormatter: (v) => t('insights.customers', { count: Number(v) }) },
    grid: { left: 8, right: 8, top: 12, bottom: 8 },
    xAxis: { type: 'category', data: labels, ...axisStyle(palette), axisLabel: { color: palette.text, interval: 0 }, splitLine: { show: false } },
    yAxis: { type: 'value', minInterval: 1, ...axisStyle(palette) },
    series: [
      {
        type: 'bar',
        name: title,
        cursor: 'pointer',
        barMaxWidth: 48,
        data: counts.map((count, i) => ({ value: count, itemStyle: { color: colours[i], borderRadius: [3, 3, 0, 0] } })),
      },
    ],
  };
}

/** Customers per segment, each bar in its segment's colour (the text colour of its chip). */
export function segmentsOption(insights: Insights, palette: ChartPalette): ChartOption {
  const rows = segmentRows(insights);
  return countBars(
    t('insights.chart.segments'),
    rows.map((row) => t(`segment.${row.segment}`)),
    rows.map((row) => row.count),
    rows.map((row) => resolveColour(palette, segmentTone(row.segment).fg)),
    palette,
  );
}

/** Members per tier, lowest first, as the programme lists them. */
export function tiersOption(insights: Insights, palette: ChartPalette): ChartOption {
  return countBars(
    t('insights.chart.tiers'),
    insights.tiers.map((row) => tierName(row.tier)),
    insights.tiers.map((row) => row.count),
    insights.tiers.map(() => palette.primary),
    palette,
  );
}

/**
 * The cohort retention heatmap: a row per cohort (the month of first purchase, oldest on top),
 * a column per month since, each cell the percentage of the cohort who bought that month, its
 * count in the tooltip.
 */
export function cohortsOption(insights: Insights, palette: ChartPalette): ChartOption {
  const months = cohortMonths(insights);
  const cells: [number, number, number][] = [];
  insights.cohorts.forEach((cohort, row) => {
    cohort.active.forEach((active, col) => cells.push([col, row, Number(cohortPercent(active, cohort.customers))]));
  });
  const cohortNames = insights.cohorts.map((c) => monthLabel(c.cohort));
  return {
    ...base(t('insights.chart.cohorts'), palette),
    tooltip: {
      ...base('', palette).tooltip,
      trigger: 'item',
      formatter: (params) => {
        const [col, row, percent] = (Array.isArray(params) ? params[0] : params).value as [number, number, number];
        const cohort = insights.cohorts[row];
        return t('insights.cohortTip', {
          cohort: cohortNames[row],
          n: col,
          active: formatCount(cohort.active[col]),
          customers: formatCount(cohort.customers),
          percent: insightPercent(String(percent)),
        });
      },
    },
    grid: { left: 8, right: 8, top: 30, bottom: 32 },
    xAxis: {
      type: 'category',
      data: Array.from({ length: months }, (_, i) => String(i)),
      name: t('insights.monthsSince'),
      nameLocation: 'middle',
      nameGap: 24,
      nameTextStyle: { color: palette.muted },
      ...axisStyle(palette),
      splitLine: { show: false },
    },
    yAxis: { type: 'category', data: cohortNames, inverse: true, ...axisStyle(palette), splitLine: { show: false } },
    visualMap: {
      min: 0,
      max: 100,
      calculable: false,
      orient: 'horizontal',
      right: 0,
      top: 0,
      itemHeight: 120,
      itemWidth: 10,
      text: ['100%', '0%'],
      textStyle: { color: palette.muted },
      inRange: { color: [palette.low, palette.high] },
    },
    series: [
      {
        type: 'heatmap',
        name: t('insights.chart.cohorts'),
        data: cells,
        label: { show: months <= 13, color: palette.text, formatter: (p) => `${Math.round((p.value as number[])[2])}` },
        itemStyle: { borderColor: palette.surface, borderWidth: 1 },
      },
    ],
  };
}

/** Horizontal bars of revenue, highest on top (top brands, categories). */
function rankedBars(title: string, rows: RankedTotal[], label: (name: string) => string, colour: string, insights: Insights, palette: ChartPalette): ChartOption {
  return {
    ...base(title, palette),
    tooltip: {
      ...base('', palette).tooltip,
      trigger: 'item',
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const row = rows[p.dataIndex];
        // A brand is the dealer's text and the tooltip is HTML.
        return echarts.format.encodeHTML(
          t('insights.rankedTip', { name: label(row.name), revenue: insightMoney(row.revenue, insights.currency), count: row.pieces }),
        );
      },
    },
    grid: { left: 8, right: 16, top: 8, bottom: 8 },
    xAxis: { type: 'value', ...axisStyle(palette), axisLabel: { color: palette.muted, formatter: (v: number) => axisMoney(v, insights.currency) } },
    yAxis: { type: 'category', inverse: true, data: rows.map((row) => label(row.name)), ...axisStyle(palette), axisLabel: { color: palette.text, width: 120, overflow: 'truncate' }, splitLine: { show: false } },
    series: [
      {
        type: 'bar',
        name: title,
        barMaxWidth: 22,
        itemStyle: { color: colour, borderRadius: [0, 3, 3, 0] },
        data: rows.map((row) => Number(row.revenue)),
      },
    ],
  };
}

export function brandsOption(insights: Insights, palette: ChartPalette): ChartOption {
  return rankedBars(t('insights.chart.brands'), insights.brands, (name) => name, palette.primary, insights, palette);
}

export function categoriesOption(insights: Insights, palette: ChartPalette): ChartOption {
  return rankedBars(t('insights.chart.categories'), insights.categories, categoryName, palette.secondary, insights, palette);
}

/** The mean score per month on the 1–5 scale; a month without scores leaves a gap. */
export function csatOption(insights: Insights, palette: ChartPalette): ChartOption {
  return {
    ...base(t('insights.chart.csat'), palette),
    tooltip: {
      ...base('', palette).tooltip,
      trigger: 'axis',
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const row = insights.monthly[p.dataIndex];
        return row.csat === null
          ? t('insights.csatTipNone', { month: monthLabel(row.month) })
          : t('insights.csatTip', { month: monthLabel(row.month), score: insightDecimal(row.csat), count: row.csat_scores });
      },
    },
    grid: { left: 8, right: 16, top: 12, bottom: 8 },
    xAxis: { type: 'category', data: insights.monthly.map((row) => monthLabel(row.month)), ...axisStyle(palette), splitLine: { show: false } },
    yAxis: { type: 'value', min: 1, max: 5, interval: 1, ...axisStyle(palette) },
    series: [
      {
        type: 'line',
        name: t('insights.chart.csat'),
        connectNulls: false,
        symbolSize: 7,
        itemStyle: { color: palette.primary },
        lineStyle: { color: palette.primary, width: 2 },
        data: insights.monthly.map((row) => (row.csat === null ? null : Number(row.csat))),
      },
    ],
  };
}

/**
 * Campaign results: per campaign (newest on top), the customers it targeted and those who
 * responded as two bars, the response rate written at the end of the responded bar; the
 * tooltip adds its channel, day, revenue, cost and cost per order.
 */
export function campaignsOption(results: CampaignResult[], currency: string, palette: ChartPalette): ChartOption {
  const targetedName = t('insights.series.targeted');
  const respondedName = t('insights.series.responded');
  const money = (amount: string | null) => insightMoney(amount, currency);
  return {
    ...base(t('insights.chart.campaigns'), palette),
    tooltip: {
      ...base('', palette).tooltip,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const campaign = results[p.dataIndex];
        const { targeted, responded, response_rate, revenue, cost_per_order } = campaign;
        // The name is the dealer's text and the tooltip is HTML.
        const encode = echarts.format.encodeHTML;
        return [
          `<strong>${encode(campaign.name)}</strong>`,
          encode(t('insights.campaignTip.when', { channel: t(`insights.channel.${campaign.channel}`), day: formatShortDate(campaign.run_on) })),
          encode(t('insights.campaignTip.reach', { targeted: formatCount(targeted), responded: formatCount(responded), rate: insightPercent(response_rate) })),
          encode(t('insights.campaignTip.money', { revenue: money(revenue), cost: money(campaign.cost), perOrder: money(cost_per_order) })),
        ].join('<br>');
      },
    },
    legend: { top: 0, textStyle: { color: palette.text }, data: [targetedName, respondedName] },
    grid: { left: 8, right: 56, top: 32, bottom: 8 },
    xAxis: { type: 'value', minInterval: 1, ...axisStyle(palette) },
    yAxis: {
      type: 'category',
      inverse: true,
      data: results.map((result) => result.name),
      ...axisStyle(palette),
      axisLabel: { color: palette.text, width: 140, overflow: 'truncate' },
      splitLine: { show: false },
    },
    series: [
      {
        type: 'bar',
        name: targetedName,
        barMaxWidth: 16,
        itemStyle: { color: palette.secondary, borderRadius: [0, 3, 3, 0] },
        data: results.map((result) => result.targeted),
      },
      {
        type: 'bar',
        name: respondedName,
        barMaxWidth: 16,
        itemStyle: { color: palette.primary, borderRadius: [0, 3, 3, 0] },
        label: { show: true, position: 'right', color: palette.text, formatter: (p) => insightPercent(results[p.dataIndex].response_rate) },
        data: results.map((result) => result.responded),
      },
    ],
  };
}
