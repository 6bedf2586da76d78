import type { InventoryDoc } from './documents';
import { markDirty } from './accounts';
import type { Store } from './store';

export type InventoryInput = Omit<InventoryDoc, 'updatedAt'>;

/** The platform's inventory writes: every change marks the account dirty, as KAZOO does after a recount. */
export async function putInventory(store: Store, item: InventoryInput, now: Date): Promise<void> {
  await store.inventory.replaceOne({ _id: item._id }, { ...item, updatedAt: now }, { upsert: true });
  await markDirty(store, item.accountId, now);
}

export async function removeInventory(store: Store, id: string, now: Date): Promise<boolean> {
  const removed = await store.inventory.findOneAndDelete({ _id: id });
  if (removed) await markDirty(store, removed.accountId, now);
  return removed !== null;
}

export function inventoryOf(store: Store, accountId: string): Promise<InventoryDoc[]> {
  return store.inventory.find({ accountId }).toArray();
}
