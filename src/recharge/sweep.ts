/**
 * The hourly recharge sweep. Every zone reaches its local day at a different UTC hour, so an hourly run meets every
 * account early in its day; what it finds is fanned out as one job per account (and local day, for recharges) whose
 * id comes from the cause, so a second sweep in the same day adds nothing. Accounts are found through their kept
 * balance gaps (src/store/funds.ts) by index and streamed in batches, never loaded at once.
 */
import { localDate } from '../domain/calendar';
import { jobIdFor, topupKey } from '../domain/cause-keys';
import type { Deps } from '../runtime/deps';
import { inBatches } from '../store/batches';
import type { AccountDoc } from '../store/documents';
import { accountsNeverCounted, accountsWithStaleWriters, recomputeFunds } from '../store/funds';

export interface SweepCounts {
  balancesRepaired: number;
  balancesBusy: number;
  alertsRearmed: number;
  rechargeJobs: number;
  alertJobs: number;
}

type FanOutCounts = Pick<SweepCounts, 'rechargeJobs' | 'alertJobs'>;

/** Accounts whose auto-recharge is due: on, and the kept balance under the threshold (index `recharge_due`). */
export const RECHARGE_DUE = { 'billing.autoRecharge.enabled': true, 'funds.rechargeGap': { $lt: 0 } } as const;
/** Accounts to alert: armed, and the kept balance at or under the alert threshold (index `alert_due`). */
export const ALERT_DUE = { 'lowBalance.state': 'armed', 'funds.alertGap': { $lte: 0 } } as const;

type Candidate = Pick<AccountDoc, '_id' | 'timezone' | 'billing' | 'funds' | 'rechargeStatus' | 'lowBalance'>;

export function lowBalanceJobId(accountId: string, crossing: number): string {
  return `low-balance|${accountId}|${crossing}`;
}

export async function sweepRecharges(deps: Deps, options: { batchSize: number; repairLimit: number }): Promise<SweepCounts> {
  const counts: SweepCounts = { balancesRepaired: 0, balancesBusy: 0, alertsRearmed: 0, rechargeJobs: 0, alertJobs: 0 };
  const now = deps.now();

  // Balances a crashed ledger writer left short, or never counted from the ledger, are set right first, so the
  // look-ups below see them.
  const uncounted = await accountsNeverCounted(deps.store, options.repairLimit);
  for (const { _id } of [...(await accountsWithStaleWriters(deps.store, now, options.repairLimit)), ...uncounted]) {
    const result = await recomputeFunds(deps.store, _id, now);
    if (result.status === 'recomputed') counts.balancesRepaired++;
    if (result.status === 'busy') counts.balancesBusy++;
  }

  // One statement, atomic per account: the alert of every recovered account is armed for its next crossing.
  const rearmed = await deps.store.accounts.updateMany(
    { 'lowBalance.state': 'alerted', 'billing.alerts.enabled': true, 'funds.alertGap': { $gt: 0 } },
    { $set: { 'lowBalance.state': 'armed', 'lowBalance.changedAt': now }, $inc: { 'lowBalance.crossing': 1 } },
  );
  counts.alertsRearmed = rearmed.modifiedCount;

  await fanOut(deps, now, {}, options.batchSize, counts);
  return counts;
}

/**
 * The sweep's fan-out for some accounts only, at once: after a CDR import has debited them, a recharge or an alert
 * they now need does not wait for the next hourly sweep. The same job ids, so the sweep adds nothing after it.
 */
export async function fanOutForAccounts(deps: Deps, accountIds: readonly string[], batchSize = 1_000): Promise<FanOutCounts> {
  const counts: FanOutCounts = { rechargeJobs: 0, alertJobs: 0 };
  for (let i = 0; i < accountIds.length; i += batchSize) {
    await fanOut(deps, deps.now(), { _id: { $in: accountIds.slice(i, i + batchSize) } }, batchSize, counts);
  }
  return counts;
}

/** One recharge job per due account and local day, one alert job per crossing, among the accounts `scope` selects. */
async function fanOut(deps: Deps, now: Date, scope: object, batchSize: number, counts: FanOutCounts): Promise<void> {
  await forEachBatch(deps, { ...scope, ...RECHARGE_DUE }, batchSize, async (accounts) => {
    const jobs = accounts.map((account) => {
      const day = localDate(now, account.timezone);
      return { payload: { accountId: account._id, date: day }, options: { jobId: jobIdFor(topupKey(account._id, day)) } };
    });
    await deps.enqueuer.enqueueMany('recharge-account', jobs);
    counts.rechargeJobs += jobs.length;
  });

  await forEachBatch(deps, { ...scope, ...ALERT_DUE }, batchSize, async (accounts) => {
    // A recharge still due today decides the alert itself, after it has tried: alerting first would be noise.
    const alerting = accounts.filter((account) => {
      const rechargeDue = account.billing.autoRecharge?.enabled === true && (account.funds?.rechargeGap ?? 0) < 0;
      return !rechargeDue || account.rechargeStatus?.date === localDate(now, account.timezone);
    });
    const jobs = alerting.map((account) => ({ payload: { accountId: account._id }, options: { jobId: lowBalanceJobId(account._id, account.lowBalance?.crossing ?? 0) } }));
    await deps.enqueuer.enqueueMany('low-balance-alert', jobs);
    counts.alertJobs += jobs.length;
  });
}

const PROJECTION = { timezone: 1, 'billing.autoRecharge.enabled': 1, 'funds.rechargeGap': 1, 'rechargeStatus.date': 1, 'lowBalance.crossing': 1 };

/** Streams the matching accounts from one cursor and hands them on a batch at a time (one enqueue round trip each). */
async function forEachBatch(deps: Deps, filter: object, batchSize: number, handle: (accounts: readonly Candidate[]) => Promise<void>): Promise<void> {
  const cursor = deps.store.accounts.find(filter, { projection: PROJECTION, batchSize });
  try {
    for await (const batch of inBatches(cursor, batchSize)) await handle(batch);
  } finally {
    await cursor.close();
  }
}
