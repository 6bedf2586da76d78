import { evaluate, mergePlans, parsePlanDocument } from '../../../src/domain/plans';
import type { PlanDocument } from '../../../src/domain/plans';
import { draftInvoice, invoiceId, parseInvoiceId, renewalBasis } from '../../../src/domain/renewal/invoice';

function document(json: unknown): PlanDocument {
  const parsed = parsePlanDocument(json);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.document;
}

const PLAN = mergePlans([document({ plan: { devices: { sip_device: { rate: 24.99 } }, users: { user: { rate: 10, minimum: 2 } } } })]);
const quantities = { account: { devices: { sip_device: 3 }, users: { user: 1 } } };
const evaluation = evaluate(PLAN, quantities);
const billed = { items: evaluation.items, recurring: evaluation.recurring };

describe('draftInvoice', () => {
  it('charges the billed recurring total on the 1st, every line with the plan engine explanation', () => {
    const draft = draftInvoice({ accountId: 'acme', month: '2026-04', billed, evaluation });
    expect(draft).toMatchObject({ _id: 'acme/2026-04', period: '2026-04', recurring: 949_700, total: 949_700, dueDate: '2026-04-01' });
    expect(draft.lines.map((l) => [l.name, l.billable, l.total])).toEqual([
      ['devices/sip_device', 3, 749_700],
      ['users/user', 2, 200_000],
    ]);
    expect(draft.lines.map((l) => l.explanation)).toEqual(evaluation.items.map((l) => l.explanation));
  });

  it('a line the current plan prices differently keeps its billed figures, explained from them', () => {
    const repriced = evaluate(mergePlans([document({ plan: { devices: { sip_device: { rate: 30 } }, users: { user: { rate: 10, minimum: 2 } } } })]), quantities);
    const draft = draftInvoice({ accountId: 'acme', month: '2026-04', billed, evaluation: repriced });
    expect(draft.total).toBe(949_700);
    expect(draft.lines[0]).toMatchObject({ total: 749_700, explanation: '3 billable at 24.99 = 74.97 (as last reconciled)' });
    expect(draft.lines[1]!.explanation).toBe(evaluation.items[1]!.explanation);
  });

  it('a total below zero bills nothing', () => {
    expect(draftInvoice({ accountId: 'acme', month: '2026-04', billed: { items: [], recurring: -40_000 }, evaluation: null }).total).toBe(0);
  });

  it('invoice ids read back into account and month, and refuse anything else, naming it', () => {
    expect(parseInvoiceId(invoiceId('acme-voice', '2026-04'))).toEqual({ accountId: 'acme-voice', month: '2026-04' });
    for (const bad of ['acme', 'acme/2026-13', '/2026-01']) expect(() => parseInvoiceId(bad)).toThrow(JSON.stringify(bad));
    expect(() => parseInvoiceId('a:b/2026-01')).toThrow('"a:b"');
  });
});

describe('renewalBasis', () => {
  const state = (month: string) => ({ month });
  it('is the latest state billed before the month, an open step first', () => {
    expect(renewalBasis({ billed: state('2026-03'), pending: null }, '2026-04')).toEqual(state('2026-03'));
    expect(renewalBasis({ billed: state('2026-02'), pending: { state: state('2026-03') } }, '2026-04')).toEqual(state('2026-03'));
    expect(renewalBasis({ billed: state('2026-03'), pending: { state: state('2026-04') } }, '2026-04')).toEqual(state('2026-03'));
  });

  it('is none before the first reconciliation or when reconciliation billed the month itself', () => {
    expect(renewalBasis(null, '2026-04')).toBeNull();
    expect(renewalBasis({ billed: null, pending: null }, '2026-04')).toBeNull();
    expect(renewalBasis({ billed: state('2026-04'), pending: null }, '2026-04')).toBeNull();
  });
});
