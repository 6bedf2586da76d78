import { carriedInto } from '../domain/ledger-entry';
import { rolloverKey } from '../domain/cause-keys';
import { localMonth, monthStart } from '../domain/calendar';
import type { LocalMonth } from '../domain/calendar';
import type { Units } from '../domain/money';
import { post } from './ledger';
import type { PostResult } from './ledger';
import type { AccountDoc } from './documents';
import type { Store } from './store';

export interface AccountBalance {
  accountId: string;
  balance: Units;
  entries: number;
}

/** The sum of every ledger entry of the account (rollover entries are 0: see src/domain/ledger-entry.ts). */
export async function balanceOf(store: Store, accountId: string): Promise<AccountBalance> {
  const [row] = await store.ledger
    .aggregate<AccountBalance>([
      { $match: { accountId } },
      { $group: { _id: '$accountId', balance: { $sum: '$amount' }, entries: { $sum: 1 } } },
      { $project: { _id: 0, accountId: '$_id', balance: 1, entries: 1 } },
    ])
    .toArray();
  return row ?? { accountId, balance: 0, entries: 0 };
}

/**
 * The balance of the account and of every account below it, in one aggregation over the ledger's `ancestors`
 * (denormalised at write time: on mongo-java-server a $lookup from accounts was 5x slower for the same answer,
 * and would put every entry of an account into one document). Accounts without entries are absent.
 */
export function balancesOfSubtree(store: Store, rootId: string): Promise<AccountBalance[]> {
  return store.ledger
    .aggregate<AccountBalance>([
      { $match: { $or: [{ accountId: rootId }, { ancestors: rootId }] } },
      { $group: { _id: '$accountId', balance: { $sum: '$amount' }, entries: { $sum: 1 } } },
      { $project: { _id: 0, accountId: '$_id', balance: 1, entries: 1 } },
      { $sort: { accountId: 1 } },
    ])
    .toArray();
}

/**
 * Writes the informational rollover entry opening `openedMonth`: amount 0, carrying the sum of the months before.
 * Once written it stays (the first value is what was carried when the month opened); the balance never depends on it.
 */
export async function postRollover(
  store: Store,
  account: Pick<AccountDoc, '_id' | 'timezone'>,
  openedMonth: LocalMonth,
  now: Date,
): Promise<PostResult> {
  const accountId = account._id;
  const before = await store.ledger
    .aggregate<{ period: string; amount: Units }>([
      { $match: { accountId, period: { $lt: openedMonth } } },
      { $group: { _id: '$period', amount: { $sum: '$amount' } } },
      { $project: { _id: 0, period: '$_id', amount: 1 } },
    ])
    .toArray();
  const carried = carriedInto(before, openedMonth);
  return post(
    store,
    {
      _id: rolloverKey(accountId, openedMonth),
      accountId,
      amount: 0,
      kind: 'rollover',
      period: openedMonth,
      carried,
      description: `Balance carried into ${openedMonth}`,
      source: 'rollover',
      occurredAt: monthStart(openedMonth, account.timezone),
    },
    now,
  );
}

/**
 * Opens the current local month of every account that has not had it opened yet: one rollover entry per account and
 * month. Accounts enter a new month at different instants (their zones), so this runs often and adds nothing twice.
 */
export async function openMonths(store: Store, now: Date): Promise<{ accounts: number; opened: number }> {
  const accounts = await store.accounts.find({}, { projection: { timezone: 1 } }).toArray();
  const due = accounts.map((a) => ({ account: a, month: localMonth(now, a.timezone) }));
  const opened = new Set(
    (await store.ledger.find({ _id: { $in: due.map((d) => rolloverKey(d.account._id, d.month)) } }, { projection: { _id: 1 } }).toArray()).map((e) => e._id),
  );
  let posted = 0;
  for (const { account, month } of due) {
    if (opened.has(rolloverKey(account._id, month))) continue;
    if ((await postRollover(store, account, month, now)).posted) posted++;
  }
  return { accounts: accounts.length, opened: posted };
}
