import type { InventoryDoc } from './documents';
import { markDirty } from './accounts';
import { markManyDirty } from './dirty-accounts';
import type { Store } from './store';

export type InventoryInput = Omit<InventoryDoc, 'updatedAt'>;

/**
 * The platform's inventory writes: every change marks the account dirty, as KAZOO does after a recount. An item that
 * moves to another account (a number ported between customers) changes both accounts' counts, so both are dirtied.
 */
export async function putInventory(store: Store, item: InventoryInput, now: Date): Promise<void> {
  const before = await store.inventory.findOneAndReplace({ _id: item._id }, { ...item, updatedAt: now }, { upsert: true, returnDocument: 'before' });
  // The previous owner may be gone since; only the new one must exist.
  if (before !== null && before.accountId !== item.accountId) await markManyDirty(store, [before.accountId], now);
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
