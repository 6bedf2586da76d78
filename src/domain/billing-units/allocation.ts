/**
 * An account's charges broken down by billing unit. Pure: the caller brings the units, the account's inventory, its
 * merged plan with the quantities it is priced at, and its usage by number.
 *
 * Usage: each number's usage goes to the unit holding the number.
 * Recurring: every line of the account's plan is shared among the resources the line counts, one share per count
 * (a phone number is one count of its `phone_numbers` type and one of each of its `number_services` features; a user
 * is one count of its `users` type). A number's share goes to its unit; a user's share is split equally among its
 * units. What the line counts beyond the account's own inventory (sub-accounts' cascade, manual quantities above the
 * inventory) and whatever the line bills with nothing counted (a minimum, a flat rate at quantity 0) stays unassigned,
 * as do the resources no unit can hold (devices, trunks, IPs, branding). When the quantity billed is lower than the
 * inventory (a manual quantity), the inventory's counts share the whole line.
 * Every split is a largest-remainder apportionment in whole units, so the units and "Unassigned" add up to the
 * account's totals exactly, line by line.
 */
import { apportion } from '../apportion';
import { countInventory } from '../inventory-count';
import type { InventoryItem } from '../inventory-count';
import { sum } from '../money';
import type { Units } from '../money';
import { ALL_ITEMS, evaluate } from '../plans';
import type { EvaluatedLine, Plan, PlanItem, Quantities, QuantityLayers } from '../plans';
import { canonicalNumber } from './identifiers';
import { addUsage, NO_USAGE } from '../usage';
import type { Usage } from '../usage';

export class BillingUnitAllocationError extends Error {}

export interface BillingUnitMembers {
  readonly id: string;
  readonly name: string;
  /** Phone numbers, E.164; a number may be in one unit only. */
  readonly numbers: readonly string[];
  /** Inventory ids of users; a user may be in several units. */
  readonly users: readonly string[];
}

/** An inventory item of the account; a phone number's `label` is the number itself. */
export type AllocatedResource = InventoryItem & { readonly label?: string | null };

export interface AllocationInput {
  readonly units: readonly BillingUnitMembers[];
  /** The account's own inventory (not its sub-accounts'). */
  readonly inventory: readonly AllocatedResource[];
  /** The account's plans, merged. */
  readonly plan: Plan;
  /** What the plan is priced at: normally the inventory counted, the cascade and manual quantities. */
  readonly quantities: QuantityLayers;
  /** The account's usage by number (tallyCalls / addCall). */
  readonly usage: ReadonlyMap<string, Usage>;
}

export interface ChargeTotals {
  readonly usage: Usage;
  /** The share of each plan line, aligned with `BillingUnitAllocation.lines`. */
  readonly recurringByLine: readonly Units[];
  readonly recurring: Units;
  /** recurring + usage.customerCost: what the account is charged. */
  readonly total: Units;
}

/** Charges with the numbers and users they come with. */
export interface HeldCharges extends ChargeTotals {
  readonly numbers: number;
  readonly users: number;
}

export interface UnitCharges extends HeldCharges {
  readonly unit: { readonly id: string; readonly name: string };
}

export interface BillingUnitAllocation {
  /** The plan's lines as priced for the account. */
  readonly lines: readonly EvaluatedLine[];
  /** One per unit, in the order given. */
  readonly units: readonly UnitCharges[];
  /** What belongs to no unit; its numbers and users are the account's numbers in no unit and users in no unit. */
  readonly unassigned: HeldCharges;
  /** The account's own totals, which the units and `unassigned` add up to exactly; its numbers and users in inventory. */
  readonly account: HeldCharges;
}

interface Membership {
  readonly unitOfNumber: ReadonlyMap<string, number>;
  readonly unitsOfUser: ReadonlyMap<string, readonly number[]>;
}

/** Where each number and user goes; refuses the input that the store's rules make impossible. */
function membership(units: readonly BillingUnitMembers[]): Membership {
  const unitOfNumber = new Map<string, number>();
  const unitsOfUser = new Map<string, number[]>();
  const ids = new Set<string>();
  units.forEach((unit, index) => {
    if (ids.has(unit.id)) throw new BillingUnitAllocationError(`unit id ${JSON.stringify(unit.id)} is given twice`);
    ids.add(unit.id);
    for (const number of new Set(unit.numbers.map(canonicalNumber))) {
      const holder = unitOfNumber.get(number);
      if (holder !== undefined) {
        throw new BillingUnitAllocationError(`number ${number} is in two units, "${units[holder]!.name}" and "${unit.name}": a number belongs to one unit at most`);
      }
      unitOfNumber.set(number, index);
    }
    for (const user of new Set(unit.users)) unitsOfUser.set(user, [...(unitsOfUser.get(user) ?? []), index]);
  });
  return { unitOfNumber, unitsOfUser };
}

interface Counted {
  readonly resource: AllocatedResource;
  /** What the resource adds to the account's quantities. */
  readonly counts: Quantities;
  /** Indexes of the units sharing the resource; empty when it is unassigned. */
  readonly units: readonly number[];
}

function unitsHolding(resource: AllocatedResource, members: Membership): readonly number[] {
  if (resource.kind === 'phone_number') {
    const unit = resource.label ? members.unitOfNumber.get(canonicalNumber(resource.label)) : undefined;
    return unit === undefined ? [] : [unit];
  }
  if (resource.kind === 'user') return members.unitsOfUser.get(resource._id) ?? [];
  return [];
}

/** How many of the item's counts the resource makes: rule 2's count, for one resource. */
function countOf(counts: Quantities, item: PlanItem): number {
  if (!Object.hasOwn(counts, item.category)) return 0;
  const items = counts[item.category]!;
  if (item.key !== ALL_ITEMS) return Object.hasOwn(items, item.key) ? items[item.key]! : 0;
  return sum(Object.entries(items).flatMap(([key, n]) => (item.exceptions.includes(key) ? [] : [n])));
}

/** One line's total split: a part per resource (in `resources` order), then the unassigned part. */
function splitLine(item: PlanItem, line: EvaluatedLine, resources: readonly Counted[]): { perResource: Units[]; unassigned: Units } {
  const weights = resources.map((r) => countOf(r.counts, item));
  const counted = sum(weights);
  const beyondInventory = Math.max(0, line.quantity - counted);
  if (counted + beyondInventory === 0) return { perResource: weights.map(() => 0), unassigned: line.total };
  const parts = apportion(line.total, [...weights, beyondInventory]);
  return { perResource: parts.slice(0, -1), unassigned: parts.at(-1)! };
}

class Ledger {
  readonly recurring: Units[][];
  readonly usage: Usage[];

  constructor(rows: number, lines: number) {
    this.recurring = Array.from({ length: rows }, () => new Array<Units>(lines).fill(0));
    this.usage = new Array<Usage>(rows).fill(NO_USAGE);
  }

  addRecurring(row: number, line: number, amount: Units): void {
    this.recurring[row]![line]! += amount;
  }

  addCalls(row: number, usage: Usage): void {
    this.usage[row] = addUsage(this.usage[row]!, usage);
  }

  totals(row: number): ChargeTotals {
    return totalsOf(this.recurring[row]!, this.usage[row]!);
  }
}

function totalsOf(recurringByLine: readonly Units[], usage: Usage): ChargeTotals {
  const recurring = sum(recurringByLine);
  return { usage, recurringByLine, recurring, total: sum([recurring, usage.customerCost]) };
}

export function allocateToBillingUnits(input: AllocationInput): BillingUnitAllocation {
  const members = membership(input.units);
  const evaluation = evaluate(input.plan, input.quantities);
  const unassignedRow = input.units.length;
  const ledger = new Ledger(input.units.length + 1, evaluation.items.length);

  // Sorted so that a tie in the apportionment never depends on the order the store returned the inventory in.
  const resources: Counted[] = [...input.inventory]
    .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
    .map((resource) => ({ resource, counts: countInventory([resource]), units: unitsHolding(resource, members) }));

  evaluation.items.forEach((line, index) => {
    if (line.total === 0) return;
    const { perResource, unassigned } = splitLine(input.plan.items[index]!, line, resources);
    ledger.addRecurring(unassignedRow, index, unassigned);
    perResource.forEach((part, r) => {
      if (part === 0) return;
      const holders = resources[r]!.units;
      if (holders.length === 0) ledger.addRecurring(unassignedRow, index, part);
      else apportion(part, holders.map(() => 1)).forEach((share, h) => ledger.addRecurring(holders[h]!, index, share));
    });
  });

  let accountUsage = NO_USAGE;
  for (const [number, usage] of input.usage) {
    ledger.addCalls(members.unitOfNumber.get(canonicalNumber(number)) ?? unassignedRow, usage);
    accountUsage = addUsage(accountUsage, usage);
  }

  const countKind = (kind: AllocatedResource['kind'], unassignedOnly: boolean) =>
    resources.filter((r) => r.resource.kind === kind && (!unassignedOnly || r.units.length === 0)).length;
  return {
    lines: evaluation.items,
    units: input.units.map((unit, index) => ({
      unit: { id: unit.id, name: unit.name },
      numbers: new Set(unit.numbers.map(canonicalNumber)).size,
      users: new Set(unit.users).size,
      ...ledger.totals(index),
    })),
    unassigned: {
      numbers: countKind('phone_number', true),
      users: countKind('user', true),
      ...ledger.totals(unassignedRow),
    },
    account: {
      numbers: countKind('phone_number', false),
      users: countKind('user', false),
      ...totalsOf(
        evaluation.items.map((line) => line.total),
        accountUsage,
      ),
    },
  };
}
