/**
 * Reconciliation of dirty accounts (KAZOO's periodic maintenance): recount, price, bill the difference, hand the items
 * to the bookkeeper, record the standing, dirty the resellers, mark clean. Any number of accounts go through together,
 * every step one batched read or write for all of them; a job reconciles one, a benchmark or an operator thousands.
 *
 * Per paying account (a unit: the account and those billed to it, which it reconciles and hands to the bookkeeper
 * together; each account's charges still go to its own ledger), in order:
 *  1. steps an earlier run left open are finished first: their stored entries posted (duplicates drop), committed;
 *  2. each account is recounted and priced (src/domain/reconcile.ts); a changed state becomes a step, opened by
 *     compare-and-set on the snapshot's sequence number together with its exact ledger entries;
 *  3. the entries are posted, the counts stored, the step committed;
 *  4. the bookkeeper is handed the unit's items: good or delinquent is recorded, retry leaves the account dirty;
 *  5. the ancestors up to each account's reseller are dirtied (their cascade changed), then the payer is marked clean
 *     if its dirty version is still the one read at the start; otherwise it stays dirty for the next scan.
 * A crash anywhere leaves the payer dirty with at most one step open, and the rerun posts nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { ancestorsUpToReseller, cascadeQuantities } from '../domain/account-tree';
import { localDate, localMonth } from '../domain/calendar';
import { countInventory } from '../domain/inventory-count';
import { sum } from '../domain/money';
import type { Units } from '../domain/money';
import { reconcile } from '../domain/reconcile';
import type { BilledState } from '../domain/reconcile';
import { reconcilePostings } from '../domain/reconcile-postings';
import { renewalPending } from '../domain/renewal/schedule';
import type { Bookkeeper, BookkeeperItem, BookkeeperVerdict } from '../bookkeeper';
import { commitSteps, openSteps } from '../store/billed-snapshots';
import type { StepToOpen } from '../store/billed-snapshots';
import { markCleanAt, markManyDirty, setStandings } from '../store/dirty-accounts';
import type { BilledStateDoc, QuantityMap, ReconcileStepDoc } from '../store/documents';
import { postMany } from '../store/ledger';
import { saveCounts } from '../store/quantities';
import type { Store } from '../store/store';
import { loadBatch } from './load';
import type { Batch, Unit } from './load';
import { PlanSets } from './plan-sets';

export interface ReconcileDeps {
  store: Store;
  bookkeeper: Bookkeeper;
  now(): Date;
}

export type ReconcileOutcome =
  | {
      accountId: string;
      status: 'reconciled';
      /** The dirty version reconciled. */
      version: number;
      /** False when a change arrived meanwhile: the account stays dirty for the next scan. */
      clean: boolean;
      standing: 'good' | 'delinquent';
      /** Steps committed (an earlier run's left open included) and what they charged, in units. */
      steps: number;
      charged: Units;
    }
  | { accountId: string; status: 'forwarded'; payerId: string; clean: boolean }
  /**
   * Nothing was decided, and the account stays dirty: `retry` (the bookkeeper could not answer), `failed` (bad data),
   * `deferred` (its month's renewal has not run yet).
   */
  | { accountId: string; status: 'retry' | 'failed' | 'deferred'; reason: string }
  /** Another run holds a step of the account: it finishes it; the account stays dirty until one run completes. */
  | { accountId: string; status: 'contended' }
  /** Not dirty (reconciled meanwhile) or not there. */
  | { accountId: string; status: 'skipped' | 'missing' };

export interface ReconcileReport {
  outcomes: ReconcileOutcome[];
  /** Ledger entries inserted, and entries offered again that were already there (a finished crashed step). */
  posted: number;
  duplicates: number;
}

/** How many bookkeeper calls run at once: enough to hide an HTTP bookkeeper's latency, few enough to be polite. */
const BOOKKEEPER_PARALLELISM = 8;

interface Priced {
  unit: Unit;
  steps: StepToOpen[];
  items: BookkeeperItem[];
  recurring: Units;
}

type UnitResult = Omit<Extract<ReconcileOutcome, { status: 'reconciled' }>, 'accountId' | 'clean' | 'standing'>;

const billedStateOf = (doc: BilledStateDoc): BilledState => ({
  month: doc.month,
  recurring: doc.recurring,
  covered: doc.covered,
  quantities: doc.quantities,
  items: doc.items,
});

/** Step 1: posts and commits whatever steps earlier runs left open, then treats their states as billed. */
async function finishOpenSteps(deps: ReconcileDeps, batch: Batch, now: Date, results: Map<string, UnitResult>, failed: Map<string, string>) {
  const open = batch.units.flatMap((unit) =>
    unit.members.flatMap((m) => {
      const pending = batch.snapshots.get(m._id)?.pending;
      return pending ? [{ unit, accountId: m._id, step: pending }] : [];
    }),
  );
  const posted = await postAndCommit(deps.store, open, now, failed);
  for (const { unit, accountId, step } of open) {
    if (failed.has(unit.payer._id)) continue;
    batch.snapshots.set(accountId, { _id: accountId, seq: step.seq, billed: step.state, pending: null });
    addStep(results, unit, step);
  }
  return posted;
}

function addStep(results: Map<string, UnitResult>, unit: Unit, step: ReconcileStepDoc): void {
  const result = results.get(unit.payer._id) ?? { status: 'reconciled', version: unit.version, steps: 0, charged: 0 };
  results.set(unit.payer._id, { ...result, steps: result.steps + 1, charged: result.charged - sum(step.postings.map((p) => p.amount)) });
}

/** Step 3: entries first, then counts and state, so a crash between leaves the step open for the next run to finish. */
async function postAndCommit(
  store: Store,
  steps: readonly { unit: Unit; accountId: string; step: ReconcileStepDoc }[],
  now: Date,
  failed: Map<string, string>,
): Promise<{ posted: number; duplicates: number }> {
  if (steps.length === 0) return { posted: 0, duplicates: 0 };
  const result = await postMany(store, steps.flatMap((s) => s.step.postings), now);
  const conflicted = new Set(result.conflicts);
  for (const { unit, step } of steps) {
    const key = step.postings.find((p) => conflicted.has(p._id))?._id;
    if (key !== undefined) failed.set(unit.payer._id, `ledger entry ${key} already exists with a different amount; the step stays open for an operator`);
  }
  const committing = steps.filter((s) => !failed.has(s.unit.payer._id));
  await saveCounts(store, committing.map((s) => ({ accountId: s.accountId, account: s.step.state.quantities.account, cascade: s.step.state.quantities.cascade })), now);
  await commitSteps(store, committing);
  return { posted: result.posted, duplicates: result.duplicates };
}

/**
 * Renewal charges a month what reconciliation last billed (src/domain/renewal/invoice.ts); reconciling into a month
 * before its renewal would have that renewal charge the month's rise in full on top of its proration.
 */
function awaitingRenewal(batch: Batch, now: Date, failed: Map<string, string>): Map<string, string> {
  const deferred = new Map<string, string>();
  for (const unit of batch.units) {
    if (failed.has(unit.payer._id)) continue;
    try {
      for (const m of unit.members) {
        const month = localMonth(now, m.timezone);
        if (renewalPending(m.renewal, month)) deferred.set(unit.payer._id, `account ${m._id}: the renewal of ${month} has not run yet`);
      }
    } catch (error) {
      failed.set(unit.payer._id, (error as Error).message);
    }
  }
  return deferred;
}

/** Step 2, pure apart from reading the batch: counts, cascades, plans and prices for every unit. */
function priceUnits(batch: Batch, runId: string, now: Date, skip: (payerId: string) => boolean, failed: Map<string, string>): Priced[] {
  const fresh = new Map<string, QuantityMap>();
  const plans = new PlanSets(batch.plans);
  const countsOf = (id: string) => fresh.get(id) ?? batch.storedCounts.get(id) ?? {};
  const priced: Priced[] = [];
  const units = batch.units.filter((u) => !skip(u.payer._id));
  for (const unit of units) {
    try {
      for (const m of unit.members) fresh.set(m._id, countInventory(batch.inventory.get(m._id) ?? []));
    } catch (error) {
      failed.set(unit.payer._id, (error as Error).message);
    }
  }
  for (const unit of units) {
    if (failed.has(unit.payer._id)) continue;
    try {
      const result: Priced = { unit, steps: [], items: [], recurring: 0 };
      for (const m of unit.members) {
        const snapshot = batch.snapshots.get(m._id);
        const below = (batch.descendants.get(m._id) ?? []).map((d) => ({ ...d, quantities: countsOf(d._id) }));
        const quantities = { account: countsOf(m._id), cascade: cascadeQuantities(m._id, below), manual: batch.manual.get(m._id) ?? {} };
        const outcome = reconcile({
          previous: snapshot?.billed ? billedStateOf(snapshot.billed) : null,
          quantities,
          plan: plans.planFor(batch.assignments.get(m._id) ?? []),
          today: localDate(now, m.timezone),
        });
        if (outcome.changed) {
          const seq = (snapshot?.seq ?? 0) + 1;
          // Each account's charges go to its own ledger, where its renewals go too (src/renewal/): the month's
          // proration and the next renewal must meet in one place for neither to bill a change twice.
          const identity = { payerId: m._id, accountId: m._id, seq, version: unit.version, period: localMonth(now, m.timezone), occurredAt: now };
          const state: BilledStateDoc = { ...outcome.next, version: unit.version, payerId: unit.payer._id, reconciledAt: now };
          result.steps.push({ accountId: m._id, fromSeq: snapshot?.seq ?? 0, step: { seq, runId, state, postings: reconcilePostings(outcome, identity), openedAt: now } });
        }
        result.items.push(...outcome.next.items.map(({ key: _key, ...item }) => ({ accountId: m._id, ...item })));
        result.recurring += outcome.next.recurring;
      }
      priced.push(result);
    } catch (error) {
      failed.set(unit.payer._id, (error as Error).message);
    }
  }
  return priced;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Step 5's targets: every member's ancestors up to its reseller, except accounts of the unit itself (no self-dirtying loop). */
function dirtyTargets(batch: Batch, unit: Unit): string[] {
  const own = new Set(unit.members.map((m) => m._id));
  return unit.members.flatMap((m) => ancestorsUpToReseller(m, batch.tree)).filter((id) => !own.has(id));
}

export async function reconcileAccounts(deps: ReconcileDeps, accountIds: readonly string[]): Promise<ReconcileReport> {
  const { store } = deps;
  const now = deps.now();
  const runId = randomUUID();
  const batch = await loadBatch(store, accountIds);
  const failed = new Map<string, string>();
  const results = new Map<string, UnitResult>();

  const recovered = await finishOpenSteps(deps, batch, now, results, failed);
  const deferred = awaitingRenewal(batch, now, failed);
  const priced = priceUnits(batch, runId, now, (id) => failed.has(id) || deferred.has(id), failed);
  const held = await openSteps(store, runId, priced.flatMap((p) => p.steps));
  const contended = new Set(priced.filter((p) => p.steps.some((s) => !held.has(s.accountId))).map((p) => p.unit.payer._id));
  const opened = priced.flatMap((p) => p.steps.filter((s) => held.has(s.accountId)).map((s) => ({ unit: p.unit, accountId: s.accountId, step: s.step })));
  const posted = await postAndCommit(store, opened, now, failed);
  for (const { unit, step } of opened) if (!failed.has(unit.payer._id)) addStep(results, unit, step);

  const ready = priced.filter((p) => !contended.has(p.unit.payer._id) && !failed.has(p.unit.payer._id));
  const verdicts = await mapLimit(ready, BOOKKEEPER_PARALLELISM, (p) =>
    deps.bookkeeper.sync({ accountId: p.unit.payer._id, syncId: `${p.unit.payer._id}.v${p.unit.version}`, items: p.items, recurring: p.recurring }),
  );
  const decided = ready.map((p, i) => ({ unit: p.unit, verdict: verdicts[i]! })).filter((d) => d.verdict.status !== 'retry');
  await setStandings(
    store,
    decided.map(({ unit, verdict }) => ({
      accountIds: unit.members.map((m) => m._id),
      standing: verdict.status === 'good' ? 'good' : 'delinquent',
      reason: verdict.status === 'delinquent' ? verdict.reason : null,
    })),
  );
  await markManyDirty(store, [...decided.flatMap((d) => dirtyTargets(batch, d.unit)), ...batch.forwards.map((f) => f.payerId)], now);
  const clean = await markCleanAt(store, [
    ...decided.map((d) => ({ accountId: d.unit.payer._id, version: d.unit.version })),
    ...batch.forwards.map((f) => ({ accountId: f.account._id, version: f.account.dirtyVersion })),
  ]);

  const verdictOf = new Map<string, BookkeeperVerdict>(ready.map((p, i) => [p.unit.payer._id, verdicts[i]!]));
  const outcomes: ReconcileOutcome[] = [
    ...batch.unloaded.map((u) => ({ ...u })),
    ...batch.forwards.map((f) => ({ accountId: f.account._id, status: 'forwarded' as const, payerId: f.payerId, clean: clean.has(f.account._id) })),
    ...batch.units.map((unit): ReconcileOutcome => {
      const accountId = unit.payer._id;
      const reason = failed.get(accountId);
      if (reason !== undefined) return { accountId, status: 'failed', reason };
      const waiting = deferred.get(accountId);
      if (waiting !== undefined) return { accountId, status: 'deferred', reason: waiting };
      if (contended.has(accountId)) return { accountId, status: 'contended' };
      const verdict = verdictOf.get(accountId)!;
      if (verdict.status === 'retry') return { accountId, status: 'retry', reason: verdict.reason };
      const result = results.get(accountId) ?? { status: 'reconciled', version: unit.version, steps: 0, charged: 0 };
      return { accountId, ...result, clean: clean.has(accountId), standing: verdict.status };
    }),
  ];
  return { outcomes, posted: recovered.posted + posted.posted, duplicates: recovered.duplicates + posted.duplicates };
}

/** A report in numbers, for job runs and tables: outcomes by status, plus steps, units charged and entries posted. */
export function reportCounts(report: ReconcileReport): Record<string, number> {
  const counts: Record<string, number> = { steps: 0, chargedUnits: 0, posted: report.posted, duplicates: report.duplicates };
  for (const outcome of report.outcomes) {
    counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
    if (outcome.status !== 'reconciled') continue;
    counts.steps! += outcome.steps;
    counts.chargedUnits! += outcome.charged;
    if (!outcome.clean) counts.leftDirty = (counts.leftDirty ?? 0) + 1;
    if (outcome.standing === 'delinquent') counts.delinquent = (counts.delinquent ?? 0) + 1;
  }
  return counts;
}
