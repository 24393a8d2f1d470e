import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { everyone } from '../lib/audience';
import {
  activeParts,
  buildAudience,
  cleared,
  emptyAudienceForm,
  formFromFilter,
  hiddenActiveCount,
  partLabel,
  sameAudience,
  withoutPart,
} from '../lib/audience-filter';
import type { CustomerFilter } from '../lib/bindings/CustomerFilter';
import type { ListQuery } from '../lib/bindings/ListQuery';
import type { MailingFilter } from '../lib/bindings/MailingFilter';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

const lastQuery = (b: FakeBackend) => b.callsOf('listCustomers').at(-1)?.args[0] as ListQuery;
const context = { currency: 'GBP', saved: [] };

describe('the audience filter: form and filter', () => {
  it('reads standing parts into the filter in a fixed order, minimum RFM only when a score is above 1', () => {
    const built = buildAudience({
      ...emptyAudienceForm(),
      segments: ['new', 'vip'],
      valueClasses: ['ordinary', 'key'],
      rfmGroups: ['champions'],
      influence: ['public_figure', 'reviewer'],
      likes: '  pearls ',
      savedSegment: 4,
    });
    expect(built.errors).toBeNull();
    expect(built.filter).toEqual({
      ...everyone(),
      segments: ['vip', 'new'],
      value_classes: ['key', 'ordinary'],
      rfm_groups: ['champions'],
      influence: ['reviewer', 'public_figure'],
      likes: 'pearls',
      saved_segment: 4,
    });
    expect(buildAudience({ ...emptyAudienceForm(), minF: 3 }).filter?.min_rfm).toEqual({ r: 1, f: 3, m: 1 });
    expect(buildAudience(emptyAudienceForm()).filter?.min_rfm).toBeNull();
  });

  it('reads amounts as dealers type them and refuses what cannot be read, naming the field', () => {
    expect(buildAudience({ ...emptyAudienceForm(), minSpend: '£5,000', maxSpend: "12'500.50" }).filter).toMatchObject({
      min_spend: '5000',
      max_spend: '12500.50',
    });
    const refused = buildAudience({ ...emptyAudienceForm(), minSpend: '1,23,456', notBoughtSince: '31/02/2026' });
    expect(refused.filter).toBeNull();
    expect(refused.errors?.min_spend).toContain('groups its digits other than in threes');
    expect(refused.errors?.not_bought_since).toBe('This is not a date.');
    expect(buildAudience({ ...emptyAudienceForm(), minSpend: '-5' }).errors).toEqual({ min_spend: 'Type an amount, like 5000 or 2500.50.' });
  });

  it('keeps the search it was given, and a filter read back into the form builds the same filter', () => {
    const filter: CustomerFilter = {
      ...everyone(),
      customer_type: 'trade',
      tags: ['Fair 2026'],
      min_spend: '2500.5',
      segments: ['at_risk'],
      min_rfm: { r: 2, f: 1, m: 4 },
      search: 'rolex',
    };
    const again = buildAudience(formFromFilter(filter), filter.search).filter!;
    expect(sameAudience(again, filter)).toBe(true);
    expect(sameAudience({ ...filter, tags: [] }, filter)).toBe(false);
    expect(cleared(filter)).toEqual({ ...everyone(), search: 'rolex' });
  });

  it('lists the parts in use as chips, each removable on its own, and counts those behind "More filters"', () => {
    const filter: CustomerFilter = {
      ...everyone(),
      customer_type: 'collector',
      tags: ['vip', 'rolex'],
      segments: ['vip', 'at_risk'],
      min_rfm: { r: 4, f: 1, m: 3 },
      min_spend: '5000',
      likes: 'pearls',
      saved_segment: 2,
    };
    const parts = activeParts(filter);
    expect(parts.map((p) => p.part)).toEqual(['saved_segment', 'segments', 'customer_type', 'tag', 'tag', 'min_rfm', 'likes', 'spend']);
    expect(hiddenActiveCount(filter)).toBe(4);
    const labels = parts.map((p) => partLabel(p, filter, { ...context, saved: [{ id: 2, name: 'Pearl lovers', filter: everyone(), count: 3, updated_at: '' }] }));
    expect(labels).toEqual([
      'Saved segment: Pearl lovers',
      'Segment: VIP / At risk',
      'Type: Collector',
      'Tag: vip',
      'Tag: rolex',
      'RFM R ≥ 4, M ≥ 3',
      'Likes: pearls',
      'Spend from £5,000.00',
    ]);
    expect(withoutPart(filter, { part: 'tag', tag: 'vip' }).tags).toEqual(['rolex']);
    expect(withoutPart(filter, { part: 'spend' })).toMatchObject({ min_spend: null, max_spend: null });
    expect(withoutPart(filter, { part: 'min_rfm' }).min_rfm).toBeNull();
  });

  it('words the chips in Chinese', () => {
    setUiLanguage('zh');
    try {
      const filter = { ...everyone(), segments: ['vip' as const], value_classes: ['key' as const] };
      expect(activeParts(filter).map((p) => partLabel(p, filter, context))).toEqual(['分组：贵宾', '价值：重点']);
    } finally {
      setUiLanguage('en');
    }
  });
});

describe('the list: standing columns, sorts and counts', () => {
  it('shows each row’s segment, value class, RFM digits and influence stars', async () => {
    const backend = FakeBackend.withGenerated(24);
    renderApp(backend);
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('24 customers'));
    const rowOf = (name: string) => screen.getAllByTestId('customer-row').find((r) => r.textContent?.includes(name))!;
    await waitFor(() => expect(rowOf('Customer 00005')).toBeTruthy());

    // i % 12 = 5: 24,500 spent in the last six months, a trade professional.
    const vip = rowOf('Customer 00005');
    expect(within(vip).getByTestId('cell-segment')).toHaveTextContent('VIP');
    expect(within(vip).getByTestId('cell-value')).toHaveAttribute('data-value-class', 'key');
    expect(within(vip).getByTestId('cell-rfm')).toHaveTextContent(/^[1-5]{3}$/);
    expect(within(vip).getByTestId('cell-rfm').textContent).toBe('424');
    expect(within(vip).getByRole('img')).toHaveAttribute('aria-label', 'Trade professional: 4 stars');
    expect(within(vip).getByRole('img').querySelectorAll('svg.on')).toHaveLength(4);

    // A prospect has no value class, no RFM and, with no influence, no stars.
    const prospect = rowOf('Customer 00000');
    expect(within(prospect).getByTestId('cell-segment')).toHaveTextContent('Prospect');
    expect(within(prospect).getByTestId('cell-value').textContent?.trim()).toBe('');
    expect(within(prospect).getByTestId('cell-rfm').textContent?.trim()).toBe('');
    expect(within(prospect).queryByRole('img')).toBeNull();
  });

  it('sorts by segment, value class, RFM and influence', async () => {
    const backend = FakeBackend.withGenerated(24);
    const { user } = renderApp(backend);
    await screen.findAllByTestId('customer-row');

    await user.click(screen.getByTestId('sort-segment'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'segment', descending: false }));
    await waitFor(() => expect(within(screen.getAllByTestId('customer-row')[0]).getByTestId('cell-segment')).toHaveTextContent('VIP'));

    await user.click(screen.getByTestId('sort-rfm'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'rfm', descending: true }));
    await waitFor(() => expect(within(screen.getAllByTestId('customer-row')[0]).getByTestId('cell-rfm')).toHaveTextContent('532'));

    await user.click(screen.getByTestId('sort-influence'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'influence', descending: true }));
    await waitFor(() => expect(within(screen.getAllByTestId('customer-row')[0]).getByTestId('cell-influence')).toHaveAttribute('data-influence', 'public_figure'));

    await user.click(screen.getByTestId('sort-value_class'));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'value_class', descending: false }));
    await waitFor(() => expect(within(screen.getAllByTestId('customer-row')[0]).getByTestId('cell-value')).toHaveAttribute('data-value-class', 'key'));
  });

  it('reads the segment counts and the tag choices only once the first rows came, the chips waiting for their numbers', async () => {
    const backend = FakeBackend.withGenerated(24);
    const firstPage = backend.listCustomers.bind(backend);
    let letThrough: () => void = () => {};
    vi.spyOn(backend, 'listCustomers').mockImplementationOnce(
      (query) => new Promise((resolve) => (letThrough = () => resolve(firstPage(query)))),
    );
    const segmentCounts = backend.segmentCounts.bind(backend);
    let countsThrough: () => void = () => {};
    vi.spyOn(backend, 'segmentCounts').mockImplementationOnce(
      (filter) => new Promise((resolve) => (countsThrough = () => resolve(segmentCounts(filter)))),
    );
    renderApp(backend);
    await waitFor(() => expect(backend.listCustomers).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 50));
    expect(backend.segmentCounts).not.toHaveBeenCalled();
    expect(backend.callsOf('listTags')).toHaveLength(0);
    expect(screen.queryByTestId('segment-counts')).toBeNull();

    letThrough();
    await screen.findAllByTestId('customer-row');
    await waitFor(() => expect(backend.segmentCounts).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(backend.callsOf('listTags')).toHaveLength(1));
    // Drawn where they will stay, so the rows do not move when the numbers come.
    const chips = screen.getByTestId('segment-counts');
    expect(chips).toHaveAttribute('aria-busy', 'true');
    expect(within(chips).getByTestId('segment-count-vip')).not.toHaveAttribute('data-count');
    expect(within(chips).getByTestId('segment-count-vip')).toHaveTextContent(/^VIP$/);

    countsThrough();
    await waitFor(() => expect(within(chips).getByTestId('segment-count-vip')).toHaveAttribute('data-count', '4'));
    expect(chips).toHaveAttribute('aria-busy', 'false');
  });

  it('counts each segment at the top; a chip shows only that segment and, clicked again, everyone', async () => {
    const backend = FakeBackend.withGenerated(24);
    const { user } = renderApp(backend);
    const counts = await screen.findByTestId('segment-counts');
    await waitFor(() => expect(within(counts).getByTestId('segment-count-vip')).toHaveAttribute('data-count', '4'));
    const shown = Object.fromEntries(
      within(counts)
        .getAllByRole('button')
        .map((b) => [b.dataset.testid?.replace('segment-count-', ''), Number(b.dataset.count)]),
    );
    expect(shown).toEqual({ vip: 4, regular: 6, new: 4, at_risk: 2, lapsed: 2, prospect: 6 });
    expect(within(counts).getByTestId('segment-count-at_risk')).toHaveTextContent(/^At risk\s*2$/);

    await user.click(within(counts).getByTestId('segment-count-new'));
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('4 customers'));
    expect(lastQuery(backend).filter.segments).toEqual(['new']);
    expect(within(counts).getByTestId('segment-count-new')).toHaveAttribute('aria-pressed', 'true');
    for (const row of screen.getAllByTestId('customer-row')) expect(within(row).getByTestId('cell-segment')).toHaveTextContent('New');
    // The other chips keep their counts (the counts leave the segment part out).
    expect(backend.callsOf('segmentCounts').at(-1)?.args[0]).toMatchObject({ segments: [] });
    expect(within(counts).getByTestId('segment-count-vip')).toHaveAttribute('data-count', '4');
    expect(screen.getByTestId('audience-chip')).toHaveTextContent('Segment: New');

    // Another filter narrows the counts too.
    await user.selectOptions(screen.getByTestId('filter-type'), 'retail');
    await waitFor(() => expect(within(counts).getByTestId('segment-count-prospect')).toHaveAttribute('data-count', '2'));

    await user.click(within(counts).getByTestId('segment-count-new'));
    await waitFor(() => expect(lastQuery(backend).filter.segments).toEqual([]));
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('8 customers'));
  });

  it('filters from "More filters", shows the part as a chip, removes it, and refuses an unreadable amount beside its field', async () => {
    const backend = FakeBackend.withGenerated(24);
    const { user } = renderApp(backend);
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('24 customers'));

    await user.click(screen.getByTestId('filter-more'));
    const panel = await screen.findByTestId('filter-more-panel');
    await user.click(within(panel).getByTestId('filter-value-key'));
    await waitFor(() => expect(lastQuery(backend).filter.value_classes).toEqual(['key']));
    await user.click(within(panel).getByTestId('filter-influence-public_figure'));
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('0 customers'));
    await user.click(within(panel).getByTestId('filter-influence-public_figure'));
    await waitFor(() => expect(lastQuery(backend).filter.influence).toEqual([]));

    const callsBefore = backend.callsOf('listCustomers').length;
    await user.type(within(panel).getByTestId('filter-min-spend'), 'lots');
    expect(await within(panel).findByText('Type an amount, like 5000 or 2500.50.')).toHaveAttribute('data-field', 'min_spend');
    expect(within(panel).getByTestId('filter-min-spend')).toHaveAttribute('aria-invalid', 'true');
    expect(backend.callsOf('listCustomers').slice(callsBefore).every((c) => (c.args[0] as ListQuery).filter.min_spend === null)).toBe(true);
    await user.clear(within(panel).getByTestId('filter-min-spend'));
    await user.type(within(panel).getByTestId('filter-min-spend'), '£10,000');
    await waitFor(() => expect(lastQuery(backend).filter.min_spend).toBe('10000'));
    expect(screen.getByTestId('filter-more')).toHaveTextContent(/More filters\s*2/);
    await user.keyboard('{Escape}');

    const chips = screen.getAllByTestId('audience-chip').map((c) => c.textContent?.replace('×', '').trim());
    expect(chips).toEqual(['Value: Key', 'Spend from £10,000.00']);
    await user.click(within(screen.getAllByTestId('audience-chip')[0]).getByTestId('audience-chip-remove'));
    await waitFor(() => expect(lastQuery(backend).filter).toMatchObject({ value_classes: [], min_spend: '10000' }));
    await user.click(screen.getByTestId('filter-clear'));
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('24 customers'));
    expect(screen.queryByTestId('audience-chip')).toBeNull();
  });
});

describe('saved segments', () => {
  it('saves the filter under a name, refuses a name in use beside the field, shows it, changes it and deletes it', async () => {
    const backend = FakeBackend.withGenerated(24);
    const { user } = renderApp(backend);
    await screen.findByTestId('segment-counts');

    // Nothing to save while the list shows everyone.
    await user.click(screen.getByTestId('segments-menu'));
    expect(await screen.findByTestId('segment-save-as')).toBeDisabled();
    expect(screen.getByTestId('segments-panel')).toHaveTextContent('No saved segments yet.');
    await user.keyboard('{Escape}');

    await user.click(screen.getByTestId('segment-count-vip'));
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('4 customers'));
    await user.click(screen.getByTestId('segments-menu'));
    await user.click(await screen.findByTestId('segment-save-as'));
    const dialog = await screen.findByTestId('segment-dialog');
    await waitFor(() => expect(within(dialog).getByTestId('segment-count')).toHaveTextContent('4 customers at the moment'));

    // Saved meanwhile elsewhere (the loupe command): the core's refusal lands beside the name.
    await backend.saveSegment(null, 'Best clients', everyone());
    await user.type(within(dialog).getByTestId('segment-name'), 'best CLIENTS');
    await user.click(within(dialog).getByTestId('segment-save'));
    const error = await within(dialog).findByTestId('field-error');
    expect(error).toHaveAttribute('data-field', 'name');
    expect(error).toHaveTextContent('best CLIENTS is listed twice.');
    expect(within(dialog).getByTestId('segment-name')).toHaveAttribute('aria-invalid', 'true');

    await user.clear(within(dialog).getByTestId('segment-name'));
    await user.type(within(dialog).getByTestId('segment-name'), 'Our VIPs');
    await user.click(within(dialog).getByTestId('segment-save'));
    await waitFor(() => expect(screen.queryByTestId('segment-dialog')).toBeNull());
    expect(backend.callsOf('saveSegment').at(-1)?.args).toEqual([null, 'Our VIPs', { ...everyone(), segments: ['vip'] }]);
    expect(await screen.findByTestId('app-notice')).toHaveTextContent('Saved the segment “Our VIPs”.');

    // Shown from the menu: the list's filter becomes the saved segment, with its live count.
    await user.click(screen.getByTestId('segment-count-vip'));
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('24 customers'));
    await user.click(screen.getByTestId('segments-menu'));
    const ours = (await screen.findAllByTestId('saved-segment')).find((li) => li.textContent?.includes('Our VIPs'))!;
    expect(within(ours).getByTestId('saved-segment-count')).toHaveTextContent('4 customers');
    await user.click(within(ours).getByTestId('saved-segment-show'));
    await waitFor(() => expect(lastQuery(backend).filter).toEqual({ ...everyone(), saved_segment: 2 }));
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('4 customers'));
    expect(screen.getByTestId('audience-chip')).toHaveTextContent('Saved segment: Our VIPs');
    expect(screen.getByTestId('filter-saved')).toHaveValue('2');

    // Changed: renamed and widened to the new customers too; the list showing it reads it again.
    await user.click(screen.getByTestId('segments-menu'));
    const again = (await screen.findAllByTestId('saved-segment')).find((li) => li.textContent?.includes('Our VIPs'))!;
    await user.click(within(again).getByTestId('saved-segment-edit'));
    const edit = await screen.findByTestId('segment-dialog');
    expect(within(edit).getByTestId('segment-name')).toHaveValue('Our VIPs');
    expect(within(edit).queryByRole('option', { name: /Our VIPs/ })).toBeNull();
    await user.clear(within(edit).getByTestId('segment-name'));
    await user.type(within(edit).getByTestId('segment-name'), 'VIPs and new');
    await user.click(within(edit).getByTestId('segment-segment-new'));
    await waitFor(() => expect(within(edit).getByTestId('segment-count')).toHaveTextContent('8 customers at the moment'));
    await user.click(within(edit).getByTestId('segment-save'));
    await waitFor(() => expect(screen.queryByTestId('segment-dialog')).toBeNull());
    expect(backend.callsOf('saveSegment').at(-1)?.args).toEqual([2, 'VIPs and new', { ...everyone(), segments: ['vip', 'new'] }]);
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('8 customers'));
    expect(screen.getByTestId('audience-chip')).toHaveTextContent('Saved segment: VIPs and new');

    // Deleted after a confirmation: the list no longer filters by it.
    await user.click(screen.getByTestId('segments-menu'));
    const doomed = (await screen.findAllByTestId('saved-segment')).find((li) => li.textContent?.includes('VIPs and new'))!;
    await user.click(within(doomed).getByTestId('saved-segment-delete'));
    const confirm = await screen.findByTestId('confirm-dialog');
    expect(confirm).toHaveTextContent('Delete the segment “VIPs and new”?');
    await user.click(within(confirm).getByTestId('confirm-delete'));
    await waitFor(() => expect(backend.callsOf('deleteSegment')).toHaveLength(1));
    expect(backend.segments.has(2)).toBe(false);
    await waitFor(() => expect(screen.getByTestId('customer-count')).toHaveTextContent('24 customers'));
    expect(lastQuery(backend).filter.saved_segment).toBeNull();
  });
});

describe('mailing lists by standing', () => {
  it('selects by segment, saved segment and likes', async () => {
    const optedIn = [{ channel: 'email' as const, status: 'opted_in' as const, date: '2026-01-10', source: 'shop' }];
    const backend = new FakeBackend([
      draftOf({ full_name: 'Vera Vip', emails: [{ label: '', address: 'vera@example.com', primary: true }], consents: optedIn }),
      draftOf({
        full_name: 'Nina New',
        emails: [{ label: '', address: 'nina@example.com', primary: true }],
        consents: optedIn,
        preferences: { brands: [], styles: [], materials: ['Pearl'], price_min: null, price_max: null, currency: '' },
      }),
      draftOf({ full_name: 'Paul Prospect', emails: [{ label: '', address: 'paul@example.com', primary: true }], consents: optedIn }),
    ]);
    const sale = (amount: string, monthsAgo: number) => {
      const on = new Date();
      on.setUTCMonth(on.getUTCMonth() - monthsAgo);
      const day = on.toISOString().slice(0, 10);
      return {
        kind: 'purchase' as const,
        draft: {
          purchased_on: day,
          currency: '',
          channel: 'in_store' as const,
          salesperson: '',
          notes: '',
          items: [
            {
              category: 'watch' as const,
              brand: 'Rolex',
              model: '',
              reference_number: '',
              serial_number: '',
              material: 'Steel',
              condition: 'new' as const,
              condition_grade: '',
              has_box: true,
              has_papers: true,
              description: '',
              price: amount,
              discount: '0',
            },
          ],
          payments: [{ method: 'card' as const, amount, paid_on: day }],
          trade_ins: [],
          collected_on: day,
        },
      };
    };
    await backend.addEntry(1, sale('30000', 8));
    await backend.addEntry(2, sale('900', 1));
    await backend.saveSegment(null, 'Pearl lovers', { ...everyone(), likes: 'pearl' });

    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-mailing'));
    await waitFor(() => expect(screen.getByTestId('mailing-count-rows')).toHaveTextContent('3'));

    await user.click(screen.getByTestId('mailing-more'));
    await user.click(screen.getByTestId('mailing-segment-vip'));
    await waitFor(() => expect(screen.getByTestId('mailing-count-rows')).toHaveTextContent('1'));
    expect(backend.callsOf('previewMailingList').at(-1)?.args[0]).toMatchObject({ channel: 'email', audience: { segments: ['vip'] } });
    expect(within(screen.getByTestId('mailing-sample')).getByTestId('mailing-sample-row')).toHaveTextContent('vera@example.com');

    await user.click(screen.getByTestId('mailing-segment-new'));
    await waitFor(() => expect(screen.getByTestId('mailing-count-rows')).toHaveTextContent('2'));
    await user.click(screen.getByTestId('mailing-clear'));
    await waitFor(() => expect(screen.getByTestId('mailing-count-rows')).toHaveTextContent('3'));

    await user.selectOptions(screen.getByTestId('mailing-saved'), 'Pearl lovers (1)');
    await waitFor(() => expect(screen.getByTestId('mailing-count-rows')).toHaveTextContent('1'));
    expect((backend.callsOf('previewMailingList').at(-1)?.args[0] as MailingFilter).audience.saved_segment).toBe(1);
    expect(within(screen.getByTestId('mailing-sample')).getByTestId('mailing-sample-row')).toHaveTextContent('nina@example.com');

    await user.click(screen.getByTestId('mailing-export'));
    await screen.findByTestId('mailing-summary');
    expect(backend.exported.get('/home/dealer/Desktop/list.csv')!.rows.map((r) => r.full_name)).toEqual(['Nina New']);
  });
});
