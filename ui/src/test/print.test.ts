import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { blankItem } from '../lib/entries';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { cardFileName, fileSlug, labelsFileName, receiptFileName } from '../lib/print';
import type { Consent } from '../lib/bindings/Consent';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

const postOptIn = (): Consent[] => [{ channel: 'post', status: 'opted_in', date: '2026-01-10', source: 'shop counter' }];
const address = (street: string) => [
  { label: '', street, city: 'London', region: '', postal_code: 'W1S 1AA', country: 'GB', primary: true },
];

function book() {
  return new FakeBackend([
    draftOf({ full_name: 'Ann Archer', addresses: address('1 Bond Street'), consents: postOptIn() }),
    draftOf({ full_name: 'Bob Baker', addresses: address('2 Quay Road'), consents: postOptIn() }),
    draftOf({
      full_name: 'Rita Refuser',
      addresses: address('9 No Road'),
      consents: [{ channel: 'post', status: 'opted_out', date: '2026-01-10', source: 'phone' }],
    }),
  ]);
}

describe('printing: file names', () => {
  it('names files after the customer, any script kept, and the day', () => {
    expect(fileSlug('Dr Anna-Lena Müller')).toBe('dr-anna-lena-müller');
    expect(fileSlug('王 小明')).toBe('王-小明');
    expect(fileSlug(' #set ] ')).toBe('set');
    expect(fileSlug('***')).toBe('customer');
    expect(labelsFileName('5160', '2026-05-01')).toBe('labels-5160-2026-05-01.pdf');
    const customer = { id: 7, full_name: 'Ann Archer' } as Parameters<typeof receiptFileName>[0];
    expect(receiptFileName(customer, 42)).toBe('receipt-42-ann-archer.pdf');
    expect(cardFileName(customer, '2026-05-01')).toBe('card-ann-archer-2026-05-01.pdf');
  });
});

describe('printing: address labels from the mailing screen', () => {
  it('offers labels only for post, prints the postal list on the chosen sheet and says where', async () => {
    const backend = book();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-mailing'));
    await waitFor(() => expect(screen.getByTestId('mailing-count-rows')).toBeInTheDocument());
    expect(screen.queryByTestId('print-labels')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('mailing-channel-post'));
    await waitFor(() => expect(screen.getByTestId('mailing-count-rows')).toHaveTextContent('2'));
    await user.selectOptions(screen.getByTestId('labels-layout'), '5160');
    await user.click(screen.getByTestId('print-labels'));

    const notice = await screen.findByTestId('mailing-notice');
    expect(notice).toHaveTextContent('Printed 2 labels to /home/dealer/Desktop/print.pdf.');
    expect(backend.callsOf('chooseLabelsFile')[0].args[0]).toMatch(/^labels-5160-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(backend.callsOf('printLabels')[0].args[1]).toBe('5160');
    expect(backend.printed.get('/home/dealer/Desktop/print.pdf')).toEqual({
      kind: 'labels',
      layout: '5160',
      names: ['Ann Archer', 'Bob Baker'],
    });

    await user.click(screen.getByTestId('mailing-channel-email'));
    expect(screen.queryByTestId('print-labels')).not.toBeInTheDocument();
  });

  it('prints nothing when the dealer closes the save dialog', async () => {
    const backend = book();
    backend.pdfFile = null;
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-mailing'));
    await user.click(await screen.findByTestId('mailing-channel-post'));
    await waitFor(() => expect(screen.getByTestId('mailing-count-rows')).toHaveTextContent('2'));
    await user.click(screen.getByTestId('print-labels'));
    await waitFor(() => expect(backend.callsOf('chooseLabelsFile')).toHaveLength(1));
    expect(backend.callsOf('printLabels')).toHaveLength(0);
    expect(screen.queryByTestId('mailing-notice')).not.toBeInTheDocument();
  });
});

describe('printing: a customer card and a receipt from the customer page', () => {
  async function withSale() {
    const backend = book();
    await backend.addEntry(1, {
      kind: 'purchase',
      draft: {
        purchased_on: '2026-04-18',
        currency: 'GBP',
        channel: 'in_store',
        salesperson: '',
        notes: '',
        items: [{ ...blankItem(), brand: 'Rolex', serial_number: '7H2K4591', price: '9150', discount: '0' }],
        payments: [],
        trade_ins: [],
        collected_on: null,
      },
    });
    return backend;
  }

  it('prints the card in the window’s language and the sale’s receipt in the customer’s', async () => {
    const backend = await withSale();
    const { user } = renderApp(backend);
    await user.click((await screen.findAllByTestId('customer-row'))[0]);
    await screen.findByTestId('customer-page');

    setUiLanguage('zh');
    await user.click(screen.getByTestId('print-card'));
    expect(await screen.findByTestId('app-notice')).toHaveTextContent('已保存到 /home/dealer/Desktop/print.pdf 并打开。');
    expect(backend.callsOf('chooseCardFile')[0].args[0]).toMatch(/^card-ann-archer-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(backend.printed.get('/home/dealer/Desktop/print.pdf')).toEqual({ kind: 'card', id: 1, language: 'zh' });
    setUiLanguage('en');

    const sale = screen.getAllByTestId('timeline-entry').find((entry) => entry.dataset.kind === 'purchase')!;
    expect(screen.getAllByTestId('entry-print-receipt')).toHaveLength(1);
    await user.click(within(sale).getByTestId('entry-print-receipt'));
    const saleId = Number(sale.dataset.id);
    await waitFor(() => expect(backend.callsOf('printReceipt')).toHaveLength(1));
    expect(backend.callsOf('chooseReceiptFile')[0].args[0]).toBe(`receipt-${saleId}-ann-archer.pdf`);
    expect(backend.printed.get('/home/dealer/Desktop/print.pdf')).toEqual({ kind: 'receipt', id: saleId, language: null });
    expect(screen.getByTestId('app-notice')).toHaveTextContent('Saved to /home/dealer/Desktop/print.pdf and opened.');
  });

  it('shows what the core refused', async () => {
    const backend = await withSale();
    const { user } = renderApp(backend);
    await user.click((await screen.findAllByTestId('customer-row'))[0]);
    await screen.findByTestId('customer-page');
    backend.customers.delete(1);
    await user.click(screen.getByTestId('print-card'));
    await waitFor(() => expect(document.body).toHaveTextContent('customer 1 does not exist'));
    expect(backend.printed.size).toBe(0);
  });
});

describe('printing: the shop on the receipt', () => {
  it('keeps the shop’s name, address and phone in the book’s settings', async () => {
    const backend = book();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('settings-button'));
    const dialog = await screen.findByTestId('settings-dialog');
    await user.type(await within(dialog).findByTestId('settings-shop-name'), 'Maison Horlogère');
    await user.type(within(dialog).getByTestId('settings-shop-address'), '14 Burlington Arcade{Enter}London W1J 0QJ');
    await user.type(within(dialog).getByTestId('settings-shop-phone'), '020 7946 0000');
    await user.click(within(dialog).getByTestId('settings-save'));
    await waitFor(() => expect(screen.queryByTestId('settings-dialog')).not.toBeInTheDocument());
    expect(backend.settings).toMatchObject({
      shop_name: 'Maison Horlogère',
      shop_address: '14 Burlington Arcade\nLondon W1J 0QJ',
      shop_phone: '020 7946 0000',
    });
  });
});
