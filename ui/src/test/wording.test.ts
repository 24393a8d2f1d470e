import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

describe('layout and wording at the counter', () => {
  it('a sale reads "Card · In store · by Tom", with a space on each side of every dot', async () => {
    const { user } = renderApp(new FakeBackend([draftOf({ full_name: 'Ada Lovelace' })]));
    await user.click((await screen.findAllByTestId('customer-row'))[0]);
    await user.click(await screen.findByTestId('add-purchase'));
    const form = await screen.findByTestId('entry-form');
    await user.type(within(form).getByTestId('item-brand'), 'Rolex');
    await user.type(within(form).getByTestId('item-price'), '100');
    await user.type(within(form).getByTestId('purchase-salesperson'), 'Tom');
    await user.click(screen.getByTestId('entry-save'));
    const sale = await screen.findByTestId('timeline-entry');
    await waitFor(() => expect(sale.querySelector('.facts')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Card · In store · by Tom'));
  });

  it('with the settings open, no tab shows as the current one and the settings button does', async () => {
    const { user } = renderApp(new FakeBackend());
    await user.click(screen.getByTestId('settings-button'));
    await screen.findByTestId('settings-cancel');
    for (const tab of ['nav-list', 'nav-wishes', 'nav-import', 'nav-mailing', 'nav-backups']) {
      expect(screen.getByTestId(tab)).not.toHaveAttribute('aria-current');
    }
    expect(screen.getByTestId('settings-button')).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByTestId('settings-cancel'));
    expect(screen.getByTestId('nav-list')).toHaveAttribute('aria-current', 'page');
  });
});
