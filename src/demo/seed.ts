import { upsertAccount } from '../store/accounts';
import { putInventory } from '../store/inventory';
import { assignPlan, savePlan } from '../store/plans';
import type { Store } from '../store/store';
import { demoDataset } from './dataset';

export interface SeedCounts {
  accounts: number;
  plans: number;
  assignments: number;
  inventory: number;
}

/** Writes the demo data set through the same store functions the platform uses; running it again rewrites the same records. */
export async function seedDemo(store: Store, now: Date): Promise<SeedCounts> {
  const data = demoDataset();
  for (const account of data.accounts) await upsertAccount(store, account, now);
  for (const plan of data.plans) await savePlan(store, { _id: plan.id, ownerId: plan.ownerId, name: plan.name, document: plan.document }, now);
  for (const a of data.assignments) await assignPlan(store, a.accountId, a.planId, null, now);
  for (const item of data.inventory) await putInventory(store, item, now);
  return { accounts: data.accounts.length, plans: data.plans.length, assignments: data.assignments.length, inventory: data.inventory.length };
}
