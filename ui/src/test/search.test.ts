import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

function book() {
  return new FakeBackend([
    draftOf({
      full_name: 'Anna-Lena Müller',
      company: 'Müller Uhren AG',
      customer_type: 'trade',
      emails: [{ label: 'work', address: 'al@mueller-uhren.ch', primary: true }],
      phones: [{ label: '', number: '+41 44 123 45 67', e164: null, primary: true }],
    }),
    draftOf({
      full_name: 'Hans Müller',
      emails: [{ label: '', address: 'hans@example.com', primary: true }],
    }),
    draftOf({
      full_name: '王小明',
      phones: [{ label: '', number: '138 0013 8000', e164: null, primary: true }],
    }),
  ]);
}

describe('search', () => {
  it('shows results with name, type, company and contact, and opens one with the keyboard', async () => {
    const { user, backend } = renderApp(book());
    const input = screen.getByTestId('search-input');
    await user.click(input);
    await user.type(input, 'müller');

    const results = await screen.findByTestId('search-results');
    const items = within(results).getAllByTestId('search-result');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Anna-Lena Müller');
    expect(items[0]).toHaveTextContent('Trade');
    expect(items[0]).toHaveTextContent('Müller Uhren AG');
    expect(items[0]).toHaveTextContent('al@mueller-uhren.ch');
    expect(items[0]).toHaveTextContent('+41 44 123 45 67');
    // debounced: not one call per keystroke
    expect(backend.callsOf('search').length).toBeLessThan(6);

    await user.keyboard('{ArrowDown}');
    expect(items[1]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');

    expect(await screen.findByTestId('customer-page')).toBeInTheDocument();
    expect(screen.getByTestId('customer-name')).toHaveTextContent('Hans Müller');
    expect(screen.queryByTestId('search-results')).not.toBeInTheDocument();
  });

  it('finds by phone digits and opens a result on click', async () => {
    const { user } = renderApp(book());
    const input = screen.getByTestId('search-input');
    await user.type(input, '13800138');
    const item = await screen.findByTestId('search-result');
    expect(item).toHaveTextContent('王小明');
    await user.click(item);
    expect(await screen.findByTestId('customer-name')).toHaveTextContent('王小明');
  });

  it('Esc closes the dropdown', async () => {
    const { user } = renderApp(book());
    await user.type(screen.getByTestId('search-input'), 'hans');
    await screen.findByTestId('search-results');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('search-results')).not.toBeInTheDocument();
  });

  it('Ctrl+K and Cmd+K focus the search box from anywhere', async () => {
    const { user } = renderApp(book());
    await screen.findAllByTestId('customer-row');
    const input = screen.getByTestId('search-input');
    expect(input).not.toHaveFocus();
    await user.keyboard('{Control>}k{/Control}');
    expect(input).toHaveFocus();

    input.blur();
    fireEvent.keyDown(window, { key: 'k', metaKey: true });
    expect(input).toHaveFocus();
  });

  it('Ctrl+N opens a new customer form and Esc closes it', async () => {
    const { user } = renderApp(book());
    await screen.findAllByTestId('customer-row');
    await user.keyboard('{Control>}n{/Control}');
    expect(await screen.findByTestId('customer-form')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('field-full_name')).toHaveFocus());
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('customer-form')).not.toBeInTheDocument());
    expect(screen.getByTestId('customer-list')).toBeInTheDocument();
  });
});
