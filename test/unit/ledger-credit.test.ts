import fc from 'fast-check';
import { CreditRequestError, creditCauseKey, parseCreditAmount } from '../../src/domain/ledger-credit';

describe('parseCreditAmount', () => {
  it.each([
    ['5', 50_000],
    ['24.99', 249_900],
    ['$1000.10', 10_001_000],
  ])('%s is %d units, exactly', (text, units) => expect(parseCreditAmount(text)).toBe(units));

  it.each([
    ['4.99', 'at least 5.00'],
    ['5.001', 'whole cents'],
    ['ten', 'a decimal amount'],
    ['-10', 'at least 5.00'],
  ])('refuses %s (%s)', (text, message) => {
    expect(() => parseCreditAmount(text)).toThrow(CreditRequestError);
    expect(() => parseCreditAmount(text)).toThrow(message);
  });

  it('every whole-cent amount from $5 reads back exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 500, max: 10_000_000_00 }), (cents) => {
        expect(parseCreditAmount(`${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`)).toBe(cents * 100);
      }),
    );
  });
});

describe('creditCauseKey', () => {
  it('uses the request id when given, else one derived per account, amount, reason and local day', () => {
    expect(creditCauseKey('acct', 50_000, 'goodwill', '2026-03-01', 'T-1')).toEqual({ requestId: 'T-1', key: 'credit:acct:T-1' });
    const a = creditCauseKey('acct', 50_000, 'goodwill', '2026-03-01');
    expect(creditCauseKey('acct', 50_000, ' goodwill ', '2026-03-01')).toEqual(a);
    expect(creditCauseKey('acct', 50_000, 'goodwill', '2026-03-02').key).not.toBe(a.key);
    expect(creditCauseKey('acct', 60_000, 'goodwill', '2026-03-01').key).not.toBe(a.key);
    expect(() => creditCauseKey('acct', 50_000, '  ', '2026-03-01')).toThrow('--reason');
  });
});
