/**
 * Each account's services document (KAZOO's "services database is updated with latest count"): its own counts and
 * cascade as last reconciled, and the operator's manual quantities. Cascades are summed from the own counts stored
 * here, so a reseller's cascade never needs its customers' inventory read again.
 */
import type { QuantitiesDoc, QuantityMap } from './documents';
import type { Store } from './store';

export async function quantitiesOf(store: Store, accountIds: readonly string[]): Promise<Map<string, QuantitiesDoc>> {
  if (accountIds.length === 0) return new Map();
  const found = await store.quantities.find({ _id: { $in: [...accountIds] } }).toArray();
  return new Map(found.map((q) => [q._id, q]));
}

/** Own counts only, for summing cascades over a subtree. */
export async function ownCountsOf(store: Store, accountIds: readonly string[]): Promise<Map<string, QuantityMap>> {
  if (accountIds.length === 0) return new Map();
  const found = await store.quantities.find({ _id: { $in: [...accountIds] } }, { projection: { account: 1 } }).toArray();
  return new Map(found.map((q) => [q._id, q.account]));
}

/** Stores counts as reconciled; manual quantities are the operator's and are never touched here. */
export async function saveCounts(store: Store, rows: readonly { accountId: string; account: QuantityMap; cascade: QuantityMap }[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await store.quantities.bulkWrite(
    rows.map((r) => ({
      updateOne: {
        filter: { _id: r.accountId },
        update: { $set: { account: r.account, cascade: r.cascade, updatedAt: now }, $setOnInsert: { manual: {} } },
        upsert: true,
      },
    })),
    { ordered: false },
  );
}
