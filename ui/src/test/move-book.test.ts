import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { bookIsEmpty, manifestStats, rowsOf, totalRows } from '../lib/transfer';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

const person = (name: string, email: string) => draftOf({ full_name: name, emails: [{ label: '', address: email, primary: true }] });

function shop() {
  return new FakeBackend([person('Alice Collector', 'alice@example.com'), person('Bob Buyer', 'bob@example.com')]);
}

const stat = (el: HTMLElement, key: string) => el.querySelector(`[data-stat=${key}]`)?.textContent?.trim();

async function openBackups(backend: FakeBackend) {
  const r = renderApp(backend);
  await r.user.click(screen.getByTestId('nav-backups'));
  await screen.findByTestId('book-move');
  return r;
}

describe('moving the book: small rules', () => {
  it('reads what a folder holds from its manifest, table by table', () => {
    const backend = new FakeBackend();
    const manifest = backend.addBookFolder('/x', [person('A', 'a@example.com'), person('B', 'b@example.com')]);
    expect(rowsOf(manifest, 'customers')).toBe(2);
    expect(rowsOf(manifest, 'no_such_table')).toBe(0);
    const stats = manifestStats(manifest);
    expect(stats.customers).toBe(2);
    expect(stats.emails).toBe(2);
    expect(stats.purchases).toBe(0);
    expect(totalRows(manifest)).toBe(3 + 2 + 2);
  });

  it('a book is empty only without customers, segments or traces of erased people', () => {
    const none = { ...manifestStats(new FakeBackend().addBookFolder('/y', [])) };
    expect(bookIsEmpty(none)).toBe(true);
    expect(bookIsEmpty({ ...none, customers: 1 })).toBe(false);
    expect(bookIsEmpty({ ...none, suppressions: 2 })).toBe(false);
    expect(bookIsEmpty({ ...none, segments: 1 })).toBe(false);
    expect(bookIsEmpty({ ...none, notes: 9, import_batches: 3 })).toBe(true);
  });
});

describe('exporting the whole book', () => {
  it('chooses a folder, shows the stage, then says how many customers, rows and files, and where', async () => {
    const backend = shop();
    const { user } = await openBackups(backend);
    const release = backend.holdJob();
    await user.click(screen.getByTestId('book-export'));
    const dialog = await screen.findByTestId('book-export-dialog');
    expect(within(dialog).getByTestId('book-export-dir')).toHaveTextContent('/media/usb/loupe-book');
    await waitFor(() => expect(within(dialog).getByTestId('book-export-progress')).toHaveTextContent('Writing the files'));
    expect(within(dialog).getByTestId('book-export-progress')).toHaveTextContent('of');
    expect(screen.getByTestId('backup-now')).toBeDisabled();
    release();
    const summary = await within(dialog).findByTestId('book-export-summary');
    expect(summary).toHaveTextContent('2 customers');
    expect(summary).toHaveTextContent('in 9 files');
    expect(backend.bookFolders.has('/media/usb/loupe-book')).toBe(true);
    await user.click(within(dialog).getByTestId('book-export-close'));
    expect(screen.queryByTestId('book-export-dialog')).not.toBeInTheDocument();
    expect(screen.getByTestId('backup-now')).toBeEnabled();
  });

  it('a folder that holds files is refused plainly, and another can be chosen', async () => {
    const backend = shop();
    backend.addBookFolder('/media/usb/loupe-book', []);
    const { user } = await openBackups(backend);
    await user.click(screen.getByTestId('book-export'));
    const error = await screen.findByTestId('book-export-error');
    expect(error).toHaveTextContent('already holds files');
    expect(error).toHaveTextContent('new folder, or an empty one');
    backend.bookExportDir = '/media/usb/fresh';
    await user.click(screen.getByTestId('book-export-again'));
    expect(await screen.findByTestId('book-export-summary')).toHaveTextContent('2 customers');
  });

  it('a cancelled export says no folder was written', async () => {
    const backend = shop();
    const { user } = await openBackups(backend);
    backend.holdJob();
    await user.click(screen.getByTestId('book-export'));
    await user.click(await screen.findByTestId('book-export-progress-cancel'));
    expect(await screen.findByTestId('book-export-cancelled')).toHaveTextContent('no folder was written');
    expect(backend.bookFolders.size).toBe(0);
  });

  it('closing the folder dialog does nothing', async () => {
    const backend = shop();
    backend.bookExportDir = null;
    const { user } = await openBackups(backend);
    await user.click(screen.getByTestId('book-export'));
    expect(backend.callsOf('exportBook')).toHaveLength(0);
    expect(screen.queryByTestId('book-export-dialog')).not.toBeInTheDocument();
  });
});

describe('importing a whole book', () => {
  it('into an empty book: shows both sides, says it restores exactly, then the window reads the new book', async () => {
    const backend = new FakeBackend();
    backend.addBookFolder('/media/usb/loupe-book', [person('Alice Collector', 'alice@example.com'), person('Zhang Wei', 'wei@example.cn')]);
    const { user } = await openBackups(backend);
    await user.click(screen.getByTestId('book-import'));
    const dialog = await screen.findByTestId('book-import-dialog');
    await waitFor(() => expect(stat(within(dialog).getByTestId('book-import-folder-contents'), 'customers')).toBe('2'));
    expect(stat(within(dialog).getByTestId('book-import-current-contents'), 'customers')).toBe('0');
    expect(within(dialog).getByTestId('book-import-explain')).toHaveAttribute('data-merge', 'false');
    expect(within(dialog).getByTestId('book-import-explain')).toHaveTextContent('restores the folder’s book exactly');
    const confirm = within(dialog).getByTestId('book-import-confirm');
    expect(confirm).toHaveTextContent('Import into this book');
    await user.click(confirm);
    const summary = await within(dialog).findByTestId('book-import-summary');
    expect(summary).toHaveAttribute('data-merged', 'false');
    expect(summary).toHaveTextContent('2 customers');
    expect(backend.callsOf('importBook')[0].args[1]).toEqual({ merge: false });
    expect(backend.backupList).toHaveLength(0);
    await user.click(within(dialog).getByTestId('book-import-view'));
    expect(await screen.findByText('Zhang Wei')).toBeInTheDocument();
  });

  it('into a book with customers: explains the merge and the backup, backs up, merges, and says so', async () => {
    const backend = shop();
    backend.addBookFolder('/media/usb/loupe-book', [person('Alice C.', 'alice@example.com'), person('Zhang Wei', 'wei@example.cn')]);
    const { user } = await openBackups(backend);
    await user.click(screen.getByTestId('book-import'));
    const dialog = await screen.findByTestId('book-import-dialog');
    const explain = await within(dialog).findByTestId('book-import-explain');
    expect(explain).toHaveAttribute('data-merge', 'true');
    expect(explain).toHaveTextContent('same email or phone under a name that agrees is the same person');
    expect(explain).toHaveTextContent('nothing already in the book is overwritten');
    expect(explain).toHaveTextContent('cannot be undone');
    expect(explain).toHaveTextContent('backup');
    await user.click(within(dialog).getByTestId('book-import-confirm'));
    const summary = await within(dialog).findByTestId('book-import-summary');
    expect(summary).toHaveAttribute('data-merged', 'true');
    expect(summary).toHaveTextContent('Customers added: 1. Merged into customers already in the book: 1.');
    expect(within(dialog).getByTestId('book-import-backup')).toHaveTextContent(backend.backupList[0].file_name);
    expect(backend.callsOf('importBook')[0].args[1]).toEqual({ merge: true });
    // The backups list shows the backup made before the merge.
    await waitFor(() => expect(screen.getAllByTestId('backup-row')[0]).toHaveAttribute('data-kind', 'before_merge'));
    await user.click(within(dialog).getByTestId('book-import-close'));
    await user.click(screen.getByTestId('nav-list'));
    expect(await screen.findByText('Zhang Wei')).toBeInTheDocument();
  });

  it('a cancel during the import changes nothing and says so; the dealer may start again', async () => {
    const backend = new FakeBackend();
    backend.addBookFolder('/media/usb/loupe-book', [person('Zhang Wei', 'wei@example.cn')]);
    const { user } = await openBackups(backend);
    await user.click(screen.getByTestId('book-import'));
    const dialog = await screen.findByTestId('book-import-dialog');
    await within(dialog).findByTestId('book-import-explain');
    backend.holdJob();
    await user.click(within(dialog).getByTestId('book-import-confirm'));
    await waitFor(() => expect(within(dialog).getByTestId('book-import-progress')).toHaveTextContent('Checking the files'));
    expect(within(dialog).getByTestId('book-import-cancel')).toBeDisabled();
    await user.click(within(dialog).getByTestId('book-import-progress-cancel'));
    expect(await within(dialog).findByTestId('book-import-cancelled')).toHaveTextContent('nothing was changed');
    expect(backend.customers.size).toBe(0);
    expect(within(dialog).getByTestId('book-import-confirm')).toBeEnabled();
  });

  it('a folder that is not a book, or a file that fails its checks, is shown plainly and nothing is written', async () => {
    const backend = shop();
    backend.bookImportDir = '/media/usb/holiday-photos';
    const { user } = await openBackups(backend);
    await user.click(screen.getByTestId('book-import'));
    const error = await screen.findByTestId('book-import-error');
    expect(error).toHaveTextContent('manifest.json: missing: this folder is not a Loupe book export');
    expect(error).toHaveTextContent('Nothing was written');
    expect(screen.getByTestId('book-import-confirm')).toBeDisabled();
    await user.click(screen.getByTestId('book-import-cancel'));

    backend.bookImportDir = '/media/usb/loupe-book';
    backend.addBookFolder('/media/usb/loupe-book', [person('Zhang Wei', 'wei@example.cn')]);
    backend.brokenFolders.set('/media/usb/loupe-book', "customers.csv: line 12, column 'customer_type': CHECK constraint failed");
    await user.click(screen.getByTestId('book-import'));
    await screen.findByTestId('book-import-explain');
    await user.click(screen.getByTestId('book-import-confirm'));
    expect(await screen.findByTestId('book-import-error')).toHaveTextContent("customers.csv: line 12, column 'customer_type'");
    expect(backend.customers.size).toBe(2);
  });

  it('in Chinese, the stages and the explanation are translated', async () => {
    setUiLanguage('zh');
    const backend = shop();
    backend.addBookFolder('/media/usb/loupe-book', [person('Zhang Wei', 'wei@example.cn')]);
    const { user } = await openBackups(backend);
    expect(screen.getByTestId('book-move')).toHaveTextContent('迁移到另一台电脑');
    await user.click(screen.getByTestId('book-import'));
    expect(await screen.findByTestId('book-import-explain')).toHaveTextContent('邮箱或电话相同且姓名相符即为同一人');
    backend.holdJob();
    await user.click(screen.getByTestId('book-import-confirm'));
    await waitFor(() => expect(screen.getByTestId('book-import-progress')).toHaveTextContent('正在检查文件'));
    await user.click(screen.getByTestId('book-import-progress-cancel'));
    await screen.findByTestId('book-import-cancelled');
  });
});
