/**
 * The monthly schedule: every reseller with a billing contact gets last month's report of all its accounts. The
 * month is the reseller's own (the one before its current local month), and the request and job ids come from
 * reseller and month, so the sweep may run as often as it likes: each report is built and mailed once.
 */
import { localDate } from '../domain/calendar';
import { previousMonth } from '../domain/reports/period';
import { monthlyRequestId } from '../domain/reports/request';
import type { Deps } from '../runtime/deps';

export interface MonthlySweepCounts {
  resellers: number;
  enqueued: number;
  /** Resellers with no account beneath them: there is nothing to report. */
  skipped: number;
}

export async function enqueueMonthlyReports(deps: Pick<Deps, 'store' | 'enqueuer' | 'now'>): Promise<MonthlySweepCounts> {
  const counts: MonthlySweepCounts = { resellers: 0, enqueued: 0, skipped: 0 };
  const resellers = deps.store.accounts.find(
    { isReseller: true, 'billing.contactEmail': { $nin: [null, ''] } },
    { projection: { timezone: 1, 'billing.contactEmail': 1 } },
  );
  for await (const reseller of resellers) {
    counts.resellers++;
    if ((await deps.store.accounts.countDocuments({ ancestors: reseller._id }, { limit: 1 })) === 0) {
      counts.skipped++;
      continue;
    }
    const { month, period } = previousMonth(localDate(deps.now(), reseller.timezone));
    const requestId = monthlyRequestId(reseller._id, month);
    const payload = { resellerId: reseller._id, all: true, from: period.from, to: period.to, emails: [reseller.billing.contactEmail as string], requestId };
    await deps.enqueuer.enqueue('report', payload, { jobId: requestId });
    counts.enqueued++;
  }
  return counts;
}
