import { describe, expect, it } from 'vitest';
import shared from '../../../tests/fixtures/amounts.json';
import { readAmount } from '../lib/money';

describe('amounts as dealers type them', () => {
  it('reads every shared case exactly as the core does', () => {
    expect(shared.cases.length).toBeGreaterThan(30);
    for (const { text, region, amount } of shared.cases) {
      const read = readAmount(text, region);
      expect('amount' in read ? read.amount : null, `${JSON.stringify(text)} in ${region}`).toBe(amount);
    }
  });

  it('says why a refused amount is refused', () => {
    expect(readAmount('12,34,567', 'GB')).toEqual({ refused: 'amount_groups' });
    expect(readAmount('nine', 'GB')).toEqual({ refused: 'not_an_amount' });
  });
});
