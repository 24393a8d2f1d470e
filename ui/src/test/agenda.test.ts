import { screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Agenda } from '../lib/bindings/Agenda';
import type { AgendaItem } from '../lib/bindings/AgendaItem';
import type { AgendaSection } from '../lib/bindings/AgendaSection';
import type { Reminder } from '../lib/bindings/Reminder';
import type { ReminderClosed } from '../lib/bindings/ReminderClosed';
import type { ReminderReason } from '../lib/bindings/ReminderReason';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

afterEach(() => setUiLanguage('en'));

const TODAY = '2026-11-19';
const gold = { key: 'gold', name: { en: 'Gold', zh: '金卡' } };

function reminder(id: number, partial: Partial<Reminder> & { reason: ReminderReason }): Reminder {
  return {
    id,
    customer_id: 1,
    kind: 'manual',
    due_on: TODAY,
    snoozed_until: null,
    expires_on: null,
    title: '',
    notes: '',
    repeat: null,
    rule_made: true,
    state: 'open',
    closed_at: null,
    interaction_id: null,
    purchase_id: null,
    arrival_id: null,
    created_at: '2026-11-01T10:00:00Z',
    ...partial,
  };
}

function item(section: AgendaSection, r: Reminder, partial: Partial<AgendaItem> = {}): AgendaItem {
  return {
    reminder: r,
    section,
    customer_name: 'Amelia Hart',
    segment: 'regular',
    value_class: 'main',
    tier: null,
    last_contact: '2026-09-03',
    channel: 'phone',
    consent: 'opted_in',
    alternatives: [],
    ...partial,
  };
}

const followUp = reminder(11, {
  kind: 'follow_up',
  due_on: '2026-11-16',
  reason: { kind: 'sale', purchased_on: '2026-11-09', pieces: [{ category: 'watch', brand: 'Rolex', model: 'Submariner' }], total: '9150', currency: 'GBP' },
});
const birthday = reminder(12, { kind: 'birthday', customer_id: 2, reason: { kind: 'birthday', age: 40 } });
const service = reminder(13, {
  kind: 'service',
  due_on: '2026-11-22',
  reason: { kind: 'service', purchased_on: '2018-11-22', piece: { category: 'watch', brand: 'Omega', model: 'Seamaster' }, years: 8 },
});
const thanks = (id: number, customer: number) => reminder(id, { kind: 'give_back', customer_id: customer, due_on: '2026-10-01', reason: { kind: 'give_back', quarter: '2026-Q4' } });

/** Something in each part: one overdue, one today (a customer who said no to calls), one this week, two to thank. */
const full: Agenda = {
  today: TODAY,
  until: '2026-11-26',
  items: [
    item('overdue', followUp, { segment: 'vip', tier: gold }),
    item('today', birthday, { customer_name: 'Beatrice Lang', consent: 'opted_out', alternatives: ['email', 'in_person'], last_contact: null }),
    item('week', service, { consent: 'unknown' }),
    item('quarter', thanks(14, 1), { segment: 'vip' }),
    item('quarter', thanks(15, 2), { customer_name: 'Beatrice Lang' }),
  ],
  counts: { overdue: 1, today: 1, week: 1, later: 0, quarter: 2 },
  truncated: false,
};

const empty: Agenda = { today: TODAY, until: '2026-11-26', items: [], counts: { overdue: 0, today: 0, week: 0, later: 0, quarter: 0 }, truncated: false };

const closed = (r: Reminder): ReminderClosed => ({ reminder: { ...r, state: 'done' }, interaction_id: 99, next: null });

/** A book of two whose agenda is `agenda` until something is done, then `after`. */
function book(agenda: Agenda = full, after: Agenda = empty) {
  const backend = new FakeBackend([draftOf({ full_name: 'Amelia Hart' }), draftOf({ full_name: 'Beatrice Lang' })]);
  let current = agenda;
  const moved = () => {
    current = after;
  };
  vi.spyOn(backend, 'agenda').mockImplementation(async () => current);
  vi.spyOn(backend, 'agendaCounts').mockImplementation(async () => current.counts);
  vi.spyOn(backend, 'agendaDue').mockImplementation(async () => current.counts.overdue + current.counts.today > 0);
  const completeReminder = vi.spyOn(backend, 'completeReminder').mockImplementation(async (id) => {
    moved();
    return closed(agenda.items.find((i) => i.reminder.id === id)!.reminder);
  });
  const snoozeReminder = vi.spyOn(backend, 'snoozeReminder').mockImplementation(async (id, until) => {
    moved();
    return { ...agenda.items.find((i) => i.reminder.id === id)!.reminder, snoozed_until: until };
  });
  const dismissReminder = vi.spyOn(backend, 'dismissReminder').mockImplementation(async (id) => {
    moved();
    return { ...closed(agenda.items.find((i) => i.reminder.id === id)!.reminder), interaction_id: null };
  });
  return { backend, completeReminder, snoozeReminder, dismissReminder };
}

function row(id: number): HTMLElement {
  return screen.getAllByTestId('agenda-item').find((el) => el.dataset.id === String(id))!;
}

describe('the agenda', () => {
  it('opens at start when something is due, with each part and each reminder worded', async () => {
    renderApp(book().backend);
    const view = await screen.findByTestId('agenda-view');
    await within(view).findByTestId('agenda-section-overdue');
    expect(screen.getByTestId('nav-agenda')).toHaveAttribute('aria-current', 'page');

    const overdue = within(screen.getByTestId('agenda-section-overdue')).getByTestId('agenda-item');
    expect(overdue.dataset.kind).toBe('follow_up');
    expect(within(overdue).getByTestId('agenda-customer')).toHaveTextContent('Amelia Hart');
    expect(within(overdue).getByTestId('agenda-title')).toHaveTextContent('Follow up on the sale of 9 Nov 2026: Rolex Submariner');
    expect(within(overdue).getByTestId('agenda-kind')).toHaveTextContent('After a sale');
    expect(within(overdue).getByTestId('agenda-due')).toHaveTextContent('3 days overdue');
    expect(within(overdue).getByTestId('agenda-last-contact')).toHaveTextContent('Last contact 3 Sept 2026');
    expect(overdue.querySelector('[data-segment="vip"]')).toHaveTextContent('VIP');
    expect(overdue.querySelector('[data-tier="gold"]')).toHaveTextContent('Gold');
    expect(within(overdue).getByTestId('agenda-suggested')).toHaveTextContent('By Phone');
    expect(within(overdue).queryByTestId('agenda-consent-refused')).toBeNull();

    const today = within(screen.getByTestId('agenda-section-today')).getByTestId('agenda-item');
    expect(within(today).getByTestId('agenda-title')).toHaveTextContent('Birthday (turns 40)');
    expect(within(today).getByTestId('agenda-due')).toHaveTextContent('Today');
    expect(within(today).getByTestId('agenda-last-contact')).toHaveTextContent('No contact yet');

    const week = within(screen.getByTestId('agenda-section-week')).getByTestId('agenda-item');
    expect(within(week).getByTestId('agenda-title')).toHaveTextContent('Service due: Omega Seamaster, sold 2018 (8-year interval)');
    expect(within(week).getByTestId('agenda-suggested')).toHaveTextContent('By Phone (consent not recorded)');

    // the quarter's give-back is one card naming those not yet thanked, with Done and Dismiss only
    const quarter = screen.getByTestId('agenda-section-quarter');
    expect(quarter).toHaveTextContent('This quarter’s give-back: 2 key customers not yet thanked');
    const thanked = within(quarter).getAllByTestId('agenda-item');
    expect(thanked.map((el) => within(el).getByTestId('agenda-customer').textContent)).toEqual(['Amelia Hart', 'Beatrice Lang']);
    expect(within(thanked[0]).queryByTestId('agenda-snooze')).toBeNull();
    expect(within(thanked[0]).getByTestId('agenda-done')).toBeInTheDocument();
    expect(within(thanked[0]).getByTestId('agenda-dismiss')).toBeInTheDocument();
    expect(screen.queryByTestId('agenda-section-later')).toBeNull();
  });

  it('marks a customer who said no to calls and offers only the other channels for Done', async () => {
    const { backend, completeReminder } = book();
    const { user } = renderApp(backend);
    await screen.findByTestId('agenda-section-today');
    const today = row(12);
    expect(within(today).getByTestId('agenda-consent-refused')).toHaveTextContent('Said no to calls');
    expect(within(today).getByTestId('agenda-suggested')).toHaveTextContent('By Email');

    await user.click(within(today).getByTestId('agenda-done'));
    const channel = within(today).getByTestId<HTMLSelectElement>('agenda-channel');
    expect([...channel.options].map((o) => o.value)).toEqual(['email', 'in_person']);
    expect(channel.value).toBe('email');
    await user.selectOptions(channel, 'in_person');
    await user.type(within(today).getByTestId('agenda-outcome'), 'Loved the flowers');
    await user.click(within(today).getByTestId('agenda-save-done'));

    await waitFor(() => expect(completeReminder).toHaveBeenCalledWith(12, { channel: 'in_person', summary: 'Birthday wishes', outcome: 'Loved the flowers' }));
    // the agenda is read again: nothing left, said calmly
    expect(await screen.findByTestId('agenda-empty')).toHaveTextContent('Nothing due.');
    expect(screen.getByTestId('app-notice')).toHaveTextContent('Recorded on Beatrice Lang’s timeline.');
    await waitFor(() => expect(screen.queryByTestId('nav-agenda-badge')).toBeNull());
  });

  it('records Done on the suggested channel with the sale in the summary', async () => {
    const { backend, completeReminder } = book();
    const { user } = renderApp(backend);
    await screen.findByTestId('agenda-section-overdue');
    const overdue = row(11);
    await user.click(within(overdue).getByTestId('agenda-done'));
    const channel = within(overdue).getByTestId<HTMLSelectElement>('agenda-channel');
    expect(channel.value).toBe('phone');
    expect(channel.options).toHaveLength(5);
    await user.type(within(overdue).getByTestId('agenda-outcome'), '  Follow up in writing ');
    await user.click(within(overdue).getByTestId('agenda-save-done'));
    await waitFor(() =>
      expect(completeReminder).toHaveBeenCalledWith(11, {
        channel: 'phone',
        summary: 'After-sale follow-up: Rolex Submariner, bought 9 Nov 2026',
        outcome: 'Follow up in writing',
      }),
    );
  });

  it('snoozes a day, a week or to a chosen day, and dismisses', async () => {
    const { backend, snoozeReminder, dismissReminder } = book(full, full);
    const { user } = renderApp(backend);
    await screen.findByTestId('agenda-section-overdue');

    await user.click(within(row(11)).getByTestId('agenda-snooze'));
    await user.click(within(row(11)).getByTestId('agenda-snooze-day'));
    await waitFor(() => expect(snoozeReminder).toHaveBeenLastCalledWith(11, '2026-11-20'));
    expect(await screen.findByTestId('app-notice')).toHaveTextContent('Snoozed until 20 Nov 2026.');

    await user.click(within(row(12)).getByTestId('agenda-snooze'));
    await user.click(within(row(12)).getByTestId('agenda-snooze-week'));
    await waitFor(() => expect(snoozeReminder).toHaveBeenLastCalledWith(12, '2026-11-26'));

    await user.click(within(row(13)).getByTestId('agenda-snooze'));
    await user.type(within(row(13)).getByTestId('agenda-snooze-date'), '04/12/2026');
    await user.click(within(row(13)).getByTestId('agenda-snooze-apply'));
    await waitFor(() => expect(snoozeReminder).toHaveBeenLastCalledWith(13, '2026-12-04'));

    await user.click(within(row(15)).getByTestId('agenda-dismiss'));
    await waitFor(() => expect(dismissReminder).toHaveBeenCalledWith(15));
    expect(await screen.findByTestId('app-notice')).toHaveTextContent('Reminder dismissed.');
  });

  it('says what the book refused beside the row', async () => {
    const { backend, snoozeReminder } = book();
    snoozeReminder.mockRejectedValueOnce({ code: 'invalid_input', message: 'no', field: 'until', problem: { kind: 'snooze_not_after_today' } });
    const { user } = renderApp(backend);
    await screen.findByTestId('agenda-section-overdue');
    await user.click(within(row(11)).getByTestId('agenda-snooze'));
    await user.click(within(row(11)).getByTestId('agenda-snooze-day'));
    expect(await within(row(11)).findByTestId('agenda-error')).toHaveTextContent('Snooze to a day after today.');
  });

  it('opens the customer of a row, and goes to the arrivals', async () => {
    const { backend } = book();
    const { user } = renderApp(backend);
    await screen.findByTestId('agenda-section-today');
    await user.click(within(row(12)).getByTestId('agenda-customer'));
    expect(await screen.findByTestId('customer-name')).toHaveTextContent('Beatrice Lang');
    await user.click(screen.getByTestId('nav-agenda'));
    await user.click(await screen.findByTestId('agenda-arrival-button'));
    // the arrivals view is its own screen: the agenda is left
    await waitFor(() => expect(screen.queryByTestId('agenda-view')).toBeNull());
  });

  it('draws a long agenda a screenful first, then the rest, the truncation note last', async () => {
    const overdue = Array.from({ length: 100 }, (_, i) => item('overdue', reminder(1000 + i, { kind: 'follow_up', due_on: '2026-11-10', reason: followUp.reason })));
    const week = Array.from({ length: 20 }, (_, i) => item('week', reminder(2000 + i, { kind: 'service', due_on: '2026-11-22', reason: service.reason })));
    const quarter = [item('quarter', thanks(3000, 1)), item('quarter', thanks(3001, 2))];
    const long: Agenda = {
      ...full,
      items: [...overdue, ...week, ...quarter],
      counts: { overdue: 140, today: 0, week: 20, later: 0, quarter: 2 },
      truncated: true,
    };
    renderApp(book(long).backend);
    const section = await screen.findByTestId('agenda-section-overdue');
    expect(within(section).getByRole('heading')).toHaveTextContent('100');
    expect(screen.getAllByTestId('agenda-item')).toHaveLength(30);
    expect(screen.queryByTestId('agenda-section-week')).toBeNull();
    expect(screen.queryByTestId('agenda-truncated')).toBeNull();

    await waitFor(() => expect(screen.getAllByTestId('agenda-item')).toHaveLength(122));
    expect(within(screen.getByTestId('agenda-section-week')).getAllByTestId('agenda-item')).toHaveLength(20);
    expect(within(screen.getByTestId('agenda-section-quarter')).getAllByTestId('agenda-item')).toHaveLength(2);
    expect(screen.getAllByTestId('agenda-item').map((el) => el.dataset.id)).toEqual(long.items.map((i) => String(i.reminder.id)));
    expect(screen.getByTestId('agenda-truncated')).toBeInTheDocument();
  });

  it('reads in Chinese', async () => {
    setUiLanguage('zh');
    renderApp(book().backend);
    const today = await screen.findByTestId('agenda-section-today');
    expect(today).toHaveTextContent('今天');
    expect(within(today).getByTestId('agenda-title')).toHaveTextContent('生日（40 岁）');
    expect(within(today).getByTestId('agenda-consent-refused')).toHaveTextContent('拒绝电话联系');
    expect(within(row(11)).getByTestId('agenda-due')).toHaveTextContent('逾期 3 天');
    expect(screen.getByTestId('agenda-section-quarter')).toHaveTextContent('本季度回馈：2 位重点客户尚未致谢');
    expect(screen.getByTestId('nav-agenda')).toHaveTextContent('日程');
  });
});

describe('the agenda’s badge and start', () => {
  it('counts what is overdue and due today, not the week', async () => {
    renderApp(book().backend);
    expect(await screen.findByTestId('nav-agenda-badge')).toHaveTextContent('2');
  });

  it('has no badge and leaves the window on the list when nothing is due', async () => {
    const { backend } = book({ ...full, counts: { overdue: 0, today: 0, week: 1, later: 0, quarter: 2 } });
    const counted = vi.mocked(backend.agendaCounts);
    const { user } = renderApp(backend);
    await screen.findByTestId('customer-list');
    await waitFor(() => expect(counted).toHaveBeenCalled());
    expect(screen.queryByTestId('nav-agenda-badge')).toBeNull();
    expect(screen.queryByTestId('agenda-view')).toBeNull();
    // the tab sits right after Customers
    const tabs = [...screen.getByTestId('nav-list').parentElement!.querySelectorAll('button')].map((b) => b.dataset.testid);
    expect(tabs.slice(0, 2)).toEqual(['nav-list', 'nav-agenda']);
    await user.click(screen.getByTestId('nav-agenda'));
    expect(await screen.findByTestId('agenda-section-week')).toBeInTheDocument();
  });

  it('draws no list before it knows whether the window opens on the agenda', async () => {
    const { backend } = book();
    let answer: (due: boolean) => void = () => {};
    vi.mocked(backend.agendaDue).mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    const listed = vi.spyOn(backend, 'listCustomers');
    renderApp(backend);
    await waitFor(() => expect(backend.agendaDue).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('customer-list')).toBeNull();
    answer(true);
    await screen.findByTestId('agenda-view');
    expect(listed).not.toHaveBeenCalled();
    expect(document.documentElement.dataset.startView).toBe('agenda');
  });

  it('opens on the agenda only at start: going back to the list stays there', async () => {
    const { user } = renderApp(book().backend);
    await screen.findByTestId('agenda-view');
    await user.click(screen.getByTestId('nav-list'));
    await screen.findByTestId('customer-list');
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('agenda-view')).toBeNull();
  });

  it('does not open on the agenda again when the page is reloaded in the same window', async () => {
    const first = renderApp(book().backend);
    await screen.findByTestId('agenda-view');
    expect(document.documentElement.dataset.startView).toBe('agenda');
    first.unmount();
    renderApp(book().backend);
    await screen.findByTestId('customer-list');
    await waitFor(() => expect(document.documentElement.dataset.startView).toBe('list'));
    expect(screen.queryByTestId('agenda-view')).toBeNull();
  });

  it('says calmly when nothing is due', async () => {
    const { backend } = book(empty);
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-agenda'));
    expect(await screen.findByTestId('agenda-empty')).toHaveTextContent('Nothing due.');
  });
});
