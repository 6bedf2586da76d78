import { sweepRecharges } from '../src/recharge/sweep';
import type { JobHandler } from './job';

/**
 * Repairs balances a crashed ledger writer left short, re-arms recovered alerts, and fans out the day's recharges
 * and the due alerts. Running it twice, or concurrently, adds no job twice: job ids come from the cause.
 */
export const rechargeSweep: JobHandler<'recharge-sweep'> = async (payload, { deps }) => {
  const counts = await sweepRecharges(deps, payload);
  return { counts: { ...counts } };
};
