/**
 * Invoices: `_id` = `<account>/<YYYY-MM>`, inserted once and never replaced, so what an invoice billed is fixed when
 * it is issued (a correction is a ledger adjustment, never an edit). What changes afterwards is its payment state,
 * each change one conditional update of the one document: an attempt is recorded once per number.
 */
import type { InvoiceDoc, PaymentAttempt } from './documents';
import { insertManyKeepingNew } from './duplicates';
import type { Store } from './store';

/** Inserts the invoices not issued yet; returns the ids that were new. */
export async function issueInvoices(store: Store, invoices: readonly InvoiceDoc[]): Promise<Set<string>> {
  const duplicates = new Set(await insertManyKeepingNew(store.invoices, invoices));
  return new Set(invoices.filter((_, i) => !duplicates.has(i)).map((invoice) => invoice._id));
}

export function getInvoice(store: Store, id: string): Promise<InvoiceDoc | null> {
  return store.invoices.findOne({ _id: id });
}

export function invoicesOf(store: Store, accountId: string, limit = 120): Promise<InvoiceDoc[]> {
  return store.invoices.find({ accountId }).sort({ period: -1 }).limit(limit).toArray();
}

/** Open invoices whose next automatic attempt is due, oldest first. */
export function dueForAttempt(store: Store, now: Date, limit: number): Promise<InvoiceDoc[]> {
  return store.invoices
    .find({ status: 'open', nextAttemptAt: { $lte: now } })
    .sort({ nextAttemptAt: 1 })
    .limit(limit)
    .toArray();
}

export interface AttemptResult {
  attempt: PaymentAttempt;
  status: InvoiceDoc['status'];
  nextAttemptAt: Date | null;
}

/** Records attempt `n` unless it is recorded already; returns the invoice as it now is. */
export async function recordAttempt(store: Store, id: string, result: AttemptResult): Promise<InvoiceDoc | null> {
  const paid = result.status === 'paid' ? { paidAt: result.attempt.at } : {};
  await store.invoices.updateOne(
    { _id: id, status: 'open', 'attempts.n': { $ne: result.attempt.n } },
    { $push: { attempts: result.attempt }, $set: { status: result.status, nextAttemptAt: result.nextAttemptAt, ...paid } },
  );
  return getInvoice(store, id);
}
