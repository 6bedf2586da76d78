import { payerOf } from '../domain/cdr-charges';
import { ancestorsOf, getAccount } from '../store/accounts';
import { balanceOf } from '../store/balances';
import type { AccountDoc } from '../store/documents';
import type { Store } from '../store/store';

/** An account as the recharge and alert jobs need it: itself, the account that pays for it, its exact balance. */
export interface AccountContext {
  account: AccountDoc;
  /** The account itself when it pays its own way (the master, a reseller, or one with no reseller above it). */
  payer: AccountDoc;
  /** The ledger's sum, read now: decisions never rest on the kept copy. */
  balance: number;
}

export function paysItsOwnWay(context: Pick<AccountContext, 'account' | 'payer'>): boolean {
  return context.payer._id === context.account._id;
}

export async function loadAccountContext(store: Store, accountId: string): Promise<AccountContext> {
  const account = await getAccount(store, accountId);
  const ancestors = await ancestorsOf(store, account);
  const payerId = payerOf(account, new Map(ancestors.map((a) => [a._id, a] as const)));
  const payer = payerId === account._id ? account : (ancestors.find((a) => a._id === payerId) ?? (await getAccount(store, payerId)));
  const { balance } = await balanceOf(store, accountId);
  return { account, payer, balance };
}
