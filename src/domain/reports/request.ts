/**
 * Who may report on what, and what a request is called. Pure.
 */
import { createHash } from 'node:crypto';
import { isInSubtree } from '../account-tree';
import type { TreeAccount } from '../account-tree';
import type { LocalMonth } from '../calendar';
import { ReportRequestError } from './period';

/**
 * The requested accounts, each once, in the order asked, if every one lies in the reseller's subtree. An id that
 * exists elsewhere and one that does not exist at all are refused with the same words, so that a reseller cannot
 * probe for other resellers' accounts.
 */
export function checkSelection(resellerId: string, requested: readonly string[], found: readonly Pick<TreeAccount, '_id' | 'ancestors'>[]): string[] {
  const ids = [...new Set(requested)];
  if (ids.length === 0) throw new ReportRequestError(`accounts: no account selected for reseller ${resellerId}`);
  const mine = new Set(found.filter((a) => isInSubtree(a, resellerId)).map((a) => a._id));
  const refused = ids.filter((id) => !mine.has(id));
  if (refused.length > 0) {
    const shown = refused.slice(0, 10).map((id) => JSON.stringify(id)).join(', ');
    const more = refused.length > 10 ? ` and ${refused.length - 10} more` : '';
    throw new ReportRequestError(`accounts: ${shown}${more}: not accounts of reseller ${resellerId}; a reseller reports only on its own accounts`);
  }
  return ids;
}

export interface RequestIdentity {
  readonly resellerId: string;
  /** Account ids as asked, or 'all' (every account beneath the reseller when the report runs). */
  readonly accounts: readonly string[] | 'all';
  readonly from: string;
  readonly to: string;
  readonly emails: readonly string[];
}

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Request ids name the work folder and the BullMQ job, so they are file-name safe and free of ':'. */
export function assertRequestId(id: string): string {
  if (!REQUEST_ID.test(id)) throw new ReportRequestError(`requestId: letters, digits, '.', '_' and '-', at most 128, starting with a letter or digit (got ${JSON.stringify(id)})`);
  return id;
}

/**
 * A request without an id of its own is named by what it asks for, so the same report asked twice (a double click,
 * a client's retry) is built and mailed once. Order and repetition of accounts and addresses do not matter.
 */
export function derivedRequestId(r: RequestIdentity): string {
  const selection = r.accounts === 'all' ? 'all' : [...new Set(r.accounts)].sort();
  const emails = [...new Set(r.emails.map((e) => e.toLowerCase()))].sort();
  const digest = createHash('sha256').update(JSON.stringify([r.resellerId, selection, r.from, r.to, emails])).digest('hex').slice(0, 12);
  return assertRequestId(`report-${r.resellerId}-${r.from}-${r.to}-${digest}`);
}

/** The monthly report of a reseller: one per reseller and local month, however often the schedule fires. */
export function monthlyRequestId(resellerId: string, month: LocalMonth): string {
  return assertRequestId(`report-${resellerId}-${month}`);
}

/** The sendOnce key of the report's mail. */
export function reportMailKey(requestId: string): string {
  return `report:${requestId}`;
}
