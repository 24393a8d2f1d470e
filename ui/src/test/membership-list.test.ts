import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { everyone } from '../lib/audience';
import { activeParts, buildAudience, formFromFilter, partLabel, withoutPart } from '../lib/audience-filter';
import type { ListQuery } from '../lib/bindings/ListQuery';
import type { TierLabel } from '../lib/bindings/TierLabel';
import { defaultMembershipRules } from '../lib/membership';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

const GOLD: TierLabel = { key: 'gold', name: { en: 'Gold', zh: '金卡' } };
const SILVER: TierLabel = { key: 'silver', name: { en: 'Silver', zh: '银卡' } };

/** Three customers, two of them members: the fake evaluates no tiers (the core does), so the rows are stubbed. */
function bookOfMembers(enabled = true) {
  const backend = new FakeBackend([
    draftOf({ full_name: 'Ada Gold' }),
    draftOf({ full_name: 'Ben Silver' }),
    draftOf({ full_name: 'Cleo Nobody' }),
  ]);
  backend.settings = { ...backend.settings, membership: { ...defaultMembershipRules(), enabled } };
  const list = backend.listCustomers.bind(backend);
  const tiers: Record<string, TierLabel> = { 'Ada Gold': GOLD, 'Ben Silver': SILVER };
  backend.listCustomers = vi.fn(async (query: ListQuery) => {
    const page = await list(query);
    return { ...page, rows: page.rows.map((row) => ({ ...row, tier: tiers[row.full_name] ?? null })) };
  });
  return backend;
}

const lastQuery = (backend: FakeBackend) => vi.mocked(backend.listCustomers).mock.calls.at(-1)![0];

describe('the list’s Tier column', () => {
  it('shows each member’s tier as a badge, none for the others, and sorts by tier, highest first', async () => {
    const backend = bookOfMembers();
    const { user } = renderApp(backend);
    await screen.findAllByTestId('customer-row');
    const header = await screen.findByTestId('sort-tier');
    expect(header).toHaveTextContent('Tier');
    const tierOf = (name: string) =>
      within(screen.getAllByTestId('customer-row').find((row) => row.textContent?.includes(name))!).getByTestId('cell-tier');
    expect(tierOf('Ada Gold')).toHaveAttribute('data-tier', 'gold');
    expect(tierOf('Ada Gold')).toHaveTextContent('Gold');
    expect(tierOf('Ben Silver')).toHaveTextContent('Silver');
    expect(tierOf('Cleo Nobody')).toHaveAttribute('data-tier', '');
    expect(tierOf('Cleo Nobody')).toHaveTextContent('');

    await user.click(header);
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'tier', descending: true }));
    await user.click(header);
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ sort: 'tier', descending: false }));
  });

  it('is not there while the programme is off, nor is the tier filter', async () => {
    const backend = bookOfMembers(false);
    const { user } = renderApp(backend);
    await screen.findAllByTestId('customer-row');
    await waitFor(() => expect(backend.callsOf('getSettings').length).toBeGreaterThan(0));
    expect(screen.queryByTestId('sort-tier')).toBeNull();
    expect(screen.queryByTestId('cell-tier')).toBeNull();
    await user.click(screen.getByTestId('filter-more'));
    const panel = await screen.findByTestId('filter-more-panel');
    expect(within(panel).getByTestId('filter-segment-vip')).toBeInTheDocument();
    expect(within(panel).queryByTestId('filter-tier-gold')).toBeNull();
  });
});

describe('the audience by tier', () => {
  it('selects Gold from "More filters", shows it as a chip and removes it', async () => {
    const backend = bookOfMembers();
    const { user } = renderApp(backend);
    await screen.findAllByTestId('customer-row');
    await user.click(screen.getByTestId('filter-more'));
    const panel = await screen.findByTestId('filter-more-panel');
    const gold = await within(panel).findByTestId('filter-tier-gold');
    expect(within(panel).getByTestId('filter-tier-member')).toHaveTextContent('Member');
    await user.click(gold);
    await waitFor(() => expect(lastQuery(backend).filter).toEqual({ ...everyone(), tiers: ['gold'] }));
    expect(gold).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('filter-more')).toHaveTextContent(/More filters\s*1/);
    await user.keyboard('{Escape}');

    const chip = screen.getByTestId('audience-chip');
    expect(chip).toHaveAttribute('data-part', 'tiers');
    expect(chip).toHaveTextContent('Tier: Gold');
    await user.click(within(chip).getByTestId('audience-chip-remove'));
    await waitFor(() => expect(lastQuery(backend).filter.tiers).toEqual([]));
    expect(screen.queryByTestId('audience-chip')).toBeNull();
  });

  it('gives a saved segment the same tier part (one component for every audience)', async () => {
    const backend = bookOfMembers();
    const { user } = renderApp(backend);
    await screen.findAllByTestId('customer-row');
    await user.click(screen.getByTestId('filter-type'));
    await user.selectOptions(screen.getByTestId('filter-type'), 'collector');
    await user.click(screen.getByTestId('segments-menu'));
    await user.click(await screen.findByTestId('segment-save-as'));
    const dialog = await screen.findByTestId('segment-dialog');
    await user.click(within(dialog).getByTestId('segment-more'));
    await user.click(await within(dialog).findByTestId('segment-tier-silver'));
    await user.click(within(dialog).getByTestId('segment-tier-gold'));
    expect(within(dialog).getAllByTestId('audience-chip').map((c) => c.textContent?.replace('×', '').trim())).toContain('Tier: Silver / Gold');
    await user.type(within(dialog).getByTestId('segment-name'), 'Card holders');
    await user.click(within(dialog).getByTestId('segment-save'));
    await waitFor(() => expect(screen.queryByTestId('segment-dialog')).toBeNull());
    expect(backend.callsOf('saveSegment').at(-1)?.args).toEqual([
      null,
      'Card holders',
      { ...everyone(), customer_type: 'collector', tiers: ['silver', 'gold'] },
    ]);
  });

  it('reads tiers to and from the form, names them in the window’s language, and a tier since removed by its key', () => {
    const filter = { ...everyone(), tiers: ['gold', 'platinum'] };
    const built = buildAudience(formFromFilter(filter));
    expect(built.filter).toEqual(filter);
    expect(activeParts(filter)).toEqual([{ part: 'tiers' }]);
    expect(withoutPart(filter, { part: 'tiers' })).toEqual(everyone());
    const tiers = defaultMembershipRules().tiers;
    expect(partLabel({ part: 'tiers' }, filter, { currency: 'GBP', saved: [], tiers })).toBe('Tier: Gold / platinum');
    setUiLanguage('zh');
    try {
      expect(partLabel({ part: 'tiers' }, filter, { currency: 'GBP', saved: [], tiers })).toBe('会员等级：金卡 / platinum');
    } finally {
      setUiLanguage('en');
    }
  });
});
