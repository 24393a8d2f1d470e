import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { CustomerDraft } from '../lib/bindings/CustomerDraft';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

async function openNewForm() {
  const ctx = renderApp(new FakeBackend([draftOf({ full_name: 'Referrer Rita' })]));
  await ctx.user.click(screen.getByTestId('new-customer-button'));
  await screen.findByTestId('customer-form');
  return ctx;
}

const byId = (id: string) => document.getElementById(id) as HTMLInputElement | HTMLSelectElement;

describe('customer form', () => {
  it('submits a complete CustomerDraft', async () => {
    const { user, backend } = await openNewForm();

    await user.type(screen.getByTestId('field-full_name'), '  Dr Anna-Lena Müller ');
    await user.type(byId('f-given_name'), 'Anna-Lena');
    await user.type(byId('f-family_name'), 'Müller');
    await user.selectOptions(screen.getByTestId('field-customer_type'), 'collector');
    await user.type(screen.getByTestId('field-company'), 'Müller Uhren AG');

    await user.type(screen.getByTestId('email-address-0'), 'al@example.com');
    await user.click(screen.getByTestId('add-email'));
    await user.type(screen.getByTestId('email-address-1'), 'anna@work.example');
    await user.type(byId('f-emails-1-label'), 'work');
    // make the second address the primary one
    const emailRadios = document.querySelectorAll<HTMLInputElement>('input[name="email-primary"]');
    await user.click(emailRadios[1]);

    await user.type(screen.getByTestId('phone-number-0'), '020 7946 0000');
    await user.click(screen.getByTestId('add-phone'));
    await user.type(screen.getByTestId('phone-number-1'), '+41 79 555 12 34');

    // year-less birthday
    await user.selectOptions(byId('f-birthday'), '17');
    await user.selectOptions(byId('f-birthday-month'), '5');

    await user.selectOptions(screen.getByTestId('field-language'), 'zh-Hans');
    await user.type(screen.getByTestId('field-wrist_cm'), '18.5');
    await user.type(screen.getByTestId('field-price_min'), '5000');
    await user.type(screen.getByTestId('field-price_max'), '25000.50');

    const tags = screen.getByTestId('field-tags');
    await user.type(tags, 'vip, patek{Enter}rolex');

    await user.selectOptions(screen.getByTestId('consent-email-status'), 'opted_in');
    expect(screen.getByTestId('consent-email-date')).not.toHaveValue('');

    // referred by: pick a customer via search
    await user.type(screen.getByTestId('field-referred_by'), 'rita');
    await user.click(await screen.findByTestId('referred-by-result'));

    await user.click(screen.getByTestId('save-customer'));

    expect(await screen.findByTestId('customer-page')).toBeInTheDocument();
    const draft = backend.callsOf('createCustomer')[0].args[0] as CustomerDraft;
    expect(draft.full_name).toBe('Dr Anna-Lena Müller');
    expect(draft.given_name).toBe('Anna-Lena');
    expect(draft.family_name).toBe('Müller');
    expect(draft.customer_type).toBe('collector');
    expect(draft.company).toBe('Müller Uhren AG');
    expect(draft.emails).toEqual([
      { label: '', address: 'al@example.com', primary: false },
      { label: 'work', address: 'anna@work.example', primary: true },
    ]);
    expect(draft.phones).toEqual([
      { label: '', number: '020 7946 0000', e164: null, primary: true },
      { label: '', number: '+41 79 555 12 34', e164: null, primary: false },
    ]);
    expect(draft.birthday).toBe('--05-17');
    expect(draft.language).toBe('zh-Hans');
    expect(draft.wrist_cm).toBe('18.5');
    expect(draft.preferences.price_min).toBe('5000');
    expect(draft.preferences.price_max).toBe('25000.50');
    expect(typeof draft.wrist_cm).toBe('string');
    expect(draft.tags).toEqual(['vip', 'patek', 'rolex']);
    expect(draft.referred_by).toBe(1);
    expect(draft.ring_size).toBeNull();
    expect(draft.consents).toHaveLength(4);
    expect(draft.consents[0]).toMatchObject({ channel: 'email', status: 'opted_in' });
    expect(draft.consents[0].date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(draft.consents[1]).toEqual({ channel: 'sms', status: 'unknown', date: null, source: '' });

    // the page shows what was saved
    expect(screen.getByTestId('customer-name')).toHaveTextContent('Dr Anna-Lena Müller');
    expect(screen.getByTestId('customer-birthday')).toHaveTextContent('17 May');
    expect(screen.getByTestId('customer-phones')).toHaveTextContent('020 7946 0000');
    expect(screen.getByTestId('customer-phones')).toHaveTextContent('+41 79 555 12 34');
    expect(screen.getByTestId('customer-emails')).toHaveTextContent('anna@work.example');
    expect(screen.getByText('Referrer Rita')).toBeInTheDocument();
  });

  it('shows a backend field error next to the field concerned, and a summary', async () => {
    const { user, backend } = await openNewForm();
    await user.type(screen.getByTestId('field-full_name'), 'Wang Xiaoming');
    await user.type(screen.getByTestId('phone-number-0'), '12');
    await user.click(screen.getByTestId('save-customer'));

    const error = await screen.findByTestId('field-error');
    expect(error).toHaveAttribute('data-field', 'phones[0].number');
    expect(error).toHaveTextContent('“12” is not a phone number.');
    // next to the phone input: in the same entry
    const phoneInput = screen.getByTestId('phone-number-0');
    expect(phoneInput.parentElement).toContainElement(error);
    expect(phoneInput).toHaveAttribute('aria-invalid', 'true');
    expect(phoneInput).toHaveFocus();
    expect(screen.getByTestId('error-summary')).toHaveTextContent('Phone number 1');
    expect(backend.callsOf('createCustomer')).toHaveLength(1);
    expect(screen.getByTestId('customer-form')).toBeInTheDocument();
  });

  it('maps errors to the right row when blank rows were left out', async () => {
    const { user } = await openNewForm();
    await user.type(screen.getByTestId('field-full_name'), 'Someone');
    await user.click(screen.getByTestId('add-email'));
    await user.type(screen.getByTestId('email-address-1'), 'not-an-email');
    await user.click(screen.getByTestId('save-customer'));
    const error = await screen.findByTestId('field-error');
    expect(error).toHaveAttribute('data-field', 'emails[1].address');
  });

  it('requires a full name without calling the backend', async () => {
    const { user, backend } = await openNewForm();
    await user.click(screen.getByTestId('save-customer'));
    const error = await screen.findByTestId('field-error');
    expect(error).toHaveAttribute('data-field', 'full_name');
    expect(backend.callsOf('createCustomer')).toHaveLength(0);
  });

  it('disables Save while saving', async () => {
    const { user, backend } = await openNewForm();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const original = backend.createCustomer.bind(backend);
    backend.createCustomer = async (d) => {
      await gate;
      return original(d);
    };
    await user.type(screen.getByTestId('field-full_name'), 'Slow Save');
    await user.click(screen.getByTestId('save-customer'));
    await waitFor(() => expect(screen.getByTestId('save-customer')).toBeDisabled());
    release();
    expect(await screen.findByTestId('customer-page')).toBeInTheDocument();
  });

  it('edits an existing customer with its values filled in', async () => {
    const backend = new FakeBackend([
      draftOf({
        full_name: '王小明',
        birthday: '1984-05-17',
        phones: [{ label: 'mobile', number: '138 0013 8000', e164: null, primary: true }],
        tags: ['vip'],
        wrist_cm: '16',
        preferences: { brands: ['Cartier'], styles: [], materials: [], price_min: null, price_max: '80000', currency: 'HKD' },
      }),
    ]);
    const { user } = renderApp(backend);
    await user.click(await screen.findByTestId('customer-row'));
    await user.click(await screen.findByTestId('edit-customer'));
    const form = await screen.findByTestId('customer-form');
    await waitFor(() => expect(screen.getByTestId('field-full_name')).toHaveValue('王小明'));
    expect(screen.getByTestId('phone-number-0')).toHaveValue('138 0013 8000');
    expect(within(form).getByText('vip')).toBeInTheDocument();
    expect(byId('f-birthday-year')).toHaveValue('1984');

    await user.clear(screen.getByTestId('field-company'));
    await user.type(screen.getByTestId('field-company'), 'Hang Seng Watches');
    await user.click(screen.getByTestId('save-customer'));
    await screen.findByTestId('customer-page');

    const [id, draft] = backend.callsOf('updateCustomer')[0].args as [number, CustomerDraft];
    expect(id).toBe(1);
    expect(draft.company).toBe('Hang Seng Watches');
    expect(draft.birthday).toBe('1984-05-17');
    expect(draft.tags).toEqual(['vip']);
    expect(draft.preferences).toEqual({
      brands: ['Cartier'],
      styles: [],
      materials: [],
      price_min: null,
      price_max: '80000',
      currency: 'HKD',
    });
  });

  it('cancel returns without saving', async () => {
    const { user, backend } = await openNewForm();
    await user.type(screen.getByTestId('field-full_name'), 'Never Mind');
    await user.click(screen.getByTestId('cancel-edit'));
    expect(await screen.findByTestId('customer-list')).toBeInTheDocument();
    expect(backend.callsOf('createCustomer')).toHaveLength(0);
  });
});
