import fc from 'fast-check';
import { callDebits, payerOf } from '../../src/domain/cdr-charges';
import type { AccountLineage } from '../../src/domain/cdr-charges';
import type { TreeAccount } from '../../src/domain/account-tree';

type Acct = AccountLineage & TreeAccount;
const acct = (id: string, ancestors: string[], extra: Partial<Acct> = {}): Acct => ({
  _id: id,
  parentId: ancestors.at(-1) ?? null,
  ancestors,
  isReseller: false,
  billingAccountId: null,
  timezone: 'UTC',
  ...extra,
});

const master = acct('master', []);
const reseller = acct('reseller', ['master'], { isReseller: true });
const sub = acct('sub', ['master', 'reseller'], { timezone: 'Pacific/Auckland' });
const subSub = acct('subsub', ['master', 'reseller', 'sub']);
const direct = acct('direct', ['master']);
const byId = new Map([master, reseller, sub, subSub, direct].map((a) => [a._id, a] as const));

describe('payerOf', () => {
  it('a customer is paid for by its nearest reseller, else the master; resellers and the master pay for themselves', () => {
    expect(payerOf(sub, byId)).toBe('reseller');
    expect(payerOf(subSub, byId)).toBe('reseller');
    expect(payerOf(direct, byId)).toBe('master');
    expect(payerOf(reseller, byId)).toBe('reseller');
    expect(payerOf(master, byId)).toBe('master');
    expect(payerOf({ ...sub, billingAccountId: 'direct' }, byId)).toBe('direct');
  });
});

const call = (extra: Partial<Parameters<typeof callDebits>[0]> = {}) => ({
  _id: 'call-1',
  accountId: 'sub',
  startedAt: new Date('2026-03-31T12:30:00Z'),
  toNumber: '+15551234',
  billingSeconds: 90,
  rate: 200,
  customerCost: 300,
  resellerCost: 200,
  ...extra,
});

describe('callDebits', () => {
  it("debits the sub-account its customer cost (a limit) and its payer the reseller cost, each in its own local month", () => {
    const debits = callDebits(call(), sub, reseller, 'f.csv');
    expect(debits).toEqual([
      expect.objectContaining({ _id: 'call:sub:call-1', accountId: 'sub', amount: -300, period: '2026-04', forAccountId: null }),
      expect.objectContaining({ _id: 'call:reseller:call-1', accountId: 'reseller', amount: -200, period: '2026-03', forAccountId: 'sub' }),
    ]);
  });

  it("a paying account's own call is one real debit at the reseller cost; zero costs post nothing", () => {
    expect(callDebits(call({ accountId: 'reseller' }), reseller, reseller, 'f')).toEqual([expect.objectContaining({ _id: 'call:reseller:call-1', amount: -200 })]);
    expect(callDebits(call({ customerCost: 0, resellerCost: 0 }), sub, reseller, 'f')).toEqual([]);
  });

  it('keys come from the call id and the debited account, so the same call always gives the same keys (property)', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), fc.stringMatching(/^[!-~]{1,40}$/), (customerCost, resellerCost, id) => {
        const once = callDebits(call({ _id: id, customerCost, resellerCost }), sub, reseller, 'f');
        const twice = callDebits(call({ _id: id, customerCost, resellerCost }), sub, reseller, 'other');
        expect(once.map((d) => d._id)).toEqual(twice.map((d) => d._id));
        expect(new Set(once.map((d) => d._id)).size).toBe(once.length);
        expect(once.reduce((s, d) => s + d.amount, 0)).toBe(-(customerCost + resellerCost));
      }),
    );
  });
});
