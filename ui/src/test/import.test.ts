import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import type { ColumnMapping } from '../lib/bindings/ColumnMapping';
import type { PreviewRow } from '../lib/bindings/PreviewRow';
import type { RejectedRowsWording } from '../lib/bindings/RejectedRowsWording';
import type { Target } from '../lib/bindings/Target';
import {
  TARGET_GROUPS,
  buildOptions,
  effectiveCounts,
  emptyChoices,
  fileKindText,
  filterRows,
  keepConfirmed,
  peopleToImport,
  progressPercent,
  retarget,
  sheetChoices,
  targetFromValue,
  targetValue,
  withFormat,
} from '../lib/import';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';
import { setUiLanguage } from '../lib/i18n/index.svelte';

const col = (column: string, target: Target, recognised = true): ColumnMapping => ({ column, target, recognised });

describe('import: target select values', () => {
  it('every option of the select stands for a target and comes back to the same value', () => {
    const values = TARGET_GROUPS.flatMap((g) => g.options.map((o) => o.value));
    expect(new Set(values).size).toBe(values.length);
    expect(values).toContain('address.postal_code');
    expect(values).toContain('consent.sms');
    for (const value of values) {
      const target = targetFromValue(value, 'g');
      expect(target, value).not.toBeNull();
      expect(targetValue(target!), value).toBe(value);
    }
    // 20 plain or grouped targets, 5 address parts, 4 consent channels, ignore and note.
    expect(values.length).toBe(31);
  });

  it('builds the tagged targets the core reads', () => {
    expect(targetFromValue('email', 'Work email')).toEqual({ field: 'email', group: 'Work email' });
    expect(targetFromValue('address.city', 'home')).toEqual({ field: 'address', group: 'home', part: 'city' });
    expect(targetFromValue('consent.post')).toEqual({ field: 'consent', channel: 'post' });
    expect(targetFromValue('birthday')).toEqual({ field: 'birthday' });
    expect(targetFromValue('address.moon')).toBeNull();
    expect(targetFromValue('nonsense')).toBeNull();
  });

  it('keeps separate email columns separate and joins address parts and labels to their neighbour', () => {
    const mapping = [
      col('Name', { field: 'full_name' }),
      col('Email', { field: 'email', group: '' }),
      col('Other mail', { field: 'note' }, false),
      col('Kind', { field: 'note' }, false),
      col('Street', { field: 'address', group: 'home', part: 'street' }),
      col('Town', { field: 'note' }, false),
    ];
    const a = retarget(mapping, 2, 'email');
    expect(a[2].target).toEqual({ field: 'email', group: 'Other mail' });
    expect(a[1].target).toEqual({ field: 'email', group: '' });
    const b = retarget(a, 3, 'email_label');
    expect(b[3].target).toEqual({ field: 'email_label', group: 'Other mail' });
    const c = retarget(b, 5, 'address.city');
    expect(c[5].target).toEqual({ field: 'address', group: 'home', part: 'city' });
    // Same kind: the group stays.
    expect(retarget(c, 4, 'address.street')[4].target).toEqual({ field: 'address', group: 'home', part: 'street' });
    // Untouched columns are the same objects; the input is not changed.
    expect(c[0]).toBe(mapping[0]);
    expect(mapping[2].target).toEqual({ field: 'note' });
    expect(retarget(mapping, 0, 'ignore')[0]).toEqual({ column: 'Name', target: { field: 'ignore' }, recognised: true });
  });
});

describe('import: options', () => {
  it('defaults detect everything and keep unknown columns in a note', () => {
    expect(buildOptions(emptyChoices())).toEqual({
      encoding: null,
      delimiter: null,
      mapping: null,
      region: null,
      date_orders: [],
      unknown_columns_to_note: true,
      confirmed_matches: [],
      sheet: null,
    });
  });

  it('carries the edited mapping, the chosen date orders and the confirmed lines as JSON numbers', () => {
    const mapping = [col('Name', { field: 'full_name' }), col('Notes', { field: 'ignore' }, false)];
    const options = buildOptions({
      encoding: 'windows-1252',
      delimiter: ';',
      sheet: 'Basel 2024',
      mapping,
      region: 'CN',
      dateOrders: { Birthday: 'month_first' },
      confirmed: [12, 4, 12],
    });
    expect(options.mapping).toEqual(mapping);
    expect(options.mapping).not.toBe(mapping);
    expect(options.date_orders).toEqual([{ column: 'Birthday', order: 'month_first', decided_by: 'chosen' }]);
    expect(options.encoding).toBe('windows-1252');
    expect(options.delimiter).toBe(';');
    expect(options.region).toBe('CN');
    expect(options.sheet).toBe('Basel 2024');
    // The IPC is JSON: a BigInt would throw here.
    expect(JSON.parse(JSON.stringify(options)).confirmed_matches).toEqual([4, 12]);
  });

  it('a new encoding or delimiter starts the columns afresh', () => {
    const before = {
      ...emptyChoices(),
      region: 'HK',
      mapping: [col('Name', { field: 'full_name' })],
      dateOrders: { Birthday: 'day_first' as const },
      confirmed: [3],
    };
    const after = withFormat(before, { delimiter: '\t' });
    expect(after).toEqual({ ...emptyChoices(), region: 'HK', delimiter: '\t' });
  });
});

const row = (line: number, outcome: PreviewRow['outcome']): PreviewRow => ({
  line,
  outcome,
  name: `P${line}`,
  email: '',
  phone: '',
  company: '',
  conflicts: [],
});

describe('import: progress and rows', () => {
  it('progress is a whole percentage, 0 while the size is unknown, never past 100', () => {
    expect(progressPercent(null)).toBe(0);
    expect(progressPercent({ bytes_read: 5, file_size: 0, rows: 1 })).toBe(0);
    expect(progressPercent({ bytes_read: 333, file_size: 1000, rows: 10 })).toBe(33);
    expect(progressPercent({ bytes_read: 999, file_size: 1000, rows: 10 })).toBe(99);
    expect(progressPercent({ bytes_read: 1200, file_size: 1000, rows: 10 })).toBe(100);
  });

  const rows = [
    row(2, { kind: 'new' }),
    row(3, { kind: 'rejected', reason: 'line 3: bad email', column: 'Email', column_letter: null, field: null, problem: { kind: 'not_an_email', value: 'bad email' } }),
    row(4, { kind: 'merge', customer_id: 1, customer_name: 'A' }),
    row(5, { kind: 'duplicate_in_file', first_line: 2 }),
    row(6, { kind: 'likely_match', customer_id: 2, customer_name: 'B', reason: 'same_name_and_company' }),
    row(7, { kind: 'new' }),
  ];

  it('filters rows by outcome', () => {
    expect(filterRows(rows, 'all').map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(filterRows(rows, 'new').map((r) => r.line)).toEqual([2, 7]);
    expect(filterRows(rows, 'rejected').map((r) => r.line)).toEqual([3]);
    expect(filterRows(rows, 'duplicate_in_file').map((r) => r.line)).toEqual([5]);
  });

  it('confirmed likely matches count as merges and survive only while still offered', () => {
    const counts = { rows: 7, new: 2, merge: 1, duplicates_in_file: 1, likely_matches: 1, rejected: 1, erased: 1, warnings: 0 };
    const rows = [row(4, { kind: 'likely_match', customer_id: 1, customer_name: 'Ann', reason: 'same_email' }), row(5, { kind: 'erased' })];
    expect(effectiveCounts(counts, rows, [4])).toEqual({ ...counts, merge: 2, likely_matches: 0 });
    expect(effectiveCounts(counts, rows, [4, 5])).toEqual({ ...counts, merge: 2, likely_matches: 0, new: 3, erased: 0 });
    expect(effectiveCounts(counts, rows, [])).toEqual(counts);
    expect(peopleToImport(counts)).toBe(4);
    expect(keepConfirmed([4, 5, 6], rows), 'likely matches and erased people stay confirmable').toEqual([4, 5]);
  });
});

describe('import view', () => {
  it('is reached from the top bar, previews the file and commits it, then undoes it', async () => {
    const backend = new FakeBackend([
      draftOf({ full_name: 'Anna Smith', emails: [{ label: '', address: 'anna@example.com', primary: true }], company: 'Smith Ltd' }),
      draftOf({ full_name: 'Wang Wei', company: 'Golden Hour Ltd' }),
    ]);
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-import'));
    await user.click(await screen.findByTestId('import-choose'));
    const preview = await screen.findByTestId('import-preview');
    expect(within(preview).getByTestId('count-new').textContent).toBe('4');
    expect(within(preview).getByTestId('count-merge').textContent).toBe('1');
    expect(within(preview).getByTestId('count-duplicates').textContent).toBe('1');
    expect(within(preview).getByTestId('count-likely').textContent).toBe('1');
    expect(within(preview).getByTestId('count-rejected').textContent).toBe('1');
    expect(screen.getAllByTestId('rejected-row').map((r) => r.textContent)).toEqual([expect.stringContaining('No name, email or phone')]);
    // A bad cell costs the cell, not the person: listed, with what became of it.
    expect(screen.getAllByTestId('import-warning').map((r) => [r.dataset.line, r.dataset.action, r.textContent])).toEqual([
      ['3', 'kept_in_note', expect.stringContaining('not an email address')],
      ['7', 'phone_unverified', expect.stringContaining('unverified number')],
    ]);
    expect(screen.getByTestId('likely-reason')).toHaveTextContent('same name and company');
    expect(screen.getByTestId('import-match-rule')).toHaveTextContent('names that agree');
    // The ambiguous birthday column asks.
    expect(screen.getByTestId('date-ask')).toHaveTextContent('Birthday');
    expect(screen.getAllByTestId('mapping-unrecognised')).toHaveLength(1);

    // Only rejected rows when the Rejected count is pressed.
    await user.click(screen.getByTestId('count-rejected'));
    expect(screen.getAllByTestId('preview-row').map((r) => r.dataset.outcome)).toEqual(['rejected']);
    await user.click(screen.getByTestId('count-rejected'));
    expect(screen.getAllByTestId('preview-row')).toHaveLength(8);

    // A mapping change re-runs the preview with the whole edited mapping.
    const selects = screen.getAllByTestId('mapping-target') as HTMLSelectElement[];
    await user.selectOptions(selects[5], 'ignore');
    await waitFor(() => expect(backend.callsOf('previewImport')).toHaveLength(2));
    const sent = backend.callsOf('previewImport')[1].args[1] as ReturnType<typeof buildOptions>;
    expect(sent.mapping?.map((m) => m.target.field)).toEqual(['full_name', 'email', 'phone', 'company', 'birthday', 'ignore']);
    await waitFor(() => expect((screen.getAllByTestId('mapping-target') as HTMLSelectElement[])[5].value).toBe('ignore'));

    // Choosing the date order sends it as the dealer's choice.
    await user.selectOptions(screen.getByTestId('date-order'), 'month_first');
    await waitFor(() => expect(backend.callsOf('previewImport')).toHaveLength(3));
    expect((backend.callsOf('previewImport')[2].args[1] as ReturnType<typeof buildOptions>).date_orders).toEqual([
      { column: 'Birthday', order: 'month_first', decided_by: 'chosen' },
    ]);

    // Confirming the likely match moves it to the merges and is sent with the commit.
    await user.click(await screen.findByTestId('confirm-match'));
    expect(screen.getByTestId('count-merge').textContent).toBe('2');
    expect(screen.getByTestId('count-likely').textContent).toBe('0');
    expect(screen.getByTestId('import-commit')).toHaveTextContent('Import 6 people');

    await user.click(screen.getByTestId('save-rejected'));
    expect(await screen.findByTestId('import-notice')).toHaveTextContent('fair-visitors-rejected.csv');
    const screenRejected = screen.getAllByTestId('rejected-row').map((r) => [r.dataset.line, r.textContent]);
    expect(screenRejected).toHaveLength(1);

    await user.click(screen.getByTestId('import-commit'));
    const summary = await screen.findByTestId('import-summary');
    const commitOptions = backend.callsOf('commitImport')[0].args[1] as ReturnType<typeof buildOptions>;
    expect(commitOptions.confirmed_matches).toEqual([8]);
    expect(within(summary).getByTestId('summary-created').textContent).toBe('4');
    expect(within(summary).getByTestId('summary-merged').textContent).toBe('2');
    expect(backend.customers.size).toBe(6);
    expect(within(summary).getAllByTestId('summary-import-warning')).toHaveLength(2);
    // The summary lists the rejected rows the same way the preview did, lines and reasons.
    expect(within(summary).getAllByTestId('summary-rejected-row').map((r) => [r.dataset.line, r.textContent])).toEqual(
      screenRejected,
    );
    await user.click(within(summary).getByTestId('summary-save-rejected'));
    expect(await screen.findByTestId('import-notice')).toHaveTextContent('fair-visitors-rejected.csv');

    await user.click(screen.getByTestId('summary-undo'));
    await user.click(await screen.findByTestId('confirm-delete'));
    expect(await screen.findByTestId('import-notice')).toHaveTextContent('removed 4, restored 2');
    expect(backend.customers.size).toBe(2);
    const batch = await screen.findByTestId('import-batch');
    expect(batch.dataset.undone).toBe('true');
    expect(within(batch).queryByTestId('import-undo')).toBeNull();
  });

  it('a workbook says which sheet was read, offers its other sheets and names columns by letter', async () => {
    const backend = new FakeBackend();
    backend.importFile = '/home/dealer/Documents/visitors.xlsx';
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-import'));
    await user.click(await screen.findByTestId('import-choose'));
    const preview = await screen.findByTestId('import-preview');
    expect(within(preview).getByTestId('import-file-kind')).toHaveTextContent('Excel workbook, sheet “Visitors”');
    const counted = within(preview).getByTestId('import-file-kind').parentElement?.textContent ?? '';
    expect(counted).toMatch(/^Excel workbook, sheet “Visitors” · (1 row|[02-9]\d* rows|1\d+ rows) read$/);
    // A workbook has no encoding or delimiter to choose; its sheet instead.
    expect(within(preview).queryByTestId('import-encoding')).toBeNull();
    expect(within(preview).queryByTestId('import-delimiter')).toBeNull();
    const sheet = within(preview).getByTestId('import-sheet') as HTMLSelectElement;
    expect([...sheet.options].map((o) => o.value)).toEqual(['Visitors', 'Basel 2024']);
    expect(sheet.value).toBe('Visitors');
    expect(backend.callsOf('previewImport')[0].args[1]).toMatchObject({ sheet: null });
    expect(screen.getAllByTestId('import-warning')[0]).toHaveTextContent('Column B “Email”');

    await user.selectOptions(sheet, 'Basel 2024');
    await waitFor(() => expect(backend.callsOf('previewImport')).toHaveLength(2));
    expect(backend.callsOf('previewImport')[1].args[1]).toMatchObject({ sheet: 'Basel 2024', mapping: null });
    await waitFor(() =>
      expect(screen.getByTestId('import-file-kind')).toHaveTextContent('Excel workbook, sheet “Basel 2024”'),
    );
    expect((screen.getByTestId('import-sheet') as HTMLSelectElement).value).toBe('Basel 2024');

    await user.click(screen.getByTestId('import-commit'));
    const summary = await screen.findByTestId('import-summary');
    expect(within(summary).getByTestId('summary-file-kind')).toHaveTextContent('Excel workbook, sheet “Basel 2024”');
    expect(backend.callsOf('commitImport')[0].args[1]).toMatchObject({ sheet: 'Basel 2024' });
  });

  it('a text file offers no sheet, and a workbook of one sheet none either', () => {
    expect(sheetChoices({ kind: 'text' })).toEqual([]);
    expect(sheetChoices({ kind: 'workbook', format: 'open_document', sheet: 'Sheet1', sheets: ['Sheet1'] })).toEqual([]);
    expect(sheetChoices({ kind: 'workbook', format: 'excel', sheet: 'A', sheets: ['A', 'B'] })).toEqual(['A', 'B']);
    expect(fileKindText({ kind: 'text' })).toBeNull();
    expect(fileKindText({ kind: 'vcard', cards: 1 })).toBe('vCard, 1 card');
    expect(fileKindText({ kind: 'vcard', cards: 12 })).toBe('vCard, 12 cards');
    setUiLanguage('zh');
    try {
      expect(fileKindText({ kind: 'workbook', format: 'excel_legacy', sheet: '来宾', sheets: ['来宾'] })).toBe(
        'Excel 97–2003 工作簿，工作表“来宾”',
      );
    } finally {
      setUiLanguage('en');
    }
  });

  it('gives the reasons rows are left out in the dealer\'s language', async () => {
    setUiLanguage('zh');
    try {
      const backend = new FakeBackend();
      const { user } = renderApp(backend);
      await user.click(screen.getByTestId('nav-import'));
      await user.click(await screen.findByTestId('import-choose'));
      await screen.findByTestId('import-preview');
      const reasons = screen.getAllByTestId('rejected-row').map((r) => r.textContent ?? '');
      expect(reasons).toEqual([expect.stringContaining('没有姓名、电子邮件或电话')]);
      const warnings = screen.getAllByTestId('import-warning').map((r) => r.textContent ?? '');
      expect(warnings).toEqual([expect.stringContaining('“Email”列：'), expect.stringContaining('不是电话号码')]);
      expect(warnings[1]).toContain('未验证的号码');
      expect([...reasons, ...warnings].join(' ')).not.toMatch(/is not an? |kept /);

      // The saved file says the same, under Chinese column titles (which the import of the
      // corrected file knows to leave out).
      await user.click(screen.getByTestId('save-rejected'));
      await screen.findByTestId('import-notice');
      const wording = backend.callsOf('saveRejectedRows')[0].args[2] as RejectedRowsWording;
      expect([wording.line_title, wording.reason_title]).toEqual(['原文件行号', '未导入原因']);
      const lines = screen.getAllByTestId('rejected-row').map((r) => Number(r.dataset.line));
      expect(Object.keys(wording.reasons).map(Number)).toEqual(lines);
      lines.forEach((line, i) => expect(reasons[i]).toContain(wording.reasons[line]));
    } finally {
      setUiLanguage('en');
    }
  });

  /** Chooses an empty file to import; the view's refusal of it. */
  async function refuseEmptyFile(backend: FakeBackend): Promise<HTMLElement> {
    backend.importFile = '/tmp/empty.csv';
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-import'));
    await user.click(await screen.findByTestId('import-choose'));
    return screen.findByTestId('import-error');
  }

  it('shows a file-level error in the view and writes nothing', async () => {
    const backend = new FakeBackend();
    const error = await refuseEmptyFile(backend);
    expect(error.dataset.code).toBe('invalid_input');
    expect(error).toHaveTextContent('empty.csv: The file is empty.');
    expect(error).toHaveTextContent('Nothing was written');
    expect(screen.queryByTestId('import-preview')).toBeNull();
    expect(screen.queryByTestId('error-banner')).toBeNull();
    expect(backend.callsOf('commitImport')).toHaveLength(0);
  });

  it('names the refused file and says why in Chinese', async () => {
    setUiLanguage('zh');
    try {
      const error = await refuseEmptyFile(new FakeBackend());
      expect(error.querySelector('.message')?.textContent).toBe('empty.csv：文件是空的。');
    } finally {
      setUiLanguage('en');
    }
  });

  it('a mapping the core refuses keeps the previous preview and shows why', async () => {
    const backend = new FakeBackend();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-import'));
    await user.click(await screen.findByTestId('import-choose'));
    await screen.findByTestId('import-preview');
    // Leaving out the name, the email and the phone leaves nothing to know people by.
    for (const i of [0, 1]) {
      await user.selectOptions((screen.getAllByTestId('mapping-target') as HTMLSelectElement[])[i], 'ignore');
      await waitFor(() => expect(backend.callsOf('previewImport')).toHaveLength(2 + i));
    }
    const newBefore = screen.getByTestId('count-new').textContent;
    await user.selectOptions((screen.getAllByTestId('mapping-target') as HTMLSelectElement[])[2], 'ignore');
    const error = await screen.findByTestId('import-error');
    expect(error).toHaveTextContent('No column holds a name, an email or a phone number');
    // The select shows what the preview still uses.
    await waitFor(() => expect((screen.getAllByTestId('mapping-target') as HTMLSelectElement[])[2].value).toBe('phone'));
    expect(screen.getByTestId('count-new').textContent).toBe(newBefore);
  });

  it('a long preview shows the progress bar and a cancel returns calmly to the start', async () => {
    const backend = new FakeBackend();
    const release = backend.hold();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-import'));
    await user.click(await screen.findByTestId('import-choose'));
    const bar = await screen.findByTestId('import-progress');
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('40'));
    expect(screen.getByTestId('import-progress-panel')).toHaveTextContent('40% · 4 rows read');
    await user.click(screen.getByTestId('import-cancel'));
    expect(await screen.findByTestId('import-notice')).toHaveTextContent('Cancelled — nothing was changed');
    expect(screen.queryByTestId('import-progress')).toBeNull();
    expect(screen.queryByTestId('import-preview')).toBeNull();
    expect(screen.getByTestId('import-choose')).toBeEnabled();
    release();
  });

  it('saves the mapping for next time', async () => {
    const backend = new FakeBackend();
    const { user } = renderApp(backend);
    await user.click(screen.getByTestId('nav-import'));
    await user.click(await screen.findByTestId('import-choose'));
    await screen.findByTestId('import-preview');
    await user.click(screen.getByTestId('mapping-save'));
    expect(await screen.findByTestId('import-notice')).toHaveTextContent('next time');
    expect(backend.callsOf('saveImportMapping')[0].args[0]).toHaveLength(6);
  });
});
