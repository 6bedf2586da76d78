import type { IndexDescription } from 'mongodb';
import type { Collections, Store } from './store';

/**
 * Every index the store relies on. Uniqueness that guards money (one ledger entry per cause, one invoice per
 * account and month, one charge per call) lives in `_id`, which every MongoDB server enforces; these indexes
 * serve look-ups and the uniqueness `_id` cannot express.
 */
export const INDEXES: { [K in keyof Collections]?: IndexDescription[] } = {
  accounts: [
    { key: { ancestors: 1 }, name: 'subtree' },
    { key: { parentId: 1 }, name: 'children' },
    { key: { dirty: 1, dirtyAt: 1 }, name: 'dirty_backlog' },
    // The recharge sweep's look-ups (src/recharge/sweep.ts): a range on a gap kept from the ledger, per state.
    { key: { 'billing.autoRecharge.enabled': 1, 'funds.rechargeGap': 1 }, name: 'recharge_due' },
    { key: { 'lowBalance.state': 1, 'funds.alertGap': 1 }, name: 'alert_due' },
    { key: { 'funds.inflight.at': 1 }, name: 'stale_ledger_writers' },
    { key: { 'funds.counted': 1 }, name: 'funds_uncounted' },
    { key: { 'renewal.dueAt': 1 }, name: 'renewal_due' },
    // Reconciling a paying account also reconciles the accounts billed to it.
    { key: { billingAccountId: 1 }, name: 'billed_to' },
  ],
  servicePlans: [{ key: { ownerId: 1, name: 1 }, name: 'owner_name', unique: true }],
  planAssignments: [
    { key: { accountId: 1 }, name: 'by_account' },
    { key: { planId: 1 }, name: 'by_plan' },
  ],
  inventory: [{ key: { accountId: 1, kind: 1 }, name: 'by_account_kind' }],
  ledger: [
    { key: { accountId: 1, createdAt: 1 }, name: 'by_account_time' },
    { key: { accountId: 1, kind: 1, period: 1 }, name: 'by_account_kind_period' },
    { key: { accountId: 1, occurredAt: 1 }, name: 'by_account_occurred' },
    { key: { ancestors: 1 }, name: 'subtree' },
  ],
  invoices: [
    { key: { accountId: 1, period: -1 }, name: 'by_account_period' },
    { key: { nextAttemptAt: 1 }, name: 'attempt_due' },
  ],
  cdrs: [{ key: { accountId: 1, startedAt: 1 }, name: 'by_account_time' }],
  reportRequests: [{ key: { resellerId: 1, requestedAt: -1 }, name: 'by_reseller' }],
  reportAccounts: [{ key: { requestId: 1 }, name: 'by_request' }],
  chargeIntents: [{ key: { state: 1, updatedAt: 1 }, name: 'by_state_age' }],
  billingUnits: [{ key: { accountId: 1, nameKey: 1 }, name: 'account_name', unique: true }],
  unitNumbers: [{ key: { accountId: 1, unitId: 1 }, name: 'by_account_unit' }],
  jobRuns: [
    { key: { startedAt: -1 }, name: 'recent' },
    { key: { job: 1, startedAt: -1 }, name: 'by_job' },
  ],
};

/** Creates what is missing; creating an index that exists with the same options is a no-op, so this runs at every start. */
export async function ensureIndexes(store: Store): Promise<number> {
  let count = 0;
  for (const [key, indexes] of Object.entries(INDEXES) as [keyof Collections, IndexDescription[]][]) {
    if (indexes.length === 0) continue;
    await store[key].createIndexes(indexes);
    count += indexes.length;
  }
  return count;
}
