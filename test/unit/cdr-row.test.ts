import fc from 'fast-check';
import { rateCall } from '../../src/domain/call-rating';
import { columnName, parseCdrRow } from '../../src/domain/cdr-row';

const good = {
  'Date/Time': '2026-03-01T10:00:00-05:00',
  'Call ID': 'abc@10.0.0.1',
  '(From) Caller ID': '+15550001',
  'To Number': '+15551234',
  'Billing Seconds': '125',
  Rate: '0.0125',
  'Rate Name': 'US',
  'Reseller Call Type': 'per_minute',
  'Reseller Cost': '0.0100',
  'Customer Call Type': 'perminute',
  'Customer Cost': '0.03',
  'Account ID': 'acct-1',
  Direction: 'Outbound',
  Country: 'US',
};

describe('columnName', () => {
  it.each([
    ['Call ID', 'call_id'],
    ['callId', 'call_id'],
    ['call-id', 'call_id'],
    ['(From) Caller ID', 'caller_id'],
    ['Date/Time', 'date_time'],
    ['accountId', 'account_id'],
  ])('%s -> %s', (heading, name) => expect(columnName(heading)).toBe(name));
});

describe('parseCdrRow', () => {
  it('reads the seed report headings, exact decimals and the instant with its offset', () => {
    const result = parseCdrRow(good);
    expect(result).toEqual({
      ok: true,
      row: expect.objectContaining({
        callId: 'abc@10.0.0.1',
        accountId: 'acct-1',
        startedAt: new Date('2026-03-01T15:00:00Z'),
        billingSeconds: 125,
        rate: 125,
        resellerCost: 100,
        customerCost: 300,
        customerCallType: 'per_minute',
        direction: 'outbound',
        rated: [],
      }) as unknown,
    });
  });

  it('rates a per-minute row that has a rate but no cost; a flat-rate row without cost costs 0', () => {
    const result = parseCdrRow({ ...good, 'Customer Cost': '', 'Reseller Call Type': 'flat-rate', 'Reseller Cost': '' });
    expect(result.ok && result.row).toMatchObject({ customerCost: rateCall({ billingSeconds: 125, rate: 125 }).cost, resellerCost: 0, rated: ['customer'] });
  });

  it.each([
    [{ Rate: '0.12345' }, 'rate: a decimal amount >= 0 with at most 4 decimals, such as 0.0125 (got "0.12345")'],
    [{ 'Customer Cost': '-1' }, 'customer_cost: a decimal amount >= 0'],
    [{ 'Date/Time': '2026-03-01 10:00:00' }, 'date_time: an ISO 8601 date-time with its offset'],
    [{ 'Billing Seconds': '12.5' }, 'billing_seconds: a whole number >= 0 (got "12.5")'],
    [{ 'Account ID': 'a:b' }, `account_id: an account id: letters, digits, '-' and '_' (got "a:b")`],
    [{ Direction: 'up' }, 'direction: inbound or outbound (got "up")'],
    [{ 'Customer Cost': '', Rate: '' }, 'rate: a rate is needed to rate a per-minute call without a customer cost'],
    [{ 'Billing Minutes': '5' }, 'billing_minutes: billing minutes must be the billing seconds rounded up (3)'],
    [{ Colour: 'red' }, 'colour: unknown field (got "red")'],
  ])('reports %o by field and value', (change, message) => {
    const result = parseCdrRow({ ...good, ...change });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join('; ')).toContain(message);
  });

  it('refuses two spellings of one column', () => {
    expect(parseCdrRow({ ...good, call_id: 'x' })).toEqual({ ok: false, problems: ['call_id: the same column as another one (call_id)'] });
  });

  it('never throws, whatever the cells hold (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...Object.keys(good), 'extra'), fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null))), (changes) => {
        const result = parseCdrRow({ ...good, ...changes });
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) expect(Number.isSafeInteger(result.row.customerCost) && result.row.customerCost >= 0).toBe(true);
      }),
    );
  });

  it('costs given as decimal text are read exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), (units) => {
        const text = `${Math.floor(units / 10_000)}.${String(units % 10_000).padStart(4, '0')}`;
        const result = parseCdrRow({ ...good, 'Customer Cost': text });
        expect(result.ok && result.row.customerCost).toBe(units);
      }),
    );
  });
});
