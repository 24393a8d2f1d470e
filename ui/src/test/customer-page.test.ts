import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

function book() {
  return new FakeBackend([
    draftOf({
      full_name: 'Dr Anna-Lena Müller',
      title: 'Dr',
      customer_type: 'collector',
      company: 'Müller Uhren AG',
      emails: [
        { label: 'home', address: 'anna@example.com', primary: false },
        { label: 'work', address: 'al@mueller-uhren.ch', primary: true },
      ],
      phones: [{ label: 'mobile', number: '+41 79 555 12 34', e164: null, primary: true }],
      addresses: [
        {
          label: 'home',
          street: 'Bahnhofstrasse 1',
          city: 'Zürich',
          region: 'ZH',
          postal_code: '8001',
          country: 'CH',
          primary: true,
        },
      ],
      birthday: '--05-17',
      ring_size: { system: 'eu', value: '54' },
      wrist_cm: '16.5',
      preferences: { brands: ['Patek Philippe'], styles: ['dress'], materials: ['rose gold'], price_min: '20000', price_max: '60000', currency: 'CHF' },
      tags: ['vip', 'calatrava'],
      consents: [{ channel: 'email', status: 'opted_in', date: '2026-03-01', source: 'shop counter' }],
    }),
    draftOf({ full_name: 'Other Person' }),
  ]);
}

describe('customer page', () => {
  it('shows the profile in sections', async () => {
    const { user } = renderApp(book());
    await user.click((await screen.findAllByTestId('customer-row'))[0]);
    const page = await screen.findByTestId('customer-page');
    expect(screen.getByTestId('customer-name')).toHaveTextContent('Dr Anna-Lena Müller');
    expect(screen.getByTestId('customer-emails')).toHaveTextContent('al@mueller-uhren.ch');
    expect(screen.getByTestId('customer-phones')).toHaveTextContent('+41 79 555 12 34');
    expect(screen.getByTestId('customer-birthday')).toHaveTextContent('17 May');
    expect(screen.getByTestId('customer-birthday')).not.toHaveTextContent('2000');
    expect(page).toHaveTextContent('Switzerland');
    expect(page).toHaveTextContent('EU');
    expect(screen.getByTestId('customer-price')).toHaveTextContent(/CHF\s?20,000\s?–\s?CHF\s?60,000/);
    expect(within(screen.getByTestId('customer-tags')).getAllByRole('listitem')).toHaveLength(2);
    expect(page).toHaveTextContent('Opted in');
    expect(page).toHaveTextContent('shop counter');
  });

  it('asks for confirmation before deleting, and returns to the list after', async () => {
    const { user, backend } = renderApp(book());
    await user.click((await screen.findAllByTestId('customer-row'))[0]);
    await user.click(await screen.findByTestId('delete-customer'));

    const dialog = await screen.findByTestId('confirm-dialog');
    expect(dialog).toHaveTextContent('Dr Anna-Lena Müller');
    expect(backend.callsOf('deleteCustomer')).toHaveLength(0);

    await user.click(screen.getByTestId('cancel-delete'));
    expect(screen.queryByTestId('confirm-dialog')).not.toBeInTheDocument();
    expect(backend.customers.size).toBe(2);

    await user.click(screen.getByTestId('delete-customer'));
    await user.click(await screen.findByTestId('confirm-delete'));
    await screen.findByTestId('customer-list');
    expect(backend.callsOf('deleteCustomer')[0].args).toEqual([1]);
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('1 customer'));
    expect(screen.getAllByTestId('customer-row')).toHaveLength(1);
  });

  it('Esc closes the confirmation without deleting', async () => {
    const { user, backend } = renderApp(book());
    await user.click((await screen.findAllByTestId('customer-row'))[0]);
    await user.click(await screen.findByTestId('delete-customer'));
    await screen.findByTestId('confirm-dialog');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('confirm-dialog')).not.toBeInTheDocument();
    expect(screen.getByTestId('customer-page')).toBeInTheDocument();
    expect(backend.callsOf('deleteCustomer')).toHaveLength(0);
  });
});
