import { UnrecoverableError } from 'bullmq';
import { reconcileAccounts, reportCounts } from '../src/reconciliation/engine';
import type { JobHandler } from './job';

/**
 * One account through the reconciliation engine. A bookkeeper that could not answer fails the attempt so BullMQ
 * retries it with backoff; bad data (inventory, plans) fails it for good, to be retried by a later scan once fixed.
 * Either way the account stays dirty.
 */
export const reconcileAccount: JobHandler<'reconcile-account'> = async (payload, { deps }) => {
  const report = await reconcileAccounts(deps, [payload.accountId]);
  const outcome = report.outcomes[0];
  if (outcome?.status === 'retry') throw new Error(`account ${payload.accountId}: ${outcome.reason}`);
  if (outcome?.status === 'failed') throw new UnrecoverableError(`account ${payload.accountId}: ${outcome.reason}`);
  return { counts: reportCounts(report) };
};
