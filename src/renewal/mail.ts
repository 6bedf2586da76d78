/**
 * The renewal's mail to an account's billing contact, each sent once per cause through sendOnce: the invoice
 * (`invoice:<id>`) and each failed payment attempt (`dunning:<id>:<n>`), the last automatic one saying it is final.
 */
import { formatMoney, formatRate } from '../domain/money';
import type { OutgoingMail } from '../mail/mailer';
import { mailTemplates } from '../mail/templates';
import type { AccountDoc, InvoiceDoc, PaymentAttempt } from '../store/documents';
import { sendOnce } from '../store/mail-log';
import type { MailLogDeps } from '../store/mail-log';

export type MailOutcome = 'sent' | 'already-sent' | 'no-contact';

function statusLine(invoice: InvoiceDoc): { intro: string; status: string } {
  const period = invoice.period;
  if (invoice.status === 'informational') {
    return { intro: `Your monthly services for ${period}, billed by ${invoice.billedBy ?? 'your provider'}:`, status: `Recorded against your account credit; ${invoice.billedBy ?? 'your provider'} bills you for it.` };
  }
  const intro = `Your subscription renewed for ${period}:`;
  const last = invoice.attempts.at(-1);
  if (invoice.status === 'paid') {
    const parts = [last && last.byCard > 0 ? `${formatMoney(last.byCard)} charged to your card` : '', last && last.fromCredit > 0 ? `${formatMoney(last.fromCredit)} taken from your credit` : ''];
    return { intro, status: `Paid: ${parts.filter(Boolean).join(' and ') || 'nothing was due'}.` };
  }
  if (last?.outcome === 'waiting') return { intro, status: `Amount due: ${formatMoney(invoice.total)}. Your subscription is self-managed: please pay it from your account credit.` };
  return { intro, status: `Amount due: ${formatMoney(invoice.total)}. Payment has not gone through yet; we will write to you about it separately.` };
}

function invoiceMail(invoice: InvoiceDoc, account: AccountDoc, to: string): OutgoingMail {
  const subject = `Invoice ${invoice._id}: ${formatMoney(invoice.total)} for ${invoice.period}`;
  const lines = invoice.lines.map((l) => ({ name: l.name, quantity: l.quantity, billable: l.billable, rate: formatRate(l.rate), total: l.total }));
  const data = { subject, accountName: account.name, invoiceId: invoice._id, period: invoice.period, lines, total: invoice.total, issuedAt: invoice.issuedAt, timezone: invoice.timezone, dueDate: invoice.dueDate, ...statusLine(invoice) };
  return { to: [to], subject, ...mailTemplates().render('invoice', data) };
}

function failureMail(invoice: InvoiceDoc, account: AccountDoc, attempt: PaymentAttempt, final: boolean, to: string): OutgoingMail {
  const subject = final ? `Final notice: invoice ${invoice._id} is unpaid` : `Payment failed for invoice ${invoice._id}`;
  const data = {
    subject,
    accountName: account.name,
    invoiceId: invoice._id,
    period: invoice.period,
    total: invoice.total,
    reason: attempt.reason ?? attempt.outcome,
    final,
    nextAttemptAt: invoice.nextAttemptAt ?? attempt.at,
    attempt: attempt.n,
    at: attempt.at,
    timezone: invoice.timezone,
  };
  return { to: [to], subject, ...mailTemplates().render('payment-failed', data) };
}

async function send(deps: MailLogDeps, account: AccountDoc, key: string, build: (to: string) => OutgoingMail): Promise<MailOutcome> {
  const to = account.billing.contactEmail;
  if (!to) return 'no-contact';
  return (await sendOnce(deps, key, build(to))).status;
}

export function sendInvoiceMail(deps: MailLogDeps, invoice: InvoiceDoc, account: AccountDoc): Promise<MailOutcome> {
  return send(deps, account, `invoice:${invoice._id}`, (to) => invoiceMail(invoice, account, to));
}

export function sendFailureMail(deps: MailLogDeps, invoice: InvoiceDoc, account: AccountDoc, attempt: PaymentAttempt, final: boolean): Promise<MailOutcome> {
  return send(deps, account, `dunning:${invoice._id}:${attempt.n}`, (to) => failureMail(invoice, account, attempt, final, to));
}
