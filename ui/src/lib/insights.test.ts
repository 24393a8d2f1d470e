import { afterEach, describe, expect, it } from 'vitest';
import { setUiLanguage } from './i18n/index.svelte';
import {
  PRESETS,
  STAGE_BANDS,
  campaignTable,
  campaignsInPeriod,
  change,
  chartTable,
  checkPeriod,
  cohortPercent,
  expensesInPeriod,
  expensesTotal,
  insightDecimal,
  insightMoney,
  insightPercent,
  monthDays,
  presetPeriod,
  readMarketingAmount,
  readMarketingDay,
  stageBandText,
  tableFileName,
} from './insights';
import { campaignResults, marketingExpenses, quarter } from '../test/insightsFixture';

afterEach(() => setUiLanguage('en'));

const periods = (today: string) => Object.fromEntries(PRESETS.map((preset) => [preset, presetPeriod(preset, today)]));

describe('the period presets', () => {
  it('run from the first day of the month, quarter and year to today, and over the last twelve months', () => {
    expect(periods('2026-05-17')).toEqual({
      'this-month': { from: '2026-05-01', to: '2026-05-17' },
      'this-quarter': { from: '2026-04-01', to: '2026-05-17' },
      'this-year': { from: '2026-01-01', to: '2026-05-17' },
      'last-12-months': { from: '2025-05-18', to: '2026-05-17' },
    });
  });

  it('hold a single day on the first day of a year, and the last quarter to the last day of the year', () => {
    expect(periods('2026-01-01')).toEqual({
      'this-month': { from: '2026-01-01', to: '2026-01-01' },
      'this-quarter': { from: '2026-01-01', to: '2026-01-01' },
      'this-year': { from: '2026-01-01', to: '2026-01-01' },
      'last-12-months': { from: '2025-01-02', to: '2026-01-01' },
    });
    expect(presetPeriod('this-quarter', '2026-12-31')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(presetPeriod('this-quarter', '2026-04-01')).toEqual({ from: '2026-04-01', to: '2026-04-01' });
    expect(presetPeriod('this-quarter', '2026-09-30')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
  });

  it('count the last twelve months across 29 February: 366 days in a leap year, none skipped', () => {
    // 29 Feb 2023 does not exist: a year before is 28 Feb, and the period starts the day after.
    expect(presetPeriod('last-12-months', '2024-02-29')).toEqual({ from: '2023-03-01', to: '2024-02-29' });
    expect(presetPeriod('last-12-months', '2025-02-28')).toEqual({ from: '2024-02-29', to: '2025-02-28' });
    expect(presetPeriod('this-month', '2024-02-29')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });

  it('check a custom period as the core does: both days real, the end not before the start', () => {
    expect(checkPeriod('2026-01-01', '2026-03-31')).toEqual({ period: { from: '2026-01-01', to: '2026-03-31' } });
    expect(checkPeriod('2026-03-01', '2026-03-01')).toEqual({ period: { from: '2026-03-01', to: '2026-03-01' } });
    expect(checkPeriod('2026-03-02', '2026-03-01')).toEqual({ field: 'to', problem: 'The period ends before it begins.' });
    expect(checkPeriod('2026-02-30', '2026-03-01')).toEqual({ field: 'from', problem: '“2026-02-30” is not a date.' });
    expect(checkPeriod('2026-01-01', 'soon')).toEqual({ field: 'to', problem: '“soon” is not a date.' });
    expect(checkPeriod(null, '2026-01-01')).toMatchObject({ field: 'from' });
  });
});

describe('the headline numbers', () => {
  it('round money half to even to the currency’s minor unit, for display only', () => {
    expect(insightMoney('47.625', 'GBP')).toBe('£47.62');
    expect(insightMoney('47.635', 'GBP')).toBe('£47.64');
    expect(insightMoney('47.619047619047619047619047619', 'GBP')).toBe('£47.62');
    expect(insightMoney('21000', 'GBP')).toBe('£21,000');
    expect(insightMoney('1234.5', 'JPY')).toBe('JP¥1,234');
    expect(insightMoney(null, 'GBP')).toBe('—');
  });

  it('round percentages and decimals half to even to one decimal', () => {
    expect(insightPercent('47.619047619047619047619047619')).toBe('47.6%');
    expect(insightPercent('12.25')).toBe('12.2%');
    expect(insightPercent('12.35')).toBe('12.4%');
    expect(insightPercent('70')).toBe('70.0%');
    expect(insightPercent(null)).toBe('—');
    expect(insightDecimal('8.5225')).toBe('8.5');
    expect(insightDecimal('2.25')).toBe('2.2');
    expect(insightDecimal('1234.56')).toBe('1,234.6');
    setUiLanguage('zh');
    expect(insightPercent('66.666666666666666666666666667')).toBe('66.7%');
  });

  it('give the change against the period before, or a dash when there is nothing to compare', () => {
    expect(change('21000', '16800')).toEqual({ direction: 'up', text: '↑ 25.0%' });
    expect(change('1000', '1200')).toEqual({ direction: 'down', text: '↓ 16.7%' });
    expect(change(21, 14)).toEqual({ direction: 'up', text: '↑ 50.0%' });
    expect(change(5, 5)).toEqual({ direction: 'same', text: 'no change' });
    // rates move by percentage points
    expect(change('62.5', '50', { points: true })).toEqual({ direction: 'up', text: '↑ 12.5 pts' });
    expect(change('70', '100', { points: true })).toEqual({ direction: 'down', text: '↓ 30.0 pts' });
    expect(change(3, 0)).toEqual({ direction: 'none', text: '—' });
    expect(change('4.25', null)).toEqual({ direction: 'none', text: '—' });
    expect(change(null, '50', { points: true })).toEqual({ direction: 'none', text: '—' });
    setUiLanguage('zh');
    expect(change('62.5', '50', { points: true }).text).toBe('↑ 12.5 个百分点');
  });

  it('name seed 004’s stage bands in both languages', () => {
    expect(STAGE_BANDS.map(stageBandText)).toEqual(['Starting shop: 5–10%', 'Loyal customers: over 5%', 'Advanced stage: over 10%']);
    setUiLanguage('zh');
    expect(STAGE_BANDS.map(stageBandText)).toEqual(['起步阶段：5–10%', '中级阶段（忠实客户）：5% 以上', '高级阶段：10% 以上']);
  });
});

describe('each chart’s numbers as a table', () => {
  const insights = quarter();

  it('lists the months with plain decimals for a spreadsheet', () => {
    expect(chartTable('monthly', insights)).toEqual({
      columns: ['Month', 'Revenue (GBP)', 'Purchases', 'Buyers'],
      rows: [
        ['2026-01', '8000', '8', '5'],
        ['2026-02', '6000', '6', '4'],
        ['2026-03', '7000', '7', '6'],
      ],
    });
    expect(chartTable('csat', insights).rows).toEqual([
      ['2026-01', '4.50', '2'],
      ['2026-02', '', '0'],
      ['2026-03', '4.00', '2'],
    ]);
  });

  it('gives a month’s bar the days of that month within the period, February of a leap year whole', () => {
    const period = { from: '2025-03-16', to: '2026-03-15' };
    expect(monthDays('2025-03', period)).toEqual({ from: '2025-03-16', to: '2025-03-31' });
    expect(monthDays('2024-02', { from: '2024-01-01', to: '2024-12-31' })).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthDays('2025-12', period)).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(monthDays('2026-03', period)).toEqual({ from: '2026-03-01', to: '2026-03-15' });
  });

  it('keeps every segment, the best first, with zero for the empty ones', () => {
    expect(chartTable('segments', insights)).toEqual({
      columns: ['Segment', 'Customers'],
      rows: [
        ['VIP', '2'],
        ['Regular', '5'],
        ['New', '3'],
        ['At risk', '0'],
        ['Lapsed', '1'],
        ['Prospect', '0'],
      ],
    });
    expect(chartTable('tiers', insights).rows).toEqual([
      ['Member', '6'],
      ['Gold', '2'],
    ]);
  });

  it('gives each cohort its active customers per month since, blank where it has not reached', () => {
    expect(chartTable('cohorts', insights)).toEqual({
      columns: ['Cohort', 'Customers', 'Month 0', 'Month 1', 'Month 2'],
      rows: [
        ['2026-01', '2', '2', '1', '1'],
        ['2026-03', '1', '1', '', ''],
      ],
    });
    expect(cohortPercent(1, 3)).toBe('33.3');
    expect(cohortPercent(2, 3)).toBe('66.7');
    expect(cohortPercent(1, 8)).toBe('12.5');
  });

  it('names categories in the window’s language', () => {
    expect(chartTable('categories', insights)).toEqual({
      columns: ['Category', 'Revenue (GBP)', 'Pieces'],
      rows: [
        ['Watch', '15000', '11'],
        ['Ring', '6000', '10'],
      ],
    });
    setUiLanguage('zh');
    expect(chartTable('categories', insights).columns).toEqual(['品类', '营业额（GBP）', '件数']);
    expect(chartTable('categories', insights).rows.map((row) => row[0])).toEqual(['腕表', '戒指']);
    expect(chartTable('brands', insights).rows).toEqual([
      ['Rolex', '12000', '9'],
      ['Cartier', '9000', '12'],
    ]);
  });

  it('offers a file named after the chart and the period', () => {
    expect(tableFileName('brands', { from: '2026-01-01', to: '2026-03-31' })).toBe('loupe-insights-brands-2026-01-01-2026-03-31.csv');
  });
});

describe('the campaigns and other marketing spend of a period', () => {
  const year = { from: '2025-03-16', to: '2026-03-15' };

  it('keep the campaigns and expenses dated in the period, its first day in and the day before out', () => {
    expect(campaignsInPeriod(campaignResults(), year).map((r) => r.name)).toEqual(['Spring letters', 'Autumn email', 'Trade show', 'First day']);
    expect(campaignsInPeriod(campaignResults(), { from: '2026-02-02', to: '2026-03-15' })).toEqual([]);
    expect(campaignsInPeriod(campaignResults(), { from: '2026-02-01', to: '2026-02-01' }).map((r) => r.id)).toEqual([1]);
    const spent = expensesInPeriod(marketingExpenses(), year);
    expect(spent.map((e) => e.id)).toEqual([3, 2]);
    expect(expensesTotal(spent)).toBe('250');
    expect(expensesTotal([])).toBe('0');
  });

  it('tabulate each campaign with money to the minor unit and the rate to one decimal, half to even, blank where it rests on nothing', () => {
    expect(campaignTable(campaignsInPeriod(campaignResults(), year), 'GBP')).toEqual({
      columns: ['Campaign', 'Channel', 'Day', 'Cost (GBP)', 'Targeted', 'Responded', 'Response rate (%)', 'Unsubscribed', 'Revenue (GBP)', 'Cost per order (GBP)'],
      rows: [
        ['Spring letters', 'Post', '2026-02-01', '900.00', '3', '1', '33.3', '0', '4500.00', '900.00'],
        ['Autumn email', 'Email', '2025-10-10', '6.25', '400', '49', '12.2', '3', '61250.00', '0.12'],
        ['Trade show', 'Other', '2025-06-01', '1000.00', '0', '0', '', '0', '0.00', ''],
        ['First day', 'SMS', '2025-03-16', '0.00', '2', '0', '0.0', '0', '0.00', ''],
      ],
    });
    // yen have no minor unit: 0.125 rounds to 0
    expect(campaignTable(campaignResults().slice(1, 2), 'JPY').rows[0].slice(3)).toEqual(['6', '400', '49', '12.2', '3', '61250', '0']);
    expect(campaignTable([], 'GBP').rows).toEqual([]);
    setUiLanguage('zh');
    expect(campaignTable(campaignResults().slice(0, 1), 'GBP')).toEqual({
      columns: ['营销活动', '渠道', '日期', '费用（GBP）', '触达', '回应', '回应率（%）', '退订', '营业额（GBP）', '每单成本（GBP）'],
      rows: [['Spring letters', '邮寄', '2026-02-01', '900.00', '3', '1', '33.3', '0', '4500.00', '900.00']],
    });
    expect(tableFileName('campaigns', year)).toBe('loupe-insights-campaigns-2025-03-16-2026-03-15.csv');
  });

  it('read a day and an amount as typed for the dialogs, or say what is wrong', () => {
    expect(readMarketingDay('2026-02-28')).toEqual({ day: '2026-02-28' });
    expect(readMarketingDay(null)).toEqual({ problem: 'Enter the day.' });
    expect(readMarketingDay('2026-02-29')).toEqual({ problem: '“2026-02-29” is not a date.' });
    expect(readMarketingAmount('£1,200.50')).toEqual({ amount: '1200.50' });
    expect(readMarketingAmount('0')).toEqual({ amount: '0' });
    expect(readMarketingAmount('  ')).toEqual({ problem: 'Enter the amount (0 if it cost nothing).' });
    expect(readMarketingAmount('12,00,0')).toEqual({ problem: 'This is not an amount Loupe can read: write it as 9150, 9,150 or £9,150.00, grouping digits in threes.' });
    setUiLanguage('zh');
    expect(readMarketingDay('')).toEqual({ problem: '请填写日期。' });
  });
});
