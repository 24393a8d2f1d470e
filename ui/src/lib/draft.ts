/**
 * The customer form's working model and its translation to and from the
 * wire's CustomerDraft. The model keeps what inputs hold (strings, date
 * parts, one consent row per channel); `toDraft` validates what the UI can
 * check on its own and maps draft indices back to form rows so that a
 * backend error on "emails[1].address" lands on the right input even when
 * blank rows were left out.
 */
import { readAmount } from './money';
import type { AddressEntry } from './bindings/AddressEntry';
import type { Channel } from './bindings/Channel';
import type { ConsentStatus } from './bindings/ConsentStatus';
import type { ContactMethod } from './bindings/ContactMethod';
import type { Customer } from './bindings/Customer';
import type { CustomerDraft } from './bindings/CustomerDraft';
import type { CustomerType } from './bindings/CustomerType';
import type { EmailEntry } from './bindings/EmailEntry';
import type { Influence } from './bindings/Influence';
import type { OccasionKind } from './bindings/OccasionKind';
import type { RingSizeSystem } from './bindings/RingSizeSystem';
import type { Source } from './bindings/Source';
import { composePartialDate, isValidDayMonth, parsePartialDate } from './format';
import type { MessageKey } from './i18n/en';

export const CUSTOMER_TYPES: readonly CustomerType[] = ['retail', 'trade', 'collector'];
export const CONTACT_METHODS: readonly ContactMethod[] = ['email', 'phone', 'sms', 'post', 'in_person'];
export const SOURCES: readonly Source[] = ['walk_in', 'fair', 'referral', 'website', 'business_card', 'import', 'other'];
export const INFLUENCES: readonly Influence[] = ['none', 'reviewer', 'trade_professional', 'public_figure'];
export const CHANNELS: readonly Channel[] = ['email', 'sms', 'phone', 'post'];
export const CONSENT_STATUSES: readonly ConsentStatus[] = ['unknown', 'opted_in', 'opted_out'];
export const RING_SYSTEMS: readonly RingSizeSystem[] = ['uk', 'us', 'eu', 'cn_jp'];
export const OCCASION_KINDS: readonly OccasionKind[] = ['anniversary', 'other'];
export const COMMON_LANGUAGES = ['en', 'zh-Hans', 'zh-Hant', 'de', 'fr', 'it', 'ja'] as const;

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export interface PhoneRow {
  label: string;
  number: string;
  primary: boolean;
}

export interface OccasionRow {
  kind: OccasionKind;
  label: string;
  date: DateParts;
}

export interface ConsentRow {
  status: ConsentStatus;
  date: string;
  source: string;
}

export interface FormModel {
  full_name: string;
  given_name: string;
  family_name: string;
  title: string;
  customer_type: CustomerType;
  company: string;
  job_title: string;
  emails: EmailEntry[];
  phones: PhoneRow[];
  addresses: AddressEntry[];
  preferred_contact: ContactMethod | '';
  language: string;
  birthday: DateParts;
  occasions: OccasionRow[];
  source: Source | '';
  source_detail: string;
  referred_by: number | null;
  referred_by_name: string;
  ring_system: RingSizeSystem;
  ring_value: string;
  wrist_cm: string;
  brands: string[];
  styles: string[];
  materials: string[];
  price_min: string;
  price_max: string;
  currency: string;
  influence: Influence;
  tags: string[];
  consents: Record<Channel, ConsentRow>;
}

export const emptyDateParts = (): DateParts => ({ day: '', month: '', year: '' });
export const emptyEmail = (primary = false): EmailEntry => ({ label: '', address: '', primary });
export const emptyPhone = (primary = false): PhoneRow => ({ label: '', number: '', primary });
export const emptyAddress = (primary = false): AddressEntry => ({
  label: '',
  street: '',
  city: '',
  region: '',
  postal_code: '',
  country: '',
  primary,
});
export const emptyOccasion = (): OccasionRow => ({ kind: 'anniversary', label: '', date: emptyDateParts() });

function emptyConsents(): Record<Channel, ConsentRow> {
  return {
    email: { status: 'unknown', date: '', source: '' },
    sms: { status: 'unknown', date: '', source: '' },
    phone: { status: 'unknown', date: '', source: '' },
    post: { status: 'unknown', date: '', source: '' },
  };
}

export function emptyModel(): FormModel {
  return {
    full_name: '',
    given_name: '',
    family_name: '',
    title: '',
    customer_type: 'retail',
    company: '',
    job_title: '',
    emails: [emptyEmail(true)],
    phones: [emptyPhone(true)],
    addresses: [],
    preferred_contact: '',
    language: '',
    birthday: emptyDateParts(),
    occasions: [],
    source: '',
    source_detail: '',
    referred_by: null,
    referred_by_name: '',
    ring_system: 'uk',
    ring_value: '',
    wrist_cm: '',
    brands: [],
    styles: [],
    materials: [],
    price_min: '',
    price_max: '',
    currency: '',
    influence: 'none',
    tags: [],
    consents: emptyConsents(),
  };
}

function datePartsOf(value: string | null): DateParts {
  const p = parsePartialDate(value);
  if (!p) return emptyDateParts();
  return { day: String(p.day), month: String(p.month), year: p.year === null ? '' : String(p.year) };
}

export function modelFromCustomer(c: Customer): FormModel {
  const consents = emptyConsents();
  for (const k of c.consents) consents[k.channel] = { status: k.status, date: k.date ?? '', source: k.source };
  return {
    full_name: c.full_name,
    given_name: c.given_name,
    family_name: c.family_name,
    title: c.title,
    customer_type: c.customer_type,
    company: c.company,
    job_title: c.job_title,
    emails: c.emails.map((e) => ({ ...e })),
    phones: c.phones.map((p) => ({ label: p.label, number: p.number, primary: p.primary })),
    addresses: c.addresses.map((a) => ({ ...a })),
    preferred_contact: c.preferred_contact ?? '',
    language: c.language,
    birthday: datePartsOf(c.birthday),
    occasions: c.occasions.map((o) => ({ kind: o.kind, label: o.label, date: datePartsOf(o.date) })),
    source: c.source ?? '',
    source_detail: c.source_detail,
    referred_by: c.referred_by,
    referred_by_name: c.referred_by_name ?? '',
    ring_system: c.ring_size?.system ?? 'uk',
    ring_value: c.ring_size?.value ?? '',
    wrist_cm: c.wrist_cm ?? '',
    brands: [...c.preferences.brands],
    styles: [...c.preferences.styles],
    materials: [...c.preferences.materials],
    price_min: c.preferences.price_min ?? '',
    price_max: c.preferences.price_max ?? '',
    currency: c.preferences.currency,
    influence: c.influence,
    tags: [...c.tags],
    consents,
  };
}

/** Field path → message key, for errors the UI finds before asking the backend. */
export type LocalErrors = Record<string, MessageKey>;

export interface DraftResult {
  draft: CustomerDraft;
  errors: LocalErrors;
  /** Draft index → form row, per repeatable list, to place backend errors. */
  rowOf: { emails: number[]; phones: number[]; addresses: number[]; occasions: number[] };
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** "18,5" and " 18.5 " → "18.5"; "" → null. Exact text, never a float. */
/**
 * "18,5" (a decimal comma) becomes "18.5"; anything else with a comma, such as "1,250",
 * is left as typed so the check rejects it rather than guessing thousands from decimals.
 */
export function normaliseDecimal(value: string): string | null {
  const v = value.trim().replace(/\s/g, '');
  if (v === '') return null;
  return /^\d+,\d{1,2}$/.test(v) ? v.replace(',', '.') : v;
}

function partialDate(parts: DateParts, path: string, errors: LocalErrors, required: boolean): string | null {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) {
    if (required) errors[path] = 'form.errorDay';
    return null;
  }
  if (!day || !month) {
    errors[path] = 'form.errorDay';
    return null;
  }
  if (year && !/^\d{4}$/.test(year)) {
    errors[path] = 'form.errorYear';
    return null;
  }
  const d = Number(day);
  const m = Number(month);
  const y = year ? Number(year) : null;
  if (!Number.isInteger(d) || !Number.isInteger(m) || !isValidDayMonth(d, m, y)) {
    errors[path] = 'form.errorDate';
    return null;
  }
  return composePartialDate(d, m, y);
}

/** Exactly one primary in a non-empty list: the one marked, else the first. */
function withOnePrimary<T extends { primary: boolean }>(rows: T[]): T[] {
  const marked = rows.findIndex((r) => r.primary);
  const keep = marked === -1 ? 0 : marked;
  return rows.map((r, i) => ({ ...r, primary: i === keep }));
}

const blankAddress = (a: AddressEntry) =>
  [a.label, a.street, a.city, a.region, a.postal_code, a.country].every((s) => s.trim() === '');

function decimalField(value: string, path: string, errors: LocalErrors): string | null {
  const v = normaliseDecimal(value);
  if (v !== null && !DECIMAL.test(v)) errors[path] = 'form.errorDecimal';
  return v;
}

/** A price as dealers type it ("£25,000"), read by the book's rule for amounts (money.ts). */
function amountField(value: string, path: string, errors: LocalErrors): string | null {
  if (value.trim() === '') return null;
  const read = readAmount(value);
  if ('amount' in read && DECIMAL.test(read.amount)) return read.amount;
  errors[path] = 'form.errorDecimal';
  return value.trim();
}

const cleanList = (xs: string[]) => {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const x of xs.map((s) => s.trim()).filter(Boolean)) {
    if (!seen.has(x.toLowerCase())) {
      seen.add(x.toLowerCase());
      out.push(x);
    }
  }
  return out;
};

export function toDraft(m: FormModel): DraftResult {
  const errors: LocalErrors = {};
  const rowOf = { emails: [] as number[], phones: [] as number[], addresses: [] as number[], occasions: [] as number[] };

  const fullName = m.full_name.trim();
  if (!fullName) errors['full_name'] = 'form.errorRequired';

  const emails: EmailEntry[] = [];
  m.emails.forEach((e, i) => {
    if (e.address.trim() === '') return;
    rowOf.emails.push(i);
    emails.push({ label: e.label.trim(), address: e.address.trim(), primary: e.primary });
  });

  const phones: PhoneRow[] = [];
  m.phones.forEach((p, i) => {
    if (p.number.trim() === '') return;
    rowOf.phones.push(i);
    phones.push({ label: p.label.trim(), number: p.number.trim(), primary: p.primary });
  });

  const addresses: AddressEntry[] = [];
  m.addresses.forEach((a, i) => {
    if (blankAddress(a)) return;
    rowOf.addresses.push(i);
    addresses.push({
      label: a.label.trim(),
      street: a.street.trim(),
      city: a.city.trim(),
      region: a.region.trim(),
      postal_code: a.postal_code.trim(),
      country: a.country.trim(),
      primary: a.primary,
    });
  });

  const birthday = partialDate(m.birthday, 'birthday', errors, false);

  const occasions: CustomerDraft['occasions'] = [];
  m.occasions.forEach((o, i) => {
    const blank = o.label.trim() === '' && !o.date.day && !o.date.month && !o.date.year.trim();
    if (blank) return;
    const draftIndex = occasions.length;
    rowOf.occasions.push(i);
    const date = partialDate(o.date, `occasions[${draftIndex}].date`, errors, true);
    occasions.push({ kind: o.kind, label: o.label.trim(), date: date ?? '' });
  });

  const wrist = decimalField(m.wrist_cm, 'wrist_cm', errors);
  const priceMin = amountField(m.price_min, 'preferences.price_min', errors);
  const priceMax = amountField(m.price_max, 'preferences.price_max', errors);
  const ringValue = m.ring_value.trim();

  const draft: CustomerDraft = {
    full_name: fullName,
    given_name: m.given_name.trim(),
    family_name: m.family_name.trim(),
    title: m.title.trim(),
    customer_type: m.customer_type,
    company: m.company.trim(),
    job_title: m.job_title.trim(),
    emails: withOnePrimary(emails),
    phones: withOnePrimary(phones).map((p) => ({ label: p.label, number: p.number, e164: null, primary: p.primary })),
    addresses: withOnePrimary(addresses),
    preferred_contact: m.preferred_contact === '' ? null : m.preferred_contact,
    language: m.language.trim(),
    birthday,
    occasions,
    source: m.source === '' ? null : m.source,
    source_detail: m.source_detail.trim(),
    referred_by: m.referred_by,
    ring_size: ringValue ? { system: m.ring_system, value: ringValue } : null,
    wrist_cm: wrist,
    preferences: {
      brands: cleanList(m.brands),
      styles: cleanList(m.styles),
      materials: cleanList(m.materials),
      price_min: priceMin,
      price_max: priceMax,
      currency: m.currency.trim().toUpperCase(),
    },
    influence: m.influence,
    tags: cleanList(m.tags),
    consents: CHANNELS.map((channel) => {
      const c = m.consents[channel];
      return { channel, status: c.status, date: c.date.trim() === '' ? null : c.date.trim(), source: c.source.trim() };
    }),
  };

  // Occasion errors were keyed by draft index; re-key them by form row like the rest.
  return { draft, errors: rekeyOccasionErrors(errors, rowOf.occasions), rowOf };
}

function rekeyOccasionErrors(errors: LocalErrors, occasionRows: number[]): LocalErrors {
  const out: LocalErrors = {};
  for (const [path, key] of Object.entries(errors)) out[toFormPath(path, { occasions: occasionRows })] = key;
  return out;
}

/** "emails[1].address" in the draft → "emails[3].address" in the form, when blank rows were dropped. */
export function toFormPath(path: string, rowOf: Partial<Record<string, number[]>>): string {
  return path.replace(/^(\w+)\[(\d+)\]/, (whole, list: string, idx: string) => {
    const map = rowOf[list];
    const row = map?.[Number(idx)];
    return row === undefined ? whole : `${list}[${row}]`;
  });
}
