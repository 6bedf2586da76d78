import fc from 'fast-check';
import { ReportRequestError } from '../../../src/domain/reports/period';
import { assertRequestId, checkSelection, derivedRequestId, monthlyRequestId } from '../../../src/domain/reports/request';

const tree = [
  { _id: 'master', ancestors: [] },
  { _id: 'acme', ancestors: ['master'] },
  { _id: 'acme-1', ancestors: ['master', 'acme'] },
  { _id: 'acme-1-a', ancestors: ['master', 'acme', 'acme-1'] },
  { _id: 'globex', ancestors: ['master'] },
  { _id: 'globex-1', ancestors: ['master', 'globex'] },
];

describe('checkSelection', () => {
  it('keeps accounts of the subtree, each once, in the order asked', () => {
    expect(checkSelection('acme', ['acme-1-a', 'acme-1', 'acme-1-a'], tree)).toEqual(['acme-1-a', 'acme-1']);
  });

  it('refuses another reseller’s account and an unknown one with the same words', () => {
    expect(() => checkSelection('acme', ['acme-1', 'globex-1', 'nope'], tree)).toThrow(
      new ReportRequestError('accounts: "globex-1", "nope": not accounts of reseller acme; a reseller reports only on its own accounts'),
    );
    expect(() => checkSelection('acme', ['master'], tree)).toThrow(ReportRequestError);
  });

  it('refuses an empty selection', () => {
    expect(() => checkSelection('acme', [], tree)).toThrow('accounts: no account selected for reseller acme');
  });
});

describe('request ids', () => {
  const base = { resellerId: 'acme', accounts: ['a', 'b'], from: '2026-03-01', to: '2026-03-31', emails: ['x@y.example', 'Z@y.example'] };

  it('names a request by what it asks for, whatever the order or repetition', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(['a', 'b', 'a', 'b'], { minLength: 4 }), (accounts) => {
        expect(derivedRequestId({ ...base, accounts, emails: ['z@y.example', 'x@y.example'] })).toBe(derivedRequestId(base));
      }),
    );
    expect(derivedRequestId(base)).toMatch(/^report-acme-2026-03-01-2026-03-31-[0-9a-f]{12}$/);
    expect(derivedRequestId({ ...base, accounts: 'all' })).not.toBe(derivedRequestId(base));
    expect(derivedRequestId({ ...base, to: '2026-03-30' })).not.toBe(derivedRequestId(base));
    expect(derivedRequestId({ ...base, emails: ['x@y.example'] })).not.toBe(derivedRequestId(base));
  });

  it('names the monthly report by reseller and month', () => {
    expect(monthlyRequestId('acme', '2026-02')).toBe('report-acme-2026-02');
  });

  it('refuses ids that cannot name a folder or a job', () => {
    for (const bad of ['', 'a:b', '../x', 'a/b', '-x', 'x'.repeat(129)]) expect(() => assertRequestId(bad)).toThrow(ReportRequestError);
    expect(assertRequestId('TICKET-42.resend_2')).toBe('TICKET-42.resend_2');
  });
});
