import { sweepDunning } from '../src/renewal/run';
import type { JobHandler } from './job';

/** Hourly: enqueues each payment retry that has fallen due, with a job id from the invoice and attempt number. */
export const dunningSweep: JobHandler<'dunning-sweep'> = async (payload, { deps }) => {
  const counts = await sweepDunning(deps, payload.limit);
  return { counts: { ...counts } };
};
