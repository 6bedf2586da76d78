/**
 * One attempt at paying a renewal invoice the platform collects, per the account's payment mode
 * (src/domain/renewal/payment.ts). Exactly once per invoice, whatever crashes or repeats:
 * - the card is charged only through the charging service, under paymentKey(account, invoice): one charge intent
 *   per invoice, so at most one paid card charge ever, and its ledger credit under the same key;
 * - the invoice's debit is one ledger entry, renewalKey(account, month), posted only once the money is there;
 * - a rerun first looks for what an earlier run left (a paid intent, the debit) and completes from it;
 * - attempts are recorded once per number, and a lease on the account keeps two processes from judging one balance.
 * A failure leaves the invoice open and the account past due, with the next retry from the dunning schedule.
 */
import { randomUUID } from 'node:crypto';
import { paymentKey, renewalKey } from '../domain/cause-keys';
import { monthStart } from '../domain/calendar';
import { formatMoney } from '../domain/money';
import type { Units } from '../domain/money';
import { nextRetryAt } from '../domain/renewal/dunning';
import { nextPaymentStep } from '../domain/renewal/payment';
import type { PaymentStep } from '../domain/renewal/payment';
import { chargeCard, retryCharge } from '../payments/charging';
import type { CardChargeOutcome, ChargingDeps } from '../payments/charging';
import { getAccount } from '../store/accounts';
import { balanceOf } from '../store/balances';
import { getIntent } from '../store/charge-intents';
import type { AccountDoc, InvoiceDoc, PaymentAttempt, PaymentOutcome } from '../store/documents';
import { getInvoice, recordAttempt } from '../store/invoices';
import { post } from '../store/ledger';
import { releasePaymentLease, takePaymentLease } from '../store/renewals';

export interface PaymentDeps extends ChargingDeps {
  config: ChargingDeps['config'] & { dunningRetryDays: readonly number[] };
}

/** Another process is paying an invoice of the account right now: retry the job later. */
export class PaymentBusyError extends Error {}

export class InvoicePaymentError extends Error {}

/**
 * How long an attempt may hold the account: well beyond what it can take, since its card charge makes one gateway call
 * or waits for another process's, each bounded by the payment time-out.
 */
function leaseMs(deps: PaymentDeps): number {
  return Math.max(10 * 60_000, 4 * deps.config.paymentTimeoutMs);
}
/** When a card charge's outcome is unknown, look again this much later (the charge-recovery sweep works meanwhile). */
export const PENDING_RECHECK_MS = 60 * 60_000;

const FAILURES: ReadonlySet<PaymentOutcome> = new Set(['declined', 'failed', 'no_card', 'insufficient_credit']);

export function isFailure(attempt: Pick<PaymentAttempt, 'outcome'>): boolean {
  return FAILURES.has(attempt.outcome);
}

export interface AttemptReport {
  invoice: InvoiceDoc;
  /** The attempt this call recorded; null when there was nothing to do (paid, informational, done before). */
  attempt: PaymentAttempt | null;
  /** For the dunning mail: whether a failure was the last automatic one. */
  final: boolean;
}

type Settled = Omit<PaymentAttempt, 'n' | 'at' | 'trigger'>;

async function postDebit(deps: ChargingDeps, invoice: InvoiceDoc, fromCredit: Units, byCard: Units): Promise<void> {
  const how = byCard > 0 ? `card ${formatMoney(byCard)}${fromCredit > 0 ? ` + credit ${formatMoney(fromCredit)}` : ''}` : 'credit';
  const result = await post(
    deps.store,
    {
      _id: renewalKey(invoice.accountId, invoice.period),
      accountId: invoice.accountId,
      amount: -invoice.total,
      kind: 'renewal',
      period: invoice.period,
      description: `Renewal ${invoice.period}, invoice ${invoice._id}: ${formatMoney(invoice.total)} (${how})`,
      source: 'renewal',
      occurredAt: monthStart(invoice.period, invoice.timezone),
    },
    deps.now(),
  );
  if (!result.posted && result.conflict) throw new InvoicePaymentError(`invoice ${invoice._id}: the ledger holds a different renewal entry; left for an operator`);
}

async function paid(deps: ChargingDeps, invoice: InvoiceDoc, byCard: Units, reference: string | null): Promise<Settled> {
  const fromCredit = Math.max(0, invoice.total - byCard);
  if (invoice.total > 0) await postDebit(deps, invoice, fromCredit, byCard);
  return { outcome: 'paid', fromCredit, byCard, reason: null, reference };
}

function unpaid(outcome: PaymentOutcome, reason: string): Settled {
  return { outcome, fromCredit: 0, byCard: 0, reason, reference: null };
}

async function charge(deps: ChargingDeps, invoice: InvoiceDoc, account: AccountDoc, amount: Units): Promise<CardChargeOutcome> {
  const causeKey = paymentKey(invoice.accountId, invoice._id);
  const token = account.billing.cardToken ?? '';
  if (await getIntent(deps.store, causeKey)) return retryCharge(deps, causeKey, token);
  return chargeCard(deps, {
    causeKey,
    accountId: invoice.accountId,
    amount,
    token,
    description: `Renewal ${invoice.period}, invoice ${invoice._id}`,
    ledgerKind: 'payment',
    period: invoice.period,
    source: 'renewal',
  });
}

/** Pays what can be paid now; never throws for a declined or failing card, only for the store or a broken ledger. */
async function settle(deps: ChargingDeps, invoice: InvoiceDoc, account: AccountDoc, manual: boolean): Promise<Settled> {
  if (invoice.total <= 0) return paid(deps, invoice, 0, null);
  // What an earlier run left: a paid card charge, or the debit itself (taken from credit).
  const intent = await getIntent(deps.store, paymentKey(invoice.accountId, invoice._id));
  if (intent?.state === 'paid') return paid(deps, invoice, intent.amount, intent.reference ?? null);
  if (await deps.store.ledger.findOne({ _id: renewalKey(invoice.accountId, invoice.period) }, { projection: { _id: 1 } })) return paid(deps, invoice, 0, null);
  const { balance } = await balanceOf(deps.store, invoice.accountId);
  const situation = { mode: account.billing.paymentMode, total: invoice.total, balance, cardUsable: Boolean(account.billing.cardToken), manual };
  let step: PaymentStep = nextPaymentStep(situation);
  if (step.take === 'card') {
    const outcome = await charge(deps, invoice, account, step.amount);
    if (outcome.status === 'paid') return paid(deps, invoice, outcome.amount, outcome.reference);
    if (outcome.status === 'pending') return unpaid('pending', `card charge outcome unknown: ${outcome.reason}`);
    step = nextPaymentStep({ ...situation, cardUsable: false, cardFailure: `card ${outcome.status}: ${outcome.reason}` });
    if (step.take === 'nothing') return unpaid(outcome.status === 'failed' ? 'failed' : 'declined', step.reason);
  }
  if (step.take === 'credit') return paid(deps, invoice, 0, null);
  if (step.take === 'card') throw new InvoicePaymentError(`invoice ${invoice._id}: a second card charge was planned`);
  return unpaid(step.outcome, step.reason);
}

function nextAttemptAfter(deps: PaymentDeps, invoice: InvoiceDoc, settled: Settled, at: Date): { nextAttemptAt: Date | null; final: boolean } {
  if (settled.outcome === 'pending') return { nextAttemptAt: new Date(at.getTime() + PENDING_RECHECK_MS), final: false };
  if (!FAILURES.has(settled.outcome)) return { nextAttemptAt: null, final: false };
  const failures = [...invoice.attempts.filter(isFailure), { at }];
  const next = nextRetryAt(failures[0]!.at, failures.length, deps.config.dunningRetryDays, invoice.timezone);
  return { nextAttemptAt: next, final: next === null };
}

async function updateStanding(deps: ChargingDeps, invoice: InvoiceDoc, settled: Settled): Promise<void> {
  const { store } = deps;
  if (FAILURES.has(settled.outcome)) {
    // Delinquency is reconciliation's verdict (the bookkeeper's); a failed renewal does not overwrite it.
    await store.accounts.updateOne(
      { _id: invoice.accountId, standing: { $ne: 'delinquent' } },
      { $set: { standing: 'past_due', standingReason: `invoice ${invoice._id}: ${settled.reason ?? settled.outcome}` } },
    );
  } else if (settled.outcome === 'paid') {
    const stillFailing = await store.invoices.countDocuments({ accountId: invoice.accountId, status: 'open', _id: { $ne: invoice._id }, 'attempts.outcome': { $in: [...FAILURES] } });
    if (stillFailing === 0) await store.accounts.updateOne({ _id: invoice.accountId, standing: 'past_due' }, { $set: { standing: 'good', standingReason: null } });
  }
}

/**
 * Attempt `n` at paying the invoice. A repeated call for a recorded attempt returns it unchanged; a call for a number
 * that is not the next one (a stale retry job) does nothing. `manual`: an operator's `invoices pay`, which pays a
 * self-managed invoice from credit and may come at any time.
 */
export async function attemptPayment(deps: PaymentDeps, invoiceId: string, n: number, trigger: PaymentAttempt['trigger']): Promise<AttemptReport> {
  const invoice = await getInvoice(deps.store, invoiceId);
  if (!invoice) throw new InvoicePaymentError(`no invoice ${JSON.stringify(invoiceId)}`);
  const done = invoice.attempts.find((a) => a.n === n) ?? null;
  if (invoice.status !== 'open' || done !== null || invoice.attempts.length !== n - 1) return { invoice, attempt: null, final: false };
  const owner = randomUUID();
  if (!(await takePaymentLease(deps.store, invoice.accountId, owner, deps.now(), leaseMs(deps)))) {
    throw new PaymentBusyError(`account ${invoice.accountId} is being charged by another process; try again later`);
  }
  try {
    // Read again under the lease: another process may have paid it or recorded this attempt meanwhile.
    const current = await getInvoice(deps.store, invoiceId);
    if (!current || current.status !== 'open' || current.attempts.length !== n - 1) return { invoice: current ?? invoice, attempt: null, final: false };
    const account = await getAccount(deps.store, current.accountId);
    const settled = await settle(deps, current, account, trigger === 'manual');
    const at = deps.now();
    const { nextAttemptAt, final } = nextAttemptAfter(deps, current, settled, at);
    const attempt: PaymentAttempt = { n, at, trigger, ...settled };
    const recorded = await recordAttempt(deps.store, invoiceId, { attempt, status: settled.outcome === 'paid' ? 'paid' : 'open', nextAttemptAt });
    await updateStanding(deps, current, settled);
    return { invoice: recorded ?? current, attempt, final };
  } finally {
    await releasePaymentLease(deps.store, invoice.accountId, owner);
  }
}
