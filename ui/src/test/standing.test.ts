import { afterEach, describe, expect, it } from 'vitest';
import { defaultStandingRules } from '../lib/audience';
import type { StandingReason } from '../lib/bindings/StandingReason';
import { setBookRegion, setUiLanguage } from '../lib/i18n/index.svelte';
import { setAmountRegion } from '../lib/money';
import { boughtMostText, influenceStars, moveText, reasonText, reasonTopic, sentenceParts, segmentTone, SEGMENTS } from '../lib/standing';
import { readRulesForm, rulesForm } from '../lib/standing-rules';
import { computeStanding, monthsBefore } from './fakeStanding';

/** One reason of every kind, with the wording expected in English and in Chinese (a British book in pounds). */
const REASONS: { reason: StandingReason; en: string; zh: string }[] = [
  { reason: { kind: 'never_bought' }, en: 'Prospect: nothing bought yet', zh: '潜在客户：尚未购买' },
  {
    reason: { kind: 'no_purchase_for', segment: 'at_risk', last_purchase: '2025-03-14', months: 12 },
    en: 'At risk: last purchase 14 Mar 2025, more than 12 months ago',
    zh: '流失风险：最近一次购买在 2025年3月14日，已超过 12 个月',
  },
  {
    reason: { kind: 'no_purchase_for', segment: 'lapsed', last_purchase: '2023-01-02', months: 24 },
    en: 'Lapsed: last purchase 2 Jan 2023, more than 24 months ago',
    zh: '已流失：最近一次购买在 2023年1月2日，已超过 24 个月',
  },
  {
    reason: { kind: 'low_satisfaction', score: 2, scored_on: '2026-02-10', max_score: 2, months: 12 },
    en: 'At risk: satisfaction scored 2 of 5 on 10 Feb 2026 (2 or lower within 12 months counts)',
    zh: '流失风险：2026年2月10日 的满意度为 2 分（满分 5 分；12 个月内 2 分或以下即计入）',
  },
  {
    reason: { kind: 'spent_at_least', spent: '32400', threshold: '20000', months: 24 },
    en: 'VIP: £32,400.00 spent in the last 24 months (threshold £20,000.00)',
    zh: '贵宾：近 24 个月消费 £32,400.00（门槛 £20,000.00）',
  },
  {
    reason: { kind: 'bought_at_least', purchases: 5, threshold: 4, months: 24 },
    en: 'VIP: 5 purchases in the last 24 months (threshold 4)',
    zh: '贵宾：近 24 个月有 5 次购买（门槛 4 次）',
  },
  {
    reason: { kind: 'first_purchase_within', first_purchase: '2026-11-02', days: 180 },
    en: 'New: first purchase 2 Nov 2026, within the last 180 days',
    zh: '新客：首次购买在 2026年11月2日，在最近 180 天内',
  },
  {
    reason: { kind: 'regular', last_purchase: '2026-06-30', spent: '4200.5', purchases: 1, months: 24 },
    en: 'Regular: 1 purchase and £4,200.50 in the last 24 months, the last on 30 Jun 2026',
    zh: '常客：近 24 个月有 1 次购买、消费 £4,200.50，最近一次在 2026年6月30日',
  },
  {
    reason: { kind: 'value_share', class: 'key', spent: '48200', months: 24, share_before_percent: 31, key_percent: 50, main_percent: 80 },
    en: 'Key customer: £48,200.00 in the last 24 months; those ranked before spent 31 % of the total (key while below 50 %, main while below 80 %)',
    zh: '重点客户：近 24 个月消费 £48,200.00；排在前面的客户占总额的 31%（低于 50% 为重点，低于 80% 为主要）',
  },
  {
    reason: { kind: 'value_share', class: 'main', spent: '9000', months: 24, share_before_percent: 62, key_percent: 50, main_percent: 80 },
    en: 'Main customer: £9,000.00 in the last 24 months; those ranked before spent 62 % of the total (key while below 50 %, main while below 80 %)',
    zh: '主要客户：近 24 个月消费 £9,000.00；排在前面的客户占总额的 62%（低于 50% 为重点，低于 80% 为主要）',
  },
  {
    reason: { kind: 'value_share', class: 'ordinary', spent: '350', months: 24, share_before_percent: 91, key_percent: 50, main_percent: 80 },
    en: 'Ordinary customer: £350.00 in the last 24 months; those ranked before spent 91 % of the total (key while below 50 %, main while below 80 %)',
    zh: '普通客户：近 24 个月消费 £350.00；排在前面的客户占总额的 91%（低于 50% 为重点，低于 80% 为主要）',
  },
  { reason: { kind: 'nothing_in_window', months: 24 }, en: 'Ordinary customer: nothing bought in the last 24 months', zh: '普通客户：近 24 个月没有购买' },
  {
    reason: { kind: 'rfm_scores', rfm: { r: 5, f: 4, m: 5 }, method: 'bands', months_since_last: 2, purchases: 7, spent: '48200' },
    en: 'RFM 545: last purchase 2 months ago, 7 purchases, £48,200 spent',
    zh: 'RFM 545：最近一次购买在 2 个月前，7 次购买，消费 £48,200',
  },
  {
    reason: { kind: 'rfm_scores', rfm: { r: 5, f: 1, m: 2 }, method: 'quintiles', months_since_last: 0, purchases: 1, spent: '2500' },
    en: 'RFM 512 (fifths of the book’s buyers): last purchase less than a month ago, 1 purchase, £2,500 spent',
    zh: 'RFM 512（按全部买家五等分）：最近一次购买在 不到一个月前，1 次购买，消费 £2,500',
  },
];

describe('standing in the dealer’s words', () => {
  afterEach(() => setUiLanguage('en'));

  it('words every kind of reason in English and Chinese, amounts in the book’s currency', () => {
    setBookRegion('GB');
    const kinds = new Set(REASONS.map((r) => r.reason.kind));
    expect(kinds.size).toBe(10);
    setUiLanguage('en');
    for (const { reason, en } of REASONS) expect(reasonText(reason, 'GBP')).toBe(en);
    setUiLanguage('zh');
    for (const { reason, zh } of REASONS) expect(reasonText(reason, 'GBP')).toBe(zh);
  });

  it('says the amounts in the book’s currency', () => {
    setUiLanguage('en');
    expect(reasonText({ kind: 'spent_at_least', spent: '250000', threshold: '150000', months: 24 }, 'HKD')).toBe(
      'VIP: HK$250,000.00 spent in the last 24 months (threshold HK$150,000.00)',
    );
  });

  it('sorts each reason under the chip it explains', () => {
    expect(REASONS.map((r) => reasonTopic(r.reason))).toEqual([
      'segment', 'segment', 'segment', 'segment', 'segment', 'segment', 'segment', 'segment',
      'value_class', 'value_class', 'value_class', 'value_class', 'rfm', 'rfm',
    ]);
  });

  it('words the moves of the timeline', () => {
    setUiLanguage('en');
    expect(moveText({ kind: 'segment', from: null, to: 'vip' })).toBe('Became VIP');
    expect(moveText({ kind: 'segment', from: 'at_risk', to: 'regular' })).toBe('At risk → Regular');
    expect(moveText({ kind: 'value_class', from: 'main', to: 'key' })).toBe('Value class: Main → Key');
    expect(moveText({ kind: 'value_class', from: 'ordinary', to: null })).toBe('Value class: Ordinary → none');
    setUiLanguage('zh');
    expect(moveText({ kind: 'segment', from: null, to: 'vip' })).toBe('成为贵宾');
    expect(moveText({ kind: 'segment', from: 'new', to: 'vip' })).toBe('新客 → 贵宾');
    expect(moveText({ kind: 'value_class', from: 'main', to: 'key' })).toBe('价值等级：主要 → 重点');
  });

  it('gives influence its stars, each segment a tone, and says what they buy most', () => {
    expect(['none', 'reviewer', 'trade_professional', 'public_figure'].map((i) => influenceStars(i as never))).toEqual([0, 3, 4, 5]);
    expect(new Set(SEGMENTS.map((s) => segmentTone(s).bg)).size).toBe(SEGMENTS.length);
    setUiLanguage('en');
    expect(boughtMostText({ category: 'ring', material: '18k gold', brand: 'Cartier' })).toBe('rings · 18k gold · Cartier');
    expect(boughtMostText({ category: null, material: null, brand: 'Rolex' })).toBe('Rolex');
    setUiLanguage('zh');
    expect(boughtMostText({ category: 'watch', material: null, brand: 'Rolex' })).toBe('腕表 · Rolex');
  });
});

describe('the standing rules as typed', () => {
  it('cuts a rule’s sentence at its fields, in the order of the language', () => {
    expect(sentenceParts('at least {vip_min_spend} spent or {vip_min_purchases} purchases')).toEqual([
      { text: 'at least ' },
      { field: 'vip_min_spend' },
      { text: ' spent or ' },
      { field: 'vip_min_purchases' },
      { text: ' purchases' },
    ]);
    expect(sentenceParts('5 below {recency_months[0]}.')).toEqual([{ text: '5 below ' }, { field: 'recency_months[0]' }, { text: '.' }]);
  });

  it('reads the form back into the rules, amounts as dealers type them', () => {
    setAmountRegion('GB');
    const form = rulesForm(defaultStandingRules(), 'GB');
    expect(form.vip_min_spend).toBe('20,000.00');
    form.vip_min_spend = '£25,000';
    form.vip_months = ' 18 ';
    form.monetary_spend[3] = '50 000';
    const read = readRulesForm(form);
    if (!('rules' in read)) throw new Error(JSON.stringify(read.problems));
    expect(read.rules).toEqual({ ...defaultStandingRules(), vip_min_spend: '25000', vip_months: 18, monetary_spend: ['2000', '5000', '15000', '50000'] });
  });

  it('names each field it cannot read by its path', () => {
    const form = rulesForm(defaultStandingRules(), 'GB');
    form.vip_min_purchases = 'four';
    form.recency_months[2] = '1.5';
    form.monetary_spend[0] = '12,34,567';
    const read = readRulesForm(form);
    expect('problems' in read && read.problems).toEqual({
      'standing.vip_min_purchases': { key: 'settings.standing.errorWhole' },
      'standing.recency_months[2]': { key: 'settings.standing.errorWhole' },
      'standing.monetary_spend[0]': { key: 'problem.amount_groups', value: '12,34,567' },
    });
  });
});

describe('the fake backend’s standing', () => {
  const today = '2026-06-15';
  const sale = (id: number, customer_id: number, purchased_on: string, total: string) =>
    ({ id, customer_id, purchased_on, total, currency: 'GBP', items: [] }) as never;

  it('follows the rules at their boundaries', () => {
    const rules = defaultStandingRules();
    const segmentOf = (purchases: never[], id = 1) =>
      computeStanding({ customerId: id, influence: 'none', rules, today, bookPurchases: purchases, scores: [] }).segment;
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(segmentOf([])).toBe('prospect');
    expect(segmentOf([sale(1, 1, '2024-06-14', '10')])).toBe('lapsed');
    expect(segmentOf([sale(1, 1, '2024-06-15', '10')])).toBe('at_risk');
    expect(segmentOf([sale(1, 1, '2025-06-15', '10'), sale(2, 1, '2025-06-16', '20000')])).toBe('vip');
    expect(segmentOf([sale(1, 1, '2026-05-01', '100')])).toBe('new');
    expect(segmentOf([sale(1, 1, '2025-06-20', '100')])).toBe('regular');
  });
});
