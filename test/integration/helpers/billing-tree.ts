import type { AccountDoc } from '../../../src/store/documents';
import type { Store } from '../../../src/store/store';

/**
 * A small account tree for ledger, payment and usage tests, written straight to the store:
 *   master (root) -> reseller (flagged reseller, card tok_ok_reseller) -> sub (a customer, credit is a limit)
 *   master -> direct (a customer of the master itself)
 */
export const TREE = { master: 'master', reseller: 'reseller', sub: 'sub', direct: 'direct' } as const;

/** An account document as the store holds it, written straight to the store by fixtures (New York unless `extra` says). */
export function accountDoc(id: string, parentId: string | null, ancestors: string[], extra: Partial<AccountDoc> = {}): AccountDoc {
  return {
    _id: id,
    name: `${id} account`,
    parentId,
    ancestors,
    isReseller: false,
    timezone: 'America/New_York',
    billing: { paymentMode: 'self_managed', cardToken: null, contactEmail: null },
    standing: 'good',
    dirtyVersion: 0,
    cleanVersion: 0,
    dirty: false,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    ...extra,
  };
}

export async function writeTree(store: Store): Promise<void> {
  await store.accounts.insertMany([
    accountDoc(TREE.master, null, [], { timezone: 'UTC' }),
    accountDoc(TREE.reseller, TREE.master, [TREE.master], {
      isReseller: true,
      billing: { paymentMode: 'credit_then_card', cardToken: 'tok_ok_reseller', contactEmail: null },
    }),
    accountDoc(TREE.sub, TREE.reseller, [TREE.master, TREE.reseller], { timezone: 'Europe/Berlin' }),
    accountDoc(TREE.direct, TREE.master, [TREE.master]),
  ]);
}
