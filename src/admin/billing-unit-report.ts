/**
 * Reads what an account's by-unit breakdown needs and hands it to the pure allocation: its units with their numbers
 * and users, its inventory, its plans and quantities, and its calls between two local dates (both included; the
 * account's own unless another zone is given), streamed and tallied by number so that memory does not grow with the calls.
 *
 * The recurring part is one month of the account's plans priced at its current quantities: its inventory counted
 * now, its sub-accounts' inventory as the cascade, the operator's manual quantities. That is what its next renewal
 * charges once reconciliation has billed the latest inventory changes, and it is the inventory the units hold.
 */
import { cascadeQuantities } from '../domain/account-tree';
import { addCall, allocateToBillingUnits } from '../domain/billing-units';
import type { BillingUnitAllocation, BillingUnitMembers, UsageByNumber } from '../domain/billing-units';
import { localDayRange } from '../domain/calendar';
import type { LocalDate } from '../domain/calendar';
import { countInventory } from '../domain/inventory-count';
import { issueToText, mergePlans, parsePlanDocument, parsePlanOverrides } from '../domain/plans';
import type { AssignedPlan, Issue, Plan, QuantityLayers } from '../domain/plans';
import { getAccount, subtree } from '../store/accounts';
import { heldNumbers, unitsOf } from '../store/billing-units';
import type { AccountDoc, InventoryDoc } from '../store/documents';
import { inventoryOf } from '../store/inventory';
import { assignmentsOf } from '../store/plans';
import type { Store } from '../store/store';

export interface AccountUnitCharges {
  readonly account: AccountDoc;
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly allocation: BillingUnitAllocation;
}

async function unitMembers(store: Store, accountId: string): Promise<BillingUnitMembers[]> {
  const [units, held] = await Promise.all([unitsOf(store, accountId), heldNumbers(store, accountId)]);
  const numbers = new Map<string, string[]>();
  for (const h of held) numbers.set(h.unitId, [...(numbers.get(h.unitId) ?? []), h.number]);
  return units.map((u) => ({ id: u._id, name: u.name, numbers: numbers.get(u._id) ?? [], users: u.users }));
}

const stored = (what: string, issues: readonly Issue[]) => new Error(`${what} no longer parses: ${issues.map(issueToText).join('; ')}`);

/** The account's plans merged with their overrides, as assigned (a plan removed from the store is refused). */
async function accountPlan(store: Store, accountId: string): Promise<Plan> {
  const assignments = await assignmentsOf(store, accountId);
  const plans = new Map((await store.servicePlans.find({ _id: { $in: assignments.map((a) => a.planId) } }).toArray()).map((p) => [p._id, p]));
  const assigned = assignments.map((a): AssignedPlan => {
    const plan = plans.get(a.planId);
    if (!plan) throw new Error(`account "${accountId}" holds plan "${a.planId}", which is not in the store`);
    const parsed = parsePlanDocument(plan.document);
    if (!parsed.ok) throw stored(`plan "${plan._id}"`, parsed.errors);
    if (a.overrides === null || a.overrides === undefined) return parsed.document;
    const overrides = parsePlanOverrides(a.overrides);
    if (!overrides.ok) throw stored(`the overrides of plan "${plan._id}" on account "${accountId}"`, overrides.errors);
    return { document: parsed.document, overrides: overrides.overrides };
  });
  return mergePlans(assigned);
}

async function currentQuantities(store: Store, account: AccountDoc, inventory: readonly InventoryDoc[]): Promise<QuantityLayers> {
  const below = (await subtree(store, account._id)).filter((a) => a._id !== account._id);
  const theirInventory = await store.inventory.find({ accountId: { $in: below.map((a) => a._id) } }).toArray();
  const counted = below.map((a) => ({ ...a, quantities: countInventory(theirInventory.filter((i) => i.accountId === a._id)) }));
  const manual = (await store.quantities.findOne({ _id: account._id }, { projection: { manual: 1 } }))?.manual ?? {};
  return { account: countInventory(inventory), cascade: cascadeQuantities(account._id, counted), manual };
}

async function usageBetween(store: Store, account: AccountDoc, from: LocalDate, to: LocalDate, zone: string): Promise<UsageByNumber> {
  const startedAt = { $gte: localDayRange(from, zone).start, $lt: localDayRange(to, zone).end };
  const projection = { direction: 1, callerId: 1, fromNumber: 1, toNumber: 1, billingSeconds: 1, customerCost: 1, resellerCost: 1 };
  const tally: UsageByNumber = new Map();
  for await (const call of store.cdrs.find({ accountId: account._id, startedAt }, { projection })) addCall(tally, call);
  return tally;
}

/**
 * The account's charges by billing unit: usage between `from` and `to` as dates of `zone` (the account's own when not
 * given; a reseller report passes the reseller's, the zone of its CDR sheets), recurring for one month.
 */
export async function accountUnitCharges(store: Store, accountId: string, from: LocalDate, to: LocalDate, zone?: string): Promise<AccountUnitCharges> {
  const account = await getAccount(store, accountId);
  const inventory = await inventoryOf(store, accountId);
  const [units, plan, quantities, usage] = await Promise.all([
    unitMembers(store, accountId),
    accountPlan(store, accountId),
    currentQuantities(store, account, inventory),
    usageBetween(store, account, from, to, zone ?? account.timezone),
  ]);
  return { account, from, to, allocation: allocateToBillingUnits({ units, inventory, plan, quantities, usage }) };
}
