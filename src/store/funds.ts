/**
 * Each account's balance, kept on the account (`funds`) from the ledger so the recharge sweep and the alerts can find
 * "balance under threshold" through an index instead of summing the ledger of every account. The ledger stays the
 * truth; `funds.balance` is its sum, and `rechargeGap` / `alertGap` are that sum minus the thresholds in force,
 * kept by the same `$inc` so a range on one field finds the accounts that are low.
 *
 * Without transactions an entry and the account cannot change in one write, so a ledger writer announces itself
 * first (a token in `funds.inflight`), inserts, then applies what it actually inserted and withdraws its token in one
 * conditional update. Duplicates insert nothing and so add nothing. A writer that dies between leaves its token: the
 * balance may then lack its entries, and `recomputeFunds` (run by the recharge sweep for tokens older than a grace
 * period) sets the balance to the ledger's sum. It lands only if nothing moved meanwhile (`funds.version`) and no
 * writer is at work (a fresh token), so it can never overwrite a concurrent `$inc`. A writer slower than the grace
 * period finds its token gone, applies nothing, and recomputes instead. Every update is on one document. The sweep
 * also counts, once, every account whose balance was never counted from the ledger (entries from before it was kept).
 */
import { randomUUID } from 'node:crypto';
import type { Units } from '../domain/money';
import { NotFoundError } from './accounts';
import { balanceOf } from './balances';
import { groupBy } from './batches';
import type { AccountDoc, AccountFunds } from './documents';
import type { Store } from './store';

/** How long a writer may take between announcing and applying before a repair presumes it dead. */
export const FUNDS_GRACE_MS = 5 * 60_000;

export interface Posted {
  accountId: string;
  amount: Units;
}

function increments(amount: Units): Record<string, number> {
  return { 'funds.balance': amount, 'funds.rechargeGap': amount, 'funds.alertGap': amount, 'funds.version': 1 };
}

/**
 * Announces an entry about to be inserted for one account and reads its lineage in the same round trip (a post is
 * on the path of every call debit). `account` is null when there is no such account; nothing was announced then.
 */
export async function announceOne(store: Store, accountId: string, now: Date): Promise<{ token: string; account: Pick<AccountDoc, '_id' | 'ancestors'> | null }> {
  const token = randomUUID();
  const account = await store.accounts.findOneAndUpdate(
    { _id: accountId },
    { $push: { 'funds.inflight': { token, at: now } }, $inc: { 'funds.version': 1 } },
    { projection: { ancestors: 1 } },
  );
  return { token, account };
}

/** Announces entries about to be inserted for these accounts; returns the token that `applyPosted` withdraws. */
export async function announcePosting(store: Store, accountIds: Iterable<string>, now: Date): Promise<string> {
  const token = randomUUID();
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return token;
  await store.accounts.bulkWrite(
    ids.map((id) => ({ updateOne: { filter: { _id: id }, update: { $push: { 'funds.inflight': { token, at: now } }, $inc: { 'funds.version': 1 } } } })),
    { ordered: false },
  );
  return token;
}

/**
 * Adds what was inserted to each announced account's balance and withdraws the token, atomically per account. The
 * accounts are grouped by the amount they get, one conditional update per amount: a batch's postings mostly repeat a
 * few amounts (a plan's price, nothing at all), and each update is one round trip (and one collection scan on
 * mongo-java-server, which uses no index for a filter on more than `_id`). An account whose token a repair already
 * removed gets recomputed instead of incremented.
 */
export async function applyPosted(store: Store, token: string, accountIds: Iterable<string>, inserted: readonly Posted[], now: Date): Promise<void> {
  const totals = new Map<string, Units>([...new Set(accountIds)].map((id) => [id, 0]));
  for (const entry of inserted) totals.set(entry.accountId, (totals.get(entry.accountId) ?? 0) + entry.amount);
  if (totals.size === 0) return;
  const result = await store.accounts.bulkWrite(
    [...groupBy(totals, ([, amount]) => amount)].map(([amount, group]) => ({
      updateMany: {
        filter: { _id: { $in: group.map(([id]) => id) }, 'funds.inflight.token': token },
        update: { $inc: increments(amount), $pull: { 'funds.inflight': { token } } },
      },
    })),
    { ordered: false },
  );
  if (result.matchedCount === totals.size) return;
  const ids = [...totals.keys()];
  const stillHeld = await store.accounts.find({ _id: { $in: ids }, 'funds.inflight.token': token }, { projection: { _id: 1 } }).toArray();
  const held = new Set(stillHeld.map((a) => a._id));
  for (const id of ids.filter((i) => !held.has(i))) await recomputeFunds(store, id, now);
}

export type RecomputeResult =
  | { status: 'recomputed'; before: Units; after: Units }
  /** A ledger writer is at work on the account: try again later. */
  | { status: 'busy' }
  | { status: 'missing' };

const RECOMPUTE_TRIES = 10;

/**
 * Sets the account's balance to the sum of its ledger, dropping tokens older than `graceMs`. Safe at any time: it
 * lands only on the `funds.version` it read, and not while a writer holds a fresh token.
 */
export async function recomputeFunds(store: Store, accountId: string, now: Date, graceMs = FUNDS_GRACE_MS): Promise<RecomputeResult> {
  for (let i = 0; i < RECOMPUTE_TRIES; i++) {
    const account = await store.accounts.findOne({ _id: accountId }, { projection: { funds: 1 } });
    if (!account) return { status: 'missing' };
    const funds: Partial<AccountFunds> = account.funds ?? {};
    if ((funds.inflight ?? []).some((t) => now.getTime() - t.at.getTime() < graceMs)) return { status: 'busy' };
    const { balance } = await balanceOf(store, accountId);
    const rechargeThreshold = funds.rechargeThreshold ?? 0;
    const alertThreshold = funds.alertThreshold ?? 0;
    const written = await store.accounts.updateOne(
      { _id: accountId, 'funds.version': funds.version ?? { $exists: false } },
      {
        $set: {
          'funds.balance': balance,
          'funds.rechargeThreshold': rechargeThreshold,
          'funds.alertThreshold': alertThreshold,
          'funds.rechargeGap': balance - rechargeThreshold,
          'funds.alertGap': balance - alertThreshold,
          'funds.inflight': [],
          'funds.counted': true,
        },
        $inc: { 'funds.version': 1 },
      },
    );
    if (written.matchedCount === 1) return { status: 'recomputed', before: funds.balance ?? 0, after: balance };
  }
  return { status: 'busy' };
}

/** Accounts with a ledger writer that announced entries longer than `graceMs` ago and never applied them. */
export function accountsWithStaleWriters(store: Store, now: Date, limit: number, graceMs = FUNDS_GRACE_MS): Promise<{ _id: string }[]> {
  return store.accounts
    .find({ 'funds.inflight.at': { $lt: new Date(now.getTime() - graceMs) } }, { projection: { _id: 1 } })
    .limit(limit)
    .toArray();
}

/** Accounts whose balance has never been counted from the ledger (see `AccountFunds.counted`). */
export function accountsNeverCounted(store: Store, limit: number): Promise<{ _id: string }[]> {
  return store.accounts.find({ 'funds.counted': null }, { projection: { _id: 1 } }).limit(limit).toArray();
}

/**
 * Moves the thresholds the gaps are measured against, with the settings that imply them (`set`), in one update
 * conditioned on the thresholds read: the gaps change by the difference, which commutes with the ledger's $inc.
 * `next` sees the account as it is at each try, so a concurrent settings change is never computed over.
 */
export async function setThresholds(
  store: Store,
  accountId: string,
  next: (account: AccountDoc) => { recharge: Units; alert: Units; set: Record<string, unknown> },
): Promise<AccountDoc> {
  // Thresholds never set count as 0; writing the 0 makes the condition below an exact match.
  for (const field of ['funds.rechargeThreshold', 'funds.alertThreshold']) {
    await store.accounts.updateOne({ _id: accountId, [field]: { $exists: false } }, { $set: { [field]: 0 } });
  }
  for (let i = 0; i < RECOMPUTE_TRIES; i++) {
    const account = await store.accounts.findOne({ _id: accountId });
    if (!account) throw new NotFoundError(`no account "${accountId}"`);
    const current = { recharge: account.funds?.rechargeThreshold ?? 0, alert: account.funds?.alertThreshold ?? 0 };
    const { recharge, alert, set } = next(account);
    const written = await store.accounts.findOneAndUpdate(
      { _id: accountId, 'funds.rechargeThreshold': current.recharge, 'funds.alertThreshold': current.alert },
      {
        $set: { ...set, 'funds.rechargeThreshold': recharge, 'funds.alertThreshold': alert },
        $inc: { 'funds.rechargeGap': current.recharge - recharge, 'funds.alertGap': current.alert - alert, 'funds.version': 1 },
      },
      { returnDocument: 'after' },
    );
    if (written) return written;
  }
  throw new Error(`account ${accountId}: its thresholds kept changing under ${RECOMPUTE_TRIES} tries; try again`);
}
