import { screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import { failureText, localDay, offsiteReminderShown, parseOtherKeep, parseRemindDays } from '../lib/backups';
import type { OffsiteStatus } from '../lib/bindings/OffsiteStatus';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

function book(): FakeBackend {
  return new FakeBackend([draftOf({ full_name: 'Anna Schmidt', emails: [{ label: '', address: 'anna@example.com', primary: true }] })]);
}

const DAY = 24 * 3600 * 1000;

function status(overrides: Partial<OffsiteStatus>): OffsiteStatus {
  return {
    folder_name: 'LOUPE-USB',
    folder: '/media/dealer/LOUPE-USB',
    reachable: true,
    problem: null,
    same_disk: false,
    backups: [],
    newest_outside: null,
    reminder_due: true,
    reminder_days: 7,
    ...overrides,
  };
}

beforeEach(() => {
  localStorage.clear();
  setUiLanguage('en');
});

describe('backups: the rules the window applies', () => {
  it('shows the reminder when the core says it is due, unless put off today', () => {
    const today = localDay(new Date(2026, 4, 12, 9));
    expect(today).toBe('2026-05-12');
    expect(offsiteReminderShown(status({ reminder_due: true }), null, today)).toBe(true);
    expect(offsiteReminderShown(status({ reminder_due: true }), '2026-05-12', today)).toBe(false);
    expect(offsiteReminderShown(status({ reminder_due: true }), '2026-05-11', today)).toBe(true); // put off yesterday: back today
    expect(offsiteReminderShown(status({ reminder_due: false }), null, today)).toBe(false);
    expect(offsiteReminderShown(null, null, today)).toBe(false);
  });

  it('reads the other counts and words every failure in both languages', () => {
    expect(parseOtherKeep('10')).toEqual({ value: 10, error: null });
    expect(parseOtherKeep('0')).toEqual({ value: null, error: 'backups.otherRange' });
    expect(parseRemindDays('x')).toEqual({ value: null, error: 'backups.remindWhole' });
    expect(parseRemindDays('400')).toEqual({ value: null, error: 'backups.remindRange' });
    const kinds = ['disk_full', 'not_allowed', 'folder_unusable', 'folder_missing', 'book_busy', 'other'] as const;
    for (const lang of ['en', 'zh'] as const) {
      setUiLanguage(lang);
      const texts = kinds.map((kind) => failureText({ kind, detail: 'file /x: No space left on device' }));
      expect(new Set(texts).size).toBe(kinds.length);
      for (const text of texts) expect(text).not.toMatch(/^backupFailure\./);
    }
    setUiLanguage('en');
    expect(failureText({ kind: 'disk_full', detail: '' })).toContain('The disk is full');
  });
});

describe('a failed backup says so in the window', () => {
  it('the day’s backup failing shows a notice bar with the reason, and the Backups screen its details', async () => {
    const backend = book();
    backend.offsiteNewestOutside = new Date().toISOString();
    const { user } = renderApp(backend);
    expect(await screen.findByText('Anna Schmidt')).toBeInTheDocument();
    expect(screen.queryByTestId('backup-failed-notice')).not.toBeInTheDocument();

    backend.backupFailed({ kind: 'disk_full', detail: 'file /home/dealer/Loupe/backups: No space left on device (os error 28)' });
    const bar = await screen.findByTestId('backup-failed-notice');
    expect(bar).toHaveAttribute('role', 'alert');
    expect(bar).toHaveTextContent('Today’s backup could not be made. The disk is full.');

    await user.click(within(bar).getByRole('button', { name: 'Open Backups' }));
    const failed = await screen.findByTestId('backups-daily-error');
    expect(failed).toHaveAttribute('data-kind', 'disk_full');
    expect(failed).toHaveTextContent('The disk is full');
    expect(failed).toHaveTextContent('No space left on device');
    expect(screen.queryByTestId('backup-failed-notice')).not.toBeInTheDocument();
  });

  it('a failure that happened before the window listened is shown too, in Chinese', async () => {
    setUiLanguage('zh');
    const backend = book();
    backend.offsiteNewestOutside = new Date().toISOString();
    backend.dailyError = { kind: 'folder_unusable', detail: 'file /home/dealer/Loupe/backups: File exists (os error 17)' };
    renderApp(backend);
    expect(await screen.findByTestId('backup-failed-notice')).toHaveTextContent('今天的备份未能完成。备份文件夹无法使用');
  });
});

describe('back up to another drive', () => {
  it('reminds gently until a copy is made there, and "not today" puts it off for the day', async () => {
    const backend = book();
    const { user, unmount } = renderApp(backend);
    const reminder = await screen.findByTestId('offsite-reminder');
    expect(reminder).toHaveTextContent('There is no copy of your book outside this computer');
    await user.click(within(reminder).getByTestId('offsite-reminder-dismiss'));
    expect(screen.queryByTestId('offsite-reminder')).not.toBeInTheDocument();
    expect(localStorage.getItem('loupe.offsiteReminderDismissedOn')).toBe(localDay());

    await user.click(screen.getByTestId('nav-wishes'));
    expect(screen.queryByTestId('offsite-reminder')).not.toBeInTheDocument();
    unmount();

    // Put off yesterday, with a copy older than the setting's days: back today.
    localStorage.setItem('loupe.offsiteReminderDismissedOn', '2000-01-01');
    backend.offsiteFolder = '/media/dealer/LOUPE-USB';
    backend.offsiteNewestOutside = new Date(Date.now() - 9 * DAY).toISOString();
    renderApp(backend);
    expect(await screen.findByTestId('offsite-reminder')).toHaveTextContent('more than 7 days old');

    // A copy two days old is recent enough.
    backend.offsiteNewestOutside = new Date(Date.now() - 2 * DAY).toISOString();
    await user.click(screen.getByTestId('nav-wishes'));
    await waitFor(() => expect(screen.queryByTestId('offsite-reminder')).not.toBeInTheDocument());
  });

  it('chooses the folder in the shell, backs up there, lists the copy and restores it', async () => {
    const backend = book();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-backups'));
    const card = await screen.findByTestId('offsite-card');
    expect(await within(card).findByTestId('offsite-none')).toHaveTextContent('No folder chosen yet.');
    expect(screen.queryByTestId('offsite-reminder')).not.toBeInTheDocument();

    await user.click(within(card).getByTestId('offsite-choose'));
    expect(await within(card).findByTestId('offsite-folder')).toHaveTextContent('LOUPE-USB');
    expect(backend.callsOf('chooseOffsiteFolder')[0].args).toEqual([]);
    expect(within(card).getByTestId('offsite-newest')).toHaveAttribute('data-due', 'true');
    await user.click(within(card).getByTestId('offsite-back-up'));
    expect(await screen.findByTestId('backups-notice')).toHaveTextContent('Copy made in “LOUPE-USB”');
    await waitFor(() => expect(within(card).getAllByTestId('offsite-row')).toHaveLength(1));
    expect(within(card).getByTestId('offsite-newest')).toHaveAttribute('data-due', 'false');
    expect(backend.callsOf('backUpOffsite')[0].args).toEqual([]);

    // Restored from there by its file name: the window sends no path.
    await backend.createCustomer(draftOf({ full_name: 'Later Customer' }));
    await user.click(within(card).getByTestId('offsite-restore'));
    const dialog = await screen.findByTestId('restore-dialog');
    expect(dialog).toHaveTextContent('Copy elsewhere');
    await within(dialog).findByTestId('restore-backup-contents');
    await user.click(within(dialog).getByTestId('restore-confirm'));
    await waitFor(() => expect(screen.queryByTestId('restore-dialog')).not.toBeInTheDocument());
    const fileName = backend.offsiteCopies[0].file_name;
    expect(backend.callsOf('inspectOffsiteBackup')[0].args).toEqual([fileName]);
    expect(backend.callsOf('restoreOffsiteBackup')[0].args).toEqual([fileName]);
    expect(backend.customers.size).toBe(1);
  });

  it('says when the drive is not plugged in, and cannot back up there then', async () => {
    const backend = book();
    backend.offsiteFolder = '/media/dealer/LOUPE-USB';
    backend.offsiteReachable = false;
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-backups'));
    expect(await screen.findByTestId('offsite-unreachable')).toHaveTextContent('“LOUPE-USB” cannot be reached now: is the drive plugged in?');
    expect(screen.getByTestId('offsite-back-up')).toBeDisabled();
    expect(screen.queryByTestId('offsite-list')).not.toBeInTheDocument();
  });

  it('saves the other count and the reminder days with the daily count, each checked beside its field', async () => {
    const backend = book();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-backups'));
    const other = await screen.findByTestId('backups-keep-other');
    await waitFor(() => expect(other).toHaveValue('10'));
    expect(screen.getByTestId('backups-remind-days')).toHaveValue('7');
    await user.clear(other);
    await user.type(other, '0');
    await user.click(screen.getByTestId('backups-keep-save'));
    expect(await screen.findByText('Keep between 1 and 365 other backups.')).toHaveAttribute('data-field', 'other_backups_to_keep');
    expect(backend.callsOf('updateSettings')).toHaveLength(0);
    await user.clear(other);
    await user.type(other, '25');
    await user.clear(screen.getByTestId('backups-remind-days'));
    await user.type(screen.getByTestId('backups-remind-days'), '30');
    await user.click(screen.getByTestId('backups-keep-save'));
    await screen.findByText('Saved.');
    expect(backend.settings).toMatchObject({ backups_to_keep: 14, other_backups_to_keep: 25, offsite_reminder_days: 30 });
  });
});
