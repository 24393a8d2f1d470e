/**
 * The audience filter's logic (AudienceFilter.svelte), kept out of the component so it can be
 * tested: the form as the dealer types it, its checks (an amount or date that cannot be read is
 * named beside its field and never sent), the CustomerFilter it becomes and back, and the active
 * parts shown as removable chips.
 */
import Big from 'big.js';
import type { CustomerFilter } from './bindings/CustomerFilter';
import type { CustomerType } from './bindings/CustomerType';
import type { Influence } from './bindings/Influence';
import type { RfmGroup } from './bindings/RfmGroup';
import type { SavedSegment } from './bindings/SavedSegment';
import type { Segment } from './bindings/Segment';
import type { Tier } from './bindings/Tier';
import type { ValueClass } from './bindings/ValueClass';
import { everyone } from './audience';
import { languageName } from './display';
import { formatAmount, formatPlainDate } from './format';
import { t } from './i18n/index.svelte';
import { tierName } from './membership';
import { problemText } from './problems';
import { readAmount } from './money';

/** In the order the window offers them: the best customers first. */
export const SEGMENTS: readonly Segment[] = ['vip', 'regular', 'new', 'at_risk', 'lapsed', 'prospect'];
export const VALUE_CLASSES: readonly ValueClass[] = ['key', 'main', 'ordinary'];
export const RFM_GROUPS: readonly RfmGroup[] = [
  'champions',
  'loyal',
  'cant_lose_them',
  'potential_loyalist',
  'recent',
  'promising',
  'need_attention',
  'about_to_sleep',
  'hibernating',
  'lost',
];
export const INFLUENCES: readonly Influence[] = ['none', 'reviewer', 'trade_professional', 'public_figure'];

/** Seed 004's stars: a store reviewer ★★★, a professional ★★★★, a public figure ★★★★★. */
export const INFLUENCE_STARS: Record<Influence, number> = { none: 0, reviewer: 3, trade_professional: 4, public_figure: 5 };

/** Languages offered as a filter; "zh" selects every Chinese variant (the core's rule). */
export const AUDIENCE_LANGUAGES = ['en', 'zh', 'de', 'fr', 'it', 'ja'] as const;

/** The audience as the form holds it: text as typed, minimum RFM scores 1 meaning "any". */
export interface AudienceForm {
  customerType: CustomerType | '';
  tags: string[];
  language: string;
  minSpend: string;
  maxSpend: string;
  boughtSince: string;
  boughtUntil: string;
  notBoughtSince: string;
  brand: string;
  segments: Segment[];
  valueClasses: ValueClass[];
  rfmGroups: RfmGroup[];
  minR: number;
  minF: number;
  minM: number;
  influence: Influence[];
  /** Membership tiers, by key. */
  tiers: string[];
  likes: string;
  savedSegment: number | null;
}

export function emptyAudienceForm(): AudienceForm {
  return formFromFilter(everyone());
}

/** The form showing `filter` (what the list or a saved segment holds). */
export function formFromFilter(filter: CustomerFilter): AudienceForm {
  return {
    customerType: filter.customer_type ?? '',
    tags: [...filter.tags],
    language: filter.language ?? '',
    minSpend: filter.min_spend ?? '',
    maxSpend: filter.max_spend ?? '',
    boughtSince: filter.bought_since ?? '',
    boughtUntil: filter.bought_until ?? '',
    notBoughtSince: filter.not_bought_since ?? '',
    brand: filter.brand ?? '',
    segments: [...filter.segments],
    valueClasses: [...filter.value_classes],
    rfmGroups: [...filter.rfm_groups],
    minR: filter.min_rfm?.r ?? 1,
    minF: filter.min_rfm?.f ?? 1,
    minM: filter.min_rfm?.m ?? 1,
    influence: [...filter.influence],
    tiers: [...filter.tiers],
    likes: filter.likes ?? '',
    savedSegment: filter.saved_segment,
  };
}

/** Field errors keyed by the CustomerFilter field they concern (the core's `field` names). */
export type AudienceErrors = Partial<Record<'min_spend' | 'max_spend' | 'bought_since' | 'bought_until' | 'not_bought_since', string>>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** An amount as typed, read the book's way ("£5,000" → "5000"), or what is wrong with it. */
function amountOf(text: string): { amount: string | null } | { error: string } {
  const typed = text.trim();
  if (!typed) return { amount: null };
  const read = readAmount(typed);
  if ('refused' in read)
    return { error: read.refused === 'amount_groups' ? problemText({ kind: 'amount_groups', value: typed }) : t('audience.errAmount') };
  if (read.amount.startsWith('-') || !/^\d{1,10}(\.\d{1,4})?$/.test(read.amount)) return { error: t('audience.errAmount') };
  return { amount: read.amount };
}

/**
 * The form as the core's filter (with `search` carried over as it was: the list's search box owns
 * it), or the errors that keep it from being one.
 */
export function buildAudience(
  form: AudienceForm,
  search: string | null = null,
): { filter: CustomerFilter; errors: null } | { filter: null; errors: AudienceErrors } {
  const errors: AudienceErrors = {};
  const min = amountOf(form.minSpend);
  const max = amountOf(form.maxSpend);
  if ('error' in min) errors.min_spend = min.error;
  if ('error' in max) errors.max_spend = max.error;
  if ('amount' in min && 'amount' in max && min.amount && max.amount && new Big(max.amount).lt(new Big(min.amount)))
    errors.max_spend = t('audience.errBand');
  const since = form.boughtSince.trim();
  const until = form.boughtUntil.trim();
  const notSince = form.notBoughtSince.trim();
  if (since && !validDate(since)) errors.bought_since = t('audience.errDate');
  if (until && !validDate(until)) errors.bought_until = t('audience.errDate');
  else if (until && since && validDate(since) && until < since) errors.bought_until = t('audience.errDays');
  if (notSince && !validDate(notSince)) errors.not_bought_since = t('audience.errDate');
  if (Object.keys(errors).length > 0) return { filter: null, errors };
  const tags: string[] = [];
  for (const tag of form.tags.map((x) => x.trim()).filter(Boolean)) {
    if (!tags.some((x) => x.toLowerCase() === tag.toLowerCase())) tags.push(tag);
  }
  const anyRfm = form.minR > 1 || form.minF > 1 || form.minM > 1;
  return {
    errors: null,
    filter: {
      ...everyone(),
      customer_type: form.customerType || null,
      tags,
      language: form.language.trim() || null,
      min_spend: 'amount' in min ? min.amount : null,
      max_spend: 'amount' in max ? max.amount : null,
      bought_since: since || null,
      bought_until: until || null,
      not_bought_since: notSince || null,
      brand: form.brand.trim() || null,
      segments: SEGMENTS.filter((s) => form.segments.includes(s)),
      value_classes: VALUE_CLASSES.filter((c) => form.valueClasses.includes(c)),
      rfm_groups: RFM_GROUPS.filter((g) => form.rfmGroups.includes(g)),
      min_rfm: anyRfm ? { r: form.minR, f: form.minF, m: form.minM } : null,
      influence: INFLUENCES.filter((i) => form.influence.includes(i)),
      tiers: [...new Set(form.tiers)],
      likes: form.likes.trim() || null,
      saved_segment: form.savedSegment,
      search,
    },
  };
}

/** One part of an audience the dealer set, as a removable chip. */
export type AudiencePart =
  | { part: 'customer_type' }
  | { part: 'tag'; tag: string }
  | { part: 'language' }
  | { part: 'spend' }
  | { part: 'bought' }
  | { part: 'not_bought_since' }
  | { part: 'brand' }
  | { part: 'segments' }
  | { part: 'value_classes' }
  | { part: 'rfm_groups' }
  | { part: 'min_rfm' }
  | { part: 'influence' }
  | { part: 'tiers' }
  | { part: 'likes' }
  | { part: 'saved_segment' };

/** The parts kept behind "More filters" (the rest are always in view). */
export const MORE_PARTS: ReadonlySet<AudiencePart['part']> = new Set([
  'language',
  'spend',
  'bought',
  'not_bought_since',
  'brand',
  'segments',
  'value_classes',
  'rfm_groups',
  'min_rfm',
  'influence',
  'tiers',
  'likes',
]);

/** The parts in use, in the order the chips show them (the search is the list's own chip). */
export function activeParts(filter: CustomerFilter): AudiencePart[] {
  const parts: AudiencePart[] = [];
  if (filter.saved_segment !== null) parts.push({ part: 'saved_segment' });
  if (filter.segments.length > 0) parts.push({ part: 'segments' });
  if (filter.tiers.length > 0) parts.push({ part: 'tiers' });
  if (filter.customer_type) parts.push({ part: 'customer_type' });
  for (const tag of filter.tags) parts.push({ part: 'tag', tag });
  if (filter.value_classes.length > 0) parts.push({ part: 'value_classes' });
  if (filter.rfm_groups.length > 0) parts.push({ part: 'rfm_groups' });
  if (filter.min_rfm) parts.push({ part: 'min_rfm' });
  if (filter.influence.length > 0) parts.push({ part: 'influence' });
  if (filter.likes) parts.push({ part: 'likes' });
  if (filter.min_spend !== null || filter.max_spend !== null) parts.push({ part: 'spend' });
  if (filter.bought_since || filter.bought_until) parts.push({ part: 'bought' });
  if (filter.not_bought_since) parts.push({ part: 'not_bought_since' });
  if (filter.brand) parts.push({ part: 'brand' });
  if (filter.language) parts.push({ part: 'language' });
  return parts;
}

/** How many parts narrow the audience (a chip each, the search left out). */
export function activeCount(filter: CustomerFilter): number {
  return activeParts(filter).length;
}

/** How many of the parts behind "More filters" are in use. */
export function hiddenActiveCount(filter: CustomerFilter): number {
  return activeParts(filter).filter((p) => MORE_PARTS.has(p.part)).length;
}

/** The audience with one part taken away. */
export function withoutPart(filter: CustomerFilter, part: AudiencePart): CustomerFilter {
  const next = { ...filter };
  switch (part.part) {
    case 'customer_type':
      next.customer_type = null;
      break;
    case 'tag':
      next.tags = filter.tags.filter((x) => x !== part.tag);
      break;
    case 'language':
      next.language = null;
      break;
    case 'spend':
      next.min_spend = null;
      next.max_spend = null;
      break;
    case 'bought':
      next.bought_since = null;
      next.bought_until = null;
      break;
    case 'not_bought_since':
      next.not_bought_since = null;
      break;
    case 'brand':
      next.brand = null;
      break;
    case 'segments':
      next.segments = [];
      break;
    case 'value_classes':
      next.value_classes = [];
      break;
    case 'rfm_groups':
      next.rfm_groups = [];
      break;
    case 'min_rfm':
      next.min_rfm = null;
      break;
    case 'influence':
      next.influence = [];
      break;
    case 'tiers':
      next.tiers = [];
      break;
    case 'likes':
      next.likes = null;
      break;
    case 'saved_segment':
      next.saved_segment = null;
      break;
  }
  return next;
}

/** Every part cleared; the list's search stays (it has its own chip). */
export function cleared(filter: CustomerFilter): CustomerFilter {
  return { ...everyone(), search: filter.search };
}

/** The same audience, whatever order the object's keys were written in. */
export function sameAudience(a: CustomerFilter, b: CustomerFilter): boolean {
  return canonical(a) === canonical(b);
}

function canonical(filter: CustomerFilter): string {
  const keys = Object.keys(everyone()) as (keyof CustomerFilter)[];
  return JSON.stringify(keys.map((key) => filter[key] ?? null));
}

/** A language filter's name: "Chinese (any)" for "zh", else the language's own name. */
export function audienceLanguageName(code: string): string {
  return code === 'zh' ? t('audience.langZh') : languageName(code);
}

/** The chip's words for one part, in the window's language; `tiers` names the book's tiers (a key not among them is shown as it is). */
export function partLabel(
  part: AudiencePart,
  filter: CustomerFilter,
  context: { currency: string; saved: readonly SavedSegment[]; tiers?: readonly Tier[] },
): string {
  const names = <T extends string>(values: readonly T[], key: (v: T) => string) => values.map(key).join(' / ');
  switch (part.part) {
    case 'customer_type':
      return t('audience.chip.type', { value: t(`type.${filter.customer_type ?? 'retail'}`) });
    case 'tag':
      return t('audience.chip.tag', { value: part.tag });
    case 'language':
      return t('audience.chip.language', { value: audienceLanguageName(filter.language ?? '') });
    case 'spend': {
      const min = filter.min_spend !== null ? formatAmount(filter.min_spend, context.currency) : null;
      const max = filter.max_spend !== null ? formatAmount(filter.max_spend, context.currency) : null;
      if (min && max) return t('audience.chip.spendBetween', { min, max });
      return min ? t('audience.chip.spendFrom', { min }) : t('audience.chip.spendUpTo', { max: max ?? '' });
    }
    case 'bought':
      if (filter.bought_since && filter.bought_until)
        return t('audience.chip.boughtBetween', { from: formatPlainDate(filter.bought_since), to: formatPlainDate(filter.bought_until) });
      return filter.bought_since
        ? t('audience.chip.boughtSince', { date: formatPlainDate(filter.bought_since) })
        : t('audience.chip.boughtUntil', { date: formatPlainDate(filter.bought_until) });
    case 'not_bought_since':
      return t('audience.chip.notBoughtSince', { date: formatPlainDate(filter.not_bought_since) });
    case 'brand':
      return t('audience.chip.brand', { value: filter.brand ?? '' });
    case 'segments':
      return t('audience.chip.segments', { value: names(filter.segments, (s) => t(`segment.${s}`)) });
    case 'value_classes':
      return t('audience.chip.valueClasses', { value: names(filter.value_classes, (c) => t(`valueClass.${c}`)) });
    case 'rfm_groups':
      return t('audience.chip.rfmGroups', { value: names(filter.rfm_groups, (g) => t(`rfmGroup.${g}`)) });
    case 'min_rfm': {
      const min = filter.min_rfm ?? { r: 1, f: 1, m: 1 };
      const scores = (['r', 'f', 'm'] as const).filter((k) => min[k] > 1).map((k) => `${k.toUpperCase()} ≥ ${min[k]}`);
      return t('audience.chip.minRfm', { value: scores.join(', ') });
    }
    case 'influence':
      return t('audience.chip.influence', { value: names(filter.influence, (i) => t(`influence.${i}`)) });
    case 'tiers': {
      const named = (key: string) => {
        const tier = context.tiers?.find((x) => x.key === key);
        return tier ? tierName(tier) : key;
      };
      return t('audience.tierChip', { value: names(filter.tiers, named) });
    }
    case 'likes':
      return t('audience.chip.likes', { value: filter.likes ?? '' });
    case 'saved_segment': {
      const saved = context.saved.find((s) => s.id === filter.saved_segment);
      return t('audience.chip.saved', { value: saved?.name ?? `#${filter.saved_segment}` });
    }
  }
}

/** A core error's field as the filter names it ("audience.min_spend" → "min_spend"). */
export function filterField(field: string | null): string | null {
  return field ? field.replace(/^(audience|filter)\./, '') : null;
}
