import { upsertAccount } from '../../../src/store/accounts';
import { putInventory } from '../../../src/store/inventory';
import { assignPlan, savePlan } from '../../../src/store/plans';
import type { Store } from '../../../src/store/store';

// $20 a SIP device with $5 to activate; $0.50 a DID; the reseller pays the master $2 per device on its cascade.
const RETAIL = { plan: { devices: { sip_device: { rate: 20, activation_charge: 5 } }, phone_numbers: { did_us: { rate: 0.5 } } } };
const WHOLESALE = { plan: { devices: { _all: { cascade: true, rate: 2 } } } };

export interface World {
  master: string;
  reseller: string;
  customer: string;
  /** The reseller's retail plan, assigned to the customer. */
  retail: string;
}

let deviceCounter = 0;

export async function addDevices(store: Store, accountId: string, n: number, now: Date): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${accountId}/device/${++deviceCounter}`;
    await putInventory(store, { _id: id, accountId, kind: 'device', type: 'sip_device' }, now);
    ids.push(id);
  }
  return ids;
}

/**
 * A platform of its own per test, written through the platform's store functions: master -> reseller (New York)
 * -> customer (New York) with `devices` SIP devices, a wholesale plan on the reseller and a retail plan on the
 * customer, nothing reconciled yet (so all three are dirty).
 */
export async function world(store: Store, tag: string, devices: number, now: Date): Promise<World> {
  const w = { master: `${tag}-master`, reseller: `${tag}-reseller`, customer: `${tag}-customer`, retail: `${tag}-retail` };
  await upsertAccount(store, { id: w.master, name: 'Master', parentId: null, timezone: 'UTC' }, now);
  await upsertAccount(store, { id: w.reseller, name: 'Reseller', parentId: w.master, isReseller: true, timezone: 'America/New_York' }, now);
  await upsertAccount(store, { id: w.customer, name: 'Customer', parentId: w.reseller, timezone: 'America/New_York' }, now);
  await savePlan(store, { _id: `${tag}-wholesale`, ownerId: w.master, name: 'Wholesale', document: WHOLESALE }, now);
  await savePlan(store, { _id: w.retail, ownerId: w.reseller, name: 'Retail', document: RETAIL }, now);
  await assignPlan(store, w.reseller, `${tag}-wholesale`, null, now);
  await assignPlan(store, w.customer, w.retail, null, now);
  await addDevices(store, w.customer, devices, now);
  return w;
}
