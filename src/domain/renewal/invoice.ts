/**
 * A month's invoice, priced from the plan engine's evaluation. Lines carry the full monthly price and their
 * explanation; a first month that starts after the 1st is prorated once, on the recurring total (one rounding, at a
 * named point), and the invoice says how. A total below zero (lines with larger discounts than charges, which the
 * plan validator warns about) bills nothing: a renewal never pays money out.
 */
import type { LocalDate, LocalMonth } from '../calendar';
import { parseLocalDate } from '../calendar';
import { assertAccountId } from '../cause-keys';
import type { Units } from '../money';
import type { Evaluation } from '../plans';
import { prorate } from '../proration';

export interface DraftLine {
  category: string;
  item: string;
  name: string;
  quantity: number;
  billable: number;
  rate: Units;
  total: Units;
  explanation: string;
}

export interface InvoiceProration {
  from: LocalDate;
  daysLeft: number;
  daysInMonth: number;
  explanation: string;
}

export interface InvoiceDraft {
  _id: string;
  accountId: string;
  period: LocalMonth;
  lines: DraftLine[];
  /** The month's recurring total at full price. */
  recurring: Units;
  proration: InvoiceProration | null;
  /** What is due: the recurring total, prorated in a first month, never below 0. */
  total: Units;
  dueDate: LocalDate;
}

export class InvoiceError extends Error {}

/** `<account>/<YYYY-MM>`: one renewal invoice per account and month. */
export function invoiceId(accountId: string, month: LocalMonth): string {
  return `${assertAccountId(accountId)}/${month}`;
}

/** The account and month an invoice id names; throws on anything else. */
export function parseInvoiceId(id: string): { accountId: string; month: LocalMonth } {
  const match = /^([^/]+)\/(\d{4}-\d{2})$/.exec(typeof id === 'string' ? id : '');
  if (!match) throw new InvoiceError(`not an invoice id (<account>/<YYYY-MM>): ${JSON.stringify(id)}`);
  const [, accountId = '', month = ''] = match;
  return { accountId: assertAccountId(accountId), month };
}

/**
 * The invoice of `month`, billed from `from` (the 1st, or the day billing started in a first month) and due that
 * day: renewals are charged in advance, on the day the month (or the service) begins.
 */
export function draftInvoice(input: { accountId: string; month: LocalMonth; from: LocalDate; evaluation: Evaluation }): InvoiceDraft {
  const { accountId, month, from, evaluation } = input;
  parseLocalDate(from);
  if (!from.startsWith(`${month}-`)) throw new InvoiceError(`invoice ${accountId}/${month}: billing start ${from} is not in that month`);
  const lines = evaluation.items.map((line) => ({
    category: line.category,
    item: line.item,
    name: line.name,
    quantity: line.quantity,
    billable: line.billable,
    rate: line.rate,
    total: line.total,
    explanation: line.explanation,
  }));
  const prorated = from.endsWith('-01') ? null : prorate(evaluation.recurring, from);
  const proration = prorated && { from, daysLeft: prorated.daysLeft, daysInMonth: prorated.daysInMonth, explanation: prorated.explanation };
  const due = prorated ? prorated.amount : evaluation.recurring;
  return { _id: invoiceId(accountId, month), accountId, period: month, lines, recurring: evaluation.recurring, proration, total: Math.max(0, due), dueDate: from };
}
