/**
 * A small typed i18n: two complete dictionaries, one reactive current
 * language (kept in localStorage), and `t(key, vars)`. Reading `t` inside a
 * template re-renders when the language changes.
 */
import { en, type Dictionary, type MessageKey } from './en';
import { zh } from './zh';

export type UiLanguage = 'en' | 'zh';
export type { MessageKey };

export const dictionaries: Record<UiLanguage, Dictionary> = { en, zh };

const STORAGE_KEY = 'loupe.uiLanguage';

function initialLanguage(): UiLanguage {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh') return stored;
  } catch {
    // storage unavailable: fall through to the system language
  }
  const nav = globalThis.navigator?.language ?? 'en';
  return nav.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

const state = $state({ lang: initialLanguage(), region: '' });

export function uiLanguage(): UiLanguage {
  return state.lang;
}

export function setUiLanguage(lang: UiLanguage): void {
  state.lang = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // not fatal: the choice lasts for this session
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lang === 'zh' ? 'zh-Hans' : 'en';
}

/**
 * The book's region (ISO 3166, from its settings), which with the window's language decides how
 * dates are written: an English window on a British book writes 04/12/2026, on an American one
 * 12/04/2026, whatever the computer's own locale says.
 */
export function setBookRegion(region: string): void {
  state.region = /^[A-Za-z]{2}$/.test(region) ? region.toUpperCase() : '';
}

/** The BCP 47 locale used for Intl formatting: the window's language in the book's region. */
export function intlLocale(): string {
  if (state.lang === 'zh') return 'zh-CN';
  if (state.region) return `en-${state.region}`;
  const nav = globalThis.navigator?.language ?? 'en-GB';
  return nav.toLowerCase().startsWith('en') ? nav : 'en-GB';
}

/**
 * A message with plural forms is kept as sibling keys under one base: `list.count.one`,
 * `list.count.other` (and `.zero`, `.two`, `.few`, `.many` for languages whose rules have them),
 * with optional exact forms `.=0`, `.=1`, … that win over the category, as in ICU messages.
 * `t('list.count', { count: 3 })` picks the form; `.other` is always there and is the fallback.
 * Chinese has only `other`: its `.one` strings exist for the shared key set but are never chosen.
 */
type PluralBase<K> = K extends `${infer Base}.other`
  ? [Extract<`${Base}.one` | `${Base}.=0` | `${Base}.=1`, MessageKey>] extends [never]
    ? never
    : Base
  : never;
export type PluralKey = PluralBase<MessageKey>;

type Vars = Record<string, string | number>;

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function cached<T>(cache: Map<string, T>, locale: string, make: (locale: string) => T): T {
  let value = cache.get(locale);
  if (value === undefined) {
    value = make(locale);
    cache.set(locale, value);
  }
  return value;
}

/** The plural category of `count` in the chosen UI language ("one", "other", …). */
export function pluralCategory(count: number): Intl.LDMLPluralRule {
  return cached(pluralRules, intlLocale(), (l) => new Intl.PluralRules(l)).select(count);
}

function lookup(key: string): string | undefined {
  return (dictionaries[state.lang] as Record<string, string>)[key] ?? (en as Record<string, string>)[key];
}

/**
 * The message for `key` in the chosen language, with `{name}` placeholders filled from `vars`.
 * Given a plural base (see `PluralKey`) and a numeric `count`, the form is chosen by
 * `Intl.PluralRules`, and `{count}` is written as a locale number ("1,234").
 */
export function t(key: MessageKey, vars?: Vars): string;
export function t(key: PluralKey, vars: Vars & { count: number }): string;
export function t(key: MessageKey | PluralKey, vars?: Vars): string {
  const count = vars?.count;
  const text =
    lookup(key) ??
    (typeof count === 'number'
      ? (lookup(`${key}.=${count}`) ?? lookup(`${key}.${pluralCategory(count)}`) ?? lookup(`${key}.other`))
      : undefined) ??
    key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => {
    if (!(name in vars)) return m;
    const value = vars[name];
    return name === 'count' && typeof value === 'number'
      ? cached(numberFormats, intlLocale(), (l) => new Intl.NumberFormat(l)).format(value)
      : String(value);
  });
}
