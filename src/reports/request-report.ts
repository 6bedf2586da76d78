/**
 * Turns what a client asked for into a stored report request, or refuses it. The first run fixes the request
 * (an "all accounts" selection is resolved then); later runs under the same request id read it back, so a retry
 * reports on the same accounts even if the tree has changed meanwhile.
 */
import { localDate } from '../domain/calendar';
import { ReportRequestError, checkPeriod } from '../domain/reports/period';
import { assertRequestId, checkSelection, derivedRequestId } from '../domain/reports/request';
import type { ReportRequestDoc } from '../store/documents';
import { findReportRequest, openReportRequest } from '../store/report-requests';
import type { Store } from '../store/store';

export interface ReportAsk {
  resellerId: string;
  /** The accounts to report on; absent when `all`. */
  accounts?: string[] | undefined;
  all: boolean;
  /** Local dates of the reseller's zone, both included. */
  from: string;
  to: string;
  emails: string[];
  /** A name of the client's for the request; without one, the request is named by what it asks. */
  requestId?: string | undefined;
}

export function requestIdOf(ask: ReportAsk): string {
  if (ask.requestId !== undefined) return assertRequestId(ask.requestId);
  return derivedRequestId({ ...ask, accounts: ask.all ? 'all' : (ask.accounts ?? []) });
}

export async function requestReport(deps: { store: Store; now(): Date }, ask: ReportAsk): Promise<ReportRequestDoc> {
  const id = requestIdOf(ask);
  const existing = await findReportRequest(deps.store, id);
  if (existing) return sameRequest(existing, ask);
  const reseller = await deps.store.accounts.findOne({ _id: ask.resellerId });
  // The master reports on the whole platform; any other account must be flagged reseller.
  if (!reseller || !(reseller.isReseller || reseller.parentId === null)) {
    throw new ReportRequestError(`reseller: ${JSON.stringify(ask.resellerId)} is not a reseller`);
  }
  const now = deps.now();
  const period = checkPeriod(ask.from, ask.to, localDate(now, reseller.timezone));
  const accountIds = ask.all ? await accountsBeneath(deps.store, reseller._id) : await selected(deps.store, reseller._id, ask.accounts ?? []);
  return openReportRequest(deps.store, { _id: id, resellerId: reseller._id, accountIds, all: ask.all, from: period.from, to: period.to, emails: [...new Set(ask.emails)] }, now);
}

async function accountsBeneath(store: Store, resellerId: string): Promise<string[]> {
  const found = await store.accounts.find({ ancestors: resellerId }, { projection: { _id: 1 } }).toArray();
  if (found.length === 0) throw new ReportRequestError(`accounts: reseller ${resellerId} has no accounts to report on`);
  return found.map((a) => a._id).sort();
}

async function selected(store: Store, resellerId: string, requested: readonly string[]): Promise<string[]> {
  const found = await store.accounts.find({ _id: { $in: [...requested] } }, { projection: { ancestors: 1 } }).toArray();
  return checkSelection(resellerId, requested, found);
}

/** A client's own request id used again for a different report is a mistake, not a retry. */
function sameRequest(stored: ReportRequestDoc, ask: ReportAsk): ReportRequestDoc {
  const sorted = (values: readonly string[]) => JSON.stringify([...new Set(values)].sort());
  const same =
    stored.resellerId === ask.resellerId &&
    stored.from === ask.from &&
    stored.to === ask.to &&
    stored.all === ask.all &&
    (ask.all || sorted(stored.accountIds) === sorted(ask.accounts ?? [])) &&
    sorted(stored.emails.map((e) => e.toLowerCase())) === sorted(ask.emails.map((e) => e.toLowerCase()));
  if (!same) {
    throw new ReportRequestError(
      `requestId: ${JSON.stringify(stored._id)} already names another report (reseller ${stored.resellerId}, ${stored.from} to ${stored.to}, ` +
        `${stored.all ? 'all accounts' : stored.accountIds.join(',')} to ${stored.emails.join(',')}); use a new request id`,
    );
  }
  return stored;
}
