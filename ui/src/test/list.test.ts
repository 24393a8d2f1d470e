import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ListQuery } from '../lib/bindings/ListQuery';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

const lastQuery = (b: FakeBackend) => b.callsOf('listCustomers').at(-1)?.args[0] as ListQuery;

describe('customer list', () => {
  it('shows the count of 10,000 customers and renders only a screenful of rows', async () => {
    const backend = FakeBackend.withGenerated(10_000);
    renderApp(backend);

    const count = await screen.findByTestId('customer-count');
    await waitFor(() => expect(count).toHaveTextContent('10,000 customers'));
    expect(count).toHaveAttribute('data-count', '10000');

    const rows = await screen.findAllByTestId('customer-row');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(100);
    expect(rows[0]).toHaveTextContent('Customer 00000');
    expect(rows[0]).toHaveTextContent('c00000@example.com');

    // pages are fetched on demand, 100 rows at a time
    const calls = backend.callsOf('listCustomers').map((c) => c.args[0] as ListQuery);
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(calls.every((q) => q.limit === 100)).toBe(true);
    expect(calls[0]).toMatchObject({ offset: 0, sort: 'name', descending: false, filter: { customer_type: null, tags: [] } });

    // the scroll height covers every row
    const spacer = screen.getByTestId('customer-list').querySelector('.spacer') as HTMLElement;
    expect(spacer.style.height).toBe(`${10_000 * 36}px`);
  });

  it('sorts by clicking headers, toggling direction', async () => {
    const backend = new FakeBackend([
      draftOf({ full_name: 'Bertrand Piccard', company: 'Zenith' }),
      draftOf({ full_name: 'Alice Aubert', company: 'Atelier' }),
    ]);
    const { user } = renderApp(backend);
    await screen.findAllByTestId('customer-row');

    await user.click(screen.getByTestId('sort-company'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'company', descending: false }));
    await user.click(screen.getByTestId('sort-company'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'company', descending: true }));
    await waitFor(() => expect(screen.getAllByTestId('customer-row')[0]).toHaveTextContent('Bertrand Piccard'));

    await user.click(screen.getByTestId('sort-created'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'created', descending: true }));
    await user.click(screen.getByTestId('sort-updated'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'updated' }));
    await user.click(screen.getByTestId('sort-customer_type'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'customer_type', descending: false }));
    await user.click(screen.getByTestId('sort-name'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'name', descending: false }));
  });

  it('filters by type and by tag', async () => {
    const backend = new FakeBackend([
      draftOf({ full_name: 'Ann Retail', tags: ['vip'] }),
      draftOf({ full_name: 'Tom Trade', customer_type: 'trade' }),
      draftOf({ full_name: 'Cleo Collector', customer_type: 'collector', tags: ['vip', 'rolex'] }),
    ]);
    const { user } = renderApp(backend);
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('3 customers'));

    await user.selectOptions(screen.getByTestId('filter-type'), 'trade');
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('1 customer'));
    expect(lastQuery(backend).filter.customer_type).toBe('trade');
    expect(screen.getAllByTestId('customer-row')).toHaveLength(1);
    expect(screen.getByTestId('customer-row')).toHaveTextContent('Tom Trade');

    await user.selectOptions(screen.getByTestId('filter-type'), '');
    const tagSelect = screen.getByTestId('filter-tag');
    await waitFor(() => expect(within(tagSelect).getByRole('option', { name: 'vip (2)' })).toBeInTheDocument());
    await user.selectOptions(tagSelect, 'vip');
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('2 customers'));
    expect(lastQuery(backend)).toMatchObject({ filter: { tags: ['vip'], customer_type: null } });
  });

  it('opens a customer by click and by keyboard', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'Ada Lovelace' }), draftOf({ full_name: 'Blaise Pascal' })]);
    const { user } = renderApp(backend);
    const rows = await screen.findAllByTestId('customer-row');
    await user.click(rows[1]);
    expect(await screen.findByTestId('customer-name')).toHaveTextContent('Blaise Pascal');

    await user.click(screen.getByTestId('nav-customers'));
    const list = await screen.findByTestId('customer-list');
    await screen.findAllByTestId('customer-row');
    list.focus();
    await user.keyboard('{ArrowDown}{ArrowUp}{Enter}');
    expect(await screen.findByTestId('customer-name')).toHaveTextContent('Ada Lovelace');
  });

  it('shows the empty state for an empty book, with a way to add someone', async () => {
    const { user } = renderApp(new FakeBackend());
    const empty = await screen.findByTestId('empty-state');
    expect(empty).toHaveTextContent('No customers yet — import a visitor log or add one');
    await user.click(within(empty).getByRole('button'));
    expect(await screen.findByTestId('customer-form')).toBeInTheDocument();
  });

  it('shows an error banner when the list cannot be read', async () => {
    const backend = new FakeBackend([draftOf({ full_name: 'X' })]);
    backend.failNext.listCustomers = { code: 'storage', message: 'The book file is locked.', field: null, problem: null };
    renderApp(backend);
    expect(await screen.findByTestId('error-banner')).toHaveTextContent('The book file is locked.');
  });
});

describe('a new day', () => {
  it('reads the list and its segment counts again when the shell evaluated the whole book by itself', async () => {
    const backend = FakeBackend.withGenerated(30);
    renderApp(backend);
    await screen.findAllByTestId('customer-row');
    await waitFor(() => expect(backend.callsOf('segmentCounts').length).toBeGreaterThan(0));
    const lists = backend.callsOf('listCustomers').length;
    const counts = backend.callsOf('segmentCounts').length;
    backend.standingChanged();
    await waitFor(() => expect(backend.callsOf('listCustomers').length).toBeGreaterThan(lists));
    await waitFor(() => expect(backend.callsOf('segmentCounts').length).toBeGreaterThan(counts));
  });
});

describe('the list keeps its place', () => {
  it('going back from a customer restores the scroll, the highlighted row, the sort and the filter, drawn at once', async () => {
    const backend = FakeBackend.withGenerated(300);
    const { user } = renderApp(backend);
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('300 customers'));

    await user.selectOptions(screen.getByTestId('filter-type'), 'retail');
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('100 customers'));
    await user.click(screen.getByTestId('sort-name'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'name', descending: true, filter: { customer_type: 'retail' } }));
    await waitFor(() => expect(screen.getAllByTestId('customer-row')[0]).toHaveTextContent('Customer 00297'));

    const list = screen.getByTestId('customer-list');
    list.scrollTop = 14 * 36;
    list.dispatchEvent(new Event('scroll'));
    const row21 = await waitFor(() => {
      const row = list.querySelector<HTMLElement>('#row-21');
      expect(row).not.toBeNull();
      return row as HTMLElement;
    });
    const name = row21.querySelector('.name')?.textContent ?? '';
    expect(name).toBe('Customer 00234');
    await user.click(row21);
    expect(await screen.findByTestId('customer-name')).toHaveTextContent(name);

    const callsBefore = backend.callsOf('listCustomers').length;
    // The list is read again slowly: until then the rows shown before must be drawn, not a blank.
    const read = backend.listCustomers.bind(backend);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    backend.listCustomers = async (query) => {
      await gate;
      return read(query);
    };
    await user.click(screen.getByRole('button', { name: 'Back' }));
    const back = screen.getByTestId('customer-list');
    expect(screen.getByTestId('customer-count')).toHaveTextContent('100 customers');
    expect(back.querySelectorAll('[data-testid="customer-row"]').length).toBeGreaterThan(10);
    expect(back.querySelector('.placeholder')).toBeNull();
    await waitFor(() => expect(back.scrollTop).toBe(14 * 36));
    const active = back.querySelector<HTMLElement>('[aria-selected="true"]');
    expect(active?.id).toBe('row-21');
    expect(active).toHaveTextContent(name);
    expect(document.activeElement).toBe(back);
    expect(screen.getByTestId('filter-type')).toHaveValue('retail');
    expect(screen.getByTestId('sort-name')).toHaveClass('on');
    release();
    // …and read again behind them, with the same sort and filter, from where the list stands.
    await waitFor(() => expect(backend.callsOf('listCustomers').length).toBeGreaterThan(callsBefore));
    expect(lastQuery(backend)).toMatchObject({ sort: 'name', descending: true, filter: { customer_type: 'retail' }, offset: 0 });
  });

  it('a changed sort still starts from the top', async () => {
    const backend = FakeBackend.withGenerated(300);
    const { user } = renderApp(backend);
    await screen.findAllByTestId('customer-row');
    const list = screen.getByTestId('customer-list');
    list.scrollTop = 40 * 36;
    list.dispatchEvent(new Event('scroll'));
    await user.click(screen.getByTestId('sort-company'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'company', offset: 0 }));
    expect(list.scrollTop).toBe(0);
  });
});
