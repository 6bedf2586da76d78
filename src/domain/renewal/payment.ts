/**
 * How an invoice is paid, per the account's subscription setting (seed "Usage Charges / Subscriptions"):
 *   credit_then_card  the balance first, the card for the rest;
 *   card_then_credit  the card for all of it; if the card fails, the balance;
 *   self_managed      nothing automatic: the invoice stays open until paid by hand (from credit).
 * An invoice is paid whole or not at all: a card that fails never leaves a part of the balance taken, because the
 * balance is what keeps per-minute calls going. Card amounts are whole cents, rounded up, so the card always
 * covers what the balance cannot (the sub-cent excess stays as credit).
 */
import { UNITS_PER_CENT } from '../money';
import type { Units } from '../money';
import type { PaymentMode } from '../../store/documents';

export interface PaymentSituation {
  mode: PaymentMode;
  /** What the invoice asks for, in units (> 0). */
  total: Units;
  /** The account's balance, this invoice's own entries left out. */
  balance: Units;
  /** A card token is on file and no charge for this invoice has failed in the attempt under way. */
  cardUsable: boolean;
  /** A card charge for this invoice failed in this attempt: why, for the failure reason. */
  cardFailure?: string;
  /** An operator asked for it (`invoices pay`): self-managed invoices are then paid from credit. */
  manual: boolean;
}

export type PaymentStep =
  | { take: 'credit' }
  | { take: 'card'; amount: Units }
  | { take: 'nothing'; outcome: 'waiting' | 'no_card' | 'insufficient_credit' | 'declined'; reason: string };

/** Whole cents at or above `units`: what a card must be charged to cover them. */
export function centsToCover(units: Units): Units {
  return Math.ceil(units / UNITS_PER_CENT) * UNITS_PER_CENT;
}

function fromCredit(s: PaymentSituation, shortReason: string): PaymentStep {
  if (s.balance >= s.total) return { take: 'credit' };
  if (s.cardFailure !== undefined) return { take: 'nothing', outcome: 'declined', reason: `${s.cardFailure}; ${shortReason}` };
  return { take: 'nothing', outcome: 'insufficient_credit', reason: shortReason };
}

/** The next step of an attempt; called again with `cardFailure` set after a card charge fails. */
export function nextPaymentStep(s: PaymentSituation): PaymentStep {
  const short = `balance ${s.balance} units does not cover ${s.total}`;
  switch (s.mode) {
    case 'self_managed':
      return s.manual ? fromCredit(s, short) : { take: 'nothing', outcome: 'waiting', reason: 'self-managed: left open for manual payment' };
    case 'credit_then_card':
      if (s.balance >= s.total) return { take: 'credit' };
      if (s.cardUsable) return { take: 'card', amount: centsToCover(s.total - Math.max(0, s.balance)) };
      return s.cardFailure !== undefined
        ? { take: 'nothing', outcome: 'declined', reason: `${s.cardFailure}; ${short}` }
        : { take: 'nothing', outcome: 'no_card', reason: `no card on file; ${short}` };
    case 'card_then_credit':
      if (s.cardUsable) return { take: 'card', amount: centsToCover(s.total) };
      return fromCredit(s, s.cardFailure === undefined ? `no card on file; ${short}` : short);
  }
}
