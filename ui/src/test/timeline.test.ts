import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { CustomerStory } from '../lib/bindings/CustomerStory';
import { blankItem } from '../lib/entries';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { countByKind, countByYear, ENTRY_KINDS, filterTimeline, mergeTimeline, SHORT_STORY, timelineRows, type TimelineKind } from '../lib/timeline';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

const THIS_YEAR = new Date().getFullYear();
/** The story's years: this one and the eleven before it. */
const YEARS = Array.from({ length: 12 }, (_, i) => THIS_YEAR - i);

type Lists = Pick<CustomerStory, 'purchases' | 'notes' | 'interactions' | 'wishes' | 'satisfaction'>;

/**
 * `count` entries of a long-standing collector, the kinds in turn (so 1,000 gives 200 of each)
 * and 84 to a year from this year back (the oldest year holds what is left).
 */
function longStory(count: number): Lists {
  const lists: Lists = { purchases: [], notes: [], interactions: [], wishes: [], satisfaction: [] };
  for (let i = 0; i < count; i++) {
    const kind = ENTRY_KINDS[i % ENTRY_KINDS.length];
    const year = YEARS[Math.min(Math.floor(i / 84), YEARS.length - 1)];
    const date = `${year}-${String(12 - (i % 12)).padStart(2, '0')}-${String(28 - (i % 28)).padStart(2, '0')}`;
    // ids far from those the fake backend gives entries added in a test
    const base = { id: 10_000 + i, customer_id: 1, created_at: `${year}-01-01T10:00:00Z`, updated_at: `${year}-01-01T10:00:00Z` };
    if (kind === 'purchase') {
      lists.purchases.push({
        ...base,
        total: '1000.00',
        paid: '1000.00',
        balance_due: '0.00',
        points_earned: 0,
        purchased_on: date,
        currency: '',
        channel: 'in_store',
        salesperson: '',
        notes: '',
        items: [{ ...blankItem(), brand: 'Rolex', model: `Piece ${i + 1}`, price: '1000.00', discount: '0' }],
        payments: [{ method: 'card', amount: '1000.00', paid_on: date }],
        trade_ins: [],
        collected_on: date,
      });
    } else if (kind === 'note') {
      lists.notes.push({ ...base, category: 'internal', body: `Note ${i + 1}`, pinned: false, noted_on: date });
    } else if (kind === 'interaction') {
      lists.interactions.push({ ...base, kind: 'call', direction: 'outbound', occurred_on: date, summary: `Call ${i + 1}`, outcome: '', campaign: '', response: null });
    } else if (kind === 'wish') {
      lists.wishes.push({
        ...base,
        brand: 'Patek Philippe',
        model: `Wish ${i + 1}`,
        reference_number: '',
        budget_min: null,
        budget_max: null,
        currency: '',
        notes: '',
        status: 'open',
        requested_on: date,
        closed_on: null,
      });
    } else {
      lists.satisfaction.push({ ...base, score: 4, scored_on: date, comment: '' });
    }
  }
  return lists;
}

const context = { currentYear: THIS_YEAR, bookCurrency: 'GBP' };

describe('timeline filters and years', () => {
  const items = mergeTimeline(longStory(1000));

  it('filters by kind and by year, and counts what each choice would show', () => {
    expect(countByKind(items, null)).toEqual({ purchase: 200, note: 200, interaction: 200, wish: 200, satisfaction: 200, standing: 0 });
    const years = countByYear(items, []);
    expect(years.map((y) => y.year)).toEqual(YEARS);
    expect(years.slice(0, 11).every((y) => y.count === 84)).toBe(true);
    expect(years[11].count).toBe(1000 - 11 * 84);

    const notes = filterTimeline(items, { kinds: ['note'], year: null });
    expect(notes).toHaveLength(200);
    expect(notes.every((e) => e.kind === 'note')).toBe(true);

    const twoKinds = filterTimeline(items, { kinds: ['purchase', 'wish'], year: THIS_YEAR - 3 });
    expect(twoKinds.length).toBeGreaterThan(0);
    expect(twoKinds.every((e) => (e.kind === 'purchase' || e.kind === 'wish') && e.date.startsWith(`${THIS_YEAR - 3}-`))).toBe(true);
    // every entry of those kinds in that year, none left out
    expect(twoKinds).toHaveLength(items.filter((e) => (e.kind === 'purchase' || e.kind === 'wish') && e.date.startsWith(`${THIS_YEAR - 3}`)).length);

    // the chips count the chosen year, the years count the chosen kinds
    const inYear = countByKind(items, THIS_YEAR - 3);
    expect(Object.values(inYear).reduce((a, b) => a + b, 0)).toBe(84);
    expect(countByYear(items, ['note']).reduce((sum, y) => sum + y.count, 0)).toBe(200);
  });

  it('a long story opens this year and last; earlier years are closed with their count and sales', () => {
    const rows = timelineRows(items, { kinds: [], year: null }, {}, context);
    const heads = rows.filter((r) => r.type === 'year');
    expect(heads.map((h) => [h.year, h.open])).toEqual(YEARS.map((y) => [y, y >= THIS_YEAR - 1]));
    const closed = heads.find((h) => h.year === THIS_YEAR - 5);
    if (closed?.type !== 'year') throw new Error('a year heading expected');
    expect(closed.summary.count).toBe(84);
    const sales = items.filter((e) => e.kind === 'purchase' && e.date.startsWith(`${THIS_YEAR - 5}-`)).length;
    expect(closed.summary.sales).toBe(sales);
    expect(closed.summary.spent).toEqual([{ currency: 'GBP', total: `${sales * 1000}.00` }]);
    // only the open years' entries are rows
    expect(rows.filter((r) => r.type === 'entry')).toHaveLength(168);
    // a year opened by hand shows its months and entries
    const opened = timelineRows(items, { kinds: [], year: null }, { [THIS_YEAR - 5]: true }, context);
    expect(opened.filter((r) => r.type === 'entry')).toHaveLength(168 + 84);
  });

  it('a short story, or a filter that leaves few entries, shows every year open', () => {
    const short = mergeTimeline(longStory(SHORT_STORY));
    expect(timelineRows(short, { kinds: [], year: null }, {}, context).every((r) => r.type !== 'year' || r.open)).toBe(true);
    // 1,000 entries, a year chosen: that year is open wherever it lies
    const chosen = timelineRows(items, { kinds: [], year: THIS_YEAR - 8 }, {}, context);
    expect(chosen[0]).toMatchObject({ type: 'year', year: THIS_YEAR - 8, open: true });
    expect(chosen.filter((r) => r.type === 'entry')).toHaveLength(84);
  });
});

/** A fake book whose one customer has `count` entries; the page is opened from the list. */
async function openLongStory(count: number) {
  const backend = new FakeBackend([draftOf({ full_name: 'Henrietta Blackwood' }), draftOf({ full_name: 'Arthur Penrose' })]);
  const lists = longStory(count);
  // the fake keeps what a test adds; the long story is given beside it
  const withStory = (story: CustomerStory): CustomerStory =>
    story.customer.id !== 1
      ? story
      : {
          ...story,
          purchases: [...story.purchases, ...lists.purchases],
          notes: [...story.notes, ...lists.notes],
          interactions: [...story.interactions, ...lists.interactions],
          wishes: [...story.wishes, ...lists.wishes],
          satisfaction: [...story.satisfaction, ...lists.satisfaction],
        };
  const getStory = backend.getCustomerStory.bind(backend);
  const addEntry = backend.addEntry.bind(backend);
  backend.getCustomerStory = async (id) => withStory(await getStory(id));
  backend.addEntry = async (id, entry) => withStory(await addEntry(id, entry));
  const r = renderApp(backend);
  await openFromList(r.user, 'Henrietta Blackwood');
  await screen.findByTestId('timeline');
  return r;
}

async function openFromList(user: ReturnType<typeof renderApp>['user'], name: string) {
  const rows = await screen.findAllByTestId('customer-row');
  await user.click(rows.find((row) => row.textContent?.includes(name)) as HTMLElement);
  await waitFor(() => expect(screen.getByTestId('customer-name')).toHaveTextContent(name));
}

const entriesInPage = () => screen.queryAllByTestId('timeline-entry');
const kindsInPage = () => new Set(entriesInPage().map((e) => e.dataset.kind));
const yearsInPage = () => new Set(entriesInPage().map((e) => Number(e.dataset.date?.slice(0, 4))));
const chip = (kind: TimelineKind | 'all') => screen.getByTestId(`timeline-kind-${kind}`);
const yearHead = (year: number) => screen.getAllByTestId('timeline-year-head').find((h) => h.dataset.year === String(year));

describe('a customer page with 1,000 entries', () => {
  it('puts only the rows in view in the page, and others as the dealer scrolls', async () => {
    await openLongStory(1000);
    const list = screen.getByTestId('timeline');
    expect(list).toHaveAttribute('data-shown', '1000');
    await waitFor(() => expect(entriesInPage().length).toBeGreaterThan(3));
    // a 720-pixel view: a screenful and a few either side, never the 168 open entries
    expect(entriesInPage().length).toBeLessThan(30);
    expect(list.querySelectorAll('li').length).toBeLessThan(40);
    const first = entriesInPage()[0].dataset.id;

    const main = document.getElementById('main') as HTMLElement;
    main.scrollTop = 6000;
    await fireEvent.scroll(main);
    await waitFor(() => expect(entriesInPage()[0].dataset.id).not.toBe(first));
    expect(entriesInPage().length).toBeLessThan(30);
  });

  it('chips count each kind and filter by it; the year filters and counts by the kinds chosen', async () => {
    const { user } = await openLongStory(1000);
    expect(chip('all')).toHaveAttribute('aria-pressed', 'true');
    expect(chip('all')).toHaveTextContent('All 1,000');
    for (const kind of ENTRY_KINDS) expect(chip(kind)).toHaveAttribute('data-count', '200');
    expect(chip('purchase')).toHaveTextContent('Sales 200');

    await user.click(chip('note'));
    expect(chip('note')).toHaveAttribute('aria-pressed', 'true');
    expect(chip('all')).toHaveAttribute('aria-pressed', 'false');
    await waitFor(() => expect(kindsInPage()).toEqual(new Set(['note'])));
    expect(screen.getByTestId('timeline')).toHaveAttribute('data-shown', '200');
    expect(screen.getByTestId('timeline-shown')).toHaveTextContent('Showing 200 of 1,000 entries');

    // a second kind adds to the first
    await user.click(chip('wish'));
    await waitFor(() => expect(kindsInPage()).toEqual(new Set(['note', 'wish'])));
    expect(screen.getByTestId('timeline')).toHaveAttribute('data-shown', '400');

    // the year: its entries only, opened though it is an old one; the chips count that year
    const year = THIS_YEAR - 6;
    const select = screen.getByTestId('timeline-year') as HTMLSelectElement;
    const noteWishes = items(1000).filter((e) => (e.kind === 'note' || e.kind === 'wish') && e.date.startsWith(`${year}-`)).length;
    expect([...select.options].find((o) => o.value === String(year))?.textContent).toBe(`${year} (${noteWishes})`);
    await user.selectOptions(select, String(year));
    await waitFor(() => expect(yearsInPage()).toEqual(new Set([year])));
    expect(kindsInPage()).toEqual(new Set(['note', 'wish']));
    expect(screen.getByTestId('timeline')).toHaveAttribute('data-shown', String(noteWishes));
    expect(chip('all')).toHaveAttribute('data-count', '84');
    expect(yearHead(year)).toHaveAttribute('aria-expanded', 'true');

    await user.click(screen.getByTestId('timeline-clear'));
    expect(screen.getByTestId('timeline')).toHaveAttribute('data-shown', '1000');
    expect(chip('all')).toHaveAttribute('aria-pressed', 'true');
    expect(screen.queryByTestId('timeline-shown')).not.toBeInTheDocument();
  });

  it('an earlier year is closed with its count and sales; a click opens it', async () => {
    const { user } = await openLongStory(1000);
    // with only sales shown, every year's heading is near the top
    await user.click(chip('purchase'));
    await waitFor(() => expect(screen.getByTestId('timeline')).toHaveAttribute('data-shown', '200'));
    const year = THIS_YEAR - 4;
    const sales = items(1000).filter((e) => e.kind === 'purchase' && e.date.startsWith(`${year}-`)).length;
    // only 200 entries still make a long story: this year and last open, the rest closed
    expect(yearHead(THIS_YEAR)).toHaveAttribute('aria-expanded', 'true');
    await user.click(yearHead(THIS_YEAR) as HTMLElement);
    await user.click(yearHead(THIS_YEAR - 1) as HTMLElement);
    await waitFor(() => expect(yearHead(year)).toBeDefined());
    const head = yearHead(year) as HTMLElement;
    expect(head).toHaveAttribute('aria-expanded', 'false');
    expect(head).toHaveAttribute('data-count', String(sales));
    expect(within(head).getByTestId('timeline-year-summary')).toHaveTextContent(`${sales} entries · ${sales} sales · £${(sales * 1000).toLocaleString('en-GB')}`);
    expect(yearsInPage().has(year)).toBe(false);

    await user.click(head);
    await waitFor(() => expect(yearsInPage().has(year)).toBe(true));
    expect(yearHead(year)).toHaveAttribute('aria-expanded', 'true');
  });

  it('opens every year at once, and closes the earlier ones again', async () => {
    const { user } = await openLongStory(1000);
    const toggle = screen.getByTestId('timeline-years-toggle');
    expect(toggle).toHaveTextContent('Open all years');
    await user.click(toggle);
    expect(screen.getByTestId('timeline-years-toggle')).toHaveTextContent('Close earlier years');
    // every year's entries are rows now: 1,000 entries, 12 years, a month heading per month
    expect(Number(screen.getByTestId('timeline').dataset.rows)).toBe(1000 + 12 + 12 * 12);
    await user.click(screen.getByTestId('timeline-years-toggle'));
    expect(screen.getByTestId('timeline-years-toggle')).toHaveTextContent('Open all years');
    expect(Number(screen.getByTestId('timeline').dataset.rows)).toBeLessThan(400);
  });

  it('a short story shows every year open, with no switch for them', async () => {
    const { user } = await openLongStory(SHORT_STORY);
    expect(screen.queryByTestId('timeline-years-toggle')).not.toBeInTheDocument();
    expect(screen.getAllByTestId('timeline-year-head').every((h) => h.getAttribute('aria-expanded') === 'true')).toBe(true);
    // closed and opened again by hand: still nothing to switch
    await user.click(yearHead(THIS_YEAR) as HTMLElement);
    expect(screen.getByTestId('timeline-years-toggle')).toHaveTextContent('Open all years');
    await user.click(yearHead(THIS_YEAR) as HTMLElement);
    expect(screen.queryByTestId('timeline-years-toggle')).not.toBeInTheDocument();
  });

  it('keeps the filters while the dealer stays on the customer, and starts afresh on another', async () => {
    const { user } = await openLongStory(1000);
    await user.click(chip('interaction'));
    await user.selectOptions(screen.getByTestId('timeline-year'), String(THIS_YEAR - 2));
    await user.click(yearHead(THIS_YEAR - 2) as HTMLElement);
    expect(yearHead(THIS_YEAR - 2)).toHaveAttribute('aria-expanded', 'false');

    // editing the profile and coming back
    await user.click(screen.getByTestId('edit-customer'));
    await user.click(await screen.findByTestId('cancel-edit'));
    await screen.findByTestId('timeline');
    expect(chip('interaction')).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('timeline-year')).toHaveValue(String(THIS_YEAR - 2));
    expect(yearHead(THIS_YEAR - 2)).toHaveAttribute('aria-expanded', 'false');

    // another customer, then back: everything shown again
    await user.click(screen.getByTestId('nav-list'));
    await openFromList(user, 'Arthur Penrose');
    await user.click(screen.getByTestId('nav-list'));
    await openFromList(user, 'Henrietta Blackwood');
    await screen.findByTestId('timeline');
    expect(chip('all')).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('timeline-year')).toHaveValue('');
  });

  it('an entry just added shows, though the filters or a closed year would hide it', async () => {
    const { user } = await openLongStory(1000);
    await user.click(chip('note'));
    await user.selectOptions(screen.getByTestId('timeline-year'), String(THIS_YEAR - 3));
    await waitFor(() => expect(yearsInPage()).toEqual(new Set([THIS_YEAR - 3])));

    // a sale today: neither a note nor of that year
    await user.click(screen.getByTestId('add-purchase'));
    const form = await screen.findByTestId('entry-form');
    await user.type(within(form).getByTestId('item-brand'), 'Omega');
    await user.type(within(form).getByTestId('item-price'), '500');
    await user.click(screen.getByTestId('entry-save'));
    await waitFor(() => expect(screen.queryByTestId('entry-form')).not.toBeInTheDocument());
    await waitFor(() => expect(chip('all')).toHaveAttribute('aria-pressed', 'true'));
    expect(screen.getByTestId('timeline-year')).toHaveValue('');
    // the sale after years away also moved the customer's standing: those lines came with it
    const moves = Number(chip('standing').dataset.count);
    expect(moves).toBeGreaterThan(0);
    expect(screen.getByTestId('timeline')).toHaveAttribute('data-shown', String(1001 + moves));
    await waitFor(() => expect(entriesInPage().some((e) => e.dataset.kind === 'purchase' && e.textContent?.includes('Omega'))).toBe(true));

    // this year closed by hand, then a note today: the year opens to show it
    await user.click(yearHead(THIS_YEAR) as HTMLElement);
    expect(yearHead(THIS_YEAR)).toHaveAttribute('aria-expanded', 'false');
    await user.click(screen.getByTestId('add-note'));
    await user.type(await screen.findByTestId('note-body'), 'Asked about the new Speedmaster');
    await user.click(screen.getByTestId('entry-save'));
    await waitFor(() => expect(yearHead(THIS_YEAR)).toHaveAttribute('aria-expanded', 'true'));
    await waitFor(() => expect(entriesInPage().some((e) => e.textContent?.includes('Asked about the new Speedmaster'))).toBe(true));
  });

  it('reads in Chinese', async () => {
    setUiLanguage('zh');
    const { user } = await openLongStory(1000);
    expect(chip('all')).toHaveTextContent('全部 1,000');
    expect(chip('purchase')).toHaveTextContent('销售 200');
    expect(chip('interaction')).toHaveTextContent('联系记录 200');
    await user.click(chip('purchase'));
    expect(screen.getByTestId('timeline-shown')).toHaveTextContent('显示 200 条，共 1,000 条记录');
    const head = yearHead(THIS_YEAR) as HTMLElement;
    expect(head).toHaveTextContent(`${THIS_YEAR}年`);
    expect(within(head).getByTestId('timeline-year-summary')).toHaveTextContent(/^\d+ 条记录 · \d+ 笔销售 · £[\d,]+$/);
  });
});

function items(count: number) {
  return mergeTimeline(longStory(count));
}
