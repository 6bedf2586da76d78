import { insertManyKeepingNew, isDuplicateKey } from './duplicates';
import { LedgerEntryError, checkPosting } from '../domain/ledger-entry';
import { announceOne, announcePosting, applyPosted } from './funds';
import type { LedgerPosting } from '../domain/ledger-entry';
import type { AccountDoc, LedgerEntryDoc } from './documents';
import type { Store } from './store';
import { metrics } from '../ops/metrics';

/**
 * The append-only ledger. An entry's `_id` is its cause key, so writing a cause a second time inserts nothing; the
 * writer is told (`posted: false`) and shown what is there. Entries are never updated: a correction is a new entry.
 * What is inserted is also added to the account's kept balance (src/store/funds.ts); a duplicate adds nothing.
 */

export type PostResult =
  | { posted: true; entry: LedgerEntryDoc }
  /** `conflict` is true when the entry already there differs from the one offered (account, kind or amount). */
  | { posted: false; existing: LedgerEntryDoc; conflict: boolean };

export interface PostManyResult {
  posted: number;
  duplicates: number;
  /** Keys whose stored entry differs from the one offered: the stored one stands. */
  conflicts: string[];
}

type Lineage = Pick<AccountDoc, '_id' | 'ancestors'>;

async function lineages(store: Store, accountIds: Iterable<string>): Promise<Map<string, Lineage>> {
  const ids = [...new Set(accountIds)];
  const found = await store.accounts.find({ _id: { $in: ids } }, { projection: { ancestors: 1 } }).toArray();
  const byId = new Map(found.map((a) => [a._id, a] as const));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) throw unknownAccounts(missing);
  return byId;
}

function unknownAccounts(ids: readonly string[]): LedgerEntryError {
  return new LedgerEntryError(`ledger entry for unknown account(s): ${ids.map((m) => JSON.stringify(m)).join(', ')}`);
}

function toDoc(p: LedgerPosting, lineage: Lineage, now: Date): LedgerEntryDoc {
  return {
    _id: p._id,
    accountId: p.accountId,
    amount: p.amount,
    kind: p.kind,
    period: p.period,
    description: p.description,
    source: p.source,
    ancestors: lineage.ancestors,
    occurredAt: p.occurredAt,
    forAccountId: p.forAccountId ?? null,
    ...(p.kind === 'rollover' ? { carried: p.carried ?? 0 } : {}),
    createdAt: now,
  };
}

function differs(stored: LedgerEntryDoc, offered: LedgerPosting): boolean {
  return stored.accountId !== offered.accountId || stored.kind !== offered.kind || stored.amount !== offered.amount;
}

/** Counts the money of the entries inserted; a duplicate of a cause added nothing to the ledger, so nothing here. */
function countPosted(docs: readonly LedgerEntryDoc[], duplicateIndexes: readonly number[] = []): void {
  const duplicate = new Set(duplicateIndexes);
  docs.forEach((doc, i) => {
    if (!duplicate.has(i)) metrics.moneyPosted(doc.kind, doc.amount);
  });
}

export async function post(store: Store, posting: LedgerPosting, now: Date): Promise<PostResult> {
  checkPosting(posting);
  const { token, account } = await announceOne(store, posting.accountId, now);
  if (!account) throw unknownAccounts([posting.accountId]);
  const doc = toDoc(posting, account, now);
  try {
    await store.ledger.insertOne(doc);
    countPosted([doc]);
    await applyPosted(store, token, [doc.accountId], [doc], now);
    return { posted: true, entry: doc };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await applyPosted(store, token, [doc.accountId], [], now);
  }
  const existing = await store.ledger.findOne({ _id: posting._id });
  if (!existing) throw new Error(`ledger entry ${posting._id} was reported as a duplicate but cannot be read back`);
  return { posted: false, existing, conflict: differs(existing, posting) };
}

/**
 * Posts a batch in one unordered insert: every new cause is written even when others in the batch are duplicates.
 * Every posting is checked before anything is written, so one malformed posting rejects the whole batch.
 */
export async function postMany(store: Store, postings: readonly LedgerPosting[], now: Date): Promise<PostManyResult> {
  if (postings.length === 0) return { posted: 0, duplicates: 0, conflicts: [] };
  postings.forEach(checkPosting);
  const byAccount = await lineages(store, postings.map((p) => p.accountId));
  const docs = postings.map((p) => toDoc(p, byAccount.get(p.accountId) as Lineage, now));
  const accountIds = docs.map((d) => d.accountId);
  const token = await announcePosting(store, accountIds, now);
  const duplicateIndexes = await insertManyKeepingNew(store.ledger, docs);
  countPosted(docs, duplicateIndexes);
  const duplicate = new Set(duplicateIndexes);
  await applyPosted(store, token, accountIds, docs.filter((_, i) => !duplicate.has(i)), now);
  const conflicts = await findConflicts(store, duplicateIndexes.map((i) => postings[i] as LedgerPosting));
  return { posted: docs.length - duplicateIndexes.length, duplicates: duplicateIndexes.length, conflicts };
}

async function findConflicts(store: Store, offered: readonly LedgerPosting[]): Promise<string[]> {
  if (offered.length === 0) return [];
  const stored = await store.ledger.find({ _id: { $in: offered.map((p) => p._id) } }).toArray();
  const byId = new Map(stored.map((e) => [e._id, e] as const));
  // A key repeated inside one batch is compared with the stored entry, which may be the batch's own first copy.
  return [...new Set(offered.filter((p) => { const s = byId.get(p._id); return s !== undefined && differs(s, p); }).map((p) => p._id))];
}
