import { deleteRunsBefore } from '../src/store/job-runs';
import type { JobHandler } from './job';

const DAY_MS = 24 * 3600 * 1000;

/** Job-run records are an audit trail for operators, not money: they are kept for a retention period, then dropped. */
export const housekeeping: JobHandler<'housekeeping'> = async (payload, { deps }) => {
  const cutoff = new Date(deps.now().getTime() - payload.olderThanDays * DAY_MS);
  const deleted = await deleteRunsBefore(deps.store, cutoff);
  return { counts: { jobRunsDeleted: deleted } };
};
