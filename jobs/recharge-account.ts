import { runRecharge } from '../src/recharge/run-recharge';
import type { JobHandler } from './job';

/**
 * One account's auto-recharge for one local day. Safe to run again at any point (a retry, a redelivery after a
 * crash): the day's cause key charges the card and credits the ledger at most once, and each mail is sent once.
 */
export const rechargeAccount: JobHandler<'recharge-account'> = async (payload, { deps }) => {
  const run = await runRecharge(deps, payload.accountId, payload.date);
  const charged = run.outcome === 'paid' || run.outcome === 'refilled' ? 1 : 0;
  const declined = run.outcome === 'declined' || run.outcome === 'failed' || run.outcome === 'no-card' ? 1 : 0;
  return {
    counts: { recharged: charged, declined, capReached: run.outcome === 'cap-reached' ? 1 : 0, mailed: run.mailed, alerted: run.alert === 'alerted' ? 1 : 0 },
  };
};
