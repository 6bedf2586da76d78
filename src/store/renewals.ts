/**
 * An account's place in the monthly renewal (src/domain/renewal/schedule.ts), kept on the account and indexed by
 * `renewal.dueAt` so the sweep finds what is due with one range scan, and the lease that keeps two processes from
 * paying invoices of one account at once.
 */
import { afterRenewing, enrolment } from '../domain/renewal/schedule';
import type { LocalMonth } from '../domain/calendar';
import { groupBy } from './batches';
import type { AccountDoc } from './documents';
import type { Store } from './store';

export type RenewalCandidate = Pick<AccountDoc, '_id' | 'timezone' | 'renewal'>;

/** Enters an account into renewal on its first plan; an account already in keeps its place. */
export async function enrolForRenewal(store: Store, account: Pick<AccountDoc, '_id' | 'timezone'>, assignedAt: Date): Promise<void> {
  await store.accounts.updateOne({ _id: account._id, renewal: null }, { $set: { renewal: enrolment(assignedAt, account.timezone) } });
}

const dueAt = (now: Date) => ({ 'renewal.dueAt': { $lte: now } });

/** Accounts whose renewal is due at `now`, in due order; read through a cursor so any number can be swept. */
export function dueForRenewal(store: Store, now: Date, batchSize: number) {
  return store.accounts
    .find(dueAt(now), { projection: { _id: 1, timezone: 1, renewal: 1 } })
    .sort({ 'renewal.dueAt': 1 })
    .batchSize(batchSize) as unknown as AsyncIterable<RenewalCandidate>;
}

export function countDueForRenewal(store: Store, now: Date): Promise<number> {
  return store.accounts.countDocuments(dueAt(now));
}

export interface Renewed {
  account: Pick<AccountDoc, '_id' | 'timezone'>;
  month: LocalMonth;
}

/**
 * Moves each account past its `month`; never backwards, so a late or repeated call changes nothing. The accounts of
 * a sweep's batch mostly share their month and zone, and so their new state: one conditional update per pair.
 */
export async function markRenewed(store: Store, renewed: readonly Renewed[]): Promise<void> {
  if (renewed.length === 0) return;
  const groups = groupBy(renewed, ({ account, month }) => `${month} ${account.timezone}`).values();
  await store.accounts.bulkWrite(
    [...groups].map((group) => {
      const { month, account } = group[0]!;
      const filter = { _id: { $in: group.map((r) => r.account._id) }, 'renewal.nextMonth': { $lte: month } };
      return { updateMany: { filter, update: { $set: { renewal: afterRenewing(month, account.timezone) } } } };
    }),
    { ordered: false },
  );
}

/** Takes the account's payment lease for `ttlMs` if it is free, expired or already ours. */
export async function takePaymentLease(store: Store, accountId: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
  const result = await store.accounts.updateOne(
    { _id: accountId, $or: [{ paymentLease: null }, { 'paymentLease.until': { $lt: now } }, { 'paymentLease.owner': owner }] },
    { $set: { paymentLease: { owner, until: new Date(now.getTime() + ttlMs) } } },
  );
  return result.matchedCount === 1;
}

export async function releasePaymentLease(store: Store, accountId: string, owner: string): Promise<void> {
  await store.accounts.updateOne({ _id: accountId, 'paymentLease.owner': owner }, { $set: { paymentLease: null } });
}
