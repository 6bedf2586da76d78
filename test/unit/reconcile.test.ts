import fc from 'fast-check';
import { mergePlans, parsePlanDocument } from '../../src/domain/plans';
import type { Plan, Quantities } from '../../src/domain/plans';
import { prorate } from '../../src/domain/proration';
import { ReconcileError, reconcile } from '../../src/domain/reconcile';
import type { BilledState, QuantitySet, ReconcileResult } from '../../src/domain/reconcile';
import { reconcileChangeId, reconcilePostings } from '../../src/domain/reconcile-postings';
import { checkPosting } from '../../src/domain/ledger-entry';

function planOf(...bodies: unknown[]): Plan {
  return mergePlans(
    bodies.map((body) => {
      const parsed = parsePlanDocument({ plan: body });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      return parsed.document;
    }),
  );
}

// $20 a device with a $5 activation charge; a dedicated IP at $25 with $50 to activate; tiered trunks.
const BASE = {
  devices: { sip_device: { rate: 20, activation_charge: 5 } },
  ips: { dedicated: { rate: 25, activation_charge: 50 } },
  limits: { twoway_trunks: { rates: { '2': 30, '10': 25 }, rate: 20 } },
};
const PLAN = planOf(BASE);

function counts(account: Quantities, extra: Partial<QuantitySet> = {}): QuantitySet {
  return { account, cascade: {}, manual: {}, ...extra };
}

const devices = (n: number) => counts({ devices: { sip_device: n } });

function step(previous: BilledState | null, quantities: QuantitySet, today: string, plan = PLAN): ReconcileResult {
  return reconcile({ previous, quantities, plan, today });
}

function charged(result: ReconcileResult): number {
  return result.activation.amount + (result.increase?.amount ?? 0);
}

describe('reconcile: the first reconciliation of an account', () => {
  it('charges activation for every billable unit and the recurring total for the days left', () => {
    const result = step(null, devices(3), '2026-03-14');
    expect(result.activation).toEqual({
      amount: 150_000,
      lines: [{ category: 'devices', item: 'sip_device', name: 'devices/sip_device', added: 3, charge: 50_000, amount: 150_000 }],
    });
    // $60 a month, 18 of March's 31 days left: 600,000 × 18 / 31 = 348,387.10
    expect(result.increase).toMatchObject({ from: 0, to: 600_000, amount: 348_387, daysLeft: 18, daysInMonth: 31 });
    expect(result.next).toMatchObject({ month: '2026-03', recurring: 600_000, covered: 600_000 });
    expect(result.next.items.map((i) => [i.category, i.key, i.quantity, i.total])).toEqual([
      ['devices', 'sip_device', 3, 600_000],
      ['ips', 'dedicated', 0, 0],
      ['limits', 'twoway_trunks', 0, 0],
    ]);
    expect(result.changed).toBe(true);
  });

  it('charges nothing for an account without plans, but still records what it has', () => {
    const result = step(null, devices(3), '2026-03-14', planOf());
    expect(charged(result)).toBe(0);
    expect(result.next).toMatchObject({ recurring: 0, covered: 0, items: [], quantities: devices(3) });
  });
});

describe('reconcile: changes after the first', () => {
  const first = step(null, devices(3), '2026-03-01').next;

  it('charges nothing when nothing changed, and says so', () => {
    const again = step(first, devices(3), '2026-03-20');
    expect(charged(again)).toBe(0);
    expect(again.increase).toBeNull();
    expect(again.changed).toBe(false);
    expect(again.next).toEqual(first);
  });

  it('charges the added devices: activation for each and the difference for the days left', () => {
    const result = step(first, devices(5), '2026-03-14');
    expect(result.activation.amount).toBe(100_000);
    expect(result.increase).toMatchObject({ from: 600_000, to: 1_000_000, amount: prorate(400_000, '2026-03-14').amount });
    expect(result.next.covered).toBe(1_000_000);
  });

  it('refunds nothing for a decrease; the month stays covered at its high-water mark', () => {
    const down = step(first, devices(1), '2026-03-10');
    expect(charged(down)).toBe(0);
    expect(down.next).toMatchObject({ recurring: 200_000, covered: 600_000 });
    expect(down.changed).toBe(true);
    // Back up to 3 within the month: the recurring difference was already charged; activation is for re-added units.
    const up = step(down.next, devices(3), '2026-03-12');
    expect(up.increase).toBeNull();
    expect(up.activation.amount).toBe(100_000);
    // Above the high-water mark: only the part above it.
    const above = step(up.next, devices(4), '2026-03-16');
    expect(above.increase).toMatchObject({ from: 600_000, to: 800_000 });
  });

  it('in a new month, counts the last billed recurring total as covered by the renewal', () => {
    const down = step(first, devices(1), '2026-03-10').next; // recurring $20, covered $60 in March
    const april = step(down, devices(1), '2026-04-03');
    expect(charged(april)).toBe(0);
    expect(april.next).toMatchObject({ month: '2026-04', recurring: 200_000, covered: 200_000 });
    expect(april.changed).toBe(true);
    const up = step(april.next, devices(2), '2026-04-16');
    expect(up.increase).toMatchObject({ from: 200_000, to: 400_000, amount: 100_000 }); // $20 × 15/30
  });

  it('compares an item the account was not billed for before against zero (a newly assigned plan)', () => {
    const withPort = planOf(BASE, { number_services: { port: { activation_charge: 5 } } });
    const quantities = counts({ devices: { sip_device: 3 }, number_services: { port: 2 } });
    const result = step(first, quantities, '2026-03-14', withPort);
    expect(result.activation.lines).toEqual([
      { category: 'number_services', item: 'port', name: 'number_services/port', added: 2, charge: 50_000, amount: 100_000 },
    ]);
  });

  it('prices tiers on the billable quantity, cascade and manual layers included', () => {
    const cascading = planOf({ devices: { _all: { cascade: true, rate: 10 } } });
    const result = step(null, counts({ devices: { sip_device: 1 } }, { cascade: { devices: { softphone: 4 } }, manual: { devices: { sip_device: 2 } } }), '2026-03-01', cascading);
    expect(result.next.items).toEqual([
      { category: 'devices', key: '_all', item: '_all', name: 'devices', quantity: 6, billable: 6, rate: 100_000, total: 600_000 },
    ]);
  });

  it('refuses a date before the month it last reconciled, naming both', () => {
    expect(() => step(first, devices(3), '2026-02-28')).toThrow(
      new ReconcileError('today: expected a date in or after the last reconciled month 2026-03 (got "2026-02-28")'),
    );
  });
});

describe('reconcilePostings', () => {
  const result = step(null, devices(3), '2026-03-14');
  const identity = { payerId: 'acme', accountId: 'acme', seq: 1, version: 4, period: '2026-03', occurredAt: new Date('2026-03-14T10:00:00Z') };

  it('posts one activation and one proration debit under keys of the step', () => {
    const postings = reconcilePostings(result, identity);
    expect(postings.map((p) => [p._id, p.kind, p.amount])).toEqual([
      ['activation:acme:acme.r1.v4', 'activation', -150_000],
      ['proration:acme:acme.r1.v4', 'proration', -348_387],
    ]);
    postings.forEach(checkPosting);
    expect(postings[0]!.description).toBe('Activation: 3 × devices/sip_device at $5.00');
    expect(postings[1]!.description).toBe(
      'Service increase: $0.00 to $60.00 a month, the difference for the rest of the month: 60.0000 × 18/31 days (2026-03-14 to 2026-03-31 inclusive) = 34.8387',
    );
  });

  it('charges the payer for an account billed to it, under the payer, naming the account', () => {
    const postings = reconcilePostings(result, { ...identity, payerId: 'parent', accountId: 'child' });
    expect(postings.map((p) => [p._id, p.accountId, p.forAccountId])).toEqual([
      ['activation:parent:child.r1.v4', 'parent', 'child'],
      ['proration:parent:child.r1.v4', 'parent', 'child'],
    ]);
    expect(postings[0]!.description).toContain('Activation (account child)');
  });

  it('posts nothing when nothing is owed', () => {
    expect(reconcilePostings(step(result.next, devices(3), '2026-03-20'), identity)).toEqual([]);
  });

  it('keeps keys apart: the account ids hold no ".", sequence numbers must be whole', () => {
    expect(reconcileChangeId({ accountId: 'a-1', seq: 12, version: 3 })).toBe('a-1.r12.v3');
    expect(() => reconcileChangeId({ accountId: 'a.b', seq: 1, version: 1 })).toThrow('not an account id');
    expect(() => reconcileChangeId({ accountId: 'a', seq: 1.5, version: 1 })).toThrow('seq: expected a whole number >= 0 (got 1.5)');
  });
});

describe('reconcile: properties', () => {
  const quantity = fc.integer({ min: 0, max: 30 });
  const state = fc.record({ sip_device: quantity, dedicated: fc.integer({ min: 0, max: 3 }), trunks: quantity });
  const toCounts = (s: { sip_device: number; dedicated: number; trunks: number }) =>
    counts({ devices: { sip_device: s.sip_device }, ips: { dedicated: s.dedicated }, limits: { twoway_trunks: s.trunks } });
  const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-02-${String(d).padStart(2, '0')}`);

  it('never charges a negative amount, whatever the sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(state, day), { minLength: 1, maxLength: 12 }), (changes) => {
        let previous: BilledState | null = null;
        for (const [s, today] of [...changes].sort((a, b) => a[1].localeCompare(b[1]))) {
          const result = step(previous, toCounts(s), today);
          expect(result.activation.amount).toBeGreaterThanOrEqual(0);
          for (const line of result.activation.lines) expect(line.amount).toBeGreaterThan(0);
          expect(result.increase?.amount ?? 0).toBeGreaterThanOrEqual(0);
          reconcilePostings(result, { payerId: 'a', accountId: 'a', seq: 1, version: 1, period: '2026-02', occurredAt: new Date() }).forEach((p) =>
            expect(p.amount).toBeLessThan(0),
          );
          previous = result.next;
        }
      }),
    );
  });

  it('reconciling the state just billed again charges nothing and changes nothing', () => {
    fc.assert(
      fc.property(fc.option(state, { nil: undefined }), state, day, day, (before, now, d1, d2) => {
        const [first, second] = [d1, d2].sort();
        const previous = before === undefined ? null : step(null, toCounts(before), first!).next;
        const once = step(previous, toCounts(now), first!);
        const twice = step(once.next, toCounts(now), second!);
        expect(charged(twice)).toBe(0);
        expect(twice.changed).toBe(false);
        expect(twice.next).toEqual(once.next);
      }),
    );
  });

  it('a decrease of the recurring total within a month never charges proration', () => {
    fc.assert(
      fc.property(state, state, day, (a, b, today) => {
        const first = step(null, toCounts(a), '2026-02-01').next;
        const result = step(first, toCounts(b), today);
        if (result.next.recurring <= first.recurring) expect(result.increase).toBeNull();
      }),
    );
  });

  it('changes on one day charge, within a unit per step, what going straight to the highest level would', () => {
    fc.assert(
      fc.property(state, fc.array(state, { minLength: 1, maxLength: 8 }), day, (start, path, today) => {
        const first = step(null, toCounts(start), '2026-02-01').next;
        let previous = first;
        let total = 0;
        for (const s of path) {
          const result = step(previous, toCounts(s), today);
          total += result.increase?.amount ?? 0;
          previous = result.next;
        }
        const highest = Math.max(first.recurring, ...path.map((s) => step(null, toCounts(s), today).next.recurring));
        const direct = prorate(highest - first.recurring, today).amount;
        expect(Math.abs(total - direct)).toBeLessThanOrEqual(path.length);
      }),
    );
  });
});
