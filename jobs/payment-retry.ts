import { retryInvoicePayment } from '../src/renewal/run';
import type { JobHandler } from './job';

/** Attempt n of an open invoice's payment; a repeated or stale attempt does nothing. */
export const paymentRetry: JobHandler<'payment-retry'> = async (payload, { deps }) => {
  const { outcome } = await retryInvoicePayment(deps, payload.invoiceId, payload.attempt);
  return { counts: { attempted: outcome === 'nothing-to-do' ? 0 : 1, paid: outcome === 'paid' ? 1 : 0 } };
};
