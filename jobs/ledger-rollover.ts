import { openMonths } from '../src/store/balances';
import type { JobHandler } from './job';

/** Writes the informational rollover entry of each account's new local month; a second run adds nothing. */
export const ledgerRollover: JobHandler<'ledger-rollover'> = async (_payload, { deps }) => {
  const counts = await openMonths(deps.store, deps.now());
  return { counts };
};
