import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BookSettings } from '../lib/bindings/BookSettings';
import type { JobProgress } from '../lib/bindings/JobProgress';
import BackupCounts from '../lib/components/BackupCounts.svelte';
import { Job, type JobLink } from '../lib/job.svelte';
import { backendContext } from '../lib/gateway';
import { stubBackend } from './helpers';
import { defaultStandingRules } from '../lib/audience';
import { defaultMembershipRules } from '../lib/membership';
import { defaultFollowUpRules } from '../lib/agenda';

afterEach(() => {
  vi.useRealTimers();
});

describe('a long job on a screen', () => {
  it('hears its own progress, shows the bar only once it lasts, and forgets both when done', async () => {
    vi.useFakeTimers();
    const job = new Job<JobProgress>(250);
    let finish: (value: string) => void = () => {};
    const running = job.run(
      (link) =>
        new Promise<string>((resolve) => {
          link.report({ done: 1, total: 4 });
          finish = resolve;
        }),
    );
    expect(job.running).toBe(true);
    expect(job.progress).toEqual({ done: 1, total: 4 });
    expect(job.showBar).toBe(false);
    vi.advanceTimersByTime(250);
    expect(job.showBar).toBe(true);
    finish('written');
    await expect(running).resolves.toBe('written');
    expect([job.running, job.showBar]).toEqual([false, false]);
  });

  it('a quick job never shows the bar', async () => {
    vi.useFakeTimers();
    const job = new Job<JobProgress>(250);
    await job.run(async () => 'quick');
    vi.advanceTimersByTime(1000);
    expect(job.showBar).toBe(false);
  });

  it('stop reaches exactly the job that was started, and its rejection comes through', async () => {
    const stops: string[] = [];
    const job = new Job<JobProgress>();
    const call = (name: string) => (link: JobLink<JobProgress>) =>
      new Promise<never>((_, reject) => {
        link.started(async () => {
          stops.push(name);
          reject({ code: 'cancelled', message: 'cancelled; nothing was changed' });
        });
      });
    const first = job.run(call('export'));
    await job.cancel();
    await expect(first).rejects.toMatchObject({ code: 'cancelled' });
    expect(job.cancelling).toBe(true);
    // A new run starts fresh: not cancelling, and stop reaches the new job only.
    const second = job.run(call('backup'));
    expect(job.cancelling).toBe(false);
    await job.cancel();
    await expect(second).rejects.toMatchObject({ code: 'cancelled' });
    expect(stops).toEqual(['export', 'backup']);
  });
});

describe('the backups counts, on a stubbed backend', () => {
  const settings: BookSettings = {
    default_region: 'GB',
    default_currency: 'GBP',
    backups_to_keep: 14,
    other_backups_to_keep: 10,
    offsite_reminder_days: 7,
    staff: [],
    standing: defaultStandingRules(),
    membership: defaultMembershipRules(), follow_up: defaultFollowUpRules(), campaign_response_days: 30, shop_name: '', shop_address: '', shop_phone: '',
  };

  it('shows the saved counts, refuses a bad one beside its field, and saves the three together', async () => {
    const updateSettings = vi.fn(async (next: BookSettings) => next);
    const onsaved = vi.fn();
    const backend = stubBackend({ getSettings: async () => settings, updateSettings });
    const user = userEvent.setup();
    render(BackupCounts, { props: { onsaved, onerror: () => {} }, context: backendContext(backend) });
    const daily = await screen.findByTestId('backups-keep');
    await waitFor(() => expect(daily).toHaveValue('14'));
    expect(screen.getByTestId('backups-keep-save')).toBeDisabled();

    await user.clear(screen.getByTestId('backups-keep-other'));
    await user.type(screen.getByTestId('backups-keep-other'), '0');
    await user.click(screen.getByTestId('backups-keep-save'));
    expect(await screen.findByTestId('field-error')).toHaveAttribute('data-field', 'other_backups_to_keep');
    expect(updateSettings).not.toHaveBeenCalled();

    await user.clear(screen.getByTestId('backups-keep-other'));
    await user.type(screen.getByTestId('backups-keep-other'), '20');
    await user.clear(screen.getByTestId('backups-remind-days'));
    await user.type(screen.getByTestId('backups-remind-days'), '30');
    await user.click(screen.getByTestId('backups-keep-save'));
    await waitFor(() => expect(onsaved).toHaveBeenCalledOnce());
    expect(updateSettings).toHaveBeenCalledWith({ ...settings, other_backups_to_keep: 20, offsite_reminder_days: 30 });
    expect(screen.queryByTestId('field-error')).toBeNull();
  });

  it('a stub names the method a test forgot', () => {
    const backend = stubBackend({});
    expect(() => backend.bookStats()).toThrow('the test did not stub backend.bookStats');
  });
});
