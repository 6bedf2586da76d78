import type { Quantities } from './plans/types';

/*
 * The account tree as KAZOO keeps it: every account lists its ancestors root first (`pvt_tree`), so subtree
 * questions are answered from one field instead of walking parents.
 */

export interface TreeAccount {
  readonly _id: string;
  readonly parentId: string | null;
  /** Root first, the account itself excluded. */
  readonly ancestors: readonly string[];
  readonly isReseller: boolean;
}

export interface CountedAccount extends TreeAccount {
  /** The account's own counts (its `account` quantity layer). */
  readonly quantities: Quantities;
}

export class AccountTreeError extends Error {}

/**
 * The account that bills `account`: its nearest ancestor flagged reseller (the account itself is not considered),
 * else the master (the root of its tree). The master itself has no reseller: null.
 */
export function resellerOf(account: TreeAccount, ancestorsById: ReadonlyMap<string, Pick<TreeAccount, 'isReseller'>>): string | null {
  const { ancestors } = account;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const id = ancestors[i]!;
    const ancestor = ancestorsById.get(id);
    if (ancestor === undefined) throw new AccountTreeError(`account ${account._id}: ancestor ${id} is unknown, so its reseller cannot be told`);
    if (ancestor.isReseller) return id;
  }
  return ancestors[0] ?? null;
}

/**
 * The accounts to re-price when `account`'s counts change: its ancestors from its parent up to its reseller (the
 * master when it has none), nearest first. Each of them counts `account` in its cascade. Further up is the reseller's
 * own reconciliation's to pass on, so a change climbs the tree one reseller at a time.
 */
export function ancestorsUpToReseller(account: TreeAccount, ancestorsById: ReadonlyMap<string, Pick<TreeAccount, 'isReseller'>>): string[] {
  const reseller = resellerOf(account, ancestorsById);
  return reseller === null ? [] : account.ancestors.slice(account.ancestors.indexOf(reseller)).reverse();
}

/** Whether `account` is `rootId` or lies beneath it. */
export function isInSubtree(account: Pick<TreeAccount, '_id' | 'ancestors'>, rootId: string): boolean {
  return account._id === rootId || account.ancestors.includes(rootId);
}

/**
 * The `cascade` layer of `accountId`: the own counts of every account beneath it, summed per category and item.
 * The account's own counts are left out, as in KAZOO's cascade_quantities view (keyed by each ancestor in pvt_tree),
 * because pricing adds the account's own layer to the cascade itself (rule 2); counting it here would bill it twice.
 */
export function cascadeQuantities(accountId: string, accounts: Iterable<Pick<CountedAccount, '_id' | 'ancestors' | 'quantities'>>): Quantities {
  // Maps, not objects, while summing: category and item names are data and may be anything, `__proto__` included.
  const totals = new Map<string, Map<string, number>>();
  for (const account of accounts) {
    if (account._id === accountId || !account.ancestors.includes(accountId)) continue;
    for (const [category, items] of Object.entries(account.quantities)) {
      const categoryTotals = totals.get(category) ?? new Map<string, number>();
      totals.set(category, categoryTotals);
      for (const [item, count] of Object.entries(items)) {
        const total = (categoryTotals.get(item) ?? 0) + count;
        if (!Number.isSafeInteger(total)) throw new AccountTreeError(`cascade of ${accountId}: ${category}/${item} exceeds the exact integer range`);
        categoryTotals.set(item, total);
      }
    }
  }
  return Object.fromEntries([...totals].map(([category, items]) => [category, Object.fromEntries(items)]));
}
