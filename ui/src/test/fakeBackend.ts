/**
 * An in-memory Backend for UI tests: the same interface as the Tauri one,
 * with the core's observable behaviour (paging, sorting, filtering, search
 * over name/email/phone digits, field errors on invalid input).
 */
import type { Backend } from '../lib/gateway';
import type { BookSettings } from '../lib/bindings/BookSettings';
import type { Customer } from '../lib/bindings/Customer';
import type { CustomerDraft } from '../lib/bindings/CustomerDraft';
import type { CustomerRow } from '../lib/bindings/CustomerRow';
import type { CustomerType } from '../lib/bindings/CustomerType';
import type { ErrorPayload } from '../lib/bindings/ErrorPayload';
import type { ListQuery } from '../lib/bindings/ListQuery';

export function draftOf(partial: Partial<CustomerDraft> & { full_name: string }): CustomerDraft {
  return {
    given_name: '',
    family_name: '',
    title: '',
    customer_type: 'retail',
    company: '',
    job_title: '',
    emails: [],
    phones: [],
    addresses: [],
    preferred_contact: null,
    language: '',
    birthday: null,
    occasions: [],
    source: null,
    source_detail: '',
    referred_by: null,
    ring_size: null,
    wrist_cm: null,
    preferences: { brands: [], styles: [], materials: [], price_min: null, price_max: null, currency: '' },
    influence: 'none',
    tags: [],
    consents: [],
    ...partial,
  };
}

const fail = (message: string, field: string | null, code: ErrorPayload['code'] = 'invalid_input'): ErrorPayload => ({
  code,
  message,
  field,
});

export class FakeBackend implements Backend {
  customers = new Map<number, Customer>();
  settings: BookSettings = { default_region: 'GB', default_currency: 'GBP' };
  calls: { method: string; args: unknown[] }[] = [];
  private nextId = 1;
  private clock = Date.UTC(2026, 0, 1);
  /** Makes the next call of that method reject with this payload. */
  failNext: Partial<Record<keyof Backend, ErrorPayload>> = {};

  constructor(drafts: CustomerDraft[] = []) {
    for (const d of drafts) this.insert(d);
  }

  /** n generated customers, cheap to build (for the 10,000-row list). */
  static withGenerated(n: number): FakeBackend {
    const types: CustomerType[] = ['retail', 'trade', 'collector'];
    const b = new FakeBackend();
    for (let i = 0; i < n; i++) {
      const num = String(i).padStart(5, '0');
      b.insert(
        draftOf({
          full_name: `Customer ${num}`,
          customer_type: types[i % 3],
          company: i % 4 === 0 ? `House ${i % 50}` : '',
          emails: [{ label: '', address: `c${num}@example.com`, primary: true }],
          phones: [{ label: '', number: `+44 20 7946 ${num.slice(1)}`, e164: null, primary: true }],
          tags: i % 10 === 0 ? ['vip'] : [],
        }),
      );
    }
    return b;
  }

  insert(draft: CustomerDraft): Customer {
    const now = new Date((this.clock += 1000)).toISOString();
    const id = this.nextId++;
    const c: Customer = {
      ...structuredClone(draft),
      phones: draft.phones.map((p) => ({ ...p, e164: p.number.startsWith('+') ? '+' + p.number.replace(/\D/g, '') : null })),
      id,
      referred_by_name: draft.referred_by !== null ? (this.customers.get(draft.referred_by)?.full_name ?? null) : null,
      created_at: now,
      updated_at: now,
    };
    this.customers.set(id, c);
    return c;
  }

  private record(method: string, ...args: unknown[]) {
    this.calls.push({ method, args });
    const f = this.failNext[method as keyof Backend];
    if (f) {
      delete this.failNext[method as keyof Backend];
      throw f;
    }
  }

  callsOf(method: keyof Backend) {
    return this.calls.filter((c) => c.method === method);
  }

  private row(c: Customer): CustomerRow {
    const email = c.emails.find((e) => e.primary) ?? c.emails[0];
    const phone = c.phones.find((p) => p.primary) ?? c.phones[0];
    return {
      id: c.id,
      full_name: c.full_name,
      customer_type: c.customer_type,
      company: c.company,
      primary_email: email?.address ?? null,
      primary_phone: phone?.number ?? null,
      tags: [...c.tags],
      updated_at: c.updated_at,
    };
  }

  private validate(d: CustomerDraft) {
    if (!d.full_name.trim()) throw fail('A customer needs a name.', 'full_name');
    d.emails.forEach((e, i) => {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e.address)) throw fail(`“${e.address}” is not an email address.`, `emails[${i}].address`);
    });
    d.phones.forEach((p, i) => {
      if (p.number.replace(/\D/g, '').length < 6) throw fail(`“${p.number}” is not a phone number.`, `phones[${i}].number`);
    });
    if (d.wrist_cm !== null && !/^\d+(\.\d+)?$/.test(d.wrist_cm)) throw fail('Not a number.', 'wrist_cm');
  }

  async bookInfo() {
    this.record('bookInfo');
    return { path: '/home/dealer/Loupe/book.sqlite3', schema_version: 3, customers: this.customers.size };
  }

  async bookStats() {
    this.record('bookStats');
    const all = [...this.customers.values()];
    return {
      customers: all.length,
      emails: all.reduce((n, c) => n + c.emails.length, 0),
      phones: all.reduce((n, c) => n + c.phones.length, 0),
      addresses: all.reduce((n, c) => n + c.addresses.length, 0),
      tags: new Set(all.flatMap((c) => c.tags)).size,
      purchases: 0,
      purchase_items: 0,
      notes: 0,
      interactions: 0,
      wishes: 0,
      satisfaction_scores: 0,
      reminders: 0,
      segments: 0,
      import_batches: 0,
      suppressions: 0,
    };
  }

  async getSettings() {
    this.record('getSettings');
    return { ...this.settings };
  }

  async updateSettings(settings: BookSettings) {
    this.record('updateSettings', settings);
    if (!/^[A-Z]{2}$/.test(settings.default_region)) throw fail('Unknown region.', 'default_region');
    this.settings = { ...settings };
    return { ...this.settings };
  }

  async listCustomers(query: ListQuery) {
    this.record('listCustomers', query);
    let rows = [...this.customers.values()];
    if (query.customer_type) rows = rows.filter((c) => c.customer_type === query.customer_type);
    if (query.tag) rows = rows.filter((c) => c.tags.includes(query.tag as string));
    const key = (c: Customer): string =>
      query.sort === 'name'
        ? c.full_name.toLowerCase()
        : query.sort === 'company'
          ? c.company.toLowerCase()
          : query.sort === 'customer_type'
            ? c.customer_type
            : query.sort === 'created'
              ? c.created_at
              : c.updated_at;
    rows.sort((a, b) => key(a).localeCompare(key(b)) || a.id - b.id);
    if (query.descending) rows.reverse();
    return {
      total: rows.length,
      offset: query.offset,
      rows: rows.slice(query.offset, query.offset + query.limit).map((c) => this.row(c)),
    };
  }

  async searchCustomers(text: string, limit: number) {
    this.record('searchCustomers', text, limit);
    const q = text.trim().toLowerCase();
    const digits = q.replace(/\D/g, '');
    if (!q) return [];
    const hits = [...this.customers.values()].filter(
      (c) =>
        c.full_name.toLowerCase().includes(q) ||
        c.company.toLowerCase().includes(q) ||
        c.emails.some((e) => e.address.toLowerCase().includes(q)) ||
        (digits.length >= 3 && c.phones.some((p) => p.number.replace(/\D/g, '').includes(digits))),
    );
    return hits.slice(0, limit).map((c) => this.row(c));
  }

  async getCustomer(id: number) {
    this.record('getCustomer', id);
    const c = this.customers.get(id);
    if (!c) throw fail(`No customer ${id}.`, null, 'not_found');
    return structuredClone(c);
  }

  async createCustomer(draft: CustomerDraft) {
    this.record('createCustomer', draft);
    this.validate(draft);
    return structuredClone(this.insert(draft));
  }

  async updateCustomer(id: number, draft: CustomerDraft) {
    this.record('updateCustomer', id, draft);
    const old = this.customers.get(id);
    if (!old) throw fail(`No customer ${id}.`, null, 'not_found');
    this.validate(draft);
    const c: Customer = {
      ...structuredClone(draft),
      id,
      referred_by_name: draft.referred_by !== null ? (this.customers.get(draft.referred_by)?.full_name ?? null) : null,
      created_at: old.created_at,
      updated_at: new Date((this.clock += 1000)).toISOString(),
    };
    this.customers.set(id, c);
    return structuredClone(c);
  }

  async deleteCustomer(id: number) {
    this.record('deleteCustomer', id);
    if (!this.customers.delete(id)) throw fail(`No customer ${id}.`, null, 'not_found');
    return null;
  }

  async listTags() {
    this.record('listTags');
    const counts = new Map<string, number>();
    for (const c of this.customers.values()) for (const t of c.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([tag, count]) => ({ tag, count }));
  }
}
