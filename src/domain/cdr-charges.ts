/**
 * The ledger debits of one rated call. Sub-account credit is a limit ("fake money"): a call debits the sub-account
 * its customer cost, and debits for real the account that pays for it its reseller cost (what the platform charges).
 * A paying account's own call is one real debit. Zero costs (flat-rate calls) post nothing.
 */
import { resellerOf } from './account-tree';
import type { TreeAccount } from './account-tree';
import { localMonth } from './calendar';
import { callKey } from './cause-keys';
import type { LedgerPosting } from './ledger-entry';
import { formatUnits } from './money';
import type { AccountDoc, CdrDoc } from '../store/documents';

export type AccountLineage = Pick<AccountDoc, '_id' | 'ancestors' | 'billingAccountId' | 'timezone'>;

/**
 * Who pays for an account's usage: its billing account when one is set; else a reseller and the master pay for
 * themselves (they are the paying accounts, with the card); any other account is paid for by its reseller.
 */
export function payerOf(account: AccountLineage & TreeAccount, ancestorsById: ReadonlyMap<string, Pick<TreeAccount, 'isReseller'>>): string {
  if (account.billingAccountId) return account.billingAccountId;
  if (account.isReseller) return account._id;
  return resellerOf(account, ancestorsById) ?? account._id;
}

type RatedCall = Pick<CdrDoc, '_id' | 'accountId' | 'startedAt' | 'toNumber' | 'billingSeconds' | 'rate' | 'customerCost' | 'resellerCost'>;

export function callDebits(call: RatedCall, account: AccountLineage, payer: AccountLineage, source: string): LedgerPosting[] {
  if (call.accountId !== account._id) throw new Error(`call ${call._id} belongs to ${call.accountId}, not ${account._id}`);
  const what = `call ${call._id} to ${call.toNumber}, ${call.billingSeconds}s at ${formatUnits(call.rate, 4)}/min`;
  const debit = (on: AccountLineage, cost: number, description: string, forAccountId: string | null): LedgerPosting[] =>
    cost === 0
      ? []
      : [
          {
            _id: callKey(on._id, call._id),
            accountId: on._id,
            amount: -cost,
            kind: 'per_minute',
            period: localMonth(call.startedAt, on.timezone),
            description,
            source,
            occurredAt: call.startedAt,
            forAccountId,
          },
        ];
  if (payer._id === account._id) return debit(account, call.resellerCost, `Per-minute ${what}`, null);
  return [
    ...debit(account, call.customerCost, `Per-minute ${what} (credit limit; billed to ${payer._id})`, null),
    ...debit(payer, call.resellerCost, `Per-minute ${what} of sub-account ${account._id}`, account._id),
  ];
}
