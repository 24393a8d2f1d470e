/** Names for codes the book stores: languages, countries, currencies. */
import { intlLocale, t, type MessageKey } from './i18n/index.svelte';
import { COMMON_LANGUAGES } from './draft';

function displayName(type: 'language' | 'region' | 'currency', code: string): string | undefined {
  try {
    return new Intl.DisplayNames([intlLocale()], { type }).of(code) ?? undefined;
  } catch {
    return undefined;
  }
}

export function languageName(code: string): string {
  if (!code) return '';
  if ((COMMON_LANGUAGES as readonly string[]).includes(code)) return t(`lang.${code}` as MessageKey);
  const name = displayName('language', code);
  return name && name !== code ? `${name} (${code})` : code;
}

export function countryName(code: string): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return code;
  const name = displayName('region', code.toUpperCase());
  return name && name.toUpperCase() !== code.toUpperCase() ? name : code;
}

export function currencyName(code: string): string {
  const name = displayName('currency', code);
  return name && name !== code ? `${code} — ${name}` : code;
}
