import { allocateToBillingUnits, BillingUnitAllocationError, tallyCalls } from '../../../src/domain/billing-units';
import type { AllocatedResource, AllocationInput, BillingUnitAllocation, BillingUnitMembers, CallForUnits } from '../../../src/domain/billing-units';
import { countInventory } from '../../../src/domain/inventory-count';
import type { QuantityLayers } from '../../../src/domain/plans';
import { planOf } from '../plans/helpers';

const $ = (dollars: number) => Math.round(dollars * 10_000);

const number = (id: string, label: string, type = 'did_us', features: string[] = []): AllocatedResource => ({ _id: id, kind: 'phone_number', type, features, label });
const user = (id: string, type = 'user'): AllocatedResource => ({ _id: id, kind: 'user', type, label: id });
const device = (id: string): AllocatedResource => ({ _id: id, kind: 'device', type: 'sip_device' });

const A = '+14155550101';
const B = '+14155550102';
const C = '+14155550103';
const INVENTORY = [number('n/a', A, 'did_us', ['e911']), number('n/b', B), number('n/c', C), user('u/1'), user('u/2'), user('u/3', 'admin'), device('d/1'), device('d/2')];

const SALES: BillingUnitMembers = { id: 'sales', name: 'Sales', numbers: [A], users: ['u/1', 'u/2'] };
const SUPPORT: BillingUnitMembers = { id: 'support', name: 'Support', numbers: [B], users: ['u/2'] };

const PLAN = planOf({
  phone_numbers: { did_us: { rate: 1 } },
  number_services: { e911: { rate: 2 } },
  users: { _all: { rate: 10 } },
  devices: { _all: { rate: 20 } },
});

function allocate(overrides: Partial<AllocationInput> = {}): BillingUnitAllocation {
  const inventory = overrides.inventory ?? INVENTORY;
  return allocateToBillingUnits({
    units: [SALES, SUPPORT],
    inventory,
    plan: PLAN,
    quantities: { account: countInventory(inventory) },
    usage: new Map(),
    ...overrides,
  });
}

const recurringOf = (a: BillingUnitAllocation) => [...a.units.map((u) => u.recurring), a.unassigned.recurring];

describe('recurring charges by unit', () => {
  it("gives each number its line's share, and splits a user in several units equally", () => {
    const a = allocate();
    // Sales: number A ($1 + $2 e911), user 1 ($10), half of user 2 ($5). Support: number B ($1), half of user 2 ($5).
    // Unassigned: number C ($1), the admin ($10), both devices ($40).
    expect(recurringOf(a)).toEqual([$(18), $(6), $(51)]);
    expect(a.account.recurring).toBe($(75));
    expect(a.units[0]).toMatchObject({ unit: { id: 'sales', name: 'Sales' }, numbers: 1, users: 2 });
    expect(a.unassigned).toMatchObject({ numbers: 1, users: 1 });
    expect(a.account).toMatchObject({ numbers: 3, users: 3 });
  });

  it('reports the share of every plan line, aligned with the lines', () => {
    const a = allocate();
    const line = (category: string) => a.lines.findIndex((l) => l.category === category);
    expect(a.units[0]!.recurringByLine[line('number_services')]).toBe($(2));
    expect(a.units[1]!.recurringByLine[line('users')]).toBe($(5));
    expect(a.unassigned.recurringByLine[line('devices')]).toBe($(40));
  });

  it('distributes a user split three ways to the unit, largest remainders first', () => {
    const units = [1, 2, 3].map((i) => ({ id: `u${i}`, name: `Unit ${i}`, numbers: [], users: ['u/1'] }));
    const a = allocate({ units, inventory: [user('u/1')], plan: planOf({ users: { user: { rate: 10 } } }) });
    expect(recurringOf(a)).toEqual([33_334, 33_333, 33_333, 0]);
  });

  it('leaves what the line counts beyond the inventory (sub-accounts) unassigned', () => {
    const plan = planOf({ phone_numbers: { did_us: { rate: 1, cascade: true } } });
    const quantities: QuantityLayers = { account: countInventory(INVENTORY), cascade: { phone_numbers: { did_us: 2 } } };
    // 5 numbers billed: A (Sales), B (Support), C and the sub-accounts' two unassigned.
    expect(recurringOf(allocate({ plan, quantities }))).toEqual([$(1), $(1), $(3)]);
  });


  it('charges a minimum to the numbers that make the line, and a line with nothing counted to nobody', () => {
    const plan = planOf({ phone_numbers: { tollfree_us: { rate: 5, minimum: 10 }, did_us: { flat_rate: 7 } } });
    const inventory = [number('n/t', A, 'tollfree_us')];
    // The only toll-free number makes the whole $50 minimum; the flat rate is billed with no DID counted.
    expect(recurringOf(allocate({ plan, inventory }))).toEqual([$(50), 0, $(7)]);
  });

  it('honours `_all` exceptions', () => {
    const plan = planOf({ phone_numbers: { _all: { rate: 1, exceptions: ['tollfree_us'] }, tollfree_us: { rate: 4 } } });
    const inventory = [number('n/a', A), number('n/b', B, 'tollfree_us')];
    expect(recurringOf(allocate({ plan, inventory }))).toEqual([$(1), $(4), 0]);
  });

  it('splits a negative line (a discount larger than the charge) the same way', () => {
    const plan = planOf({ phone_numbers: { did_us: { rate: 1, discounts: { single: { rate: 4 } } } } });
    const a = allocate({ plan });
    expect(a.account.recurring).toBe($(-1));
    expect(recurringOf(a)).toEqual([-3_334, -3_333, -3_333]);
  });

  it('shares the whole line among the inventory when a manual quantity bills fewer; the remainder falls by inventory id', () => {
    const plan = planOf({ phone_numbers: { did_us: { rate: 1 } } });
    const quantities = { manual: { phone_numbers: { did_us: 1 } } };
    for (const inventory of [INVENTORY, [...INVENTORY].reverse()]) {
      expect(recurringOf(allocate({ plan, quantities, inventory }))).toEqual([3_334, 3_333, 3_333]);
    }
  });
});

describe('usage by unit', () => {
  const call = (direction: 'inbound' | 'outbound', numbers: Partial<CallForUnits>, customerCost: number): CallForUnits => ({
    direction,
    callerId: 'Front desk',
    toNumber: '+442071234567',
    billingSeconds: 61,
    customerCost,
    resellerCost: Math.floor(customerCost / 2),
    ...numbers,
  });

  it('puts an outbound call on the number it came from and an inbound call on the number called', () => {
    const usage = tallyCalls([
      call('outbound', { fromNumber: A }, 100),
      call('outbound', { callerId: '+1 (415) 555-0102' }, 200),
      call('inbound', { toNumber: B, callerId: A }, 400),
      call('inbound', { toNumber: C }, 800),
      call('outbound', { callerId: 'anonymous' }, 1600),
    ]);
    const a = allocate({ usage });
    expect(a.units.map((u) => u.usage.customerCost)).toEqual([100, 600]);
    expect(a.unassigned.usage).toEqual({ calls: 2, billingSeconds: 122, billingMinutes: 4, customerCost: 2400, resellerCost: 1200 });
    expect(a.account.usage).toEqual({ calls: 5, billingSeconds: 305, billingMinutes: 10, customerCost: 3100, resellerCost: 1550 });
    expect(a.units[1]!.total).toBe(a.units[1]!.recurring + 600);
  });
});

describe('input the store never produces', () => {
  it('refuses a number in two units, naming both', () => {
    const units = [SALES, { ...SUPPORT, numbers: [`${A.slice(0, 2)} ${A.slice(2)}`] }];
    expect(() => allocate({ units })).toThrow(BillingUnitAllocationError);
    expect(() => allocate({ units })).toThrow(`number ${A} is in two units, "Sales" and "Support"`);
  });

  it('refuses a unit id given twice', () => {
    expect(() => allocate({ units: [SALES, SALES] })).toThrow('unit id "sales" is given twice');
  });
});
