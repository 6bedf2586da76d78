/**
 * The renewal's steps as the jobs run them. The sweep issues the invoices of every account whose month has begun, in
 * batches, moves each account past what it issued, and enqueues one `renewal` job per invoice (its job id from the
 * account and month), which makes the first payment attempt and sends the invoice. The dunning sweep enqueues the
 * retries of failed payments when they fall due, and runs a `renewal` job again for any invoice whose job was lost.
 * Every step can run again, or concurrently, and adds nothing: invoices, ledger entries, charges, attempts and mail
 * are each keyed by their cause.
 */
import { jobIdFor, paymentKey, renewalKey } from '../domain/cause-keys';
import { localMonth } from '../domain/calendar';
import type { LocalMonth } from '../domain/calendar';
import { invoiceId, parseInvoiceId } from '../domain/renewal/invoice';
import { monthsDue } from '../domain/renewal/schedule';
import type { Deps } from '../runtime/deps';
import { getAccount } from '../store/accounts';
import { inBatches } from '../store/batches';
import type { InvoiceDoc } from '../store/documents';
import { dueForAttempt, getInvoice } from '../store/invoices';
import { countDueForRenewal, dueForRenewal, markRenewed } from '../store/renewals';
import type { RenewalCandidate } from '../store/renewals';
import { issueRenewals } from './issue';
import type { DueRenewal } from './issue';
import { sendFailureMail, sendInvoiceMail } from './mail';
import { attemptPayment, isFailure } from './payment';
import { PlanSetCache } from './pricing';

export type RenewalDeps = Pick<Deps, 'store' | 'gateway' | 'mailer' | 'enqueuer' | 'config' | 'logger' | 'now'>;

export function renewalJobId(accountId: string, month: LocalMonth): string {
  return jobIdFor(renewalKey(accountId, month));
}

/** Retry `n` of an invoice's payment: the payment's job id with the attempt number after it. */
export function retryJobId(invoice: Pick<InvoiceDoc, '_id' | 'accountId'>, n: number): string {
  return `${jobIdFor(paymentKey(invoice.accountId, invoice._id))}|${n}`;
}

export interface SweepCounts {
  accounts: number;
  invoices: number;
  issued: number;
  nothingToBill: number;
  enqueued: number;
}

/** A batch's renewal jobs in one round trip; an id already queued (a second sweep) adds nothing. */
async function enqueueRenewals(deps: RenewalDeps, invoices: readonly InvoiceDoc[]): Promise<number> {
  await deps.enqueuer.enqueueMany(
    'renewal',
    invoices.map((invoice) => ({ payload: { accountId: invoice.accountId, month: invoice.period }, options: { jobId: renewalJobId(invoice.accountId, invoice.period) } })),
  );
  return invoices.length;
}

async function renewBatch(deps: RenewalDeps, batch: readonly RenewalCandidate[], now: Date, cache: PlanSetCache, counts: SweepCounts): Promise<void> {
  const due: DueRenewal[] = batch.map((a) => ({ accountId: a._id, months: a.renewal ? monthsDue(a.renewal, now, a.timezone) : [] }));
  const result = await issueRenewals(deps.store, due, now, cache);
  // Past the months just issued; only then the jobs, so an account is never left behind an invoice it has.
  await markRenewed(
    deps.store,
    batch.flatMap((account, i) => {
      const last = due[i]?.months.at(-1);
      return last === undefined ? [] : [{ account, month: last }];
    }),
  );
  counts.accounts += batch.length;
  counts.invoices += result.invoices.length;
  counts.issued += result.issued;
  counts.nothingToBill += result.nothingToBill;
  counts.enqueued += await enqueueRenewals(deps, result.invoices);
}

/**
 * Renews every account whose next month has begun in its zone, `batchSize` accounts at a time. `onProgress` hears
 * after each batch how many accounts are done of how many were due when the sweep began (on the 1st, a long run).
 */
export async function sweepRenewals(deps: RenewalDeps, batchSize: number, onProgress?: (done: number, total: number) => Promise<void>): Promise<SweepCounts> {
  const now = deps.now();
  const counts: SweepCounts = { accounts: 0, invoices: 0, issued: 0, nothingToBill: 0, enqueued: 0 };
  const cache = new PlanSetCache();
  const total = onProgress ? await countDueForRenewal(deps.store, now) : 0;
  for await (const batch of inBatches(dueForRenewal(deps.store, now, batchSize), batchSize)) {
    await renewBatch(deps, batch, now, cache, counts);
    await onProgress?.(counts.accounts, total);
  }
  return counts;
}

export class RenewalJobError extends Error {}

export interface RenewalOutcome {
  invoice: string | null;
  status: InvoiceDoc['status'] | 'nothing-to-bill';
  attempt: string | null;
  mail: string;
}

/** Whatever a failed attempt needs told: the billing contact, once per attempt. */
async function notifyFailure(deps: RenewalDeps, report: Awaited<ReturnType<typeof attemptPayment>>): Promise<void> {
  if (report.attempt === null || !isFailure(report.attempt)) return;
  const account = await getAccount(deps.store, report.invoice.accountId);
  await sendFailureMail(deps, report.invoice, account, report.attempt, report.final);
}

/**
 * The `renewal` job of one account and month: issue the invoice if the sweep has not (a job enqueued by hand), make
 * the first payment attempt, mail the invoice (and the failure, if the attempt failed).
 */
export async function renewAccountMonth(deps: RenewalDeps, accountId: string, month: LocalMonth): Promise<RenewalOutcome> {
  const id = invoiceId(accountId, month);
  let invoice = await getInvoice(deps.store, id);
  if (!invoice) {
    const account = await getAccount(deps.store, accountId);
    const current = localMonth(deps.now(), account.timezone);
    if (month > current) throw new RenewalJobError(`month: ${month} has not begun for account ${accountId} (its local month is ${current})`);
    invoice = (await issueRenewals(deps.store, [{ accountId, months: [month] }], deps.now())).invoices[0] ?? null;
    if (!invoice) return { invoice: null, status: 'nothing-to-bill', attempt: null, mail: 'none' };
  }
  let attempt: string | null = null;
  if (invoice.status === 'open' && invoice.attempts.length === 0) {
    const report = await attemptPayment(deps, id, 1, 'renewal');
    invoice = report.invoice;
    attempt = report.attempt?.outcome ?? null;
    await notifyFailure(deps, report);
  }
  const mail = await sendInvoiceMail(deps, invoice, await getAccount(deps.store, accountId));
  // An invoice with nothing to collect is done once its mail is out.
  await deps.store.invoices.updateOne({ _id: id, status: { $in: ['informational', 'paid'] } }, { $set: { nextAttemptAt: null } });
  return { invoice: id, status: invoice.status, attempt, mail };
}

/** The `payment-retry` job: attempt `n` of an open invoice, and its failure mail. */
export async function retryInvoicePayment(deps: RenewalDeps, id: string, n: number): Promise<{ outcome: string }> {
  parseInvoiceId(id);
  const report = await attemptPayment(deps, id, n, 'retry');
  await notifyFailure(deps, report);
  return { outcome: report.attempt?.outcome ?? 'nothing-to-do' };
}

/** The `dunning-sweep` job: enqueues every attempt that is due, a lost first one included. */
export async function sweepDunning(deps: RenewalDeps, limit: number): Promise<{ due: number; retries: number; renewals: number }> {
  const due = await dueForAttempt(deps.store, deps.now(), limit);
  const [firsts, retries] = [due.filter((i) => i.attempts.length === 0), due.filter((i) => i.attempts.length > 0)];
  await enqueueRenewals(deps, firsts);
  await deps.enqueuer.enqueueMany(
    'payment-retry',
    retries.map((invoice) => {
      const n = invoice.attempts.length + 1;
      return { payload: { invoiceId: invoice._id, attempt: n }, options: { jobId: retryJobId(invoice, n) } };
    }),
  );
  return { due: due.length, retries: retries.length, renewals: firsts.length };
}
