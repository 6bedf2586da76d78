import { sweepRenewals } from '../src/renewal/run';
import type { JobHandler } from './job';
import { percentReporter } from './progress';

/**
 * Hourly: renews every account whose next month has begun in its own zone. A second run, or one after a crash,
 * finds only what is still due and issues nothing twice.
 */
export const renewalSweep: JobHandler<'renewal-sweep'> = async (payload, { deps, progress }) => {
  const counts = await sweepRenewals(deps, payload.batchSize, percentReporter(progress));
  return { counts: { ...counts } };
};
