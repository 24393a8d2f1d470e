import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import { FakeBackend, draftOf } from './fakeBackend';
import { renderApp } from './helpers';

const email = (address: string) => [{ label: '', address, primary: true }];

/** Grace typed in twice, her husband sharing the home email, and someone unrelated. */
function book() {
  const backend = new FakeBackend([
    draftOf({ full_name: 'Grace Wilson', emails: email('grace@wilson.example'), tags: ['VIP'] }),
    draftOf({ full_name: 'G. Wilson', company: 'Wilson & Co', emails: email('Grace@Wilson.example'), tags: ['fair 2026'] }),
    draftOf({ full_name: 'Tom Smith', emails: email('grace@wilson.example') }),
    draftOf({ full_name: 'Ada Lovelace', emails: email('ada@example.com') }),
  ]);
  const [grace, card, tom] = [...backend.customers.values()];
  return { backend, grace, card, tom };
}

describe('possible duplicates: merge one person, keep two people apart', () => {
  it('lists the pairs from the list screen, merges the one person after showing what moves, and undoes it', async () => {
    const { backend, grace, card } = book();
    await backend.addEntry(card.id, {
      kind: 'note',
      draft: { category: 'personal_interest', body: 'Prefers rose gold', pinned: false, noted_on: '2026-02-01' },
    });
    const { user } = renderApp(backend);
    await user.click(await screen.findByTestId('open-duplicates'));
    const view = await screen.findByTestId('duplicates-view');
    await waitFor(() => expect(within(view).getByTestId('duplicates-count')).toHaveTextContent('3 pairs'));
    const first = within(view).getAllByTestId('duplicate-pair')[0];
    expect(first).toHaveTextContent('Same person');
    expect(first).toHaveTextContent('Same email');

    await user.click(within(first).getByTestId('duplicate-merge'));
    const dialog = await screen.findByTestId('merge-dialog');
    const plan = await within(dialog).findByTestId('merge-plan');
    // The older record is kept when neither has sales; the other's note moves, its tag and company fill in.
    expect(plan).toHaveTextContent('Everything of G. Wilson moves to Grace Wilson');
    expect(within(plan).getByTestId('merge-moved')).toHaveTextContent('1 note');
    expect(within(plan).getByTestId('merge-filled')).toHaveTextContent('Tags');
    expect(within(plan).getByTestId('merge-kept-apart')).toHaveTextContent('Full name: Grace Wilson (the other had “G. Wilson”)');
    await user.click(within(dialog).getByTestId('merge-confirm'));

    await waitFor(() => expect(screen.queryByTestId('merge-dialog')).toBeNull());
    expect(screen.getByTestId('duplicates-done')).toHaveTextContent('G. Wilson was merged into Grace Wilson.');
    expect(backend.callsOf('mergeCustomers')[0].args).toEqual([grace.id, card.id]);
    expect(backend.customers.has(card.id)).toBe(false);
    expect(backend.customers.get(grace.id)?.tags).toEqual(['VIP', 'fair 2026']);
    await waitFor(() => expect(screen.getByTestId('duplicates-count')).toHaveTextContent('1 pair'));

    await user.click(screen.getByTestId('duplicates-undo'));
    await waitFor(() => expect(backend.customers.has(card.id)).toBe(true));
    expect([...backend.notes.values()][0].customer_id).toBe(card.id);
    await waitFor(() => expect(screen.getByTestId('duplicates-count')).toHaveTextContent('3 pairs'));
  });

  it('the dealer chooses which record is kept, and the plan follows', async () => {
    const { backend, grace, card } = book();
    const { user } = renderApp(backend);
    await user.click(await screen.findByTestId('open-duplicates'));
    const pair = (await screen.findAllByTestId('duplicate-pair'))[0];
    await user.click(within(pair).getByTestId('duplicate-merge'));
    const dialog = await screen.findByTestId('merge-dialog');
    const choices = within(dialog).getAllByTestId('merge-keep-choice');
    expect((choices[0] as HTMLInputElement).checked).toBe(true);
    await user.click(choices[1]);
    await waitFor(() => expect(within(dialog).getByTestId('merge-plan')).toHaveTextContent('Everything of Grace Wilson moves to G. Wilson'));
    await user.click(within(dialog).getByTestId('merge-confirm'));
    await waitFor(() => expect(backend.callsOf('mergeCustomers')[0]?.args).toEqual([card.id, grace.id]));
  });

  it('a couple sharing an email are different people: no longer listed, and that can be taken back', async () => {
    const { backend, grace, tom } = book();
    const { user } = renderApp(backend);
    await user.click(await screen.findByTestId('open-duplicates'));
    const pairs = await screen.findAllByTestId('duplicate-pair');
    const couple = pairs.find((p) => p.dataset.first === String(grace.id) && p.dataset.second === String(tom.id));
    expect(couple).toBeDefined();
    expect(couple).not.toHaveTextContent('Same person');
    await user.click(within(couple!).getByTestId('duplicate-different'));
    await waitFor(() => expect(screen.getByTestId('duplicates-count')).toHaveTextContent('2 pairs'));
    expect(screen.getByTestId('duplicates-done')).toHaveTextContent('Grace Wilson and Tom Smith are marked as different people.');
    await user.click(screen.getByTestId('duplicates-undo'));
    await waitFor(() => expect(screen.getByTestId('duplicates-count')).toHaveTextContent('3 pairs'));
  });

  it('speaks Chinese', async () => {
    setUiLanguage('zh');
    try {
      const { backend } = book();
      const { user } = renderApp(backend);
      await user.click(await screen.findByTestId('open-duplicates'));
      await waitFor(() => expect(screen.getByTestId('duplicates-count')).toHaveTextContent('3 对'));
      const first = screen.getAllByTestId('duplicate-pair')[0];
      expect(first).toHaveTextContent('同一人');
      await user.click(within(first).getByTestId('duplicate-merge'));
      const plan = await screen.findByTestId('merge-plan');
      expect(plan).toHaveTextContent('G. Wilson 的所有内容将移到 Grace Wilson');
    } finally {
      setUiLanguage('en');
    }
  });

  it("the merge is a line of the kept customer's timeline, and Undo there gives the other record back", async () => {
    const { backend, grace, card } = book();
    await backend.addEntry(card.id, {
      kind: 'note',
      draft: { category: 'personal_interest', body: 'Prefers rose gold', pinned: false, noted_on: '2026-02-01' },
    });
    await backend.mergeCustomers(grace.id, card.id);
    const { user } = renderApp(backend);
    await user.click((await screen.findAllByTestId('customer-row')).find((row) => row.textContent?.includes('Grace Wilson'))!);
    const line = await screen.findByTestId('merge-entry');
    expect(line).toHaveTextContent('Merged in G. Wilson’s record');
    expect(line).toHaveTextContent('1 note');
    expect(line).toHaveTextContent('Full name: G. Wilson');
    expect(screen.getAllByTestId('timeline-entry').some((e) => e.textContent?.includes('Prefers rose gold'))).toBe(true);

    await user.click(within(line).getByTestId('merge-undo'));
    await waitFor(() => expect(screen.getByTestId('app-notice')).toHaveTextContent('G. Wilson is back as a customer of their own.'));
    await waitFor(() => expect(screen.getByTestId('merge-entry')).toHaveTextContent('Merge undone'));
    expect(screen.queryAllByTestId('timeline-entry').some((e) => e.textContent?.includes('Prefers rose gold'))).toBe(false);
    expect(backend.customers.has(card.id)).toBe(true);
  });
});
