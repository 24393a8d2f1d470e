import { describe, expect, it } from 'vitest';
import { en } from '../lib/i18n/en';
import { zh } from '../lib/i18n/zh';
import { pluralCategory, setUiLanguage, t } from '../lib/i18n/index.svelte';

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

  describe('plural forms', () => {
    it('English: one for 1, other for 0, 2 and 1.5, and the count written as a number', () => {
      setUiLanguage('en');
      expect(pluralCategory(1)).toBe('one');
      expect(pluralCategory(0)).toBe('other');
      expect(t('list.count', { count: 1 })).toBe('1 customer');
      expect(t('list.count', { count: 0 })).toBe('0 customers');
      expect(t('list.count', { count: 2 })).toBe('2 customers');
      expect(t('list.count', { count: 2300 })).toBe('2,300 customers');
      expect(t('wishes.count', { count: 1 })).toBe('1 open wish');
      expect(t('import.commit', { count: 1 })).toBe('Import 1 person');
      expect(t('import.commit', { count: 12 })).toBe('Import 12 people');
    });

    it('Chinese has only other: its .one string is never chosen', () => {
      setUiLanguage('zh');
      try {
        expect(pluralCategory(1)).toBe('other');
        expect(t('list.count', { count: 1 })).toBe(zh['list.count.other'].replace('{count}', '1'));
        expect(t('list.count', { count: 2300 })).toBe('2,300 位客户');
        expect(t('import.commit', { count: 1 })).toBe('导入 1 位客户');
      } finally {
        setUiLanguage('en');
      }
    });

    it('an exact form (=0, =1) wins over the plural category, in both languages', () => {
      setUiLanguage('en');
      expect(t('erase.holding', { count: 0 })).toBe(en['erase.holding.=0']);
      expect(t('erase.holding', { count: 1 })).toBe('1 earlier backup still holds them; restoring it erases them again.');
      expect(t('erase.holding', { count: 2 })).toBe('2 earlier backups still hold them; restoring one erases them again.');
      setUiLanguage('zh');
      try {
        expect(t('erase.holding', { count: 1 })).toBe('有 1 份较早的备份仍包含此人；恢复该备份时会再次抹除此人。');
        expect(t('erase.holding', { count: 3 })).toBe('有 3 份较早的备份仍包含此人；恢复其中任何一份时都会再次抹除此人。');
      } finally {
        setUiLanguage('en');
      }
    });

    it('a full key is used as it is, and a string count is written as given', () => {
      setUiLanguage('en');
      expect(t('list.count.one', { count: 5 })).toBe('5 customer');
      expect(t('list.count.other', { count: '1,000' })).toBe('1,000 customers');
    });

    it('every plural base has its other form in both languages', () => {
      for (const key of Object.keys(en)) {
        const m = /^(.*)\.(one|=\d+)$/.exec(key);
        if (!m) continue;
        expect(Object.keys(en), key).toContain(`${m[1]}.other`);
        expect(Object.keys(zh), key).toContain(`${m[1]}.other`);
      }
    });
  });
});
