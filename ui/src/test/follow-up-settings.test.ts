import { screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErrorPayload } from '../lib/bindings/ErrorPayload';
import type { FollowUpRules } from '../lib/bindings/FollowUpRules';
import { defaultFollowUpRules } from '../lib/agenda';
import { blankServiceBrand, followUpForm, readFollowUpForm } from '../lib/follow-up-rules';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { FakeBackend } from './fakeBackend';
import { renderApp } from './helpers';

afterEach(() => setUiLanguage('en'));

type User = ReturnType<typeof renderApp>['user'];

async function openFollowUp(user: User) {
  await user.click(screen.getByTestId('settings-button'));
  await screen.findByTestId('settings-dialog');
  await user.click(screen.getByTestId('settings-tab-follow-up'));
  return screen.findByTestId('settings-follow-up');
}

async function replace(user: User, input: HTMLElement, text: string) {
  await user.clear(input);
  if (text) await user.type(input, text);
}

describe('the follow-up rules as the form holds them', () => {
  it('writes the rules into the form and reads them back unchanged', () => {
    const rules = defaultFollowUpRules();
    const form = followUpForm(rules, 'GB');
    expect(form.after_sale_days).toBe('7');
    expect(form.check_in_min_total).toBe('5,000.00');
    expect(form.service_brands[2]).toEqual({ brand: 'Omega', years: '8' });
    expect(readFollowUpForm(form)).toEqual({ rules });
  });

  it('reads amounts as dealers type them, trims brands, and keeps every switch', () => {
    const form = followUpForm({ ...defaultFollowUpRules(), give_back: false, leap_day: 'march1' });
    form.check_in_min_total = '£7,500';
    form.service_brands.push({ brand: '  Patek Philippe ', years: '12' });
    const read = readFollowUpForm(form);
    if (!('rules' in read)) throw new Error('refused');
    expect(read.rules.check_in_min_total).toBe('7500');
    expect(read.rules.give_back).toBe(false);
    expect(read.rules.leap_day).toBe('march1');
    expect(read.rules.service_brands.at(-1)).toEqual({ brand: 'Patek Philippe', years: 12 });
  });

  it('names each refused field by the path the core uses', () => {
    const form = followUpForm(defaultFollowUpRules());
    form.after_sale_days = 'a week';
    form.check_in_min_total = '5,00,000';
    form.service_brands[1].years = '';
    form.service_brands.push(blankServiceBrand(form));
    expect(form.service_brands[3]).toEqual({ brand: '', years: '5' });
    const read = readFollowUpForm(form);
    expect(read).toEqual({
      problems: {
        'follow_up.after_sale_days': { key: 'settings.followUp.errorWhole' },
        'follow_up.check_in_min_total': { key: 'problem.amount_groups', value: '5,00,000' },
        'follow_up.service_brands[1].years': { key: 'settings.followUp.errorWhole' },
        'follow_up.service_brands[3].brand': { key: 'problem.service_brand_missing' },
      },
    });
  });
});

describe('Settings → Follow-up', () => {
  it('switches a rule off, edits its numbers and the brands, and saves them with the book', async () => {
    const backend = new FakeBackend();
    const { user } = renderApp(backend);
    const tab = await openFollowUp(user);
    expect(screen.getByTestId('settings-tab-follow-up')).toHaveAttribute('aria-selected', 'true');
    expect(within(tab).getByTestId('follow-up-rule-after_sale')).toHaveTextContent('A follow-up days after each sale');
    expect(within(tab).getByTestId('follow-up-after_sale_days')).toHaveValue('7');
    expect(within(tab).getByTestId('follow-up-check_in_min_total')).toHaveValue('5,000.00');
    expect(within(tab).getByTestId('follow-up-service-brand-0')).toHaveValue('Rolex');

    const giveBack = within(tab).getByTestId('follow-up-give_back');
    expect(giveBack).toBeChecked();
    await user.click(giveBack);
    expect(giveBack).not.toBeChecked();
    expect(within(tab).getByTestId('follow-up-rule-give_back')).toHaveClass('off');

    await replace(user, within(tab).getByTestId('follow-up-after_sale_days'), '10');
    const threshold = within(tab).getByTestId('follow-up-check_in_min_total');
    await replace(user, threshold, '£10000');
    await user.tab();
    expect(threshold).toHaveValue('10,000.00');
    await replace(user, within(tab).getByTestId('follow-up-key_visit_days'), '45');
    await user.selectOptions(within(tab).getByTestId('follow-up-leap_day'), 'march1');
    await replace(user, within(tab).getByTestId('follow-up-service-years-2'), '9');
    await user.click(within(tab).getByTestId('follow-up-remove-brand-1'));
    await user.click(within(tab).getByTestId('follow-up-add-brand'));
    await user.type(within(tab).getByTestId('follow-up-service-brand-2'), 'Cartier');
    await replace(user, within(tab).getByTestId('follow-up-service-years-2'), '6');
    await replace(user, within(tab).getByTestId('follow-up-service_years'), '4');

    await user.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(screen.queryByTestId('settings-dialog')).not.toBeInTheDocument());
    expect(backend.settings.follow_up).toEqual({
      ...defaultFollowUpRules(),
      after_sale_days: 10,
      check_in_min_total: '10000',
      key_visit_days: 45,
      leap_day: 'march1',
      give_back: false,
      service_years: 4,
      service_brands: [
        { brand: 'Rolex', years: 10 },
        { brand: 'Omega', years: 9 },
        { brand: 'Cartier', years: 6 },
      ],
    } satisfies FollowUpRules);
  });

  it('places a number it cannot read beside its field, and sends nothing', async () => {
    const backend = new FakeBackend();
    const update = vi.spyOn(backend, 'updateSettings');
    const { user } = renderApp(backend);
    const tab = await openFollowUp(user);
    const days = within(tab).getByTestId('follow-up-after_sale_days');
    await replace(user, days, 'seven');
    await user.click(screen.getByTestId('settings-save'));
    const error = await within(tab).findByTestId('field-error');
    expect(error).toHaveAttribute('data-field', 'follow_up.after_sale_days');
    expect(error).toHaveTextContent('Write a whole number, such as 7.');
    expect(days).toHaveAttribute('aria-invalid', 'true');
    expect(update).not.toHaveBeenCalled();
  });

  it('places the book’s refusal beside the brand’s years, on the follow-up tab, in Chinese', async () => {
    setUiLanguage('zh');
    const backend = new FakeBackend();
    const refusal: ErrorPayload = {
      code: 'invalid_input',
      message: 'Use a number from 1 to 50.',
      field: 'follow_up.service_brands[1].years',
      problem: { kind: 'follow_up_number_out_of_range', min: 1, max: 50 },
    };
    vi.spyOn(backend, 'updateSettings').mockRejectedValueOnce(refusal);
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('settings-button'));
    await screen.findByTestId('settings-dialog');
    await user.click(screen.getByTestId('settings-save'));
    const error = await screen.findByTestId('field-error');
    expect(error).toHaveAttribute('data-field', 'follow_up.service_brands[1].years');
    expect(error).toHaveTextContent('1 到 50');
    expect(screen.getByTestId('settings-tab-follow-up')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('follow-up-service-years-1')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('settings-tab-follow-up')).toHaveTextContent('跟进规则');
  });
});
