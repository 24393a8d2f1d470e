import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

describe('layout and wording at the counter', () => {
  it('a sale reads "In store · by Tom", with a space on each side of every dot, and its payment "Card" beside it', async () => {
    const { user } = renderApp(new FakeBackend([draftOf({ full_name: 'Ada Lovelace' })]));
    await user.click((await screen.findAllByTestId('customer-row'))[0]);
    await user.click(await screen.findByTestId('add-purchase'));
    const form = await screen.findByTestId('entry-form');
    await user.type(within(form).getByTestId('item-brand'), 'Rolex');
    await user.type(within(form).getByTestId('item-price'), '100');
    await user.type(within(form).getByTestId('purchase-salesperson'), 'Tom');
    await user.click(screen.getByTestId('entry-save'));
    const sale = await screen.findByTestId('timeline-entry');
    await waitFor(() => expect(sale.querySelector('.facts')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('In store · by Tom'));
    expect(within(sale).getByTestId('sale-payment')).toHaveTextContent('Card');
  });

  it('with the settings open, no tab shows as the current one and the settings button does', async () => {
    const { user } = renderApp(new FakeBackend());
    await user.click(screen.getByTestId('settings-button'));
    await screen.findByTestId('settings-cancel');
    for (const tab of ['nav-list', 'nav-wishes', 'nav-import', 'nav-mailing', 'nav-backups']) {
      expect(screen.getByTestId(tab)).not.toHaveAttribute('aria-current');
    }
    expect(screen.getByTestId('settings-button')).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByTestId('settings-cancel'));
    expect(screen.getByTestId('nav-list')).toHaveAttribute('aria-current', 'page');
  });
});

describe('tags in the customer list', () => {
  it('shows as many whole chips as the cell holds and counts the rest, all of them in the tooltip', async () => {
    // jsdom lays nothing out: a tags cell 130 px wide, each visible chip (and the "+N") 60 px.
    const chipsShown = (el: HTMLElement) => [...el.querySelectorAll('.tag')].filter((chip) => !(chip as HTMLElement).hidden).length;
    const scroll = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'scrollWidth');
    const client = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth');
    Object.defineProperty(HTMLElement.prototype, 'scrollWidth', {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('tags') ? chipsShown(this) * 60 : 0;
      },
    });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('tags') ? 130 : 0;
      },
    });
    try {
      renderApp(new FakeBackend([draftOf({ full_name: 'Ada Lovelace', tags: ['VIP', 'Patek collector', 'Fair 2026', 'Newsletter'] })]));
      const row = (await screen.findAllByTestId('customer-row'))[0];
      const cell = row.querySelector('.tags') as HTMLElement;
      const visible = [...cell.querySelectorAll<HTMLElement>('.tag:not(.more)')].filter((chip) => !chip.hidden);
      expect(visible.map((chip) => chip.textContent)).toEqual(['VIP']);
      expect(within(row).getByTestId('tags-more')).toHaveTextContent('+3');
      expect(cell).toHaveAttribute('title', 'VIP, Patek collector, Fair 2026, Newsletter');
      expect(visible[0]).not.toHaveClass('squeezed');
    } finally {
      if (scroll) Object.defineProperty(HTMLElement.prototype, 'scrollWidth', scroll);
      if (client) Object.defineProperty(HTMLElement.prototype, 'clientWidth', client);
    }
  });

  it('a single chip wider than the cell ends in an ellipsis rather than being cut mid-word', async () => {
    const scroll = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'scrollWidth');
    const client = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth');
    // A 50-px cell: the one chip is 80 px wide until it may shrink.
    Object.defineProperty(HTMLElement.prototype, 'scrollWidth', {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('tags') ? (this.querySelector('.squeezed') ? 50 : 80) : 0;
      },
    });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('tags') ? 50 : 0;
      },
    });
    try {
      renderApp(new FakeBackend([draftOf({ full_name: 'Ada Lovelace', tags: ['Newsletter subscriber'] })]));
      const row = (await screen.findAllByTestId('customer-row'))[0];
      const chip = row.querySelector('.tags .tag') as HTMLElement;
      expect(chip).toHaveClass('squeezed');
      expect(chip.hidden).toBe(false);
    } finally {
      if (scroll) Object.defineProperty(HTMLElement.prototype, 'scrollWidth', scroll);
      if (client) Object.defineProperty(HTMLElement.prototype, 'clientWidth', client);
    }
  });
});
