import fc from 'fast-check';
import { callKey, creditKey, renewalKey, rolloverKey } from '../../src/domain/cause-keys';
import { LedgerEntryError, balanceOf, carriedInto, checkPosting } from '../../src/domain/ledger-entry';
import type { LedgerPosting } from '../../src/domain/ledger-entry';

const base = (extra: Partial<LedgerPosting>): LedgerPosting => ({
  _id: creditKey('acct', 'r1'),
  accountId: 'acct',
  amount: 50_000,
  kind: 'manual_credit',
  period: '2026-03',
  description: 'credit',
  source: 'test',
  occurredAt: new Date('2026-03-01T00:00:00Z'),
  ...extra,
});

describe('checkPosting', () => {
  it('accepts sound entries of each sign', () => {
    expect(() => checkPosting(base({}))).not.toThrow();
    expect(() => checkPosting(base({ _id: renewalKey('acct', '2026-03'), kind: 'renewal', amount: -1 }))).not.toThrow();
    expect(() => checkPosting(base({ _id: rolloverKey('acct', '2026-03'), kind: 'rollover', amount: 0, carried: -5 }))).not.toThrow();
  });

  it.each([
    [{ amount: -1 }, /amount: expected > 0 for a manual_credit entry \(got -1\)/],
    [{ _id: renewalKey('acct', '2026-03'), kind: 'renewal' as const, amount: 1 }, /amount: expected < 0/],
    [{ _id: rolloverKey('acct', '2026-03'), kind: 'rollover' as const, amount: 5, carried: 5 }, /amount: expected 0/],
    [{ _id: rolloverKey('acct', '2026-03'), kind: 'rollover' as const, amount: 0 }, /carried: expected integer units/],
    [{ _id: creditKey('other', 'r1') }, /_id: expected a cause key of account acct/],
    [{ _id: callKey('acct', 'c1') }, /_id: expected a "credit:" key/],
    [{ amount: 0.5 }, /amount: expected integer units \(got 0.5\)/],
    [{ period: '2026-13' }, /period: expected a month YYYY-MM \(got "2026-13"\)/],
    [{ description: ' ' }, /description: expected some text/],
    [{ occurredAt: new Date(Number.NaN) }, /occurredAt: expected a valid instant/],
  ])('refuses %o naming field and value', (extra, message) => {
    expect(() => checkPosting(base(extra))).toThrow(LedgerEntryError);
    expect(() => checkPosting(base(extra))).toThrow(message);
  });
});

describe('balance and rollover (properties)', () => {
  const entry = fc.record({
    amount: fc.integer({ min: -10_000_000, max: 10_000_000 }),
    period: fc.constantFrom('2025-11', '2025-12', '2026-01', '2026-02', '2026-03'),
  });

  it('a rollover (amount 0) never changes the balance, and the balance is the sum of the entries', () => {
    fc.assert(
      fc.property(fc.array(entry), fc.constantFrom('2025-12', '2026-01', '2026-03'), (entries, opened) => {
        const rollover = { amount: 0, period: opened };
        const expected = entries.reduce((s, e) => s + e.amount, 0);
        expect(balanceOf(entries)).toBe(expected);
        expect(balanceOf([...entries, rollover])).toBe(expected);
      }),
    );
  });

  it('carried into a month + the entries of that month and later = the balance', () => {
    fc.assert(
      fc.property(fc.array(entry), fc.constantFrom('2025-11', '2026-01', '2026-04'), (entries, opened) => {
        const later = entries.filter((e) => e.period >= opened);
        expect(carriedInto(entries, opened) + balanceOf(later)).toBe(balanceOf(entries));
      }),
    );
  });

  it('the balance does not depend on the order entries arrive in', () => {
    fc.assert(fc.property(fc.array(entry), (entries) => expect(balanceOf([...entries].reverse())).toBe(balanceOf(entries))));
  });
});
