import { screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MembershipOverview } from '../lib/bindings/MembershipOverview';
import type { NamedTierChange } from '../lib/bindings/NamedTierChange';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

afterEach(() => setUiLanguage('en'));

const member = { key: 'member', name: { en: 'Member', zh: '普通会员' } };
const silver = { key: 'silver', name: { en: 'Silver', zh: '银卡' } };
const gold = { key: 'gold', name: { en: 'Gold', zh: '金卡' } };

function change(partial: Partial<NamedTierChange> & Pick<NamedTierChange, 'id' | 'customer_id' | 'customer_name'>): NamedTierChange {
  return { changed_on: '2026-03-02', from: null, to: member, upgrade: true, reason: { kind: 'corrected' }, ...partial };
}

/** Ten customers: five members, three Silver, one Gold, one who is none; 12,450 points owed. */
const overview: MembershipOverview = {
  enabled: true,
  tiers: [
    { tier: member, count: 5 },
    { tier: silver, count: 3 },
    { tier: gold, count: 1 },
  ],
  non_members: 1,
  upgrades_this_month: 4,
  downgrades_this_month: 1,
  recent_changes: [
    change({ id: 9, customer_id: 2, customer_name: 'Beatrice Lang', changed_on: '2026-03-14', from: silver, to: gold }),
    change({ id: 8, customer_id: 1, customer_name: 'Amelia Hart', changed_on: '2026-03-03', from: gold, to: silver, upgrade: false }),
  ],
  points_outstanding: 12450,
  points_liability: '124.50',
  evaluated_on: '2026-03-15',
};

function book() {
  const backend = new FakeBackend([draftOf({ full_name: 'Amelia Hart' }), draftOf({ full_name: 'Beatrice Lang' })]);
  vi.spyOn(backend, 'membershipOverview').mockResolvedValue(overview);
  return backend;
}

describe('the membership overview', () => {
  it('counts the members of each tier with their share, this month’s moves and the points owed', async () => {
    const { user } = renderApp(book());
    await user.click(screen.getByTestId('nav-membership'));
    const view = await screen.findByTestId('membership-view');
    expect(screen.getByTestId('nav-membership')).toHaveAttribute('aria-current', 'page');
    await waitFor(() => expect(within(view).getByTestId('membership-members')).toHaveTextContent('9 customers hold a tier.'));
    // highest first, then those who are no member
    const rows = within(view).getAllByRole('listitem');
    expect(rows.map((row) => row.dataset.testid)).toEqual(['membership-tier-gold', 'membership-tier-silver', 'membership-tier-member', 'membership-non-members']);
    expect(within(view).getByTestId('membership-tier-silver')).toHaveTextContent(/Silver\s*3\s*30 %/);
    expect(within(view).getByTestId('membership-tier-member').querySelector<HTMLElement>('.fill')?.style.width).toBe('50%');
    expect(within(view).getByTestId('membership-non-members-count')).toHaveTextContent('1');
    expect(within(view).getByTestId('membership-upgrades')).toHaveTextContent('4');
    expect(within(view).getByTestId('membership-downgrades')).toHaveTextContent('1');
    expect(within(view).getByTestId('membership-points')).toHaveTextContent('12,450 points');
    expect(within(view).getByTestId('membership-liability')).toHaveTextContent('worth £124.50 when redeemed');

    const changes = within(view).getAllByTestId('membership-change');
    expect(changes.map((row) => within(row).getByTestId('membership-change-tiers').textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Silver → to Gold',
      'Gold → to Silver',
    ]);
    expect(changes.map((row) => within(row).getByTestId('membership-change-direction').textContent)).toEqual(['Upgrade', 'Downgrade']);
    expect(changes[0]).toHaveTextContent('14 Mar 2026');
  });

  it('opens the customer of a change', async () => {
    const { user } = renderApp(book());
    await user.click(screen.getByTestId('nav-membership'));
    const changes = await screen.findAllByTestId('membership-change');
    await user.click(within(changes[1]).getByTestId('membership-change-customer'));
    expect(await screen.findByTestId('customer-name')).toHaveTextContent('Amelia Hart');
  });

  it('reads in Chinese, tiers by their Chinese names and the points in the book’s currency', async () => {
    setUiLanguage('zh');
    const { user } = renderApp(book());
    await user.click(screen.getByTestId('nav-membership'));
    const view = await screen.findByTestId('membership-view');
    await waitFor(() => expect(within(view).getByTestId('membership-tier-gold')).toHaveTextContent('金卡'));
    expect(within(view).getByTestId('membership-points')).toHaveTextContent('12,450 积分');
    expect(within(view).getByTestId('membership-liability')).toHaveTextContent('兑换价值 £124.50');
    expect(within(view).getAllByTestId('membership-change-direction').map((d) => d.textContent)).toEqual(['升级', '降级']);
  });

  it('switched off, says so and opens Settings on the Membership tab', async () => {
    const backend = book();
    vi.spyOn(backend, 'membershipOverview').mockResolvedValue({ ...overview, enabled: false });
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-membership'));
    const off = await screen.findByTestId('membership-off');
    expect(off).toHaveTextContent('The membership programme is switched off');
    expect(screen.queryByTestId('membership-members')).not.toBeInTheDocument();
    await user.click(within(off).getByTestId('membership-switch-on'));
    await screen.findByTestId('settings-dialog');
    expect(screen.getByTestId('settings-tab-membership')).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByTestId('settings-membership')).toBeVisible();
    // the settings button still opens them on the general tab
    await user.click(screen.getByTestId('settings-cancel'));
    await user.click(screen.getByTestId('settings-button'));
    expect(await screen.findByTestId('settings-tab-general')).toHaveAttribute('aria-selected', 'true');
  });
});
