import { markManyDirty } from './dirty-accounts';
import type { AccountDoc, PaymentMode } from './documents';
import type { Store } from './store';

export interface AccountInput {
  id: string;
  name: string;
  parentId: string | null;
  isReseller?: boolean;
  timezone: string;
  billingAccountId?: string | null;
  billing?: { paymentMode?: PaymentMode; cardToken?: string | null; contactEmail?: string | null };
}

export class NotFoundError extends Error {}

export async function getAccount(store: Store, id: string): Promise<AccountDoc> {
  const account = await store.accounts.findOne({ _id: id });
  if (!account) throw new NotFoundError(`no account "${id}"`);
  return account;
}

/**
 * Creates or updates an account's own fields; ancestors come from the parent, so parents are written first.
 * Billing state (dirty versions, standing) is left alone on update.
 */
export async function upsertAccount(store: Store, input: AccountInput, now: Date): Promise<AccountDoc> {
  const parent = input.parentId === null ? null : await getAccount(store, input.parentId);
  const ancestors = parent ? [...parent.ancestors, parent._id] : [];
  const result = await store.accounts.findOneAndUpdate(
    { _id: input.id },
    {
      $set: {
        name: input.name,
        parentId: input.parentId,
        ancestors,
        isReseller: input.isReseller ?? false,
        timezone: input.timezone,
        billingAccountId: input.billingAccountId ?? null,
        // Field by field: the rest of `billing` (auto-recharge, alerts) is set elsewhere and must survive a re-seed.
        'billing.paymentMode': input.billing?.paymentMode ?? 'self_managed',
        'billing.cardToken': input.billing?.cardToken ?? null,
        'billing.contactEmail': input.billing?.contactEmail ?? null,
      },
      $setOnInsert: { standing: 'good', dirtyVersion: 0, cleanVersion: 0, dirty: false, createdAt: now },
    },
    { upsert: true, returnDocument: 'after' },
  );
  if (!result) throw new Error(`account ${input.id} was not written`);
  return result;
}

/** The account and every account below it, through the `ancestors` index. */
export function subtree(store: Store, rootId: string): Promise<AccountDoc[]> {
  return store.accounts.find({ $or: [{ _id: rootId }, { ancestors: rootId }] }).toArray();
}

/**
 * Marks an account changed: the version stamp lets a running reconciliation see that it missed a change.
 * Accounts billed to another account dirty that one instead.
 */
export async function markDirty(store: Store, accountId: string, now: Date): Promise<void> {
  const dirtied = await markManyDirty(store, [accountId], now);
  if (dirtied.length === 0) throw new NotFoundError(`no account "${accountId}"`);
}

/** The account's ancestors, for reseller look-ups: one query on `_id`. */
export function ancestorsOf(store: Store, account: Pick<AccountDoc, 'ancestors'>): Promise<AccountDoc[]> {
  return store.accounts.find({ _id: { $in: account.ancestors } }).toArray();
}
