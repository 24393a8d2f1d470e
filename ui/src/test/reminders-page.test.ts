import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Reminder } from '../lib/bindings/Reminder';
import { todayIso } from '../lib/format';
import { addDays } from '../lib/agenda';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

function reminder(id: number, partial: Partial<Reminder>): Reminder {
  return {
    id,
    customer_id: 1,
    kind: 'manual',
    due_on: todayIso(),
    snoozed_until: null,
    expires_on: null,
    title: '',
    notes: '',
    reason: { kind: 'manual' },
    repeat: null,
    rule_made: false,
    state: 'open',
    closed_at: null,
    interaction_id: null,
    purchase_id: null,
    arrival_id: null,
    created_at: '2026-01-01T10:00:00Z',
    ...partial,
  };
}

const birthday = reminder(21, { kind: 'birthday', rule_made: true, reason: { kind: 'birthday', age: null } });
const strap = reminder(22, { title: 'Call about the strap', notes: 'Brown alligator', due_on: addDays(todayIso(), 3), repeat: { every: 3, unit: 'months' } });

/** Amelia with `reminders` open: the story the core would give, with them in it. */
function book(reminders: Reminder[]) {
  const backend = new FakeBackend([draftOf({ full_name: 'Amelia Hart', preferred_contact: 'email' })]);
  const story = backend.getCustomerStory.bind(backend);
  vi.spyOn(backend, 'getCustomerStory').mockImplementation(async (id) => ({ ...(await story(id)), reminders }));
  return backend;
}

async function openAmelia(backend: FakeBackend) {
  const rendered = renderApp(backend);
  await rendered.user.click(await screen.findByText('Amelia Hart'));
  return { ...rendered, card: await screen.findByTestId('customer-reminders') };
}

describe('reminders on the customer page', () => {
  it('lists the open ones worded, soonest first, with Done on their preferred channel', async () => {
    const backend = book([birthday, strap]);
    const completeReminder = vi.spyOn(backend, 'completeReminder').mockResolvedValue({ reminder: { ...birthday, state: 'done' }, interaction_id: 5, next: null });
    const { user, card } = await openAmelia(backend);
    const rows = within(card).getAllByTestId('agenda-item');
    expect(rows.map((r) => within(r).getByTestId('agenda-title').textContent)).toEqual(['Birthday', 'Call about the strap']);
    expect(within(rows[0]).getByTestId('agenda-due')).toHaveTextContent('Today');
    expect(rows[1]).toHaveTextContent('Every 3 months');
    expect(rows[1]).toHaveTextContent('Brown alligator');
    // a rule's reminder is dismissed, never edited; a typed one can be
    expect(within(rows[0]).queryByTestId('reminder-edit')).toBeNull();
    expect(within(rows[1]).getByTestId('reminder-edit')).toBeInTheDocument();

    await user.click(within(rows[0]).getByTestId('agenda-done'));
    expect(within(rows[0]).getByTestId<HTMLSelectElement>('agenda-channel').value).toBe('email');
    await user.click(within(rows[0]).getByTestId('agenda-save-done'));
    await waitFor(() => expect(completeReminder).toHaveBeenCalledWith(21, { channel: 'email', summary: 'Birthday wishes', outcome: '' }));
    expect(await screen.findByTestId('app-notice')).toHaveTextContent('Recorded on Amelia Hart’s timeline.');
  });

  it('adds a reminder that repeats, refusing it without a title beside the field', async () => {
    const backend = book([]);
    const addReminder = vi
      .spyOn(backend, 'addReminder')
      .mockRejectedValueOnce({ code: 'invalid_input', message: 'no title', field: 'title', problem: { kind: 'reminder_title_missing' } })
      .mockImplementation(async (_id, draft) => reminder(30, { ...draft, repeat: draft.repeat ?? null }));
    const { user, card } = await openAmelia(backend);
    expect(within(card).getByTestId('customer-reminders-empty')).toHaveTextContent('No open reminders.');

    await user.click(within(card).getByTestId('reminder-add'));
    const dialog = await screen.findByTestId('reminder-dialog');
    expect(dialog).toHaveTextContent('New reminder for Amelia Hart');
    await user.click(within(dialog).getByTestId('reminder-save'));
    expect(await within(dialog).findByTestId('field-error')).toHaveTextContent('Say what the reminder is for.');

    await user.type(within(dialog).getByTestId('reminder-title'), 'Invite to the Patek evening');
    const due = within(dialog).getByTestId('reminder-due');
    await user.clear(due);
    await user.type(due, '04/12/2026');
    await user.type(within(dialog).getByTestId('reminder-notes'), 'Bring the catalogue');
    await user.click(within(dialog).getByTestId('reminder-repeat'));
    const every = within(dialog).getByTestId('reminder-every');
    await user.clear(every);
    await user.type(every, '2');
    await user.selectOptions(within(dialog).getByTestId('reminder-unit'), 'weeks');
    await user.click(within(dialog).getByTestId('reminder-save'));
    await waitFor(() =>
      expect(addReminder).toHaveBeenLastCalledWith(1, {
        due_on: '2026-12-04',
        title: 'Invite to the Patek evening',
        notes: 'Bring the catalogue',
        repeat: { every: 2, unit: 'weeks' },
      }),
    );
    await waitFor(() => expect(screen.queryByTestId('reminder-dialog')).toBeNull());
  });

  it('edits a typed reminder and deletes one after asking', async () => {
    const backend = book([strap]);
    const updateReminder = vi.spyOn(backend, 'updateReminder').mockImplementation(async (id, draft) => ({ ...strap, ...draft, repeat: draft.repeat ?? null }));
    const deleteReminder = vi.spyOn(backend, 'deleteReminder').mockResolvedValue(1);
    const { user, card } = await openAmelia(backend);

    await user.click(within(card).getByTestId('reminder-edit'));
    let dialog = await screen.findByTestId('reminder-dialog');
    expect(within(dialog).getByTestId<HTMLInputElement>('reminder-title').value).toBe('Call about the strap');
    expect(within(dialog).getByTestId<HTMLInputElement>('reminder-repeat').checked).toBe(true);
    await user.type(within(dialog).getByTestId('reminder-title'), ' again');
    await user.click(within(dialog).getByTestId('reminder-repeat'));
    await user.click(within(dialog).getByTestId('reminder-save'));
    await waitFor(() =>
      expect(updateReminder).toHaveBeenCalledWith(22, { due_on: strap.due_on, title: 'Call about the strap again', notes: 'Brown alligator', repeat: null }),
    );

    await user.click(within(card).getByTestId('reminder-edit'));
    dialog = await screen.findByTestId('reminder-dialog');
    await user.click(within(dialog).getByTestId('reminder-delete'));
    const confirm = await screen.findByTestId('confirm-dialog');
    expect(confirm).toHaveTextContent('The reminder “Call about the strap” will be removed.');
    await user.click(within(confirm).getByTestId('confirm-delete'));
    await waitFor(() => expect(deleteReminder).toHaveBeenCalledWith(22));
  });
});
