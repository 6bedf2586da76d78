import type { PlanAssignmentDoc, ServicePlanDoc } from './documents';
import { getAccount, markDirty } from './accounts';
import { enrolForRenewal } from './renewals';
import type { Store } from './store';

export function assignmentId(accountId: string, planId: string): string {
  return `${accountId}/${planId}`;
}

/** Stores a plan document (validated by the caller); importing the same id again replaces it. */
export async function savePlan(store: Store, plan: Omit<ServicePlanDoc, 'importedAt'>, now: Date): Promise<void> {
  await store.servicePlans.replaceOne({ _id: plan._id }, { ...plan, importedAt: now }, { upsert: true });
}

export function getPlan(store: Store, planId: string): Promise<ServicePlanDoc | null> {
  return store.servicePlans.findOne({ _id: planId });
}

export function listPlans(store: Store, ownerId?: string): Promise<ServicePlanDoc[]> {
  return store.servicePlans.find(ownerId ? { ownerId } : {}).sort({ ownerId: 1, name: 1 }).toArray();
}

/**
 * Assigning again replaces the overrides; either way the account is dirtied so the change is billed. A first plan
 * also enters the account into monthly renewal from the next month (this month is reconciliation's, prorated).
 */
export async function assignPlan(
  store: Store,
  accountId: string,
  planId: string,
  overrides: Record<string, unknown> | null,
  now: Date,
): Promise<void> {
  const _id = assignmentId(accountId, planId);
  await store.planAssignments.updateOne(
    { _id },
    { $set: { accountId, planId, overrides }, $setOnInsert: { assignedAt: now } },
    { upsert: true },
  );
  await markDirty(store, accountId, now);
  await enrolForRenewal(store, await getAccount(store, accountId), now);
}

export async function unassignPlan(store: Store, accountId: string, planId: string, now: Date): Promise<boolean> {
  const result = await store.planAssignments.deleteOne({ _id: assignmentId(accountId, planId) });
  if (result.deletedCount > 0) await markDirty(store, accountId, now);
  return result.deletedCount > 0;
}

export function assignmentsOf(store: Store, accountId: string): Promise<PlanAssignmentDoc[]> {
  return store.planAssignments.find({ accountId }).sort({ assignedAt: 1, _id: 1 }).toArray();
}
