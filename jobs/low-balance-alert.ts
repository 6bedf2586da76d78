import { checkLowBalance } from '../src/recharge/low-balance-check';
import type { JobHandler } from './job';

/** One account's low-balance alert: once per crossing (the mail is keyed by it), re-armed once the balance recovers. */
export const lowBalanceAlert: JobHandler<'low-balance-alert'> = async (payload, { deps }) => {
  const outcome = await checkLowBalance(deps, payload.accountId);
  return { counts: { alerted: outcome === 'alerted' ? 1 : 0, rearmed: outcome === 'rearmed' ? 1 : 0, noRecipient: outcome === 'no-recipient' ? 1 : 0 } };
};
