import { describe, expect, it } from 'vitest';
import { memberDiscount, redemptionValue, tierName } from './membership';
import { setUiLanguage } from './i18n/index.svelte';

describe('membership amounts', () => {
  it('rounds a member discount to the cent, half to even, as the core does', () => {
    expect(memberDiscount('9150', '15')).toBe('1372.50');
    expect(memberDiscount('1234.57', '15')).toBe('185.19');
    // 0.125 rounds to the even 0.12, not 0.13.
    expect(memberDiscount('1.25', '10')).toBe('0.12');
  });

  it('values redeemed points at the rate, rounded down', () => {
    expect(redemptionValue(5000, { points_for_one_unit: 100 })).toBe('50.00');
    expect(redemptionValue(1999, { points_for_one_unit: 100 })).toBe('19.99');
    expect(redemptionValue(10, { points_for_one_unit: 3 })).toBe('3.33');
  });

  it('names a tier in the window language, falling back to the other', () => {
    setUiLanguage('zh');
    expect(tierName({ key: 'silver', name: { en: 'Silver', zh: '银卡' } })).toBe('银卡');
    expect(tierName({ key: 'vip', name: { en: 'VIP', zh: '' } })).toBe('VIP');
    setUiLanguage('en');
    expect(tierName({ key: 'silver', name: { en: 'Silver', zh: '银卡' } })).toBe('Silver');
    expect(tierName({ key: 'x', name: { en: '', zh: '' } })).toBe('x');
  });
});
