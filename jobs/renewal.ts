import { renewAccountMonth } from '../src/renewal/run';
import type { JobHandler } from './job';

/** One account's month: the invoice, its first payment attempt and its mail; each once, however often it runs. */
export const renewal: JobHandler<'renewal'> = async (payload, { deps }) => {
  const outcome = await renewAccountMonth(deps, payload.accountId, payload.month);
  return {
    counts: {
      invoiced: outcome.invoice === null ? 0 : 1,
      paid: outcome.status === 'paid' ? 1 : 0,
      open: outcome.status === 'open' ? 1 : 0,
      informational: outcome.status === 'informational' ? 1 : 0,
      mailed: outcome.mail === 'sent' ? 1 : 0,
    },
  };
};
