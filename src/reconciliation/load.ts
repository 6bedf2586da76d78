/**
 * Everything a batch of reconciliations reads, in a fixed number of queries whatever the batch size: the accounts,
 * the accounts billed to them, their snapshots, inventory, plans and quantities, the own counts of everything below
 * them (for cascades) and their ancestors (for resellers).
 */
import type { TreeAccount } from '../domain/account-tree';
import type { AccountDoc, BilledSnapshotDoc, InventoryDoc, PlanAssignmentDoc, QuantityMap, ServicePlanDoc } from '../store/documents';
import { snapshotsOf } from '../store/billed-snapshots';
import { ownCountsOf, quantitiesOf } from '../store/quantities';
import type { Store } from '../store/store';

/** A paying account and every account billed to it (directly or through another), reconciled together. */
export interface Unit {
  payer: AccountDoc;
  /** The payer's dirty version, read before anything else: marking it clean is conditional on it. */
  version: number;
  /** The payer first. */
  members: AccountDoc[];
}

/** A requested account billed to another: its changes are that account's to bill. */
export interface Forward {
  account: AccountDoc;
  payerId: string;
}

export type Unloaded = { accountId: string; status: 'missing' | 'skipped' } | { accountId: string; status: 'failed'; reason: string };

export type TreeNode = TreeAccount & Pick<AccountDoc, 'billingAccountId'>;

export interface Batch {
  units: Unit[];
  forwards: Forward[];
  unloaded: Unloaded[];
  snapshots: Map<string, BilledSnapshotDoc>;
  inventory: Map<string, InventoryDoc[]>;
  assignments: Map<string, PlanAssignmentDoc[]>;
  manual: Map<string, QuantityMap>;
  plans: Map<string, ServicePlanDoc>;
  /** Per member: the accounts below it. */
  descendants: Map<string, Pick<AccountDoc, '_id' | 'ancestors'>[]>;
  /** Own counts as last reconciled, of the accounts below the members that are not members themselves. */
  storedCounts: Map<string, QuantityMap>;
  /** The members' ancestors. */
  tree: Map<string, TreeNode>;
}

const MAX_BILLING_HOPS = 16;
const TREE_PROJECTION = { _id: 1, parentId: 1, ancestors: 1, isReseller: 1, billingAccountId: 1 } as const;

function billedTo(account: Pick<AccountDoc, '_id' | 'billingAccountId'>): string | null {
  const target = account.billingAccountId ?? null;
  return target === account._id ? null : target;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Follows billing accounts to the account that finally pays, one query per hop (usually one in all). A chain that
 * loops, runs away or names an account that does not exist is an error: billing it anywhere would be a guess.
 */
async function finalPayers(store: Store, accounts: readonly AccountDoc[]): Promise<Map<string, string | Error>> {
  const billingOf = new Map<string, string | null>(accounts.map((a) => [a._id, billedTo(a)]));
  const missing = new Set<string>();
  for (let hop = 0; hop < MAX_BILLING_HOPS; hop++) {
    const unknown = [...new Set(billingOf.values())].filter((id): id is string => id !== null && !billingOf.has(id) && !missing.has(id));
    if (unknown.length === 0) break;
    const found = await store.accounts.find({ _id: { $in: unknown } }, { projection: { _id: 1, billingAccountId: 1 } }).toArray();
    for (const account of found) billingOf.set(account._id, billedTo(account));
    for (const id of unknown) if (!billingOf.has(id)) missing.add(id);
  }
  const payers = new Map<string, string | Error>();
  for (const account of accounts) {
    const chain = [account._id];
    let problem: string | undefined;
    for (;;) {
      const at = chain.at(-1)!;
      const to = billingOf.get(at);
      if (missing.has(at)) problem = 'names no account';
      else if (to === undefined || chain.length > MAX_BILLING_HOPS) problem = 'is too long a chain';
      if (problem !== undefined || to === null || to === undefined) break;
      if (chain.includes(to)) problem = 'loops';
      chain.push(to);
      if (problem !== undefined) break;
    }
    payers.set(account._id, problem === undefined ? chain.at(-1)! : new Error(`billingAccountId: ${chain.join(' -> ')} ${problem}`));
  }
  return payers;
}

/** Every account billed to one of the payers, directly or through another, attached to the payer that finally pays. */
async function billedAccounts(store: Store, payers: readonly AccountDoc[]): Promise<Map<string, AccountDoc[]>> {
  const rootOf = new Map(payers.map((p) => [p._id, p._id]));
  const members = new Map<string, AccountDoc[]>(payers.map((p) => [p._id, []]));
  let frontier = payers.map((p) => p._id);
  while (frontier.length > 0) {
    const found = await store.accounts.find({ billingAccountId: { $in: frontier }, _id: { $nin: [...rootOf.keys()] } }).toArray();
    for (const account of found) {
      const root = rootOf.get(account.billingAccountId as string) as string;
      rootOf.set(account._id, root);
      members.get(root)!.push(account);
    }
    frontier = found.map((a) => a._id);
  }
  return members;
}

export async function loadBatch(store: Store, accountIds: readonly string[]): Promise<Batch> {
  const requested = await store.accounts.find({ _id: { $in: [...new Set(accountIds)] } }).toArray();
  const byId = new Map(requested.map((a) => [a._id, a]));
  const unloaded: Unloaded[] = [];
  const forwards: Forward[] = [];
  const payers: AccountDoc[] = [];
  const billed = requested.filter((a) => billedTo(a) !== null);
  const finals = billed.length === 0 ? new Map<string, string | Error>() : await finalPayers(store, billed);
  for (const id of new Set(accountIds)) {
    const account = byId.get(id);
    const payer = finals.get(id);
    if (account === undefined) unloaded.push({ accountId: id, status: 'missing' });
    else if (!account.dirty) unloaded.push({ accountId: id, status: 'skipped' });
    else if (payer instanceof Error) unloaded.push({ accountId: id, status: 'failed', reason: payer.message });
    else if (payer !== undefined) forwards.push({ account, payerId: payer });
    else payers.push(account);
  }

  const billedTo_ = payers.length === 0 ? new Map<string, AccountDoc[]>() : await billedAccounts(store, payers);
  const units: Unit[] = payers.map((payer) => ({ payer, version: payer.dirtyVersion, members: [payer, ...(billedTo_.get(payer._id) ?? [])] }));
  const members = units.flatMap((u) => u.members);
  const ids = members.map((m) => m._id);
  const ancestorIds = [...new Set(members.flatMap((m) => m.ancestors))];
  const [snapshots, inventory, assignments, quantities, below, ancestors] = await Promise.all([
    snapshotsOf(store, ids),
    ids.length === 0 ? [] : store.inventory.find({ accountId: { $in: ids } }).toArray(),
    ids.length === 0 ? [] : store.planAssignments.find({ accountId: { $in: ids } }).sort({ assignedAt: 1, _id: 1 }).toArray(),
    quantitiesOf(store, ids),
    ids.length === 0 ? [] : store.accounts.find({ ancestors: { $in: ids } }, { projection: { _id: 1, ancestors: 1 } }).toArray(),
    ancestorIds.length === 0 ? [] : store.accounts.find({ _id: { $in: ancestorIds } }, { projection: TREE_PROJECTION }).toArray(),
  ]);

  const memberSet = new Set(ids);
  const descendants = new Map<string, Pick<AccountDoc, '_id' | 'ancestors'>[]>(ids.map((id) => [id, []]));
  for (const account of below) for (const ancestor of account.ancestors) descendants.get(ancestor)?.push(account);
  const planIds = [...new Set(assignments.map((a) => a.planId))];
  const [plans, storedCounts] = await Promise.all([
    planIds.length === 0 ? [] : store.servicePlans.find({ _id: { $in: planIds } }).toArray(),
    ownCountsOf(store, [...new Set(below.map((a) => a._id))].filter((id) => !memberSet.has(id))),
  ]);

  return {
    units,
    forwards,
    unloaded,
    snapshots,
    inventory: groupBy(inventory, (i) => i.accountId),
    assignments: groupBy(assignments, (a) => a.accountId),
    manual: new Map([...quantities].map(([id, q]) => [id, q.manual ?? {}])),
    plans: new Map(plans.map((p) => [p._id, p])),
    descendants,
    storedCounts,
    tree: new Map(ancestors.map((a) => [a._id, a])),
  };
}
