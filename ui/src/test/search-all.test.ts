import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ListQuery } from '../lib/bindings/ListQuery';
import type { PurchaseItem } from '../lib/bindings/PurchaseItem';
import { blankItem } from '../lib/entries';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

const REFERENCE = 'IW371605';
const SERIAL = 'K0010008';

function sale(on: string, item: Partial<PurchaseItem>) {
  return {
    kind: 'purchase' as const,
    draft: {
      purchased_on: on,
      currency: '',
      channel: 'in_store' as const,
      salesperson: '',
      notes: '',
      items: [{ ...blankItem(), price: '9150', discount: '0', ...item }],
      payments: [{ method: 'card' as const, amount: '9150', paid_on: on }],
      trade_ins: [],
      collected_on: on,
    },
  };
}

/** Eleven buyers of one IWC reference, and Grace Wilson's Royal Oak among other sales. */
async function shop() {
  const names = Array.from({ length: 11 }, (_, n) => `Buyer ${String(n).padStart(2, '0')}`);
  const backend = new FakeBackend([...names, 'Grace Wilson'].map((full_name) => draftOf({ full_name })));
  for (let id = 1; id <= 11; id++) {
    await backend.addEntry(id, sale(`2025-0${(id % 9) + 1}-01`, { brand: 'IWC', model: 'Portugieser', reference_number: REFERENCE }));
  }
  await backend.addEntry(12, sale('2024-02-02', { brand: 'Rolex', model: 'Submariner', reference_number: '124060' }));
  const royalOak = await backend.addEntry(
    12,
    sale('2025-06-16', { brand: 'Audemars Piguet', model: 'Royal Oak', reference_number: '15500ST', serial_number: SERIAL }),
  );
  await backend.addEntry(12, sale('2023-05-05', { brand: 'Omega', model: 'Speedmaster' }));
  const royalOakId = royalOak.purchases.find((p) => p.items[0].serial_number === SERIAL)!.id;
  return { backend, royalOakId };
}

const lastQuery = (b: FakeBackend) => b.callsOf('listCustomers').at(-1)?.args[0] as ListQuery;

describe('search shows everything it found', () => {
  it('groups customers and pieces, counts every match, and the arrow keys walk both groups and "See all"', async () => {
    const { backend } = await shop();
    const { user } = renderApp(backend);
    await user.type(screen.getByTestId('search-input'), REFERENCE);

    const results = await screen.findByTestId('search-results');
    const groups = within(results).getAllByTestId('search-group');
    expect(groups.map((g) => g.textContent)).toEqual(['Customers', 'Pieces']);
    expect(within(results).getAllByTestId('search-result')).toHaveLength(8);
    const pieces = within(results).getAllByTestId('search-piece');
    expect(pieces).toHaveLength(5);
    expect(pieces[0]).toHaveTextContent('Portugieser');
    expect(pieces[0]).toHaveTextContent(REFERENCE);
    expect(pieces[0]).toHaveTextContent(/sold \d+ \w+ 2025/);
    const seeAll = within(results).getByTestId('search-see-all');
    expect(seeAll).toHaveTextContent('See all 11 customers');

    // Every line is one step of the arrow keys: 8 customers, 5 pieces, then "See all".
    const options = within(results).getAllByRole('option');
    expect(options).toHaveLength(14);
    await user.keyboard('{ArrowDown}'.repeat(8));
    expect(pieces[0]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}'.repeat(5));
    expect(seeAll).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('search-input')).toHaveAttribute('aria-activedescendant', seeAll.id);
    await user.keyboard('{ArrowDown}');
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowUp}');
    expect(seeAll).toHaveAttribute('aria-selected', 'true');
  });

  it('shows the best customers before every match is counted, and never an older text\'s count', async () => {
    const { backend } = await shop();
    const counts: { text: string; resolve: (n: number) => void }[] = [];
    vi.spyOn(backend, 'countMatches').mockImplementation(
      (text) => new Promise((resolve) => counts.push({ text, resolve })),
    );
    const { user } = renderApp(backend);
    await user.type(screen.getByTestId('search-input'), 'Buyer');

    const results = await screen.findByTestId('search-results');
    await waitFor(() => expect(within(results).getAllByTestId('search-result')).toHaveLength(8));
    expect(within(results).queryByTestId('search-see-all')).not.toBeInTheDocument();
    await waitFor(() => expect(counts.map((c) => c.text)).toContain('Buyer'));

    // A narrower text is typed before the count arrives: the old count is dropped.
    await user.type(screen.getByTestId('search-input'), ' 0');
    await waitFor(() => expect(counts.map((c) => c.text)).toContain('Buyer 0'));
    counts.find((c) => c.text === 'Buyer 0')!.resolve(10);
    const seeAll = await within(results).findByTestId('search-see-all');
    expect(seeAll).toHaveTextContent('See all 10 customers');
    counts.find((c) => c.text === 'Buyer')!.resolve(11);
    await new Promise((settled) => setTimeout(settled, 50));
    expect(seeAll).toHaveTextContent('See all 10 customers');
  });

  it('"See all" opens the list filtered by the search, with a removable chip and its count', async () => {
    const { backend } = await shop();
    const { user } = renderApp(backend);
    await screen.findAllByTestId('customer-row');
    await user.selectOptions(screen.getByTestId('filter-type'), 'collector');
    await user.type(screen.getByTestId('search-input'), REFERENCE);
    await user.click(await screen.findByTestId('search-see-all'));

    const chip = await screen.findByTestId('search-chip');
    expect(chip).toHaveTextContent(`Search: ${REFERENCE}`);
    // Only the search filters it, so the list holds exactly the number "See all" said.
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ filter: { search: REFERENCE, customer_type: null, tags: [] } }));
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('11 customers'));
    expect(screen.getAllByTestId('customer-row')).toHaveLength(11);
    expect(screen.getByTestId('search-input')).toHaveValue('');

    // The list's sort still works with it.
    await user.click(screen.getByTestId('sort-name'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ filter: { search: REFERENCE }, sort: 'name', descending: true }));
    await waitFor(() => expect(screen.getAllByTestId('customer-row')[0]).toHaveTextContent('Buyer 10'));

    await user.click(screen.getByTestId('search-chip-remove'));
    expect(screen.queryByTestId('search-chip')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('12 customers'));
    expect(lastQuery(backend).filter.search).toBeNull();
  });

  it('a serial puts its piece first; Enter opens the owner scrolled to that sale, marked for a moment', async () => {
    const { backend, royalOakId } = await shop();
    const scrolled = vi.spyOn(Element.prototype, 'scrollIntoView');
    const { user } = renderApp(backend);
    await user.type(screen.getByTestId('search-input'), SERIAL.slice(0, 6));

    const results = await screen.findByTestId('search-results');
    expect(within(results).getAllByTestId('search-group').map((g) => g.textContent)).toEqual(['Pieces', 'Customers']);
    const piece = within(results).getByTestId('search-piece');
    expect(piece).toHaveTextContent(`Royal Oak · ${SERIAL} · sold 16 Jun 2025`);
    expect(piece).toHaveTextContent('Grace Wilson');
    expect(within(results).queryByTestId('search-see-all')).not.toBeInTheDocument();
    expect(piece).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');

    expect(await screen.findByTestId('customer-name')).toHaveTextContent('Grace Wilson');
    const sales = await screen.findAllByTestId('timeline-entry');
    const target = sales.find((el) => el.dataset.kind === 'purchase' && el.dataset.id === String(royalOakId))!;
    await waitFor(() => expect(scrolled.mock.contexts).toContain(target));
    expect(target).toHaveAttribute('data-sale-focus');
    scrolled.mockRestore();
  });

  it('speaks Chinese', async () => {
    setUiLanguage('zh');
    const { backend } = await shop();
    const { user } = renderApp(backend);
    await user.type(screen.getByTestId('search-input'), REFERENCE);
    const results = await screen.findByTestId('search-results');
    expect(within(results).getAllByTestId('search-group').map((g) => g.textContent)).toEqual(['客户', '已售商品']);
    expect(within(results).getByTestId('search-see-all')).toHaveTextContent('查看全部 11 位客户');
    expect(within(results).getAllByTestId('search-piece')[0]).toHaveTextContent(/2025年\d+月\d+日 售出/);
    await user.click(within(results).getByTestId('search-see-all'));
    expect(await screen.findByTestId('search-chip')).toHaveTextContent(`搜索：${REFERENCE}`);
  });

  it('the form\'s "referred by" box stays a plain list of customers', async () => {
    const { backend } = await shop();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('new-customer-button'));
    await user.type(await screen.findByTestId('field-referred_by'), REFERENCE);
    const results = await screen.findByTestId('referred-by-results');
    expect(within(results).getAllByTestId('referred-by-result')).toHaveLength(6);
    expect(within(results).queryByTestId('search-piece')).not.toBeInTheDocument();
    expect(within(results).queryByTestId('search-see-all')).not.toBeInTheDocument();
    expect(backend.callsOf('search')).toHaveLength(0);
  });
});
