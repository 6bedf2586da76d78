/**
 * KAZOO's "scan for dirty accounts": every dirty account whose last change has settled gets one reconcile-account
 * job. Its id is the account and dirty version, so scans that overlap (or a scan repeated while jobs wait) add each
 * job once; a later change is a new version and so a new job. The backlog is read a page at a time by `_id`.
 */
import { assertAccountId } from '../domain/cause-keys';
import type { Enqueuer } from '../queues/producer';
import { dirtyPage } from '../store/dirty-accounts';
import type { Store } from '../store/store';

export interface ScanDeps {
  store: Store;
  enqueuer: Enqueuer;
  now(): Date;
}

export interface ScanCounts {
  /** Dirty, settled accounts found, each with its reconcile-account job. */
  dirty: number;
  pages: number;
}

/** `reconcile|<account>|v<version>`: BullMQ refuses ':' in ids, and account ids never hold '|'. */
export function reconcileJobId(accountId: string, version: number): string {
  if (!Number.isSafeInteger(version) || version < 0) throw new RangeError(`version: expected a whole number >= 0 (got ${version})`);
  return `reconcile|${assertAccountId(accountId)}|v${version}`;
}

export async function scanDirty(deps: ScanDeps, options: { settleSeconds: number; pageSize: number }): Promise<ScanCounts> {
  const settledBefore = new Date(deps.now().getTime() - options.settleSeconds * 1000);
  const counts: ScanCounts = { dirty: 0, pages: 0 };
  let after: string | null = null;
  for (;;) {
    const page = await dirtyPage(deps.store, settledBefore, after, options.pageSize);
    if (page.length === 0) break;
    await deps.enqueuer.enqueueMany(
      'reconcile-account',
      page.map((a) => ({ payload: { accountId: a._id, version: a.dirtyVersion }, options: { jobId: reconcileJobId(a._id, a.dirtyVersion) } })),
    );
    counts.dirty += page.length;
    counts.pages += 1;
    after = page.at(-1)!._id;
    if (page.length < options.pageSize) break;
  }
  return counts;
}
