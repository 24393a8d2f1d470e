import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

/** The one question the window asks before typed work would be lost. */
async function discardQuestion() {
  const dialog = await screen.findByTestId('confirm-dialog');
  expect(dialog).toHaveTextContent('Discard what you typed?');
  return dialog;
}

describe('typed work is never lost without asking', () => {
  it('a half-filled new customer: another tab asks; keep editing keeps it, discard leaves', async () => {
    const { user, backend } = renderApp(new FakeBackend());
    await user.click(screen.getByTestId('new-customer-button'));
    await screen.findByTestId('customer-form');
    await user.type(screen.getByTestId('field-full_name'), 'Grace Wilson');
    await user.type(screen.getByTestId('phone-number-0'), '07911 100200');

    await user.click(screen.getByTestId('nav-import'));
    const asked = await discardQuestion();
    await user.click(within(asked).getByTestId('cancel-delete'));
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    expect(screen.getByTestId('field-full_name')).toHaveValue('Grace Wilson');
    expect(screen.getByTestId('phone-number-0')).toHaveValue('07911 100200');

    // Settings, Esc and the window's close button ask the same question.
    await user.click(screen.getByTestId('settings-button'));
    await user.click(within(await discardQuestion()).getByTestId('cancel-delete'));
    await user.keyboard('{Escape}');
    await user.click(within(await discardQuestion()).getByTestId('cancel-delete'));
    backend.requestClose();
    expect(backend.windowClosed).toBe(false);
    await user.click(within(await discardQuestion()).getByTestId('cancel-delete'));
    expect(screen.getByTestId('field-full_name')).toHaveValue('Grace Wilson');

    await user.click(screen.getByTestId('nav-import'));
    await user.click(within(await discardQuestion()).getByTestId('confirm-delete'));
    await screen.findByTestId('import-view');
    expect(backend.calls.some((c) => c.method === 'createCustomer')).toBe(false);
  });

  it('a form only looked at, or dropped with its own Cancel button, leaves without a question', async () => {
    const { user, backend } = renderApp(new FakeBackend([draftOf({ full_name: 'Ada Lovelace' })]));
    await user.click(screen.getByTestId('new-customer-button'));
    await screen.findByTestId('customer-form');
    await user.click(screen.getByTestId('nav-mailing'));
    await screen.findByTestId('mailing-view');

    await user.click(screen.getByTestId('new-customer-button'));
    await user.type(await screen.findByTestId('field-full_name'), 'Typed then dropped');
    await user.click(screen.getByTestId('cancel-edit'));
    await screen.findByTestId('mailing-view');
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();

    // The window closes at once when nothing is typed.
    backend.requestClose();
    expect(backend.windowClosed).toBe(true);
  });

  it('closing the window with typed work closes it only once the dealer discards it', async () => {
    const { user, backend } = renderApp(new FakeBackend());
    await user.click(screen.getByTestId('new-customer-button'));
    await user.type(await screen.findByTestId('field-full_name'), 'Half typed');
    backend.requestClose();
    await user.click(within(await discardQuestion()).getByTestId('confirm-delete'));
    await waitFor(() => expect(backend.windowClosed).toBe(true));
    expect(backend.calls.some((c) => c.method === 'closeWindow')).toBe(true);
  });

  it('a half-filled sale: a click outside or Esc asks; keep editing keeps every field', async () => {
    const { user } = renderApp(new FakeBackend([draftOf({ full_name: 'Ada Lovelace' })]));
    await user.click((await screen.findAllByTestId('customer-row'))[0]);
    await screen.findByTestId('timeline-empty');
    await user.click(screen.getByTestId('add-purchase'));
    const form = await screen.findByTestId('entry-form');
    await user.type(within(form).getByTestId('item-brand'), 'Rolex');
    await user.type(within(form).getByTestId('item-model'), 'Submariner');

    const backdrop = form.parentElement as HTMLElement;
    await user.pointer({ keys: '[MouseLeft]', target: backdrop });
    await user.click(within(await discardQuestion()).getByTestId('cancel-delete'));
    expect(within(screen.getByTestId('entry-form')).getByTestId('item-brand')).toHaveValue('Rolex');

    await user.click(within(screen.getByTestId('entry-form')).getByTestId('item-model'));
    await user.keyboard('{Escape}');
    await user.click(within(await discardQuestion()).getByTestId('confirm-delete'));
    await waitFor(() => expect(screen.queryByTestId('entry-form')).toBeNull());
    expect(screen.getByTestId('timeline-empty')).toBeInTheDocument();
  });

  it('in Chinese the question reads naturally', async () => {
    const { user } = renderApp(new FakeBackend());
    const { setUiLanguage } = await import('../lib/i18n/index.svelte');
    setUiLanguage('zh');
    try {
      await user.click(screen.getByTestId('new-customer-button'));
      await user.type(await screen.findByTestId('field-full_name'), '王小明');
      await user.click(screen.getByTestId('nav-import'));
      const dialog = await screen.findByTestId('confirm-dialog');
      expect(dialog).toHaveTextContent('放弃刚才输入的内容？');
      expect(within(dialog).getByTestId('cancel-delete')).toHaveTextContent('继续编辑');
    } finally {
      setUiLanguage('en');
    }
  });
});
