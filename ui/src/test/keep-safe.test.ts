import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { baseName, formatBytes, parseKeep } from '../lib/backups';
import { sameName } from '../lib/erase';
import { buildFileOptions, defaultFileChoices, jobPercent, mailingFilter, suggestedFileName } from '../lib/mailing';
import { activeCount, buildAudience, emptyAudienceForm } from '../lib/audience-filter';
import { FakeBackend, draftOf } from './fakeBackend';
import { everyone } from '../lib/audience';
import type { MailingFilter } from '../lib/bindings/MailingFilter';
import { renderApp } from './helpers';

describe('mailing: the form becomes the core filter', () => {
  it('an empty form selects everyone on the channel', () => {
    const built = buildAudience(emptyAudienceForm());
    expect(built).toEqual({ errors: null, filter: everyone() });
    expect(mailingFilter('sms', built.filter!)).toEqual({ channel: 'sms', audience: everyone() });
    expect(activeCount(everyone())).toBe(0);
  });

  it('maps every filter, trimmed, tags without duplicates, thousands separators dropped', () => {
    const form = {
      ...emptyAudienceForm(),
      customerType: 'collector' as const,
      tags: [' VIP ', 'vip', 'Fair 2026'],
      language: 'zh',
      minSpend: ' 5,000 ',
      maxSpend: '25000.50',
      boughtSince: '2025-01-01',
      notBoughtSince: '2026-01-01',
      brand: ' Patek Philippe ',
    };
    const built = buildAudience(form);
    expect(mailingFilter('email', built.filter!)).toEqual({
      channel: 'email',
      audience: {
        ...everyone(),
        customer_type: 'collector',
        tags: ['VIP', 'Fair 2026'],
        language: 'zh',
        min_spend: '5000',
        max_spend: '25000.50',
        bought_since: '2025-01-01',
        not_bought_since: '2026-01-01',
        brand: 'Patek Philippe',
      },
    });
    // One chip per tag, and one each for type, language, spend band, both dates and brand.
    expect(activeCount(built.filter!)).toBe(8);
  });

  it('names the field of each mistake instead of sending it', () => {
    expect(buildAudience({ ...emptyAudienceForm(), minSpend: 'lots', boughtSince: '2026-02-30' }).errors).toEqual({
      min_spend: 'Type an amount, like 5000 or 2500.50.',
      bought_since: 'This is not a date.',
    });
    expect(buildAudience({ ...emptyAudienceForm(), minSpend: '900', maxSpend: '100' }).errors).toEqual({
      max_spend: 'The upper amount is below the lower one.',
    });
    expect(buildAudience({ ...emptyAudienceForm(), maxSpend: '1.23456' }).errors).toEqual({ max_spend: 'Type an amount, like 5000 or 2500.50.' });
  });

  it('file options: Mailchimp only for email, the delimiter and Excel choice as chosen', () => {
    const choices = { ...defaultFileChoices(), format: 'mailchimp' as const, delimiter: ';' as const };
    expect(buildFileOptions('email', choices)).toEqual({ format: 'mailchimp', spreadsheet: true, delimiter: ';' });
    expect(buildFileOptions('post', choices)).toEqual({ format: 'generic', spreadsheet: true, delimiter: ';' });
    expect(suggestedFileName('email', 'mailchimp', '2026-05-01')).toBe('mailing-list-mailchimp-2026-05-01.csv');
    expect(suggestedFileName('sms', 'mailchimp', '2026-05-01')).toBe('mailing-list-sms-2026-05-01.csv');
    expect(jobPercent(null)).toBe(0);
    expect(jobPercent({ done: 1, total: 3 })).toBe(33);
    expect(jobPercent({ done: 5, total: 0 })).toBe(0);
  });
});

describe('backups and erasure: small rules', () => {
  it('backups to keep: a whole number from 1 to 365', () => {
    expect(parseKeep(' 30 ')).toEqual({ value: 30, error: null });
    expect(parseKeep('0')).toEqual({ value: null, error: 'backups.keepRange' });
    expect(parseKeep('366')).toEqual({ value: null, error: 'backups.keepRange' });
    expect(parseKeep('7.5')).toEqual({ value: null, error: 'backups.keepWhole' });
    expect(parseKeep('')).toEqual({ value: null, error: 'backups.keepWhole' });
  });

  it('sizes and names read as a file manager shows them', () => {
    expect(formatBytes(840)).toBe('840 byte');
    expect(formatBytes(204_800)).toBe('205 kB');
    expect(formatBytes(12_400_000)).toBe('12.4 MB');
    expect(baseName('/home/dealer/backups/book-1.sqlite3')).toBe('book-1.sqlite3');
  });

  it('the erase confirmation wants the name, spaces and case aside', () => {
    expect(sameName('  anna   lena MÜLLER ', 'Anna Lena Müller')).toBe(true);
    expect(sameName('Anna', 'Anna Lena Müller')).toBe(false);
    expect(sameName('', '')).toBe(false);
  });
});

/** Five people, each a different case for an email list. */
function book() {
  const optedIn = (date = '2026-01-10') => [{ channel: 'email' as const, status: 'opted_in' as const, date, source: 'shop' }];
  return new FakeBackend([
    draftOf({
      full_name: 'Alice Collector',
      given_name: 'Alice',
      customer_type: 'collector',
      emails: [{ label: '', address: 'alice@example.com', primary: true }],
      tags: ['VIP'],
      consents: optedIn(),
    }),
    draftOf({ full_name: 'Bob Buyer', emails: [{ label: '', address: 'bob@example.com', primary: true }], consents: optedIn() }),
    draftOf({ full_name: 'Carol Unasked', emails: [{ label: '', address: 'carol@example.com', primary: true }] }),
    draftOf({
      full_name: 'Dan Declined',
      customer_type: 'collector',
      emails: [{ label: '', address: 'dan@example.com', primary: true }],
      consents: [{ channel: 'email', status: 'opted_out', date: '2026-01-11', source: 'phone' }],
    }),
    draftOf({ full_name: 'Eve Nowhere', consents: optedIn() }),
  ]);
}

async function counts() {
  return {
    rows: (await screen.findByTestId('mailing-count-rows')).textContent?.trim(),
    matching: screen.getByTestId('mailing-count-matching').textContent?.trim(),
    opted_out: screen.getByTestId('mailing-count-opted_out').textContent?.trim(),
    unknown: screen.getByTestId('mailing-count-unknown').textContent?.trim(),
    no_address: screen.getByTestId('mailing-count-no_address').textContent?.trim(),
  };
}

describe('mailing lists screen', () => {
  it('shows who is written and who is left out and why, then writes exactly those people', async () => {
    const backend = book();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-mailing'));
    expect(await screen.findByTestId('mailing-promise')).toHaveTextContent('Nobody who said no is ever on a list');
    await waitFor(async () => expect(await counts()).toEqual({ rows: '2', matching: '5', opted_out: '1', unknown: '1', no_address: '1' }));
    const sample = within(screen.getByTestId('mailing-sample'))
      .getAllByTestId('mailing-sample-row')
      .map((r) => r.textContent);
    expect(sample).toHaveLength(2);
    expect(sample.join(' ')).toContain('alice@example.com');
    expect(sample.join(' ')).not.toContain('Dan');

    // Collectors only: Alice is written, Dan (opted out) is left out.
    await user.selectOptions(screen.getByTestId('mailing-type'), 'collector');
    await waitFor(async () => expect(await counts()).toEqual({ rows: '1', matching: '2', opted_out: '1', unknown: '0', no_address: '0' }));
    expect(backend.callsOf('previewMailingList').at(-1)?.args[0]).toMatchObject({ channel: 'email', audience: { customer_type: 'collector' } });

    await user.click(screen.getByTestId('mailing-format-mailchimp'));
    await user.selectOptions(screen.getByTestId('mailing-delimiter'), ';');
    const exportButton = screen.getByTestId('mailing-export');
    expect(exportButton).toHaveTextContent('Save the list of 1 person…');
    await user.click(exportButton);
    const summary = await screen.findByTestId('mailing-summary');
    expect(summary).toHaveTextContent('1 person written');
    expect(summary).toHaveTextContent('/home/dealer/Desktop/list.csv');
    expect(summary).toHaveTextContent('Exactly the people shown in the preview.');
    expect(backend.callsOf('chooseExportFile')[0].args[0]).toMatch(/^mailing-list-mailchimp-\d{4}-\d{2}-\d{2}\.csv$/);
    const written = backend.exported.get('/home/dealer/Desktop/list.csv')!;
    expect(written.options).toEqual({ format: 'mailchimp', spreadsheet: true, delimiter: ';' });
    expect(written.rows.map((r) => r.full_name)).toEqual(['Alice Collector']);
    expect(backend.callsOf('exportMailingList')[0].args[3]).toBeNull();
    expect(within(summary).queryByTestId('mailing-summary-campaign')).not.toBeInTheDocument();
    expect(backend.interactions.size).toBe(0);
  });

  it('records the written list as a campaign, and a second time adds nobody twice', async () => {
    const backend = book();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-mailing'));
    await waitFor(() => expect(screen.getByTestId('mailing-count-rows')).toHaveTextContent('2'));
    await user.type(screen.getByTestId('mailing-campaign'), ' Spring letters ');
    await user.click(screen.getByTestId('mailing-export'));
    const recorded = await screen.findByTestId('mailing-summary-campaign');
    expect(recorded).toHaveTextContent(
      '2 contacts recorded under the campaign “Spring letters”. The campaign is new: dated today, with no cost yet.',
    );
    expect(backend.callsOf('exportMailingList')[0].args[3]).toBe('Spring letters');
    const contacted = () =>
      [...backend.interactions.values()].map((x) => [backend.customers.get(x.customer_id)?.full_name, x.campaign, x.kind]);
    // Only the two written: not Carol (never asked), Dan (opted out) nor Eve (no email).
    expect(contacted()).toEqual([
      ['Alice Collector', 'Spring letters', 'email'],
      ['Bob Buyer', 'Spring letters', 'email'],
    ]);

    await user.click(within(screen.getByTestId('mailing-summary')).getByRole('button'));
    await user.clear(screen.getByTestId('mailing-campaign'));
    await user.type(screen.getByTestId('mailing-campaign'), 'SPRING LETTERS');
    await user.click(screen.getByTestId('mailing-export'));
    expect(await screen.findByTestId('mailing-summary-campaign')).toHaveTextContent(
      '0 contacts recorded under the campaign “Spring letters”. 2 people already had a contact of it today.',
    );
    expect(contacted()).toHaveLength(2);
  });

  it('puts a campaign name the core refuses beside its field, and writes nothing', async () => {
    const backend = book();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-mailing'));
    await waitFor(() => expect(screen.getByTestId('mailing-count-rows')).toHaveTextContent('2'));
    const name = screen.getByTestId('mailing-campaign');
    await user.click(name);
    await user.paste('x'.repeat(121));
    await user.click(screen.getByTestId('mailing-export'));
    const err = await screen.findByText('Longer than 120 characters.');
    expect(err).toHaveAttribute('data-field', 'campaign');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('mailing-export')).toBeDisabled();
    expect(backend.exported.size).toBe(0);
    await user.type(name, '{Backspace}');
    expect(screen.queryByText('Longer than 120 characters.')).not.toBeInTheDocument();
    expect(screen.getByTestId('mailing-export')).toBeEnabled();
  });

  it('puts a mistake next to its field, offers no export, and Mailchimp only for email', async () => {
    const { user, backend } = renderApp(book());
    await user.click(screen.getByTestId('nav-mailing'));
    await screen.findByTestId('mailing-count-rows');
    await user.click(screen.getByTestId('mailing-more'));
    await user.type(screen.getByTestId('mailing-min-spend'), 'abc');
    const err = await screen.findByText('Type an amount, like 5000 or 2500.50.');
    expect(err).toHaveAttribute('data-field', 'min_spend');
    expect(screen.getByTestId('mailing-min-spend')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('mailing-export')).toBeDisabled();
    expect(backend.callsOf('previewMailingList').every((c) => (c.args[0] as MailingFilter).audience.min_spend === null)).toBe(true);

    await user.clear(screen.getByTestId('mailing-min-spend'));
    await waitFor(() => expect(screen.queryByText('Type an amount, like 5000 or 2500.50.')).not.toBeInTheDocument());
    await user.click(screen.getByTestId('mailing-channel-sms'));
    expect(screen.getByTestId('mailing-format-mailchimp')).toBeDisabled();
    await waitFor(() => expect(screen.getByTestId('mailing-count-rows')).toHaveTextContent('0'));
    expect(screen.getByTestId('mailing-export')).toBeDisabled();
  });

  it('an export can be cancelled, and nothing is said to be written or recorded', async () => {
    const backend = book();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-mailing'));
    await waitFor(() => expect(screen.getByTestId('mailing-count-rows')).toHaveTextContent('2'));
    await user.type(screen.getByTestId('mailing-campaign'), 'Spring letters');
    backend.holdJob();
    await user.click(screen.getByTestId('mailing-export'));
    await user.click(await screen.findByTestId('mailing-progress-cancel'));
    expect(await screen.findByTestId('mailing-notice')).toHaveTextContent('Stopped. No file was written.');
    expect(screen.queryByTestId('mailing-summary')).not.toBeInTheDocument();
    expect(backend.interactions.size).toBe(0);
    expect(backend.recordedCampaigns).toEqual([]);
  });
});

describe('erasing a customer', () => {
  it('explains what goes and what stays, wants the name typed, then leaves the book without them', async () => {
    const backend = book();
    const { user } = renderApp(backend);
    await user.click(await screen.findByText('Dan Declined'));
    await user.click(await screen.findByTestId('erase-customer'));
    const dialog = await screen.findByTestId('erase-dialog');
    expect(dialog).toHaveTextContent('unreadable fingerprints (hashes)');
    await waitFor(() => expect(dialog).toHaveTextContent('No backup in the backup folder holds them.'));
    // Held by no backup, the dialog does not say backups still hold them.
    expect(dialog).not.toHaveTextContent('Backups made before now');
    const confirm = within(dialog).getByTestId('erase-confirm');
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByTestId('erase-name'), 'dan');
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByTestId('erase-name'), ' declined');
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    expect(await screen.findByTestId('app-notice')).toHaveTextContent('Dan Declined was erased');
    expect(await screen.findByTestId('customer-list')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('Dan Declined')).not.toBeInTheDocument());
    expect(backend.suppressions).toBe(1);
    expect([...backend.customers.values()].map((c) => c.full_name)).not.toContain('Dan Declined');
  });

  it('says before and after how many earlier backups still hold the person', async () => {
    const backend = book();
    backend.addBackup('daily');
    backend.addBackup('manual');
    const { user } = renderApp(backend);
    await user.click(await screen.findByText('Dan Declined'));
    await user.click(await screen.findByTestId('erase-customer'));
    const dialog = await screen.findByTestId('erase-dialog');
    await waitFor(() =>
      expect(within(dialog).getByTestId('erase-holding')).toHaveTextContent(
        '2 earlier backups still hold them; restoring one erases them again.',
      ),
    );
    await user.type(within(dialog).getByTestId('erase-name'), 'Dan Declined');
    await user.click(within(dialog).getByTestId('erase-confirm'));
    expect(await screen.findByTestId('app-notice')).toHaveTextContent(
      'Dan Declined was erased. Nothing about them is left in the book. 2 earlier backups still hold them',
    );
  });
});

describe('backups screen', () => {
  it('lists backups, makes one, and validates how many to keep next to the field', async () => {
    const backend = book();
    backend.addBackup('daily', '2025-12-01T08:00:00Z');
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-backups'));
    await waitFor(() => expect(screen.getAllByTestId('backup-row')).toHaveLength(1));
    expect(screen.getByTestId('backup-row')).toHaveTextContent('Daily');
    await user.click(screen.getByTestId('backup-now'));
    expect(await screen.findByTestId('backups-notice')).toHaveTextContent('Backup made');
    await waitFor(() => expect(screen.getAllByTestId('backup-row')).toHaveLength(2));
    expect(screen.getAllByTestId('backup-row')[0]).toHaveAttribute('data-kind', 'manual');

    const keep = screen.getByTestId('backups-keep');
    expect(keep).toHaveValue('14');
    await user.clear(keep);
    await user.type(keep, '0');
    await user.click(screen.getByTestId('backups-keep-save'));
    expect(await screen.findByText('Keep between 1 and 365 backups.')).toHaveAttribute('data-field', 'backups_to_keep');
    expect(backend.callsOf('updateSettings')).toHaveLength(0);
    await user.clear(keep);
    await user.type(keep, '30');
    await user.click(screen.getByTestId('backups-keep-save'));
    await screen.findByText('Saved.');
    expect(backend.settings.backups_to_keep).toBe(30);
    expect(backend.settings.default_region).toBe('GB');
  });

  it('restoring shows what the backup holds beside the book, then the whole window reads the book again', async () => {
    const backend = book();
    const listed = backend.addBackup('manual', '2025-12-01T08:00:00Z');
    backend.insert(draftOf({ full_name: 'Added Later' }));
    const { user } = renderApp(backend);
    expect(await screen.findByText('Added Later')).toBeInTheDocument();
    await user.click(screen.getByTestId('nav-backups'));
    await user.click(await screen.findByTestId('backup-restore'));
    const dialog = await screen.findByTestId('restore-dialog');
    await waitFor(() =>
      expect(within(dialog).getByTestId('restore-backup-contents').querySelector('[data-stat=customers]')).toHaveTextContent('5'),
    );
    expect(within(dialog).getByTestId('restore-current-contents').querySelector('[data-stat=customers]')).toHaveTextContent('6');
    expect(dialog).toHaveTextContent('saved as a backup first');
    const settingsBefore = backend.callsOf('getSettings').length;
    await user.click(within(dialog).getByTestId('restore-confirm'));
    expect(await screen.findByTestId('backups-notice')).toHaveTextContent('5 customers');
    expect(screen.queryByTestId('restore-dialog')).not.toBeInTheDocument();
    // The screen named the listed backup by the token the shell gave it, never by its path.
    const [sent] = backend.callsOf('restoreBackup')[0].args;
    expect(sent).not.toContain('/');
    expect(backend.chosenPath(sent)).toBe(listed.path);
    await waitFor(() => expect(screen.getAllByTestId('backup-row')[0]).toHaveAttribute('data-kind', 'before_restore'));
    // The settings are read again (currency, region) along with everything else.
    await waitFor(() => expect(backend.callsOf('getSettings').length).toBeGreaterThan(settingsBefore));
    await user.click(screen.getByTestId('nav-list'));
    await screen.findByText('Alice Collector');
    expect(screen.queryByText('Added Later')).not.toBeInTheDocument();
  });

  it('a file that is not a backup is refused in the dialog, and nothing changes', async () => {
    const backend = book();
    backend.restoreFile = '/tmp/holiday.jpg';
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-backups'));
    await user.click(await screen.findByTestId('restore-from-file'));
    expect(await screen.findByTestId('restore-error')).toHaveTextContent('/tmp/holiday.jpg is not a Loupe book');
    expect(screen.getByTestId('restore-confirm')).toBeDisabled();
    expect(backend.callsOf('restoreBackup')).toHaveLength(0);
  });
});

describe('a damaged book', () => {
  it('opens on the recovery screen with the newest good backup, and carries on after restoring it', async () => {
    const backend = book();
    const good = backend.addBackup('daily', '2025-12-01T08:00:00Z');
    backend.damaged = {
      path: '/home/dealer/Loupe/book.sqlite3',
      problem: 'database disk image is malformed',
      newest_good_backup: good,
      backup_contents: await backend.contentsOf(good.path),
    };
    backend.customers.clear();
    const { user } = renderApp(backend);
    const screenEl = await screen.findByTestId('recovery-screen');
    expect(screenEl).toHaveTextContent('The customer book is damaged');
    expect(within(screenEl).getByTestId('recovery-contents').querySelector('[data-stat=customers]')).toHaveTextContent('5');
    expect(screen.queryByTestId('customer-list')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('recovery-restore'));
    expect(await screen.findByTestId('app-notice')).toHaveTextContent('restored from the backup');
    expect(backend.chosenPath(backend.callsOf('recoverBook')[0].args[0])).toBe(good.path);
    expect(await screen.findByText('Alice Collector')).toBeInTheDocument();
  });

  it('says so when the damaged book\'s erasures could not be read, and how many were erased again', async () => {
    for (const [recovery, words] of [
      [{ erased_again: 0, erasures_unread: true }, 'anyone erased after that backup was made is back'],
      [{ erased_again: 2, erasures_unread: false }, 'were erased again (2)'],
    ] as const) {
      const backend = book();
      const good = backend.addBackup('daily', '2025-12-01T08:00:00Z');
      backend.damaged = { path: '/b.sqlite3', problem: 'malformed', newest_good_backup: good, backup_contents: null };
      backend.recovery = recovery;
      const { user, unmount } = renderApp(backend);
      await user.click(await screen.findByTestId('recovery-restore'));
      expect(await screen.findByTestId('app-notice')).toHaveTextContent(words);
      unmount();
    }
  });

  it('switches to the recovery screen when the check after opening finds damage', async () => {
    const backend = book();
    const good = backend.addBackup('daily', '2025-12-01T08:00:00Z');
    renderApp(backend);
    expect(await screen.findByText('Alice Collector')).toBeInTheDocument();
    backend.bookDamaged({
      path: '/home/dealer/Loupe/book.sqlite3',
      problem: 'database disk image is malformed',
      newest_good_backup: good,
      backup_contents: await backend.contentsOf(good.path),
    });
    const screenEl = await screen.findByTestId('recovery-screen');
    expect(screenEl).toHaveTextContent('The customer book is damaged');
    expect(screen.queryByTestId('customer-list')).not.toBeInTheDocument();
    expect(screen.getByTestId('recovery-restore')).toBeInTheDocument();
  });

  it('without a backup, says so and where the damaged file is', async () => {
    const backend = new FakeBackend();
    backend.damaged = { path: '/home/dealer/Loupe/book.sqlite3', problem: 'file is not a database', newest_good_backup: null, backup_contents: null };
    renderApp(backend);
    const none = await screen.findByTestId('recovery-no-backup');
    expect(none).toHaveTextContent('There is no backup to restore');
    expect(none).toHaveTextContent('/home/dealer/Loupe/book.sqlite3');
    expect(screen.queryByTestId('recovery-restore')).not.toBeInTheDocument();
  });
});

describe('waiting for another job on the book', () => {
  it('shows a banner while a save waits for another job, and takes it away when the wait ends', async () => {
    const backend = new FakeBackend();
    renderApp(backend);
    await waitFor(() => expect(screen.getByTestId('customer-list')).toBeInTheDocument());
    expect(screen.queryByTestId('book-waiting')).not.toBeInTheDocument();
    backend.bookWaiting(true);
    const banner = await screen.findByTestId('book-waiting');
    expect(banner).toHaveTextContent('Waiting for another job on this book (an import in the loupe command?)');
    expect(banner).toHaveAttribute('role', 'status');
    backend.bookWaiting(false);
    await waitFor(() => expect(screen.queryByTestId('book-waiting')).not.toBeInTheDocument());
  });
});
