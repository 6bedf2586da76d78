/**
 * What the renewal of many accounts reads, in a few queries for the whole batch instead of several per account:
 * what reconciliation last billed them (their snapshots: what the renewal charges), their plan assignments and the
 * plans (to explain each line), and their ancestors (who collects the invoice). Plans are parsed once per plan
 * version and merged once per distinct set of assignments, as most accounts of a reseller share one plan set.
 */
import { payerOf } from '../domain/cdr-charges';
import { mergePlans, parsePlanDocument, parsePlanOverrides } from '../domain/plans';
import type { AssignedPlan, Plan, PlanDocument, QuantityLayers } from '../domain/plans';
import { snapshotsOf } from '../store/billed-snapshots';
import type { AccountDoc, BilledSnapshotDoc, InvoiceCollection, PlanAssignmentDoc, ServicePlanDoc } from '../store/documents';
import type { Store } from '../store/store';

export interface RenewalPricing {
  account: AccountDoc;
  /** What reconciliation last billed (src/store/billed-snapshots.ts); null before its first reconciliation. */
  snapshot: BilledSnapshotDoc | null;
  /** The merged plan the account holds now, for the lines' explanations; null when it holds none. */
  plan: Plan | null;
  /** The quantity layers last billed (an open step's first), or none before the first reconciliation. */
  quantities: QuantityLayers;
  collection: InvoiceCollection;
  /** The reseller (or the master) that bills a `reseller` invoice. */
  billedBy: string | null;
}

export class RenewalPricingError extends Error {}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function documentOf(plan: ServicePlanDoc): PlanDocument {
  const parsed = parsePlanDocument(plan.document);
  if (!parsed.ok) throw new RenewalPricingError(`plan ${plan._id} no longer parses: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return parsed.document;
}

/**
 * A sub-account's plans are its reseller's retail prices: the reseller collects them (the platform records them on
 * the sub-account's credit limit) and pays the platform through its own plans, priced with cascade quantities. Only
 * an account that pays for itself (src/domain/cdr-charges.ts payerOf: a reseller, not billed to another) is charged
 * by the platform. The master is the platform itself and is never invoiced.
 */
function collectionOf(account: AccountDoc, ancestors: ReadonlyMap<string, AccountDoc>): Pick<RenewalPricing, 'collection' | 'billedBy'> {
  const payer = payerOf(account, ancestors);
  return payer === account._id ? { collection: 'platform', billedBy: null } : { collection: 'reseller', billedBy: payer };
}

export class PlanSetCache {
  private readonly documents = new Map<string, PlanDocument>();
  private readonly merged = new Map<string, Plan>();

  plan(assignments: readonly PlanAssignmentDoc[], plans: ReadonlyMap<string, ServicePlanDoc>): Plan | null {
    const held = assignments.map((a) => ({ a, plan: plans.get(a.planId) })).filter((x): x is { a: PlanAssignmentDoc; plan: ServicePlanDoc } => x.plan !== undefined);
    if (held.length === 0) return null;
    const key = JSON.stringify(held.map(({ a, plan }) => [plan._id, plan.importedAt.getTime(), a.overrides ?? null]));
    let plan = this.merged.get(key);
    if (!plan) {
      plan = mergePlans(held.map(({ a, plan: p }) => this.assigned(p, a)));
      this.merged.set(key, plan);
    }
    return plan;
  }

  private assigned(plan: ServicePlanDoc, assignment: PlanAssignmentDoc): AssignedPlan {
    const versionKey = `${plan._id}@${plan.importedAt.getTime()}`;
    let document = this.documents.get(versionKey);
    if (!document) {
      document = documentOf(plan);
      this.documents.set(versionKey, document);
    }
    if (assignment.overrides === null || assignment.overrides === undefined) return document;
    const overrides = parsePlanOverrides(assignment.overrides);
    if (!overrides.ok) throw new RenewalPricingError(`assignment ${assignment._id}: overrides no longer parse: ${overrides.errors.map((e) => e.message).join('; ')}`);
    return { document, overrides: overrides.overrides };
  }
}

/** Everything needed to price the renewal of `accounts`; accounts gone from the store are left out. */
export async function loadRenewalPricing(store: Store, accountIds: readonly string[], cache: PlanSetCache = new PlanSetCache()): Promise<Map<string, RenewalPricing>> {
  const [accounts, assignments, snapshots] = await Promise.all([
    store.accounts.find({ _id: { $in: [...accountIds] } }).toArray(),
    store.planAssignments.find({ accountId: { $in: [...accountIds] } }).sort({ assignedAt: 1, _id: 1 }).toArray(),
    snapshotsOf(store, accountIds),
  ]);
  const ancestorIds = [...new Set(accounts.flatMap((a) => a.ancestors))];
  const [plans, ancestors] = await Promise.all([
    store.servicePlans.find({ _id: { $in: [...new Set(assignments.map((a) => a.planId))] } }).toArray(),
    store.accounts.find({ _id: { $in: ancestorIds } }, { projection: { funds: 0 } }).toArray(),
  ]);
  const plansById = new Map(plans.map((p) => [p._id, p]));
  const ancestorsById = new Map([...ancestors, ...accounts].map((a) => [a._id, a]));
  const assignmentsByAccount = groupBy(assignments, (a) => a.accountId);
  const result = new Map<string, RenewalPricing>();
  for (const account of accounts) {
    const snapshot = snapshots.get(account._id) ?? null;
    result.set(account._id, {
      account,
      snapshot,
      quantities: (snapshot?.pending?.state ?? snapshot?.billed)?.quantities ?? {},
      plan: cache.plan(assignmentsByAccount.get(account._id) ?? [], plansById),
      ...collectionOf(account, ancestorsById),
    });
  }
  return result;
}
