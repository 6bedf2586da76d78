import { parseCentsAmount } from '../domain/auto-recharge';
import { setAlerts, setAutoRecharge } from '../recharge/settings';
import { upsertAccount } from '../store/accounts';
import { putInventory } from '../store/inventory';
import { assignPlan, savePlan } from '../store/plans';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../store/store';
import { importCdrFile } from '../usage/cdr-import';
import { demoCalls } from './calls';
import { demoDataset } from './dataset';

export interface SeedCounts {
  accounts: number;
  plans: number;
  assignments: number;
  inventory: number;
  funding: number;
  calls: number;
}

/** Calls arrive the way the platform's CDR feed delivers them: a file, through the same import as `cdrs import`. */
async function importDemoCalls(store: Store, rows: readonly Record<string, string | number>[], now: Date): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'tollkeeper-demo-'));
  try {
    const file = join(dir, 'calls.ndjson');
    await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const report = await importCdrFile({ store, now: () => now }, file);
    return report.imported + report.alreadyImported;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes the demo data set through the same store functions the platform uses; running it again rewrites the same records. */
export async function seedDemo(store: Store, now: Date): Promise<SeedCounts> {
  const data = demoDataset();
  for (const account of data.accounts) await upsertAccount(store, account, now);
  for (const plan of data.plans) await savePlan(store, { _id: plan.id, ownerId: plan.ownerId, name: plan.name, document: plan.document }, now);
  for (const a of data.assignments) await assignPlan(store, a.accountId, a.planId, null, now);
  for (const item of data.inventory) await putInventory(store, item, now);
  for (const { accountId, recharge, alerts } of data.funding) {
    if (recharge) {
      const monthlyCap = recharge.monthlyCap === undefined ? null : parseCentsAmount('monthlyCap', recharge.monthlyCap);
      const settings = { enabled: true as const, threshold: parseCentsAmount('threshold', recharge.threshold), amount: parseCentsAmount('amount', recharge.amount), monthlyCap };
      await setAutoRecharge(store, accountId, settings, now);
    }
    if (alerts) {
      const threshold = alerts.threshold === undefined ? null : parseCentsAmount('threshold', alerts.threshold);
      await setAlerts(store, accountId, { enabled: true, threshold, emails: alerts.emails ?? [] }, now);
    }
  }
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const calls = await importDemoCalls(store, demoCalls(data, monthStart), now);
  return {
    calls,
    accounts: data.accounts.length,
    plans: data.plans.length,
    assignments: data.assignments.length,
    inventory: data.inventory.length,
    funding: data.funding.length,
  };
}
