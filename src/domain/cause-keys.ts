/**
 * Ledger entry keys, one function per cause. A key is built only from what caused the entry, never from when or
 * how often it was processed, so repeating any step produces the same key and the ledger's unique index drops it.
 *
 * Shape: `<cause>:<account>:<detail>`. Account ids never contain ':' and every cause has a fixed number of parts
 * with the only free-form part last, so a key reads back into exactly one cause: keys are injective.
 */
import { parseLocalDate, parseMonth } from './calendar';
import type { LocalDate, LocalMonth } from './calendar';

export type CauseKey = string;

const CAUSES = [
  'renewal',
  'proration',
  'activation',
  'topup',
  'call',
  'credit',
  'rollover',
  'payment',
  'refund',
  'adjustment',
] as const;
export type Cause = (typeof CAUSES)[number];

export class CauseKeyError extends Error {}

/**
 * KAZOO account ids are 32 lowercase hex digits; other platforms' ids and test fixtures are slugs. Both fit:
 * letters, digits, '-' and '_', starting and ending with a letter or digit, at most 64 characters.
 */
const ACCOUNT_ID = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$/;
/** Call ids, request ids and change ids come from elsewhere (SIP Call-IDs hold '@', ':', '.'): any visible ASCII. */
const EXTERNAL_ID = /^[\x21-\x7e]{1,256}$/;

export function assertAccountId(account: string): string {
  if (typeof account !== 'string' || !ACCOUNT_ID.test(account)) {
    throw new CauseKeyError(`not an account id (letters, digits, '-', '_'; at most 64): ${JSON.stringify(account)}`);
  }
  return account;
}

function externalId(value: string, what: string): string {
  if (typeof value !== 'string' || !EXTERNAL_ID.test(value)) {
    throw new CauseKeyError(`${what} must be 1-256 visible ASCII characters: ${JSON.stringify(value)}`);
  }
  return value;
}

function key(cause: Cause, account: string, detail: string): CauseKey {
  return `${cause}:${assertAccountId(account)}:${detail}`;
}

function month(value: LocalMonth): LocalMonth {
  parseMonth(value);
  return value;
}

function date(value: LocalDate): LocalDate {
  parseLocalDate(value);
  return value;
}

/** The recurring charge of `renewedMonth`, the account's local month. */
export function renewalKey(account: string, renewedMonth: LocalMonth): CauseKey {
  return key('renewal', account, month(renewedMonth));
}

/**
 * The prorated charge for one change: a plan assignment or a reconciled increase, named by the caller from the
 * change itself (for example the assignment id, or the inventory version the reconciliation billed). The date is
 * deliberately not part of it: a retry on the next day must not charge the same change again.
 */
export function prorationKey(account: string, changeId: string): CauseKey {
  return key('proration', account, externalId(changeId, 'change id'));
}

/** The activation charges of one change, named as for prorationKey. */
export function activationKey(account: string, changeId: string): CauseKey {
  return key('activation', account, externalId(changeId, 'change id'));
}

/** The automatic recharge of a local day: at most one per account per day. */
export function topupKey(account: string, day: LocalDate): CauseKey {
  return key('topup', account, date(day));
}

/**
 * A call's per-minute debit of one account. The account is part of the key because one call debits both the
 * sub-account (its credit limit) and, for real, its reseller or the master.
 */
export function callKey(account: string, callId: string): CauseKey {
  return key('call', account, externalId(callId, 'call id'));
}

/** A manual credit, keyed by the id the client sent with the request so that a resubmitted form credits once. */
export function creditKey(account: string, requestId: string): CauseKey {
  return key('credit', account, externalId(requestId, 'request id'));
}

/** The balance carried into `openedMonth` from the month before. */
export function rolloverKey(account: string, openedMonth: LocalMonth): CauseKey {
  return key('rollover', account, month(openedMonth));
}

/**
 * The card payment settling one invoice (renewals: `<account>/<YYYY-MM>`): the ledger credit and its charge intent
 * share this key, so retrying a declined or failed charge never pays the invoice twice.
 */
export function paymentKey(account: string, invoiceId: string): CauseKey {
  return key('payment', account, externalId(invoiceId, 'invoice id'));
}

/** A refund, keyed by the id of the operator's request. */
export function refundKey(account: string, requestId: string): CauseKey {
  return key('refund', account, externalId(requestId, 'request id'));
}

/** A manual adjustment, keyed by the id of the operator's request. */
export function adjustmentKey(account: string, requestId: string): CauseKey {
  return key('adjustment', account, externalId(requestId, 'request id'));
}

/**
 * The BullMQ job id for the job that produces the entry `key`, so that enqueuing the same cause twice is one job.
 * BullMQ refuses ':' in custom ids; '%' and '|' are escaped first, then ':' becomes '|', which keeps the mapping
 * injective and the common keys readable (`renewal|<account>|2026-04`).
 */
export function jobIdFor(causeKey: CauseKey): string {
  if (!CAUSES.some((cause) => causeKey.startsWith(`${cause}:`))) {
    throw new CauseKeyError(`not a ledger cause key: ${JSON.stringify(causeKey)}`);
  }
  return causeKey.replace(/%/g, '%25').replace(/\|/g, '%7C').replace(/:/g, '|');
}
