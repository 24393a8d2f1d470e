import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyModel, toDraft, toFormPath } from '../lib/draft';
import { composePartialDate, formatMoney, formatPartialDate, isValidDayMonth, parsePartialDate } from '../lib/format';
import { createTauriBackend, toErrorPayload, type Backend, type OpenChannel } from '../lib/gateway';
import { COMMAND_NAMES } from '../lib/bindings/shell/commands';
import type { JobLink } from '../lib/job.svelte';
import { draftOf } from './fakeBackend';
import { buildOptions, emptyChoices } from '../lib/import';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { errorText, problemText, rejectionText } from '../lib/problems';
import { defaultStandingRules, everyone } from '../lib/audience';
import { defaultMembershipRules } from '../lib/membership';
import { defaultFollowUpRules } from '../lib/agenda';

describe('partial dates', () => {
  it('round-trips with and without a year', () => {
    expect(composePartialDate(17, 5, null)).toBe('--05-17');
    expect(composePartialDate(1, 12, 1984)).toBe('1984-12-01');
    expect(parsePartialDate('--05-17')).toEqual({ year: null, month: 5, day: 17 });
    expect(parsePartialDate('1984-12-01')).toEqual({ year: 1984, month: 12, day: 1 });
    expect(parsePartialDate('17/05')).toBeNull();
  });

  it('formats year-less birthdays without a year', () => {
    expect(formatPartialDate('--05-17')).toBe('17 May');
    expect(formatPartialDate('1984-05-17')).toBe('17 May 1984');
  });

  it('knows which days exist', () => {
    expect(isValidDayMonth(29, 2, null)).toBe(true);
    expect(isValidDayMonth(29, 2, 2025)).toBe(false);
    expect(isValidDayMonth(31, 4, null)).toBe(false);
  });
});

describe('money', () => {
  it('formats decimal strings with their currency', () => {
    expect(formatMoney('25000', 'GBP')).toBe('£25,000');
    expect(formatMoney('18.5', 'EUR')).toBe('€18.50');
    expect(formatMoney(null, 'GBP')).toBe('');
  });
});

describe('toDraft', () => {
  it('validates dates and decimals, and keeps decimals as strings', () => {
    const m = emptyModel();
    m.full_name = 'X';
    m.birthday = { day: '31', month: '2', year: '' };
    m.wrist_cm = '18,5';
    m.price_max = 'lots';
    const { draft, errors } = toDraft(m);
    expect(errors).toEqual({ birthday: 'form.errorDate', 'preferences.price_max': 'form.errorDecimal' });
    expect(draft.wrist_cm).toBe('18.5');
  });

  it('reads a price range as dealers type it: a thousands comma is never a decimal point', () => {
    const m = emptyModel();
    m.full_name = 'X';
    m.price_min = '£1,250';
    m.price_max = '2500,50';
    let { draft, errors } = toDraft(m);
    expect(errors).toEqual({});
    expect([draft.preferences.price_min, draft.preferences.price_max]).toEqual(['1250', '2500.50']);
    m.price_min = '12,50,0';
    ({ draft, errors } = toDraft(m));
    expect(errors).toEqual({ 'preferences.price_min': 'form.errorDecimal' });
  });

  it('drops blank rows and keeps exactly one primary', () => {
    const m = emptyModel();
    m.full_name = 'Y';
    m.emails = [
      { label: '', address: '', primary: true },
      { label: '', address: 'a@b.c', primary: false },
      { label: '', address: 'd@e.f', primary: false },
    ];
    const { draft, rowOf } = toDraft(m);
    expect(draft.emails.map((e) => e.primary)).toEqual([true, false]);
    expect(toFormPath('emails[1].address', rowOf)).toBe('emails[2].address');
    expect(draft.phones).toEqual([]);
  });
});

/** Stands in for Tauri's channels (jsdom has no IPC): each call's channel gets the next id, and its job's stop cancels that id. */
function fakeChannels(): OpenChannel {
  let next = 40;
  return (job, cancel) => {
    const id = (next += 1);
    job?.started(async () => {
      await cancel(id);
    });
    return { id } as never;
  };
}

/** A job link that stops its job as soon as it starts. */
const stopAtOnce: JobLink<unknown> = { report: () => {}, started: (stop) => void stop() };

describe('gateway', () => {
  it('calls each Tauri command with its exact name and arguments', async () => {
    const invoke = vi.fn(async () => null);
    const b = createTauriBackend(invoke as never, fakeChannels());
    const draft = draftOf({ full_name: 'Z' });
    const query = { sort: 'name' as const, descending: false, filter: { ...everyone(), search: 'IW37' }, offset: 0, limit: 100 };
    await b.bookInfo();
    await b.bookStats();
    await b.getSettings();
    await b.updateSettings({ default_region: 'GB', default_currency: 'GBP', backups_to_keep: 14, other_backups_to_keep: 10, offsite_reminder_days: 7, staff: [], standing: defaultStandingRules(), membership: defaultMembershipRules(), follow_up: defaultFollowUpRules(), campaign_response_days: 30, shop_name: '', shop_address: '', shop_phone: '' });
    await b.listCustomers(query);
    await b.searchCustomers('ann', 8);
    await b.search('IW371605', 8);
    await b.countMatches('IW371605');
    await b.getCustomer(7);
    await b.createCustomer(draft);
    await b.updateCustomer(7, draft);
    await b.deleteCustomer(7);
    await b.listTags();
    expect(invoke.mock.calls).toEqual([
      ['book_info'],
      ['book_stats'],
      ['get_settings'],
      ['update_settings', { settings: { default_region: 'GB', default_currency: 'GBP', backups_to_keep: 14, other_backups_to_keep: 10, offsite_reminder_days: 7, staff: [], standing: defaultStandingRules(), membership: defaultMembershipRules(), follow_up: defaultFollowUpRules(), campaign_response_days: 30, shop_name: '', shop_address: '', shop_phone: '' } }],
      ['list_customers', { query }],
      ['search_customers', { text: 'ann', limit: 8 }],
      ['search', { text: 'IW371605', limit: 8 }],
      ['count_matches', { text: 'IW371605' }],
      ['get_customer', { id: 7 }],
      ['create_customer', { draft }],
      ['update_customer', { id: 7, draft }],
      ['delete_customer', { id: 7 }],
      ['list_tags'],
    ]);
  });

  it('calls the mailing, erasure, backup and recovery commands with their exact names and arguments', async () => {
    const invoke = vi.fn(async () => null);
    const b = createTauriBackend(invoke as never, fakeChannels());
    const filter = {
      channel: 'email' as const,
      audience: everyone(),
    };
    const options = { format: 'generic' as const, spreadsheet: true, delimiter: ',' };
    await b.previewMailingList(filter);
    await b.chooseExportFile('list.csv');
    await b.exportMailingList(filter, options, 'token-list', 'Spring letters', stopAtOnce);
    await b.eraseCustomer(7);
    await b.backupOverview();
    await b.backUpNow();
    await b.inspectBackup('token-backup');
    await b.chooseRestoreFile();
    await b.restoreBackup('token-backup');
    await b.bookHealth();
    await b.recoverBook('token-backup');
    expect(invoke.mock.calls).toEqual([
      ['preview_mailing_list', { filter }],
      ['choose_export_file', { suggested: 'list.csv', title: 'Save the mailing list' }],
      ['cancel_job', { job: 41 }],
      ['export_mailing_list', { filter, options, file: 'token-list', campaign: 'Spring letters', progress: { id: 41 } }],
      ['erase_customer', { id: 7 }],
      ['backup_overview'],
      ['back_up_now', { progress: { id: 42 } }],
      ['inspect_backup', { file: 'token-backup' }],
      ['choose_restore_file', { title: 'Restore a backup', filter: 'Loupe books and backups' }],
      ['restore_backup', { file: 'token-backup', progress: { id: 43 } }],
      ['book_health'],
      ['recover_book', { backup: 'token-backup' }],
    ]);
  });

  it('names the files of imports and whole-book moves by the tokens the dialogs gave', async () => {
    const invoke = vi.fn(async () => null);
    const b = createTauriBackend(invoke as never, fakeChannels());
    const options = buildOptions(emptyChoices());
    const wording = { line_title: 'Line', reason_title: 'Reason', reasons: {} };
    await b.previewImport('token-csv', options);
    await b.commitImport('token-csv', options);
    await b.saveRejectedRows('token-csv', options, wording);
    await b.readBookManifest('token-in');
    await b.exportBook('token-out');
    await b.importBook('token-in', { merge: true });
    expect(invoke.mock.calls).toEqual([
      ['preview_import', { file: 'token-csv', options, progress: { id: 41 } }],
      ['commit_import', { file: 'token-csv', options, progress: { id: 42 } }],
      ['save_rejected_rows', { file: 'token-csv', options, wording, title: 'Save the rejected rows' }],
      ['read_book_manifest', { folder: 'token-in' }],
      ['export_book', { folder: 'token-out', progress: { id: 43 } }],
      ['import_book', { folder: 'token-in', options: { merge: true }, progress: { id: 44 } }],
    ]);
  });

  it('gives the native dialogs their words in the window\'s language', async () => {
    const invoke = vi.fn(async () => null);
    const b = createTauriBackend(invoke as never, fakeChannels());
    setUiLanguage('zh');
    try {
      await b.chooseImportFile();
      await b.chooseRestoreFile();
      await b.chooseBookExportDir();
      await b.chooseBookImportDir();
      await b.chooseExportFile('list.csv');
    } finally {
      setUiLanguage('en');
    }
    expect(invoke.mock.calls).toEqual([
      ['choose_import_file', { title: '导入联系人', filter: '联系人（CSV、Excel、OpenDocument、vCard）', allFiles: '所有文件' }],
      ['choose_restore_file', { title: '从备份恢复', filter: 'Loupe 客户簿和备份' }],
      ['choose_book_export_dir', { title: '将整个客户簿导出到新的或空的文件夹' }],
      ['choose_book_import_dir', { title: '从文件夹导入整个客户簿' }],
      ['choose_export_file', { suggested: 'list.csv', title: '保存营销名单' }],
    ]);
  });

  it('calls every command of the shell\'s contract, and only those', async () => {
    const called = new Set<string>();
    const invoke = vi.fn(async (command: string) => {
      called.add(command);
      return null;
    });
    const b: Backend = createTauriBackend(invoke as never, fakeChannels());
    for (const [method, call] of Object.entries(b) as [string, (...args: unknown[]) => Promise<unknown>][]) {
      // Events are heard, not called, and closing the window is the window's own API: no command.
      if (method.startsWith('on') || method === 'closeWindow') continue;
      // The last argument of a long job is its link, which stops it at once: cancel_job is called too.
      const args: unknown[] = Array.from({ length: Math.max(0, call.length - 1) }, () => 'x');
      await call(...args, stopAtOnce);
    }
    expect([...called].sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it('turns any rejection into an ErrorPayload', () => {
    expect(toErrorPayload({ code: 'not_found', message: 'gone', field: null })).toEqual({
      code: 'not_found',
      message: 'gone',
      field: null,
      problem: null,
    });
    expect(toErrorPayload('command list_foo not found')).toEqual({
      code: 'io',
      message: 'command list_foo not found',
      field: null,
      problem: null,
    });
    const refused = { code: 'invalid_input', message: "'x' is not an email address", field: 'emails[0].address', problem: { kind: 'not_an_email', value: 'x' } };
    expect(toErrorPayload(refused)).toEqual(refused);
  });
});

describe('problems from the core, in the dealer\'s language', () => {
  afterEach(() => setUiLanguage('en'));

  it('words each problem from its kind and values, in English and in Chinese', () => {
    setUiLanguage('en');
    expect(problemText({ kind: 'not_a_phone', value: '12' })).toBe('“12” is not a phone number.');
    expect(rejectionText({ column: 'Mobile', field: null, problem: { kind: 'not_a_phone', value: '12' } })).toBe(
      'Column “Mobile”: “12” is not a phone number.',
    );
    expect(rejectionText({ column: null, field: 'company', problem: { kind: 'too_long', max_chars: 200 } })).toBe(
      'company: Longer than 200 characters.',
    );
    expect(problemText({ kind: 'not_a_date_in_order', value: '13/13/1990', order: 'month_first' })).toBe(
      '“13/13/1990” is not a date when read as month/day/year.',
    );
    expect(problemText({ kind: 'consent_twice', channel: 'sms' })).toBe('SMS consent is given twice.');
    expect(problemText({ kind: 'phone_not_in_region', value: '138 0013 8000', region: 'GB' })).toMatch(
      /^“138 0013 8000” is not a valid (United Kingdom|UK) phone number/,
    );
    setUiLanguage('zh');
    expect(rejectionText({ column: '手机', field: null, problem: { kind: 'not_a_phone', value: '12' } })).toBe('“手机”列：“12”不是电话号码。');
    expect(problemText({ kind: 'field_count', found: 3, expected: 6 })).toBe('有 3 个字段，而表头有 6 个。');
    expect(problemText({ kind: 'phone_not_in_region', value: '07911', region: 'CN' })).toContain('不是中国的有效电话号码');
    // Sales, history, settings, mailing lists and moving a book have words of their own too.
    expect(problemText({ kind: 'discount_above_price' })).toBe('折扣必须在 0 与价格之间。');
    expect(problemText({ kind: 'not_a_score', value: 7 })).toBe('7 不是 1 到 5 之间的评分。');
    expect(problemText({ kind: 'folder_not_empty', path: '/home/dealer/Loupe' })).toBe('/home/dealer/Loupe 里已有文件。');
    expect(problemText({ kind: 'import_already_undone', batch_id: 3, when: '2026-11-20T10:30:00Z' })).toMatch(
      /^这次导入已于 .*2026.* 撤销。$/,
    );
  });

  it('shows a problem the window has no words for as the core wrote it', () => {
    setUiLanguage('zh');
    expect(problemText({ kind: 'other', message: 'the saved profile is unreadable' })).toBe('the saved profile is unreadable');
    expect(errorText({ code: 'storage', message: 'disk full', field: null, problem: null })).toBe('disk full');
  });
});
