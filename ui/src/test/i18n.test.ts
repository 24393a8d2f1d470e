import { describe, expect, it } from 'vitest';
import { en } from '../lib/i18n/en';
import { zh } from '../lib/i18n/zh';
import { setUiLanguage, t } from '../lib/i18n/index.svelte';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('English and Chinese have exactly the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('no message is empty and both use the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(en[key].trim(), key).not.toBe('');
      expect(zh[key].trim(), key).not.toBe('');
      expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('switches language and fills placeholders', () => {
    setUiLanguage('zh');
    expect(t('top.newCustomer')).toBe('新建客户');
    expect(localStorage.getItem('loupe.uiLanguage')).toBe('zh');
    setUiLanguage('en');
    expect(t('list.count.other', { count: '3' })).toBe('3 customers');
  });
});
