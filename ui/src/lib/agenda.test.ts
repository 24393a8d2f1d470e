import { afterEach, describe, expect, it } from 'vitest';
import type { PieceLabel } from './bindings/PieceLabel';
import type { Reminder } from './bindings/Reminder';
import type { ReminderKind } from './bindings/ReminderKind';
import type { ReminderReason } from './bindings/ReminderReason';
import { addDays, contactSummary, daysBetween, dueText, pieceLabel, quarterLabel, reminderTitle } from './agenda';
import { setUiLanguage } from './i18n/index.svelte';

afterEach(() => setUiLanguage('en'));

const gold = { key: 'gold', name: { en: 'Gold', zh: '金卡' } };
const rolex: PieceLabel = { category: 'watch', brand: 'Rolex', model: 'Submariner' };

function reminder(kind: ReminderKind, reason: ReminderReason, partial: Partial<Reminder> = {}): Reminder {
  return {
    id: 1,
    customer_id: 1,
    kind,
    due_on: '2026-11-19',
    snoozed_until: null,
    expires_on: null,
    title: '',
    notes: '',
    reason,
    repeat: null,
    rule_made: kind !== 'manual' && kind !== 'arrival',
    state: 'open',
    closed_at: null,
    interaction_id: null,
    purchase_id: null,
    arrival_id: null,
    created_at: '2026-11-12T10:00:00Z',
    ...partial,
  };
}

const sale = (pieces: PieceLabel[] = [rolex]): ReminderReason => ({ kind: 'sale', purchased_on: '2026-11-12', pieces, total: '9150', currency: 'GBP' });

/** One reminder of each rule, with the titles they read as in English and Chinese. */
const cases: [string, Reminder, string, string][] = [
  ['follow_up', reminder('follow_up', sale()), 'Follow up on the sale of 12 Nov 2026: Rolex Submariner', '售后回访：2026年11月12日 购买的Rolex Submariner'],
  [
    'check_in',
    reminder('check_in', sale(), { due_on: '2027-02-10' }),
    'Check in 90 days after the sale of 12 Nov 2026: Rolex Submariner',
    '定期回访：2026年11月12日 购买的Rolex Submariner（售后 90 天）',
  ],
  ['birthday', reminder('birthday', { kind: 'birthday', age: 40 }), 'Birthday (turns 40)', '生日（40 岁）'],
  ['birthday without a year', reminder('birthday', { kind: 'birthday', age: null }), 'Birthday', '生日'],
  ['anniversary', reminder('anniversary', { kind: 'anniversary', label: 'Wedding', years: 10 }), 'Anniversary: Wedding (10 years)', '纪念日：Wedding（10 周年）'],
  ['anniversary in its first year', reminder('anniversary', { kind: 'anniversary', label: 'Wedding', years: 1 }), 'Anniversary: Wedding (1 year)', '纪念日：Wedding（1 周年）'],
  ['anniversary without a year', reminder('anniversary', { kind: 'anniversary', label: 'Wedding', years: null }), 'Anniversary: Wedding', '纪念日：Wedding'],
  ['anniversary without a label', reminder('anniversary', { kind: 'anniversary', label: ' ', years: null }), 'Anniversary', '纪念日'],
  [
    'key_visit',
    reminder('key_visit', { kind: 'key_visit', last_contact: '2026-09-03', since: '2025-01-10', every_days: 60 }),
    'Key customer: visit or call — last contact 3 Sept 2026',
    '重点客户拜访：上次联系于 2026年9月3日',
  ],
  [
    'key_visit never contacted',
    reminder('key_visit', { kind: 'key_visit', last_contact: null, since: '2025-01-10', every_days: 60 }),
    'Key customer: visit or call — never contacted since 10 Jan 2025',
    '重点客户拜访：自 2025年1月10日 起从未联系',
  ],
  [
    're_engagement',
    reminder('re_engagement', { kind: 're_engagement', since: '2026-10-01', last_purchase: '2025-04-02' }),
    'At risk since 1 Oct 2026: win them back',
    '流失预警回访：自 2026年10月1日 起有流失风险',
  ],
  [
    'service',
    reminder('service', { kind: 'service', purchased_on: '2018-05-04', piece: { category: 'watch', brand: 'Omega', model: 'Seamaster' }, years: 8 }),
    'Service due: Omega Seamaster, sold 2018 (8-year interval)',
    '保养提醒：Omega Seamaster，2018年售出（每 8 年保养一次）',
  ],
  ['care', reminder('care', { kind: 'care', tier: gold, since: '2026-01-01' }), 'Yearly cleaning and check of their jewellery (Gold)', '珠宝年度清洁与检查（金卡）'],
  ['tier_upgrade', reminder('tier_change', { kind: 'tier_upgrade', from: null, to: gold }), 'Congratulate on Gold', '升级祝贺：升至金卡'],
  ['give_back', reminder('give_back', { kind: 'give_back', quarter: '2026-Q4' }), 'Thank them this quarter (Q4 2026)', '季度回馈：本季度致谢（2026年第4季度）'],
  [
    'arrival',
    reminder('arrival', { kind: 'arrival', piece: { category: 'watch', brand: 'Patek Philippe', model: 'Calatrava' }, reasons: [] }),
    'Tell them: Patek Philippe Calatrava arrived',
    '新品到货通知：Patek Philippe Calatrava',
  ],
  ['manual', reminder('manual', { kind: 'manual' }, { title: '  Call about the strap  ' }), 'Call about the strap', 'Call about the strap'],
];

describe('a reminder worded', () => {
  it.each(cases)('%s in English', (_, r, english) => {
    setUiLanguage('en');
    expect(reminderTitle(r)).toBe(english);
  });

  it.each(cases)('%s in Chinese', (_, r, __, chinese) => {
    setUiLanguage('zh');
    expect(reminderTitle(r)).toBe(chinese);
  });

  it('names a piece with no brand by its model, or by its category with neither', () => {
    expect(pieceLabel({ category: 'ring', brand: '', model: '' })).toBe('Ring');
    expect(pieceLabel({ category: 'ring', brand: ' ', model: 'Solitaire' })).toBe('Solitaire');
    setUiLanguage('zh');
    expect(pieceLabel({ category: 'necklace', brand: '', model: '' })).toBe('项链');
  });

  it('lists two pieces of a sale and counts the rest', () => {
    const ring = { category: 'ring' as const, brand: '', model: '' };
    expect(reminderTitle(reminder('follow_up', sale([rolex, ring])))).toBe('Follow up on the sale of 12 Nov 2026: Rolex Submariner, Ring');
    expect(reminderTitle(reminder('follow_up', sale([rolex, ring, ring, ring])))).toBe(
      'Follow up on the sale of 12 Nov 2026: Rolex Submariner, Ring and 2 more',
    );
    expect(reminderTitle(reminder('follow_up', sale([])))).toBe('Follow up on the sale of 12 Nov 2026');
    setUiLanguage('zh');
    expect(reminderTitle(reminder('follow_up', sale([rolex, ring, ring])))).toBe('售后回访：2026年11月12日 购买的Rolex Submariner、戒指等另 1 件');
  });

  it('a typed title wins over the reason, an arrival’s too', () => {
    const told = reminder('arrival', { kind: 'arrival', piece: rolex, reasons: [] }, { title: 'Show her the Rolex' });
    expect(reminderTitle(told)).toBe('Show her the Rolex');
    expect(contactSummary(told)).toBe('Show her the Rolex');
  });
});

describe('the contact recorded when a reminder is done', () => {
  it('says what was done, in the window’s language', () => {
    expect(contactSummary(cases[0][1])).toBe('After-sale follow-up: Rolex Submariner, bought 12 Nov 2026');
    expect(contactSummary(reminder('birthday', { kind: 'birthday', age: null }))).toBe('Birthday wishes');
    expect(contactSummary(reminder('tier_change', { kind: 'tier_upgrade', from: null, to: gold }))).toBe('Congratulated on Gold');
    expect(contactSummary(reminder('manual', { kind: 'manual' }, { title: 'Call about the strap' }))).toBe('Call about the strap');
    setUiLanguage('zh');
    expect(contactSummary(cases[0][1])).toBe('售后回访：2026年11月12日 购买的Rolex Submariner');
    expect(contactSummary(reminder('give_back', { kind: 'give_back', quarter: '2026-Q4' }))).toBe('季度回馈致谢（2026年第4季度）');
  });
});

describe('days', () => {
  it('counts whole days across months and a leap day', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2026-12-01')).toBe(-30);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-28', 7)).toBe('2026-04-04');
  });

  it('says how overdue a reminder is, or when it is due', () => {
    const r = reminder('manual', { kind: 'manual' }, { title: 'x', due_on: '2026-11-19' });
    expect(dueText(r, '2026-11-22')).toBe('3 days overdue');
    expect(dueText(r, '2026-11-20')).toBe('1 day overdue');
    expect(dueText(r, '2026-11-19')).toBe('Today');
    expect(dueText(r, '2026-11-18')).toBe('Tomorrow');
    expect(dueText(r, '2026-11-10')).toBe('19 Nov 2026');
    // snoozed: the day it shows on counts
    expect(dueText({ ...r, snoozed_until: '2026-11-25' }, '2026-11-22')).toBe('25 Nov 2026');
    setUiLanguage('zh');
    expect(dueText(r, '2026-11-22')).toBe('逾期 3 天');
  });

  it('gives the quarter\'s give-back until the quarter ends, never overdue', () => {
    const r = reminder('give_back', { kind: 'give_back', quarter: '2026-Q4' }, { due_on: '2026-10-01', expires_on: '2026-12-31' });
    expect(dueText(r, '2026-12-04')).toBe('This quarter, until 31 Dec 2026');
    setUiLanguage('zh');
    expect(dueText(r, '2026-12-04')).toMatch(/^本季度内，截至 /);
  });

  it('words a quarter, and leaves anything else as it is', () => {
    expect(quarterLabel('2027-Q1')).toBe('Q1 2027');
    expect(quarterLabel('soon')).toBe('soon');
  });
});
