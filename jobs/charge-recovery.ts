import { recoverCharges } from '../src/payments/charging';
import type { JobHandler } from './job';
import { percentReporter } from './progress';

const MINUTE_MS = 60_000;

/**
 * Finishes the card charges a crash or a time-out left pending, asking the gateway again with the same idempotency
 * key. Running it twice, or concurrently, is safe: completing an intent is idempotent and every step is conditional.
 */
export const chargeRecovery: JobHandler<'charge-recovery'> = async (payload, { deps, progress }) => {
  const counts = await recoverCharges(deps, payload.idleMinutes * MINUTE_MS, payload.limit, {}, percentReporter(progress));
  return { counts: { ...counts } };
};
