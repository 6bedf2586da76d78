/**
 * The Usage Charges screen's Download: transactions (ledger entries) or usage (calls) of an account, optionally with
 * its sub-accounts, between two of its local dates (both included), sorted by a chosen field, as CSV.
 * The usage CSV uses the CDR report's headings, so an exported file imports again unchanged.
 */
import { localDayRange } from '../domain/calendar';
import type { LocalDate } from '../domain/calendar';
import { CDR_COLUMNS } from '../domain/cdr-row';
import { formatRate, formatUnits } from '../domain/money';
import type { AccountDoc, CdrDoc, LedgerEntryDoc, LedgerKind } from '../store/documents';
import type { Store } from '../store/store';
import { writeCsvFile } from './csv-file';

export const TRANSACTION_SORTS = { date: 'occurredAt', amount: 'amount', kind: 'kind', account: 'accountId' } as const;
export const USAGE_SORTS = { date: 'startedAt', cost: 'customerCost', account: 'accountId', duration: 'billingSeconds', country: 'country' } as const;

export interface ExportQuery<S extends string> {
  account: Pick<AccountDoc, '_id' | 'timezone'>;
  from: LocalDate;
  to: LocalDate;
  sort: S;
  descending: boolean;
  /** The account's sub-accounts too. */
  tree: boolean;
}

function instantRange(q: ExportQuery<string>): { $gte: Date; $lt: Date } {
  return { $gte: localDayRange(q.from, q.account.timezone).start, $lt: localDayRange(q.to, q.account.timezone).end };
}

export async function exportTransactions(
  store: Store,
  q: ExportQuery<keyof typeof TRANSACTION_SORTS> & { kinds: readonly LedgerKind[] },
  path: string,
): Promise<number> {
  const filter = {
    ...(q.tree ? { $or: [{ accountId: q.account._id }, { ancestors: q.account._id }] } : { accountId: q.account._id }),
    occurredAt: instantRange(q),
    ...(q.kinds.length > 0 ? { kind: { $in: [...q.kinds] } } : {}),
  };
  const direction = q.descending ? -1 : 1;
  const cursor = store.ledger.find(filter).sort({ [TRANSACTION_SORTS[q.sort]]: direction, _id: direction });
  const header = ['Date', 'Account ID', 'Kind', 'Description', 'Amount', 'Carried', 'Period', 'For Account', 'Cause Key'];
  return writeCsvFile(path, header, mapRows(cursor, transactionRow));
}

export async function exportUsage(store: Store, q: ExportQuery<keyof typeof USAGE_SORTS>, path: string): Promise<number> {
  const accountIds = q.tree
    ? (await store.accounts.find({ $or: [{ _id: q.account._id }, { ancestors: q.account._id }] }, { projection: { _id: 1 } }).toArray()).map((a) => a._id)
    : [q.account._id];
  const direction = q.descending ? -1 : 1;
  const cursor = store.cdrs
    .find({ accountId: { $in: accountIds }, startedAt: instantRange(q) })
    .sort({ [USAGE_SORTS[q.sort]]: direction, _id: direction });
  return writeCsvFile(path, CDR_COLUMNS.map(([, heading]) => heading), mapRows(cursor, usageRow));
}

async function* mapRows<T>(source: AsyncIterable<T>, toRow: (item: T) => string[]): AsyncGenerator<string[]> {
  for await (const item of source) yield toRow(item);
}

function transactionRow(e: LedgerEntryDoc): string[] {
  return [
    e.occurredAt.toISOString(),
    e.accountId,
    e.kind,
    e.description,
    formatUnits(e.amount, 2),
    e.kind === 'rollover' ? formatUnits(e.carried ?? 0, 2) : '',
    e.period,
    e.forAccountId ?? '',
    e._id,
  ];
}

/** Costs keep up to 4 decimals like rates: a per-minute call often costs a fraction of a cent. */
function usageRow(c: CdrDoc): string[] {
  const byColumn: Record<(typeof CDR_COLUMNS)[number][0], string> = {
    date_time: c.startedAt.toISOString(),
    call_id: c._id,
    caller_id: c.callerId,
    to_number: c.toNumber,
    billing_minutes: String(Math.ceil(c.billingSeconds / 60)),
    billing_seconds: String(c.billingSeconds),
    rate: formatRate(c.rate),
    rate_name: c.rateName,
    reseller_call_type: c.resellerCallType,
    reseller_cost: formatRate(c.resellerCost),
    customer_call_type: c.customerCallType,
    customer_cost: formatRate(c.customerCost),
    reseller_cost_breakdown: c.resellerCostBreakdown ?? '',
    account_id: c.accountId,
    direction: c.direction,
    country: c.country,
    from_number: c.fromNumber ?? '',
  };
  return CDR_COLUMNS.map(([column]) => byColumn[column]);
}
