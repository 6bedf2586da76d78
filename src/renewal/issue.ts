/**
 * Issuing renewal invoices for a batch of accounts and months: price, insert once, and record a sub-account's bill on
 * its credit limit. Re-running any part adds nothing: invoices are keyed `<account>/<YYYY-MM>` and the ledger debit
 * by renewalKey(account, month).
 */
import { renewalKey } from '../domain/cause-keys';
import { monthStart } from '../domain/calendar';
import type { LocalMonth } from '../domain/calendar';
import type { LedgerPosting } from '../domain/ledger-entry';
import { formatMoney } from '../domain/money';
import { evaluate } from '../domain/plans';
import { draftInvoice, renewalBasis } from '../domain/renewal/invoice';
import type { InvoiceDoc } from '../store/documents';
import { issueInvoices } from '../store/invoices';
import { postMany } from '../store/ledger';
import type { Store } from '../store/store';
import { PlanSetCache, loadRenewalPricing } from './pricing';
import type { RenewalPricing } from './pricing';

export interface DueRenewal {
  accountId: string;
  /** Oldest first. */
  months: readonly LocalMonth[];
}

export interface IssueResult {
  /** Every invoice of the batch, whether issued now or before, in the order asked. */
  invoices: InvoiceDoc[];
  /** How many of them were issued by this call. */
  issued: number;
  /**
   * Account-months with nothing to charge, renewed without an invoice: never reconciled, billed by reconciliation
   * itself (the month a plan was first assigned), no billed item (no plan), or the master (the platform itself).
   */
  nothingToBill: number;
}

function toInvoice(pricing: RenewalPricing, month: LocalMonth, issuedAt: Date): InvoiceDoc | null {
  const { account, plan } = pricing;
  const billed = renewalBasis(pricing.snapshot, month);
  if (billed === null || billed.items.length === 0 || account.parentId === null) return null;
  const draft = draftInvoice({ accountId: account._id, month, billed, evaluation: plan && evaluate(plan, billed.quantities) });
  return {
    ...draft,
    timezone: account.timezone,
    collection: pricing.collection,
    billedBy: pricing.billedBy,
    paymentMode: account.billing.paymentMode,
    status: pricing.collection === 'platform' ? 'open' : 'informational',
    issuedAt,
    attempts: [],
    // Due at once: the renewal job (first payment attempt and the invoice mail) clears or moves it; if that job is
    // lost, the dunning sweep finds the invoice by it and runs the job again.
    nextAttemptAt: issuedAt,
    paidAt: null,
  };
}

/** A sub-account's renewal is "fake money": a debit on its own credit limit, the real money being its reseller's. */
function creditLimitDebit(invoice: InvoiceDoc): LedgerPosting {
  return {
    _id: renewalKey(invoice.accountId, invoice.period),
    accountId: invoice.accountId,
    amount: -invoice.total,
    kind: 'renewal',
    period: invoice.period,
    description: `Renewal ${invoice.period}, billed by ${invoice.billedBy ?? 'the reseller'} (credit limit): ${formatMoney(invoice.total)}`,
    source: 'renewal',
    occurredAt: monthStart(invoice.period, invoice.timezone),
  };
}

export async function issueRenewals(store: Store, due: readonly DueRenewal[], now: Date, cache = new PlanSetCache()): Promise<IssueResult> {
  const pricing = await loadRenewalPricing(store, due.map((d) => d.accountId), cache);
  const drafts: InvoiceDoc[] = [];
  let nothingToBill = 0;
  for (const { accountId, months } of due) {
    const priced = pricing.get(accountId);
    for (const month of months) {
      const invoice = priced && toInvoice(priced, month, now);
      if (invoice) drafts.push(invoice);
      else nothingToBill++;
    }
  }
  const fresh = await issueInvoices(store, drafts);
  // An invoice issued before stands as it was issued: what follows works from the stored one.
  const stored = fresh.size === drafts.length ? drafts : await store.invoices.find({ _id: { $in: drafts.map((d) => d._id) } }).toArray();
  const byId = new Map(stored.map((i) => [i._id, i]));
  const invoices = drafts.map((d) => byId.get(d._id) ?? d);
  await postMany(store, invoices.filter((i) => i.collection === 'reseller' && i.total > 0).map(creditLimitDebit), now);
  return { invoices, issued: fresh.size, nothingToBill };
}

/**
 * What the renewal of `month` would invoice, written nowhere: for `invoices preview`. Null when it would charge
 * nothing (see IssueResult.nothingToBill).
 */
export async function previewRenewal(store: Store, accountId: string, month: LocalMonth, now: Date): Promise<InvoiceDoc | null> {
  const pricing = (await loadRenewalPricing(store, [accountId])).get(accountId);
  return pricing ? toInvoice(pricing, month, now) : null;
}
