/**
 * The dirty flag and its version stamp (KAZOO's dirty services documents). Every change bumps `dirtyVersion`;
 * reconciliation marks an account clean only at the version it read, so a change that lands while it runs leaves the
 * account dirty for the next scan. All writes are single-document conditional updates, batched across accounts.
 */
import { groupBy } from './batches';
import type { AccountDoc, Standing } from './documents';
import type { Store } from './store';

export interface DirtyRef {
  _id: string;
  dirtyVersion: number;
}

/**
 * Dirty accounts whose last change is older than `settledBefore`, in `_id` order after `afterId`: a page of a backlog
 * of any size, read without holding a cursor open between pages.
 */
export function dirtyPage(store: Store, settledBefore: Date, afterId: string | null, limit: number): Promise<DirtyRef[]> {
  return store.accounts
    .find(
      { dirty: true, dirtyAt: { $lte: settledBefore }, ...(afterId === null ? {} : { _id: { $gt: afterId } }) },
      { projection: { _id: 1, dirtyVersion: 1 } },
    )
    .sort({ _id: 1 })
    .limit(limit)
    .toArray();
}

/** Accounts billed to another account dirty that one instead (KAZOO's billing id); a payer is never its own target twice. */
export function dirtyTarget(account: Pick<AccountDoc, '_id' | 'billingAccountId'>): string {
  return account.billingAccountId ?? account._id;
}

/** Marks the accounts changed (each redirected to the account it is billed to); returns the accounts dirtied. */
export async function markManyDirty(store: Store, accountIds: Iterable<string>, now: Date): Promise<string[]> {
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return [];
  const found = await store.accounts.find({ _id: { $in: ids } }, { projection: { _id: 1, billingAccountId: 1 } }).toArray();
  const targets = [...new Set(found.map(dirtyTarget))];
  if (targets.length > 0) await store.accounts.updateMany({ _id: { $in: targets } }, { $inc: { dirtyVersion: 1 }, $set: { dirty: true, dirtyAt: now } });
  return targets;
}

/** Marks each account clean if it is still at the version reconciled; returns the accounts that are clean now. */
export async function markCleanAt(store: Store, refs: readonly { accountId: string; version: number }[]): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  // One conditional update per version rather than per account: a batch's accounts share few versions, and on a
  // server that scans for any filter beyond `_id` (mongo-java-server) that is a scan per version, not per account.
  await store.accounts.bulkWrite(
    [...groupBy(refs, (r) => r.version)].map(([version, group]) => ({
      updateMany: { filter: { _id: { $in: group.map((r) => r.accountId) }, dirtyVersion: version }, update: { $set: { dirty: false, cleanVersion: version } } },
    })),
    { ordered: false },
  );
  // Filtered here rather than in the query: a filter on `_id` alone is an index look-up on every server.
  const read = await store.accounts.find({ _id: { $in: refs.map((r) => r.accountId) } }, { projection: { dirty: 1 } }).toArray();
  return new Set(read.filter((a) => !a.dirty).map((a) => a._id));
}

export interface StandingUpdate {
  accountIds: readonly string[];
  standing: Standing;
  reason: string | null;
}

/**
 * Records the bookkeeper's verdicts. `past_due` belongs to dunning (a renewal payment failing) and is cleared only by
 * it: a bookkeeper's good standing does not settle an unpaid invoice. Its delinquency outranks past_due.
 */
export async function setStandings(store: Store, updates: readonly StandingUpdate[]): Promise<void> {
  const ops = updates
    .filter((u) => u.accountIds.length > 0)
    .map((u) => ({
      updateMany: {
        filter: { _id: { $in: [...u.accountIds] }, ...(u.standing === 'good' ? { standing: { $ne: 'past_due' as const } } : {}) },
        update: { $set: { standing: u.standing, standingReason: u.reason } },
      },
    }));
  if (ops.length > 0) await store.accounts.bulkWrite(ops, { ordered: false });
}
