import fc from 'fast-check';
import { CalendarError } from '../../src/domain/calendar';
import {
  CauseKeyError,
  activationKey,
  adjustmentKey,
  assertAccountId,
  callKey,
  creditKey,
  jobIdFor,
  paymentKey,
  prorationKey,
  refundKey,
  renewalKey,
  rolloverKey,
  topupKey,
} from '../../src/domain/cause-keys';

const KAZOO_ACCOUNT = '4a5b0c1d2e3f40516273849506a7b8c9';

/** Every key function, with a detail generator that matches what it accepts. */
const MONTH_CAUSES = { renewal: renewalKey, rollover: rolloverKey } as const;
const DATE_CAUSES = { topup: topupKey } as const;
const ID_CAUSES = {
  proration: prorationKey,
  activation: activationKey,
  call: callKey,
  credit: creditKey,
  payment: paymentKey,
  refund: refundKey,
  adjustment: adjustmentKey,
} as const;

/** Inverse of jobIdFor, written independently: one pass, so escapes cannot be decoded twice. */
function decodeJobId(jobId: string): string {
  return jobId.replace(/%25|%7C|\|/g, (escape) => ({ '%25': '%', '%7C': '|', '|': ':' })[escape]!);
}

describe('cause keys', () => {
  it.each([
    [renewalKey(KAZOO_ACCOUNT, '2026-04'), `renewal:${KAZOO_ACCOUNT}:2026-04`],
    [rolloverKey('acme-corp', '2026-05'), 'rollover:acme-corp:2026-05'],
    [topupKey('acme-corp', '2026-04-17'), 'topup:acme-corp:2026-04-17'],
    [prorationKey('acme-corp', 'assign-gold-2026-04-17'), 'proration:acme-corp:assign-gold-2026-04-17'],
    [activationKey('acme-corp', 'v42'), 'activation:acme-corp:v42'],
    [callKey('acme-corp', 'a84b4c76e66710@pbx.example.com:5060'), 'call:acme-corp:a84b4c76e66710@pbx.example.com:5060'],
    [creditKey('acme_corp', '9f1c2d3e-0000-4000-8000-123456789abc'), 'credit:acme_corp:9f1c2d3e-0000-4000-8000-123456789abc'],
    [paymentKey('acme-corp', 'acme-corp/2026-04'), 'payment:acme-corp:acme-corp/2026-04'],
    [refundKey('acme-corp', 'ticket-881'), 'refund:acme-corp:ticket-881'],
    [adjustmentKey('acme-corp', 'ticket-882'), 'adjustment:acme-corp:ticket-882'],
  ])('%s', (key, expected) => {
    expect(key).toBe(expected);
  });

  it('are deterministic: the same cause gives the same key every time', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.stringMatching(/^[!-~]{1,40}$/), (account, id) => {
        expect(callKey(account, id)).toBe(callKey(account, id));
        expect(renewalKey(account, '2026-04')).toBe(renewalKey(account, '2026-04'));
      }),
    );
  });

  it('give the sub-account and its reseller different keys for the same call', () => {
    expect(callKey('sub-account', 'call-1')).not.toBe(callKey('reseller', 'call-1'));
  });

  describe('validation', () => {
    it.each(['', 'a:b', 'a b', '-abc', 'abc-', '_abc', 'x'.repeat(65), 'café', 'a/b', 'a|b'])(
      'refuses account id %j, naming it',
      (account) => {
        expect(() => assertAccountId(account)).toThrow(CauseKeyError);
        expect(() => renewalKey(account, '2026-04')).toThrow(JSON.stringify(account));
      },
    );

    it('accepts KAZOO ids and slugs up to 64 characters', () => {
      for (const account of [KAZOO_ACCOUNT, 'a', 'A1', 'acme-corp_eu', 'x'.repeat(64)]) {
        expect(assertAccountId(account)).toBe(account);
      }
    });

    it.each(['', 'has space', 'tab\there', 'line\n', 'ñ', 'x'.repeat(257)])('refuses external id %j', (id) => {
      expect(() => callKey('acme', id)).toThrow(CauseKeyError);
      expect(() => creditKey('acme', id)).toThrow('request id');
      expect(() => prorationKey('acme', id)).toThrow('change id');
    });

    it('refuses months and dates that are not calendar ones', () => {
      expect(() => renewalKey('acme', '2026-4')).toThrow(CalendarError);
      expect(() => rolloverKey('acme', '2026-13')).toThrow(CalendarError);
      expect(() => topupKey('acme', '2026-02-30')).toThrow(CalendarError);
      expect(() => topupKey('acme', '2026-04')).toThrow(CalendarError);
    });
  });

  describe('injectivity', () => {
    // Small alphabets that make near-collisions likely: separators inside ids, prefixes of one another.
    const accountArb = fc.constantFrom('a', 'b', 'ab', 'a-b', 'a_b', 'b-a', 'a-b-c', KAZOO_ACCOUNT);
    const idArb = fc.oneof(
      fc.constantFrom('x', 'x:y', 'a:x', 'b-a:x', 'y', 'a-b', '2026-04', '2026-04-01', '%7C', '|', '%', ':', '%25'),
      fc.stringMatching(/^[!-~]{1,12}$/),
    );
    const causeArb = fc.oneof(
      fc.record({
        cause: fc.constantFrom(...(Object.keys(MONTH_CAUSES) as (keyof typeof MONTH_CAUSES)[])),
        account: accountArb,
        detail: fc.constantFrom('2026-04', '2026-05', '2027-04'),
      }).map((c) => ({ ...c, key: MONTH_CAUSES[c.cause](c.account, c.detail) })),
      fc.record({
        cause: fc.constantFrom(...(Object.keys(DATE_CAUSES) as (keyof typeof DATE_CAUSES)[])),
        account: accountArb,
        detail: fc.constantFrom('2026-04-01', '2026-04-02'),
      }).map((c) => ({ ...c, key: DATE_CAUSES[c.cause](c.account, c.detail) })),
      fc.record({
        cause: fc.constantFrom(...(Object.keys(ID_CAUSES) as (keyof typeof ID_CAUSES)[])),
        account: accountArb,
        detail: idArb,
      }).map((c) => ({ ...c, key: ID_CAUSES[c.cause](c.account, c.detail) })),
    );

    it('different causes never share a key, and neither do their job ids', () => {
      fc.assert(
        fc.property(fc.array(causeArb, { maxLength: 60 }), (causes) => {
          const byKey = new Map<string, string>();
          const byJobId = new Map<string, string>();
          for (const { cause, account, detail, key } of causes) {
            const identity = JSON.stringify([cause, account, detail]);
            expect(byKey.get(key) ?? identity).toBe(identity);
            byKey.set(key, identity);
            const jobId = jobIdFor(key);
            expect(byJobId.get(jobId) ?? identity).toBe(identity);
            byJobId.set(jobId, identity);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('a key reads back into its cause', () => {
      fc.assert(
        fc.property(causeArb, ({ cause, account, detail, key }) => {
          const [head, acct, ...rest] = key.split(':');
          expect([head, acct, rest.join(':')]).toEqual([cause, account, detail]);
        }),
      );
    });
  });
});

describe('jobIdFor', () => {
  it('maps ":" to "|" so that common ids stay readable', () => {
    expect(jobIdFor(renewalKey(KAZOO_ACCOUNT, '2026-04'))).toBe(`renewal|${KAZOO_ACCOUNT}|2026-04`);
    expect(jobIdFor(topupKey('acme-corp', '2026-04-17'))).toBe('topup|acme-corp|2026-04-17');
  });

  it('escapes "%" and "|" from free-form ids so that nothing collides', () => {
    expect(jobIdFor(callKey('acme', 'x|y'))).toBe('call|acme|x%7Cy');
    expect(jobIdFor(callKey('acme', 'x:y'))).toBe('call|acme|x|y');
    expect(jobIdFor(callKey('acme', 'x%7Cy'))).toBe('call|acme|x%257Cy');
  });

  it('never contains ":", is never an integer, and decodes back to the key (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.stringMatching(/^[!-~]{1,60}$/), (account, callId) => {
        const key = callKey(account, callId);
        const jobId = jobIdFor(key);
        expect(jobId).not.toContain(':');
        expect(String(parseInt(jobId, 10))).not.toBe(jobId);
        expect(decodeJobId(jobId)).toBe(key);
      }),
    );
  });

  it.each(['', '123', 'renewal', 'bogus:acme:2026-04', 'Renewal:acme:2026-04'])('refuses %j, which is not a cause key', (text) => {
    expect(() => jobIdFor(text)).toThrow(CauseKeyError);
  });
});
