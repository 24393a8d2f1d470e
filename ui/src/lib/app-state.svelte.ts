/**
 * What the whole window shares: the current screen, the list's sort and
 * filters (kept while the dealer visits a customer), the error banner and the
 * book's default currency. One instance per App, handed down by context, so
 * each test renders a fresh one.
 */
import { getContext, setContext } from 'svelte';
import type { CustomerType } from './bindings/CustomerType';
import type { ErrorPayload } from './bindings/ErrorPayload';
import type { ListSort } from './bindings/ListSort';
import { toErrorPayload } from './gateway';

export type View =
  | { name: 'list' }
  | { name: 'wishes' }
  | { name: 'import' }
  | { name: 'mailing' }
  | { name: 'backups' }
  | { name: 'customer'; id: number }
  | { name: 'new' }
  | { name: 'edit'; id: number };

export interface ListState {
  sort: ListSort;
  descending: boolean;
  customerType: CustomerType | null;
  tag: string | null;
  scrollTop: number;
  activeIndex: number;
}

export class AppState {
  view = $state<View>({ name: 'list' });
  list = $state<ListState>({
    sort: 'name',
    descending: false,
    customerType: null,
    tag: null,
    scrollTop: 0,
    activeIndex: 0,
  });
  error = $state<ErrorPayload | null>(null);
  /** A calm message for the whole window (a customer erased, a backup restored). */
  notice = $state<string | null>(null);
  settingsOpen = $state(false);
  bookCurrency = $state('GBP');
  /** Bumped after any change to the book, so open views refetch. */
  revision = $state(0);
  /** Bumped when the whole book was replaced (a restore): the window rereads its settings too. */
  bookReloads = $state(0);

  private history: View[] = [];
  private searchFocuser: (() => void) | null = null;

  go(view: View): void {
    this.history.push(this.view);
    if (this.history.length > 50) this.history.shift();
    this.view = view;
    this.error = null;
    this.notice = null;
    this.settingsOpen = false;
  }

  /** Show a view in place of the current one (after a save: the form leaves no trace in history). */
  replace(view: View): void {
    this.view = view;
    this.error = null;
    this.notice = null;
    this.settingsOpen = false;
  }

  /** Back to where the dealer came from, skipping forms and deleted customers. */
  back(skip?: (v: View) => boolean): void {
    let prev = this.history.pop();
    while (prev && skip?.(prev)) prev = this.history.pop();
    this.view = prev ?? { name: 'list' };
    this.error = null;
    this.notice = null;
    this.settingsOpen = false;
  }

  showError(e: unknown): void {
    this.error = toErrorPayload(e);
  }

  registerSearch(focus: () => void): void {
    this.searchFocuser = focus;
  }

  focusSearch(): void {
    this.searchFocuser?.();
  }

  changed(): void {
    this.revision += 1;
  }

  /** The book was replaced as a whole: every view and the settings are read again. */
  reloadBook(): void {
    this.history = [];
    this.list = { ...this.list, tag: null, scrollTop: 0, activeIndex: 0 };
    this.bookReloads += 1;
    this.changed();
  }
}

const KEY = Symbol('loupe.app');

export function setAppState(state: AppState): AppState {
  return setContext(KEY, state);
}

export function useApp(): AppState {
  const app = getContext<AppState | undefined>(KEY);
  if (!app) throw new Error('No AppState in context');
  return app;
}
