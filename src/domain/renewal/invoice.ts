/**
 * A month's renewal invoice. It charges what reconciliation last billed (its snapshot's items and recurring total):
 * reconciliation prorates every rise within a month on the assumption that the next renewal charges that total, so
 * charging anything else would bill a change twice or not at all. Each line keeps the plan engine's explanation when
 * the current plan prices the billed quantities the same way (the usual case); a line priced differently since (a
 * plan re-imported, not yet reconciled) is explained from the billed figures. Due on the 1st: renewals are charged in
 * advance. A total below zero (discounts larger than charges, which the plan validator warns about) bills nothing.
 */
import type { LocalDate, LocalMonth } from '../calendar';
import { assertAccountId } from '../cause-keys';
import { formatRate } from '../money';
import type { Units } from '../money';
import { pricedLine } from '../plans';
import type { Evaluation, PricedLine } from '../plans';

export interface InvoiceLine extends PricedLine {
  explanation: string;
}

export interface InvoiceDraft {
  _id: string;
  accountId: string;
  period: LocalMonth;
  lines: InvoiceLine[];
  /** The month's recurring total, as last billed. */
  recurring: Units;
  /** What is due: the recurring total, never below 0. */
  total: Units;
  /** Renewals are charged in advance, on the 1st of the month they pay for. */
  dueDate: LocalDate;
}

export class InvoiceError extends Error {}

/** `<account>/<YYYY-MM>`: one renewal invoice per account and month. */
export function invoiceId(accountId: string, month: LocalMonth): string {
  return `${assertAccountId(accountId)}/${month}`;
}

/** The account and month an invoice id names; throws on anything else. */
export function parseInvoiceId(id: string): { accountId: string; month: LocalMonth } {
  const match = /^([^/]+)\/(\d{4}-(?:0[1-9]|1[0-2]))$/.exec(typeof id === 'string' ? id : '');
  if (!match) throw new InvoiceError(`not an invoice id (<account>/<YYYY-MM>): ${JSON.stringify(id)}`);
  return { accountId: assertAccountId(match[1] ?? ''), month: match[2] ?? '' };
}

const lineKey = (l: PricedLine) => JSON.stringify([l.category, l.item, l.name, l.quantity, l.billable, l.rate, l.total]);

function explained(billed: readonly PricedLine[], evaluation: Evaluation | null): InvoiceLine[] {
  const explanations = new Map((evaluation?.items ?? []).map((line) => [lineKey(line), line.explanation]));
  return billed.map((line) => ({
    ...pricedLine(line),
    explanation: explanations.get(lineKey(line)) ?? `${line.billable} billable at ${formatRate(line.rate)} = ${formatRate(line.total)} (as last reconciled)`,
  }));
}

export function draftInvoice(input: {
  accountId: string;
  month: LocalMonth;
  billed: { readonly items: readonly PricedLine[]; readonly recurring: Units };
  /** The current plan priced at the billed quantities, for the explanations; null when the account holds no plan now. */
  evaluation: Evaluation | null;
}): InvoiceDraft {
  const { accountId, month, billed, evaluation } = input;
  return {
    _id: invoiceId(accountId, month),
    accountId,
    period: month,
    lines: explained(billed.items, evaluation),
    recurring: billed.recurring,
    total: Math.max(0, billed.recurring),
    dueDate: `${month}-01`,
  };
}

/**
 * What the renewal of `month` charges: the latest billed state from a month before it. A step still in flight (its
 * charges may be posted; the next reconciliation run commits it) is the latest. None: the account was never
 * reconciled, or reconciliation has billed `month` itself (the month a plan was first assigned, prorated), so the
 * renewal of that month has nothing to charge.
 */
export function renewalBasis<S extends { readonly month: LocalMonth }>(snapshot: { billed: S | null; pending: { state: S } | null } | null, month: LocalMonth): S | null {
  const candidates = [snapshot?.pending?.state, snapshot?.billed];
  return candidates.find((state): state is S => state !== undefined && state !== null && state.month < month) ?? null;
}
