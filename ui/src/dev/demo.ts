/**
 * Development only (never in a production build): when the UI runs in a
 * plain browser via `npm run dev`, there is no Tauri, so it talks to the
 * tests' in-memory backend filled with a demo book. URL parameters:
 *   ?n=100000   number of generated customers (default 2000; 0 = empty book)
 *   ?view=customer&id=3 | ?view=new | ?view=edit&id=3 | ?view=settings | ?view=import
 */
import type { View } from '../lib/app-state.svelte';
import type { CustomerType } from '../lib/bindings/CustomerType';
import { setUiLanguage } from '../lib/i18n/index.svelte';
import type { ItemCategory } from '../lib/bindings/ItemCategory';
import { blankItem } from '../lib/entries';
import { todayIso } from '../lib/format';
import { FakeBackend, draftOf } from '../test/fakeBackend';
import { monthsBefore } from '../test/fakeStanding';

const GIVEN = ['Anna', 'James', 'Charlotte', 'Henry', 'Sophie', 'Oliver', 'Amelia', 'Thomas', 'Isabelle', 'Marcus'];
const FAMILY = ['Müller', 'Hartley', 'Ashworth', 'Fairbanks', 'Lindqvist', 'Okafor', 'Beaumont', 'Castellano', 'Whitmore'];
const CHINESE = ['王小明', '李娜', '陈志强', '张伟', '刘洋', '黄嘉欣', '周杰', '吴静怡', '郑浩然', '林美玲'];
const COMPANIES = ['', '', '', 'Hartley & Sons Jewellers', 'Geneva Time SA', '香港名表行', 'Bond Street Antiques', 'Atelier Lumière'];
const TAGS = ['vip', 'rolex', 'patek', 'vintage', 'bridal', 'fair-2026', 'pearls'];

export function demoBackend(n: number): FakeBackend {
  const types: CustomerType[] = ['retail', 'retail', 'collector', 'trade'];
  const b = new FakeBackend();
  if (n <= 0) return b;
  b.insert(
    draftOf({
      full_name: 'Dr Anna-Lena Müller',
      given_name: 'Anna-Lena',
      family_name: 'Müller',
      title: 'Dr',
      customer_type: 'collector',
      company: 'Müller Uhren AG',
      job_title: 'Managing Director',
      emails: [
        { label: 'work', address: 'al@mueller-uhren.ch', primary: true },
        { label: 'home', address: 'anna.mueller@example.ch', primary: false },
      ],
      phones: [
        { label: 'mobile', number: '+41 79 555 12 34', e164: null, primary: true },
        { label: 'office', number: '044 123 45 67', e164: null, primary: false },
      ],
      addresses: [
        { label: 'office', street: 'Bahnhofstrasse 12\n3rd floor', city: 'Zürich', region: 'ZH', postal_code: '8001', country: 'CH', primary: true },
      ],
      preferred_contact: 'email',
      language: 'de',
      birthday: '--05-17',
      occasions: [{ kind: 'anniversary', label: 'Wedding anniversary', date: '2004-09-12' }],
      source: 'fair',
      source_detail: 'Watches & Wonders 2026, stand B12',
      ring_size: { system: 'eu', value: '54' },
      wrist_cm: '16.5',
      preferences: {
        brands: ['Patek Philippe', 'A. Lange & Söhne'],
        styles: ['dress', 'perpetual calendar'],
        materials: ['rose gold', 'platinum'],
        price_min: '20000',
        price_max: '85000',
        currency: 'CHF',
      },
      influence: 'trade_professional',
      tags: ['vip', 'patek', 'calatrava'],
      consents: [
        { channel: 'email', status: 'opted_in', date: '2026-03-01', source: 'shop counter' },
        { channel: 'sms', status: 'opted_out', date: '2026-03-01', source: 'shop counter' },
        { channel: 'phone', status: 'unknown', date: null, source: '' },
        { channel: 'post', status: 'opted_in', date: '2025-11-20', source: 'Baselworld card' },
      ],
    }),
  );
  demoStanding(b);
  for (let i = 1; i < n; i++) {
    const chinese = i % 4 === 0;
    const name = chinese
      ? CHINESE[i % CHINESE.length]
      : `${GIVEN[i % GIVEN.length]} ${FAMILY[(i * 7) % FAMILY.length]}`;
    b.insert(
      draftOf({
        full_name: i > 30 ? `${name} ${i}` : name,
        customer_type: types[i % types.length],
        company: COMPANIES[(i * 3) % COMPANIES.length],
        emails: i % 5 === 0 ? [] : [{ label: '', address: `client${i}@example.com`, primary: true }],
        phones: [
          { label: '', number: chinese ? `138 ${String(1000 + (i % 9000))} ${String(8000 + (i % 1999))}` : `020 7946 ${String(i % 10000).padStart(4, '0')}`, e164: null, primary: true },
        ],
        tags: TAGS.filter((_, j) => (i + j) % 5 === 0).slice(0, 2),
      }),
    );
  }
  return b;
}

/** Dr Müller's sales over two years and the moves of her standing they made, so her page shows it. */
function demoStanding(b: FakeBackend) {
  const day = (monthsAgo: number) => monthsBefore(todayIso(), monthsAgo);
  const sale = (monthsAgo: number, brand: string, model: string, category: ItemCategory, material: string, price: string) =>
    b.addEntry(1, {
      kind: 'purchase',
      draft: {
        purchased_on: day(monthsAgo),
        currency: 'GBP',
        channel: 'in_store',
        salesperson: '',
        notes: '',
        items: [{ ...blankItem(), brand, model, category, material, price, discount: '0' }],
        payments: [],
        trade_ins: [],
        collected_on: null,
      },
    });
  void sale(22, 'Cartier', 'Trinity ring', 'ring', '18k gold', '4200');
  void sale(14, 'Cartier', 'Love ring', 'ring', '18k gold', '6800');
  void sale(2, 'Patek Philippe', 'Calatrava 5227G', 'watch', 'white gold', '38500');
  b.addStandingChange(1, day(22), { kind: 'segment', from: null, to: 'new' });
  b.addStandingChange(1, day(14), { kind: 'segment', from: 'new', to: 'regular' });
  b.addStandingChange(1, day(2), { kind: 'segment', from: 'regular', to: 'vip' });
  b.addStandingChange(1, day(2), { kind: 'value_class', from: 'main', to: 'key' });
}

export function demoFromUrl(): { backend: FakeBackend; initialView?: View; settings: boolean } {
  const params = new URLSearchParams(location.search);
  const n = Number(params.get('n') ?? 2000);
  const backend = demoBackend(n);
  const id = Number(params.get('id') ?? 1);
  const view = params.get('view');
  const initialView: View | undefined =
    view === 'customer' ? { name: 'customer', id } : view === 'new' ? { name: 'new' } : view === 'edit' ? { name: 'edit', id } : view === 'import' ? { name: 'import' } : undefined;
  const lang = params.get('lang');
  if (lang === 'zh' || lang === 'en') setUiLanguage(lang);
  return { backend, initialView, settings: view === 'settings' };
}
