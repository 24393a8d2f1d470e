import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { createTauriBackend } from '../lib/gateway';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { FakeBackend } from './fakeBackend';
import { renderApp } from './helpers';

async function openAbout(backend: FakeBackend) {
  const rendered = renderApp(backend);
  await rendered.user.click(screen.getByTestId('settings-button'));
  const dialog = await screen.findByTestId('settings-dialog');
  await rendered.user.click(within(dialog).getByTestId('settings-tab-about'));
  return { ...rendered, about: await within(dialog).findByTestId('settings-about') };
}

describe('Settings → About', () => {
  it('calls the about and log folder commands by their exact names', async () => {
    const invoke = vi.fn(async () => null);
    const backend = createTauriBackend(invoke as never);
    await backend.aboutLoupe();
    await backend.openLogFolder();
    expect(invoke.mock.calls).toEqual([['about_loupe'], ['open_log_folder']]);
  });

  it('shows the version, the book, its size with the WAL and its schema, read when the tab opens', async () => {
    const backend = new FakeBackend([]);
    const { about } = await openAbout(backend);
    await waitFor(() => expect(within(about).getByTestId('about-version')).toHaveTextContent('Loupe 0.1.0'));
    expect(within(about).getByTestId('about-book-path')).toHaveTextContent('/home/dealer/Loupe/book.sqlite3');
    // 1,228,800 + 8,240 bytes: decimal units, as the file manager shows them.
    expect(within(about).getByTestId('about-book-size')).toHaveTextContent('1.2 MB (file 1.2 MB, recent writes 8.2 kB)');
    expect(within(about).getByTestId('about-schema')).toHaveTextContent(/^13$/);
    expect(backend.callsOf('aboutLoupe')).toHaveLength(1);
    // Only the tab asks: the general tab, open first, did not.
    expect(backend.callsOf('openLogFolder')).toHaveLength(0);
  });

  it('opens the log folder and says which', async () => {
    const backend = new FakeBackend([]);
    const { about, user } = await openAbout(backend);
    expect(within(about).queryByTestId('about-logs-opened')).not.toBeInTheDocument();
    await user.click(within(about).getByTestId('about-open-logs'));
    await waitFor(() =>
      expect(within(about).getByTestId('about-logs-opened')).toHaveTextContent(
        'Opened /home/dealer/.local/share/app.loupe.desktop/logs',
      ),
    );
    expect(backend.callsOf('openLogFolder')).toHaveLength(1);
  });

  it('says why the log folder could not be opened', async () => {
    const backend = new FakeBackend([]);
    backend.openLogFolder = async () => {
      throw { code: 'io', message: 'no file manager to open /home/dealer/logs', field: null, problem: null };
    };
    const { about, user } = await openAbout(backend);
    await user.click(within(about).getByTestId('about-open-logs'));
    expect(await within(about).findByRole('alert')).toHaveTextContent('no file manager to open /home/dealer/logs');
    expect(within(about).queryByTestId('about-logs-opened')).not.toBeInTheDocument();
  });

  it('is in Chinese when the window is', async () => {
    setUiLanguage('zh');
    const backend = new FakeBackend([]);
    const { about } = await openAbout(backend);
    expect(screen.getByTestId('settings-tab-about')).toHaveTextContent('关于');
    await waitFor(() => expect(within(about).getByTestId('about-book-size')).toHaveTextContent('（文件'));
    expect(within(about).getByTestId('about-open-logs')).toHaveTextContent('打开日志文件夹');
  });
});
