import { recoverCharges } from '../src/payments/charging';
import type { JobHandler } from './job';

const MINUTE_MS = 60_000;

/**
 * Finishes the card charges a crash or a time-out left pending, asking the gateway again with the same idempotency
 * key. Running it twice, or concurrently, is safe: completing an intent is idempotent and every step is conditional.
 */
export const chargeRecovery: JobHandler<'charge-recovery'> = async (payload, { deps }) => {
  const counts = await recoverCharges(deps, payload.idleMinutes * MINUTE_MS, payload.limit);
  return { counts: { ...counts } };
};
