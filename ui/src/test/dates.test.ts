import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { dateLayout, formatDateField, readDateField } from '../lib/dates';
import { todayIso } from '../lib/format';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

const today = new Date(2026, 3, 12);

describe('date fields follow the window’s language and the book’s region', () => {
  it('write and read dates in the order of the locale', () => {
    expect(dateLayout('en-GB')).toEqual({ order: ['day', 'month', 'year'], separator: '/' });
    expect(dateLayout('en-US').order).toEqual(['month', 'day', 'year']);
    expect(dateLayout('zh-CN').order).toEqual(['year', 'month', 'day']);
    expect(dateLayout('en-CH')).toEqual({ order: ['day', 'month', 'year'], separator: '.' });

    expect(formatDateField('2026-12-04', 'en-GB')).toBe('04/12/2026');
    expect(formatDateField('2026-12-04', 'en-US')).toBe('12/04/2026');
    expect(formatDateField('2026-12-04', 'zh-CN')).toBe('2026/12/04');
    expect(formatDateField('2026-12-04', 'en-CH')).toBe('04.12.2026');
    expect(formatDateField('', 'en-GB')).toBe('');

    expect(readDateField('4/12/2026', 'en-GB', today)).toBe('2026-12-04');
    expect(readDateField('4/12/2026', 'en-US', today)).toBe('2026-04-12');
    expect(readDateField('2026/12/4', 'zh-CN', today)).toBe('2026-12-04');
    expect(readDateField('4.12.26', 'en-CH', today)).toBe('2026-12-04');
    expect(readDateField('04122026', 'en-GB', today)).toBe('2026-12-04');
    // a year written first is a year, whatever the locale (pasted ISO dates)
    expect(readDateField('2026-12-04', 'en-US', today)).toBe('2026-12-04');
    // two-digit years: up to ten years ahead, else the last century
    expect(readDateField('1/2/36', 'en-GB', today)).toBe('2036-02-01');
    expect(readDateField('1/2/37', 'en-GB', today)).toBe('1937-02-01');
    for (const bad of ['31/02/2026', '13/13/2026', 'soon', '1/2', '1/2/3/4', '1/2/123']) {
      expect(readDateField(bad, 'en-GB', today), bad).toBeNull();
    }
  });

  it('a note’s date shows and is typed as the book writes dates, in English and in Chinese', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Ada Lovelace' })]);
    backend.settings.default_region = 'US';
    const { user } = renderApp(backend);
    await user.click((await screen.findAllByTestId('customer-row'))[0]);
    await screen.findByTestId('customer-name');

    await user.click(screen.getByTestId('add-note'));
    const date = await screen.findByTestId('note-date');
    const [y, m, d] = todayIso().split('-');
    // An American book: month first, whatever the computer's locale (en-GB here).
    expect(date).toHaveValue(`${m}/${d}/${y}`);
    expect(date).toHaveAttribute('placeholder', 'mm/dd/yyyy');
    await user.clear(date);
    await user.type(date, '2/10/2026');
    await user.type(screen.getByTestId('note-body'), 'Asked about a Datejust');
    await user.tab();
    expect(date).toHaveValue('02/10/2026');
    await user.click(screen.getByTestId('entry-save'));
    await waitFor(() => expect(backend.callsOf('addEntry')).toHaveLength(1));
    const sent = backend.callsOf('addEntry')[0].args[1] as { draft: { noted_on: string } };
    expect(sent.draft.noted_on).toBe('2026-02-10');

    setUiLanguage('zh');
    await user.click(screen.getByTestId('add-note'));
    const zhDate = await screen.findByTestId('note-date');
    expect(zhDate).toHaveValue(`${y}/${m}/${d}`);
    expect(zhDate).toHaveAttribute('placeholder', '年/月/日');
  });

  it('a date can be picked from a calendar written in the window’s language', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Ada Lovelace' })]);
    const { user } = renderApp(backend);
    await user.click((await screen.findAllByTestId('customer-row'))[0]);
    await screen.findByTestId('customer-name');
    await user.click(screen.getByTestId('add-note'));
    const date = await screen.findByTestId('note-date');
    await user.clear(date);
    await user.type(date, '14/03/2026');
    await user.click(screen.getByTestId('note-date-calendar'));
    await waitFor(() => expect(document.querySelector('[data-calendar-root]')).not.toBeNull(), { timeout: 3000 });
    const calendar = document.querySelector('[data-calendar-root]') as HTMLElement;
    expect(calendar).toHaveTextContent('March 2026');
    await user.click(within(calendar).getByText('20', { selector: '[data-bits-day]:not([data-outside-month])' }));
    await waitFor(() => expect(date).toHaveValue('20/03/2026'));
  });
});
