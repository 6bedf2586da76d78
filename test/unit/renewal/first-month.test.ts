/**
 * The month a plan is first assigned in is reconciliation's: its first step prorates the recurring total from that
 * local day. Renewal then starts with the next month and charges what that step billed. Together: the rest of the
 * first month once, then every month in full, across month lengths and DST changes in the account's zone.
 */
import { localDate } from '../../../src/domain/calendar';
import { evaluate, mergePlans, parsePlanDocument } from '../../../src/domain/plans';
import type { PlanDocument } from '../../../src/domain/plans';
import { reconcile } from '../../../src/domain/reconcile';
import { draftInvoice } from '../../../src/domain/renewal/invoice';
import { enrolment } from '../../../src/domain/renewal/schedule';

function document(json: unknown): PlanDocument {
  const parsed = parsePlanDocument(json);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.document;
}

const plan = mergePlans([document({ plan: { devices: { sip_device: { rate: 24.99 } }, users: { user: { rate: 10, minimum: 2 } } } })]);
const quantities = { account: { devices: { sip_device: 3 }, users: { user: 1 } }, cascade: {}, manual: {} };

it.each([
  // assigned at (UTC), zone, days left, days in month, prorated = 949,700 x left / days, half away from zero
  ['2027-02-10T12:00:00Z', 'UTC', 19, 28, 644_439],
  ['2028-02-10T12:00:00Z', 'UTC', 20, 29, 654_966],
  ['2026-04-10T12:00:00Z', 'UTC', 21, 30, 664_790],
  ['2026-05-10T12:00:00Z', 'UTC', 22, 31, 673_981],
  // New York springs forward on 8 March 2026 (a 23-hour day): 01:30 EST that day; 03:30 UTC is still the 7th there.
  ['2026-03-08T06:30:00Z', 'America/New_York', 24, 31, 735_252],
  ['2026-03-08T03:30:00Z', 'America/New_York', 25, 31, 765_887],
  // Berlin springs forward on 29 March 2026: 03:30 CEST that day, and 23:30 UTC on the 28th (already the 29th there).
  ['2026-03-29T01:30:00Z', 'Europe/Berlin', 3, 31, 91_906],
  ['2026-03-28T23:30:00Z', 'Europe/Berlin', 3, 31, 91_906],
  // Berlin falls back on 25 October 2026 (a 25-hour day): 23:59 CET that day.
  ['2026-10-25T22:59:00Z', 'Europe/Berlin', 7, 31, 214_448],
])('assigned %s in %s: %i of %i days prorated once, then the next month in full', (at, zone, daysLeft, days, prorated) => {
  const first = reconcile({ previous: null, quantities, plan, today: localDate(new Date(at), zone) });
  expect(first.increase).toMatchObject({ daysLeft, daysInMonth: days, amount: prorated });
  const state = enrolment(new Date(at), zone);
  expect(state.nextMonth > first.next.month).toBe(true);
  const invoice = draftInvoice({ accountId: 'acme', month: state.nextMonth, billed: first.next, evaluation: evaluate(plan, first.next.quantities) });
  expect(invoice.total).toBe(949_700);
});
