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

const state = $state({ lang: initialLanguage() });

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

/** The BCP 47 locale used for Intl formatting with the chosen UI language. */
export function intlLocale(): string {
  if (state.lang === 'zh') return 'zh-CN';
  const nav = globalThis.navigator?.language ?? 'en-GB';
  return nav.toLowerCase().startsWith('en') ? nav : 'en-GB';
}

export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[state.lang][key] ?? en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
