/**
 * What the whole window shares: the current screen, the list's sort and
 * filters (kept while the dealer visits a customer), the error banner and the
 * book's default currency. One instance per App, handed down by context, so
 * each test renders a fresh one.
 */
import { getContext, setContext } from 'svelte';
import type { CustomerRow } from './bindings/CustomerRow';
import type { CustomerFilter } from './bindings/CustomerFilter';
import type { ErrorPayload } from './bindings/ErrorPayload';
import type { ListSort } from './bindings/ListSort';
import { everyone } from './audience';
import { toErrorPayload } from './gateway';

export type View =
  | { name: 'list' }
  | { name: 'wishes' }
  | { name: 'import' }
  | { name: 'mailing' }
  | { name: 'backups' }
  | { name: 'duplicates' }
  | { name: 'membership' }
  | { name: 'insights' }
  | { name: 'agenda' }
  | { name: 'arrivals' }
  /** `focusPurchase`: a sale to bring into view (a piece picked in the search). */
  | { name: 'customer'; id: number; focusPurchase?: number }
  | { name: 'new' }
  | { name: 'edit'; id: number };

/** The tabs of the settings: the book and this computer, the standing rules, the membership programme, the follow-up rules. */
export type SettingsTab = 'general' | 'standing' | 'membership' | 'follow_up' | 'about';

export interface ListState {
  sort: ListSort;
  descending: boolean;
  /**
   * Who the list shows: the audience filter the mailing lists and saved segments use too. Its
   * `search` is what was typed in the search box when the dealer chose "See all".
   */
  filter: CustomerFilter;
  scrollTop: number;
  activeIndex: number;
  /** The customer of the highlighted row, once the dealer picked one: followed when rows move. */
  activeId: number | null;
}

/**
 * The rows the list last showed, kept while the dealer visits a customer so that going back
 * draws them at once, where they were, while they are read again.
 */
export interface ListRows {
  total: number;
  pages: Map<number, CustomerRow[]>;
}

export class AppState {
  view = $state<View>({ name: 'list' });
  list = $state<ListState>({
    sort: 'name',
    descending: false,
    filter: everyone(),
    scrollTop: 0,
    activeIndex: 0,
    activeId: null,
  });
  /** Not reactive: read once when the list is drawn, written as its pages arrive. */
  listRows: ListRows | null = null;
  error = $state<ErrorPayload | null>(null);
  /** A calm message for the whole window (a customer erased, a backup restored). */
  notice = $state<string | null>(null);
  settingsOpen = $state(false);
  /** The tab the settings open on (the membership overview opens them on Membership). */
  settingsTab: SettingsTab = 'general';
  bookCurrency = $state('GBP');
  /** The book's staff list: the salespeople a sale offers (Settings). */
  staff = $state<string[]>([]);
  /** Bumped after any change to the book, so open views refetch. */
  revision = $state(0);
  /** Bumped when the whole book was replaced (a restore): the window rereads its settings too. */
  bookReloads = $state(0);

  private history: View[] = [];
  private searchFocuser: (() => void) | null = null;
  /** The forms and dialogs on screen that hold input: each says whether it holds unsaved work. */
  private unsaved = new Set<() => boolean>();
  /** While the window asks whether to discard unsaved work: what to do if the dealer does. */
  discarding = $state<{ then: () => void } | null>(null);

  /**
   * Opens `view`, after asking when a form on screen holds unsaved work, unless `discarding`
   * (the dealer chose to drop it, as "open her instead" does).
   */
  go(view: View, { discarding = false }: { discarding?: boolean } = {}): void {
    const open = () => {
      this.history.push(this.view);
      if (this.history.length > 50) this.history.shift();
      this.show(view);
    };
    if (discarding) open();
    else this.unlessUnsaved(open);
  }

  /** Show a view in place of the current one (after a save: the form leaves no trace in history). */
  replace(view: View): void {
    this.show(view);
  }

  /**
   * Back to where the dealer came from, skipping forms and deleted customers; after asking when
   * a form on screen holds unsaved work, unless `discarding` (the form's own Cancel button).
   */
  back(skip?: (v: View) => boolean, { discarding = false }: { discarding?: boolean } = {}): void {
    const leave = () => {
      let prev = this.history.pop();
      while (prev && skip?.(prev)) prev = this.history.pop();
      this.show(prev ?? { name: 'list' });
    };
    if (discarding) leave();
    else this.unlessUnsaved(leave);
  }

  private show(view: View): void {
    this.view = view;
    this.error = null;
    this.notice = null;
    this.settingsOpen = false;
  }

  /**
   * A form or dialog holding input registers how to tell whether it holds unsaved work, for as
   * long as it is on screen; the returned function unregisters it. Leaving the screen, clicking
   * outside a dialog, Esc and closing the window then ask before anything typed is lost.
   */
  holdUnsaved(isUnsaved: () => boolean): () => void {
    this.unsaved.add(isUnsaved);
    return () => {
      this.unsaved.delete(isUnsaved);
    };
  }

  hasUnsaved(): boolean {
    return [...this.unsaved].some((isUnsaved) => isUnsaved());
  }

  /** Runs `then` at once when nothing typed would be lost, else once the dealer chose to discard it. */
  unlessUnsaved(then: () => void): void {
    if (this.hasUnsaved()) this.discarding = { then };
    else then();
  }

  /** The dealer chose to discard the unsaved work: carry on with what was asked. */
  discardUnsaved(): void {
    const next = this.discarding;
    this.discarding = null;
    next?.then();
  }

  /** Opens the settings on `tab` in place of the screen, after asking when it holds unsaved work. */
  openSettings(tab: SettingsTab = 'general'): void {
    this.unlessUnsaved(() => {
      this.settingsTab = tab;
      this.settingsOpen = true;
    });
  }

  /**
   * Every customer the search finds, as the list: only the search filters it (the audience's
   * other parts would make the list count differ from the search's), in the list's current order.
   */
  showSearchResults(text: string): void {
    this.unlessUnsaved(() => {
      // In place: the list on screen holds this object.
      Object.assign(this.list, { filter: { ...everyone(), search: text }, scrollTop: 0, activeIndex: 0 });
      this.go({ name: 'list' }, { discarding: true });
    });
  }

  /** The dealer chose to keep editing: nothing happens. */
  keepEditing(): void {
    this.discarding = null;
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
    // The replaced book may hold other tags and saved segments: those parts of the filter go.
    this.list = { ...this.list, filter: { ...this.list.filter, tags: [], saved_segment: null }, scrollTop: 0, activeIndex: 0, activeId: null };
    this.listRows = null;
    this.bookReloads += 1;
    this.changed();
  }
}

const KEY = Symbol('loupe.app');

export function setAppState(state: AppState): AppState {
  return setContext(KEY, state);
}

/** The window's state when the component is rendered inside App, else undefined (a component rendered alone in a test). */
export function findApp(): AppState | undefined {
  return getContext<AppState | undefined>(KEY);
}

export function useApp(): AppState {
  const app = getContext<AppState | undefined>(KEY);
  if (!app) throw new Error('No AppState in context');
  return app;
}
