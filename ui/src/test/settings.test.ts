import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';
import { defaultStandingRules } from '../lib/audience';
import { defaultMembershipRules } from '../lib/membership';
import { defaultFollowUpRules } from '../lib/agenda';

describe('settings', () => {
  it('shows the book, saves region and currency, and switches the display language', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'A' }), draftOf({ full_name: 'B' })]);
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('settings-button'));
    const dialog = await screen.findByTestId('settings-dialog');
    // settings take the place of the list; the customers button brings it back
    expect(screen.queryByTestId('customer-list')).not.toBeInTheDocument();
    await waitFor(() => expect(within(dialog).getByTestId('settings-path')).toHaveTextContent('/home/dealer/Loupe/book.sqlite3'));

    await user.selectOptions(within(dialog).getByTestId('settings-region'), 'HK');
    await user.selectOptions(within(dialog).getByTestId('settings-currency'), 'HKD');
    await user.click(within(dialog).getByTestId('settings-save'));
    await waitFor(() => expect(screen.queryByTestId('settings-dialog')).not.toBeInTheDocument());
    expect(backend.settings).toEqual({
      default_region: 'HK',
      default_currency: 'HKD',
      backups_to_keep: 14,
      other_backups_to_keep: 10,
      offsite_reminder_days: 7,
      staff: [],
      standing: defaultStandingRules(),
      membership: defaultMembershipRules(),
      follow_up: defaultFollowUpRules(),
      campaign_response_days: 30,
      shop_name: '',
      shop_address: '',
      shop_phone: '',
    });

    await user.click(screen.getByTestId('settings-button'));
    await user.selectOptions(await screen.findByTestId('settings-ui-language'), 'zh');
    expect(screen.getByTestId('new-customer-button')).toHaveTextContent('新建客户');
    expect(localStorage.getItem('loupe.uiLanguage')).toBe('zh');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('settings-dialog')).not.toBeInTheDocument();
    expect(screen.getByTestId('customer-count')).toHaveTextContent('2 位客户');

    await user.click(screen.getByTestId('settings-button'));
    await screen.findByTestId('settings-dialog');
    await user.click(screen.getByTestId('nav-customers'));
    expect(screen.queryByTestId('settings-dialog')).not.toBeInTheDocument();
    expect(await screen.findByTestId('customer-list')).toBeInTheDocument();
  });
});
