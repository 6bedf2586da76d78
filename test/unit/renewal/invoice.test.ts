import { mergePlans, evaluate, parsePlanDocument } from '../../../src/domain/plans';
import type { PlanDocument } from '../../../src/domain/plans';
import { InvoiceError, draftInvoice, invoiceId, parseInvoiceId } from '../../../src/domain/renewal/invoice';
import { billedFrom, enrolment } from '../../../src/domain/renewal/schedule';

function document(json: unknown): PlanDocument {
  const parsed = parsePlanDocument(json);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.document;
}

const PLAN = mergePlans([document({ plan: { devices: { sip_device: { rate: 24.99 } }, users: { user: { rate: 10, minimum: 2 } } } })]);
const evaluation = evaluate(PLAN, { account: { devices: { sip_device: 3 }, users: { user: 1 } } });

describe('draftInvoice', () => {
  it('a full month: every line with its explanation, the recurring total due on the 1st', () => {
    const draft = draftInvoice({ accountId: 'acme', month: '2026-04', from: '2026-04-01', evaluation });
    expect(draft).toMatchObject({ _id: 'acme/2026-04', period: '2026-04', recurring: 949_700, total: 949_700, dueDate: '2026-04-01', proration: null });
    expect(draft.lines.map((l) => [l.name, l.billable, l.total])).toEqual([
      ['devices/sip_device', 3, 749_700],
      ['users/user', 2, 200_000],
    ]);
    expect(draft.lines.every((l) => l.explanation.length > 0)).toBe(true);
  });

  it('a first month from the 17th of a 30-day month: 14/30 of the recurring total, rounded once', () => {
    const draft = draftInvoice({ accountId: 'acme', month: '2026-04', from: '2026-04-17', evaluation });
    // 949,700 x 14 / 30 = 443,193.33
    expect(draft).toMatchObject({ total: 443_193, recurring: 949_700, dueDate: '2026-04-17' });
    expect(draft.proration).toMatchObject({ from: '2026-04-17', daysLeft: 14, daysInMonth: 30 });
  });

  it('a total below zero bills nothing', () => {
    const negative = mergePlans([document({ plan: { devices: { sip_device: { rate: 1, discounts: { single: { rate: 5 } } } } } })]);
    const draft = draftInvoice({ accountId: 'acme', month: '2026-04', from: '2026-04-01', evaluation: evaluate(negative, { account: { devices: { sip_device: 1 } } }) });
    expect(draft.recurring).toBe(-40_000);
    expect(draft.total).toBe(0);
  });

  it('refuses a start date outside the month, naming it', () => {
    expect(() => draftInvoice({ accountId: 'acme', month: '2026-04', from: '2026-05-02', evaluation })).toThrow(InvoiceError);
    expect(() => draftInvoice({ accountId: 'acme', month: '2026-04', from: '2026-05-02', evaluation })).toThrow('2026-05-02');
  });

  it('invoice ids read back into account and month, and refuse anything else', () => {
    expect(parseInvoiceId(invoiceId('acme-voice', '2026-04'))).toEqual({ accountId: 'acme-voice', month: '2026-04' });
    expect(() => parseInvoiceId('acme')).toThrow('"acme"');
    expect(() => invoiceId('a:b', '2026-04')).toThrow('"a:b"');
  });
});

describe('first-month proration across month lengths and DST, in the account zone', () => {
  const first = (assignedAt: string, zone: string) => {
    const state = enrolment(new Date(assignedAt), zone);
    return draftInvoice({ accountId: 'acme', month: state.nextMonth, from: billedFrom(state, state.nextMonth), evaluation });
  };

  it.each([
    // assigned at (UTC), zone, days left, days in month, total = 949,700 x left / days rounded half away
    ['2027-02-10T12:00:00Z', 'UTC', 19, 28, 644_439],
    ['2028-02-10T12:00:00Z', 'UTC', 20, 29, 654_966],
    ['2026-04-10T12:00:00Z', 'UTC', 21, 30, 664_790],
    ['2026-05-10T12:00:00Z', 'UTC', 22, 31, 673_981],
    // DST starts in New York on 8 March 2026 (a 23-hour day): assigned 01:30 EST that day.
    ['2026-03-08T06:30:00Z', 'America/New_York', 24, 31, 735_252],
    // 03:30 UTC on the 8th is still the 7th in New York: the day before counts.
    ['2026-03-08T03:30:00Z', 'America/New_York', 25, 31, 765_887],
    // DST starts in Berlin on 29 March 2026: assigned 03:30 CEST that day, and 23:30 UTC on the 28th (already the 29th).
    ['2026-03-29T01:30:00Z', 'Europe/Berlin', 3, 31, 91_906],
    ['2026-03-28T23:30:00Z', 'Europe/Berlin', 3, 31, 91_906],
    // DST ends in Berlin on 25 October 2026 (a 25-hour day).
    ['2026-10-25T22:59:00Z', 'Europe/Berlin', 7, 31, 214_448],
  ])('assigned %s in %s: %i of %i days', (at, zone, daysLeft, days, total) => {
    const draft = first(at, zone);
    expect(draft.proration).toMatchObject({ daysLeft, daysInMonth: days });
    expect(draft.total).toBe(total);
  });
});
