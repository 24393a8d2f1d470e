import { screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErrorPayload } from '../lib/bindings/ErrorPayload';
import type { MembershipRules } from '../lib/bindings/MembershipRules';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { defaultMembershipRules } from '../lib/membership';
import { blankTier, membershipForm, moveTier, readMembershipForm, tierKey } from '../lib/membership-rules';
import { setAmountRegion } from '../lib/money';
import { FakeBackend } from './fakeBackend';
import { renderApp } from './helpers';

afterEach(() => setUiLanguage('en'));

type User = ReturnType<typeof renderApp>['user'];

async function openMembership(user: User) {
  await user.click(screen.getByTestId('settings-button'));
  await screen.findByTestId('settings-dialog');
  await user.click(screen.getByTestId('settings-tab-membership'));
  return screen.findByTestId('settings-membership');
}

const tierRows = () => screen.getAllByTestId('membership-tier');
const names = () => tierRows().map((row) => (within(row).getByTestId('tier-name-en') as HTMLInputElement).value);

async function replace(user: User, input: HTMLElement, text: string) {
  await user.clear(input);
  if (text) await user.type(input, text);
}

async function save(user: User) {
  await user.click(screen.getByTestId('settings-save'));
  await waitFor(() => expect(screen.queryByTestId('settings-dialog')).not.toBeInTheDocument());
}

describe('Settings → Membership', () => {
  it('shows the default tiers lowest first, and saves an edited tier, a new one, a rate and the points as MembershipRules', async () => {
    const backend = new FakeBackend();
    const { user } = renderApp(backend);
    const tab = await openMembership(user);
    expect(screen.getByTestId('settings-tab-membership')).toHaveAttribute('aria-selected', 'true');
    expect(names()).toEqual(['Member', 'Silver', 'Gold']);
    const [member, silver, gold] = tierRows();
    expect(within(member).getByTestId('tier-min-purchases')).toHaveValue('1');
    expect(within(member).getByTestId('tier-window')).toHaveValue('ever');
    expect(within(member).queryByTestId('tier-window-months')).not.toBeInTheDocument();
    expect(within(silver).getByTestId('tier-min-spend')).toHaveValue('20,000.00');
    expect(within(silver).getByTestId('tier-window-months')).toHaveValue('12');
    expect(within(silver).getByTestId('tier-discount')).toHaveValue('15');
    expect(within(gold).getByTestId('tier-name-zh')).toHaveValue('金卡');
    expect(within(gold).getByTestId('tier-free-care')).toBeChecked();
    expect(within(tab).getByTestId('membership-redeem-example')).toHaveTextContent('100 points = £1.00');

    // Silver: £25,000 within 18 months, 12.5 % off
    const spend = within(silver).getByTestId('tier-min-spend');
    await replace(user, spend, '£25,000');
    await user.tab();
    expect(spend).toHaveValue('25,000.00');
    await replace(user, within(silver).getByTestId('tier-window-months'), '18');
    await replace(user, within(silver).getByTestId('tier-discount'), '12.5');

    // a fourth tier, above Gold
    await user.click(within(tab).getByTestId('tier-add'));
    const platinum = tierRows()[3];
    await user.type(within(platinum).getByTestId('tier-name-en'), 'Platinum Plus');
    await user.type(within(platinum).getByTestId('tier-name-zh'), '铂金卡');
    await user.type(within(platinum).getByTestId('tier-min-spend'), '100000');
    await user.type(within(platinum).getByTestId('tier-min-purchases'), '6');
    await user.selectOptions(within(platinum).getByTestId('tier-window'), 'ever');
    await replace(user, within(platinum).getByTestId('tier-discount'), '25');
    await user.type(within(platinum).getByTestId('tier-benefits'), 'Private viewings');
    await user.click(within(platinum).getByTestId('tier-free-care'));

    // USD counts at 0.79; points expire after 36 months; a smaller referral bonus
    expect(within(tab).getByTestId('membership-no-rates')).toBeInTheDocument();
    await user.click(within(tab).getByTestId('rate-add'));
    const rate = within(tab).getByTestId('membership-rate');
    expect(within(rate).getByTestId('rate-currency')).toHaveValue('EUR');
    expect([...within(rate).getByTestId('rate-currency').querySelectorAll('option')].map((o) => o.value)).not.toContain('GBP');
    await user.selectOptions(within(rate).getByTestId('rate-currency'), 'USD');
    await user.type(within(rate).getByTestId('rate-value'), '0.79');
    expect(within(tab).queryByTestId('membership-points_expire_months')).not.toBeInTheDocument();
    await user.click(within(tab).getByTestId('membership-points-expire'));
    await replace(user, within(tab).getByTestId('membership-points_expire_months'), '36');
    await replace(user, within(tab).getByTestId('membership-referral_bonus'), '250');

    await save(user);
    const defaults = defaultMembershipRules();
    expect(backend.settings.membership).toEqual({
      ...defaults,
      tiers: [
        defaults.tiers[0],
        { ...defaults.tiers[1], min_spend: '25000', window_months: 18, discount_percent: '12.5' },
        defaults.tiers[2],
        {
          key: 'platinum-plus',
          name: { en: 'Platinum Plus', zh: '铂金卡' },
          min_spend: '100000',
          min_purchases: 6,
          window_months: null,
          discount_percent: '25',
          benefits: 'Private viewings',
          free_care: true,
        },
      ],
      rates: [{ currency: 'USD', rate: '0.79' }],
      points_expire_months: 36,
      referral_bonus: 250,
    } satisfies MembershipRules);
  });

  it('moves and removes tiers, keeping every key through a rename', async () => {
    const backend = new FakeBackend();
    const { user } = renderApp(backend);
    await openMembership(user);
    const [, silver, gold] = tierRows();
    expect(within(tierRows()[0]).getByTestId('tier-up')).toBeDisabled();
    expect(within(gold).getByTestId('tier-down')).toBeDisabled();
    await user.click(within(gold).getByTestId('tier-up'));
    expect(names()).toEqual(['Member', 'Gold', 'Silver']);
    await user.click(within(silver).getByTestId('tier-down'));
    expect(names()).toEqual(['Member', 'Gold', 'Silver']);
    await user.click(within(tierRows()[0]).getByTestId('tier-down'));
    expect(names()).toEqual(['Gold', 'Member', 'Silver']);
    await user.click(within(tierRows()[1]).getByTestId('tier-remove'));
    expect(names()).toEqual(['Gold', 'Silver']);
    await replace(user, within(tierRows()[0]).getByTestId('tier-name-en'), 'Black Card');
    await save(user);
    expect(backend.settings.membership.tiers.map((tier) => [tier.key, tier.name.en])).toEqual([
      ['gold', 'Black Card'],
      ['silver', 'Silver'],
    ]);

    // a tier added under a name another tier's key holds gets a key of its own
    await openMembership(user);
    await user.click(screen.getByTestId('tier-add'));
    await user.type(within(tierRows()[2]).getByTestId('tier-name-en'), 'Gold');
    await user.type(within(tierRows()[2]).getByTestId('tier-min-purchases'), '10');
    await save(user);
    expect(backend.settings.membership.tiers.map((tier) => tier.key)).toEqual(['gold', 'silver', 'gold-2']);
  });

  it('switched off, says no tier shows anywhere and folds the rules away; saving keeps them', async () => {
    const backend = new FakeBackend();
    const { user } = renderApp(backend);
    const tab = await openMembership(user);
    expect(within(tab).queryByTestId('membership-off-note')).not.toBeInTheDocument();
    await user.click(within(tab).getByTestId('membership-enabled'));
    expect(within(tab).getByTestId('membership-off-note')).toHaveTextContent('no tier, discount or points show anywhere');
    expect(within(tab).queryByTestId('membership-tiers')).not.toBeInTheDocument();
    expect(within(tab).queryByTestId('membership-grace_months')).not.toBeInTheDocument();
    await save(user);
    expect(backend.settings.membership).toEqual({ ...defaultMembershipRules(), enabled: false });

    await openMembership(user);
    expect(screen.getByTestId('membership-enabled')).not.toBeChecked();
    await user.click(screen.getByTestId('membership-enabled'));
    expect(names()).toEqual(['Member', 'Silver', 'Gold']);
  });

  it('places a typing mistake beside its field without asking the book', async () => {
    const backend = new FakeBackend();
    const { user } = renderApp(backend);
    await openMembership(user);
    const purchases = within(tierRows()[1]).getByTestId('tier-min-purchases');
    await user.type(purchases, 'two');
    const grace = screen.getByTestId('membership-grace_months');
    await replace(user, grace, '');
    // saved from the general tab: the membership tab comes back with the first field in error
    await user.click(screen.getByTestId('settings-tab-general'));
    await user.click(screen.getByTestId('settings-save'));
    expect(screen.getByTestId('settings-tab-membership')).toHaveAttribute('aria-selected', 'true');
    expect(purchases).toHaveAttribute('aria-invalid', 'true');
    expect(purchases).toHaveFocus();
    const error = within(tierRows()[1]).getByTestId('field-error');
    expect(error).toHaveAttribute('data-field', 'membership.tiers[1].min_purchases');
    expect(error).toHaveTextContent('Write a whole number, such as 12.');
    expect(grace).toHaveAttribute('aria-invalid', 'true');
    expect(backend.callsOf('updateSettings')).toHaveLength(0);
  });

  it('places the book’s refusal beside the tier’s field, in English and in Chinese', async () => {
    const backend = new FakeBackend();
    const refusal = (field: string, problem: ErrorPayload['problem']): ErrorPayload => ({ code: 'invalid_input', message: 'refused', field, problem });
    const update = vi
      .spyOn(backend, 'updateSettings')
      .mockRejectedValueOnce(refusal('membership.tiers[1].min_spend', { kind: 'tier_without_threshold' }))
      .mockRejectedValueOnce(refusal('membership.rates[0].currency', { kind: 'rate_for_book_currency' }));
    const { user } = renderApp(backend);
    await openMembership(user);
    await replace(user, within(tierRows()[1]).getByTestId('tier-min-spend'), '');
    await user.click(screen.getByTestId('settings-save'));
    const spend = within(tierRows()[1]).getByTestId('tier-min-spend');
    await waitFor(() => expect(spend).toHaveAttribute('aria-invalid', 'true'));
    expect(update.mock.calls[0][0].membership.tiers[1].min_spend).toBeNull();
    const error = within(tierRows()[1]).getByTestId('field-error');
    expect(error).toHaveAttribute('data-field', 'membership.tiers[1].min_spend');
    expect(error).toHaveTextContent('Say what it takes to qualify: a spend, a number of purchases, or both.');
    expect(within(tierRows()[0]).queryByTestId('field-error')).not.toBeInTheDocument();
    expect(screen.getByTestId('settings-dialog')).toBeInTheDocument();

    // moving a tier drops the errors whose row numbers no longer hold
    await user.click(within(tierRows()[2]).getByTestId('tier-up'));
    expect(screen.queryByTestId('field-error')).not.toBeInTheDocument();

    setUiLanguage('zh');
    await user.click(screen.getByTestId('rate-add'));
    await user.type(screen.getByTestId('rate-value'), '7,8');
    await user.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(screen.getByTestId('rate-currency')).toHaveAttribute('aria-invalid', 'true'));
    const rateError = within(screen.getByTestId('membership-rate')).getByTestId('field-error');
    expect(rateError).toHaveAttribute('data-field', 'membership.rates[0].currency');
    expect(rateError).toHaveTextContent('本账簿的货币无需汇率。');
    expect(screen.getByTestId('settings-tab-membership')).toHaveTextContent('会员');
  });
});

describe('the membership form, read back', () => {
  it('round-trips the default rules unchanged', () => {
    expect(readMembershipForm(membershipForm(defaultMembershipRules(), 'GB'))).toEqual({ rules: defaultMembershipRules() });
  });

  it('reads a German book’s amounts and rates with their decimal comma', () => {
    const rules = { ...defaultMembershipRules(), rates: [{ currency: 'USD', rate: '1.125' }] };
    const form = membershipForm(rules, 'DE');
    expect(form.rates[0].rate).toBe('1,125');
    expect(form.tiers[1].min_spend).toBe('20.000,00');
    setAmountRegion('DE');
    try {
      expect(readMembershipForm(form)).toEqual({ rules });
    } finally {
      setAmountRegion('GB');
    }
  });

  it('names each problem by the path the core uses', () => {
    const form = membershipForm(defaultMembershipRules(), 'GB');
    form.tiers[2].discount_percent = 'a fifth';
    form.tiers[0].window_months = 'x';
    form.tiers.push({ ...blankTier(), min_spend: '12,34,5' });
    form.rates.push({ currency: 'USD', rate: '' });
    form.points_expire = true;
    form.points_expire_months = '-3';
    const read = readMembershipForm(form);
    expect('problems' in read && read.problems).toEqual({
      'membership.tiers[2].discount_percent': { key: 'settings.membership.errorPercent' },
      'membership.tiers[3].min_spend': { key: 'problem.amount_groups', value: '12,34,5' },
      'membership.rates[0].rate': { key: 'problem.not_an_amount', value: '' },
      'membership.points_expire_months': { key: 'settings.membership.errorWhole' },
    });
  });

  it('makes a key once from the English name, unique among the tiers', () => {
    expect(tierKey('Platinum Plus', new Set())).toBe('platinum-plus');
    expect(tierKey('Élite  Club!', new Set())).toBe('elite-club');
    expect(tierKey('钻石卡', new Set())).toBe('tier');
    expect(tierKey('Gold', new Set(['gold', 'gold-2']))).toBe('gold-3');
    expect(tierKey('x'.repeat(80), new Set()).length).toBeLessThanOrEqual(40);
    const tiers = membershipForm(defaultMembershipRules()).tiers;
    expect(moveTier(tiers, 0, -1)).toBe(tiers);
    expect(moveTier(tiers, 1, 1).map((tier) => tier.key)).toEqual(['member', 'gold', 'silver']);
  });
});
