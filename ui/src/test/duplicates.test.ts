import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

describe('the form says who a new customer may already be', () => {
  it("Grace's email under 'G. Wilson': the form names her, and 'open her instead' drops what was typed", async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Grace Wilson', emails: [{ label: '', address: 'grace@wilson.example', primary: true }] })]);
    const grace = [...backend.customers.values()][0];
    // The core's rule, as the core answers for this book (tested in Rust).
    backend.duplicatesOf = (draft, except) =>
      draft.emails.some((e) => e.address.trim().toLowerCase() === 'grace@wilson.example') && except !== grace.id
        ? [{ id: grace.id, name: 'Grace Wilson', company: '', reason: 'same_email', certain: true }]
        : [];
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('new-customer-button'));
    await user.type(await screen.findByTestId('field-full_name'), 'G. Wilson');
    expect(screen.queryByTestId('duplicate-warning')).toBeNull();
    await user.type(screen.getByTestId('email-address-0'), 'Grace@Wilson.example');

    const warning = await screen.findByTestId('duplicate-warning', {}, { timeout: 3000 });
    expect(warning).toHaveTextContent('This looks like Grace Wilson');
    expect(warning).toHaveTextContent('the same email address');
    await user.click(within(warning).getByTestId('duplicate-open'));
    await waitFor(() => expect(screen.getByTestId('customer-name')).toHaveTextContent('Grace Wilson'));
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    expect(backend.calls.some((c) => c.method === 'createCustomer')).toBe(false);
  });

  it('editing a customer never warns about herself: the form names her as the one to leave out', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Ada Lovelace' })]);
    const ada = [...backend.customers.values()][0];
    const { user } = renderApp(backend);
    await user.click((await screen.findAllByTestId('customer-row'))[0]);
    await user.click(await screen.findByTestId('edit-customer'));
    await user.type(await screen.findByTestId('field-company'), 'Analytical Engines');
    await waitFor(() => expect(backend.calls.some((c) => c.method === 'possibleDuplicates')).toBe(true), { timeout: 3000 });
    const asked = backend.calls.filter((c) => c.method === 'possibleDuplicates');
    expect(asked.every((c) => c.args[1] === ada.id)).toBe(true);
    expect(screen.queryByTestId('duplicate-warning')).toBeNull();
  });
});
