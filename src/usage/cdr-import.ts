/**
 * Imports a CDR file: every row validated (bad rows reported with line, field and value, and skipped), calls stored
 * once (`_id` = call id) and their per-minute debits posted once (keys from the call id and the debited account).
 * Rows go in batches of unordered bulk inserts; one batch is in memory at a time. Debits are always derived from the
 * call as stored, and posted even when the call was already there, so an import interrupted between the two writes
 * is completed by importing the file again, which otherwise adds nothing.
 */
import type { TreeAccount } from '../domain/account-tree';
import { callDebits, payerOf } from '../domain/cdr-charges';
import type { AccountLineage } from '../domain/cdr-charges';
import { parseCdrRow } from '../domain/cdr-row';
import type { CdrRow } from '../domain/cdr-row';
import type { CdrDoc } from '../store/documents';
import { insertManyKeepingNew } from '../store/duplicates';
import { postMany } from '../store/ledger';
import type { Store } from '../store/store';
import { readCdrFile } from './cdr-source';
import type { CdrFormat } from './cdr-source';

export interface CdrImportReport {
  rows: number;
  imported: number;
  alreadyImported: number;
  rejected: number;
  /** Calls already stored with other content: the stored call stands and is what is charged. */
  conflicts: number;
  /** Rows whose cost was computed from their rate. */
  rated: number;
  debitsPosted: number;
  debitsAlreadyPosted: number;
}

export interface CdrImportOptions {
  format?: CdrFormat;
  batchSize?: number;
  /** Called once per rejected row or conflict, as it is found, so a bad file's report is never held in memory. */
  onProblem?: (line: number, problem: string) => void;
  /** Called after each batch with the counts so far. */
  onProgress?: (report: Readonly<CdrImportReport>) => void;
  /** Called after each batch with the accounts its debits were posted to (or found posted), to check their funds. */
  onDebited?: (accountIds: readonly string[]) => void;
}

interface Pending {
  line: number;
  row: CdrRow;
}

type Known = AccountLineage & TreeAccount;

export async function importCdrFile(
  deps: { store: Store; now(): Date },
  path: string,
  options: CdrImportOptions = {},
): Promise<CdrImportReport> {
  const report: CdrImportReport = { rows: 0, imported: 0, alreadyImported: 0, rejected: 0, conflicts: 0, rated: 0, debitsPosted: 0, debitsAlreadyPosted: 0 };
  const problem = (line: number, text: string) => options.onProblem?.(line, text);
  const accounts = new AccountCache(deps.store);
  const batchSize = options.batchSize ?? 1000;
  let batch: Pending[] = [];
  const flush = async () => {
    const debited = await importBatch(deps, accounts, batch, path, report, problem);
    batch = [];
    options.onDebited?.(debited);
    options.onProgress?.(report);
  };
  for await (const item of readCdrFile(path, options.format)) {
    report.rows++;
    if ('problem' in item) {
      report.rejected++;
      problem(item.line, item.problem);
      continue;
    }
    const parsed = parseCdrRow(item.record);
    if (!parsed.ok) {
      report.rejected++;
      problem(item.line, parsed.problems.join('; '));
      continue;
    }
    batch.push({ line: item.line, row: parsed.row });
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  return report;
}

async function importBatch(
  deps: { store: Store; now(): Date },
  accounts: AccountCache,
  batch: readonly Pending[],
  source: string,
  report: CdrImportReport,
  problem: (line: number, text: string) => void,
): Promise<string[]> {
  await accounts.load(batch.map((p) => p.row.accountId));
  const known = batch.filter((p) => {
    const account = accounts.get(p.row.accountId);
    const reason = !account
      ? `account_id: no such account (got ${JSON.stringify(p.row.accountId)})`
      : !accounts.get(accounts.payerOf(account))
        ? `account_id: the account that pays for ${p.row.accountId} (${accounts.payerOf(account)}) does not exist`
        : undefined;
    if (reason === undefined) return true;
    report.rejected++;
    problem(p.line, reason);
    return false;
  });
  const now = deps.now();
  const docs = known.map((p) => toDoc(p.row, source, now));
  // Calls stored before (a file imported again) are looked up by `_id` first: offering them to the insert only to be
  // refused costs far more. A call that another import stores meanwhile is refused by the insert all the same.
  const before = await storedCalls(deps.store, docs);
  const fresh = docs.flatMap((doc, i) => (before.has(doc._id) ? [] : [i]));
  const raced = (await insertManyKeepingNew(deps.store.cdrs, fresh.map((i) => docs[i] as CdrDoc))).map((k) => fresh[k] as number);
  const duplicates = new Set([...docs.flatMap((doc, i) => (before.has(doc._id) ? [i] : [])), ...raced]);
  const stored = new Map([...before, ...(await storedCalls(deps.store, raced.map((i) => docs[i] as CdrDoc)))]);
  const calls = docs.map((doc, i) => {
    const already = duplicates.has(i) ? stored.get(doc._id) : undefined;
    if (!already) return doc;
    if (differs(already, doc)) {
      report.conflicts++;
      problem((known[i] as Pending).line, `call_id: ${doc._id} was imported before with other content; the stored call stands`);
    }
    return already;
  });
  report.imported += docs.length - duplicates.size;
  report.alreadyImported += duplicates.size;
  report.rated += known.filter((p, i) => p.row.rated.length > 0 && !duplicates.has(i)).length;

  // A call stored earlier may name an account this file does not; its debits still need its lineage.
  await accounts.load(calls.map((c) => c.accountId));
  const debits = calls.flatMap((call) => {
    const account = accounts.get(call.accountId) as Known;
    return callDebits(call, account, accounts.get(accounts.payerOf(account)) as Known, source);
  });
  const posted = await postMany(deps.store, debits, now);
  report.debitsPosted += posted.posted;
  report.debitsAlreadyPosted += posted.duplicates;
  return [...new Set(debits.map((d) => d.accountId))];
}

function toDoc(row: CdrRow, source: string, importedAt: Date): CdrDoc {
  const { callId, rated: _rated, ...call } = row;
  return { _id: callId, ...call, source, importedAt };
}

async function storedCalls(store: Store, docs: readonly CdrDoc[]): Promise<Map<string, CdrDoc>> {
  if (docs.length === 0) return new Map();
  const found = await store.cdrs.find({ _id: { $in: docs.map((d) => d._id) } }).toArray();
  return new Map(found.map((d) => [d._id, d] as const));
}

function differs(a: CdrDoc, b: CdrDoc): boolean {
  return (
    a.accountId !== b.accountId ||
    a.startedAt.getTime() !== b.startedAt.getTime() ||
    a.billingSeconds !== b.billingSeconds ||
    a.customerCost !== b.customerCost ||
    a.resellerCost !== b.resellerCost
  );
}

/** The accounts a file mentions, their ancestors and payers: loaded once per import, a few queries per new account. */
class AccountCache {
  private readonly byId = new Map<string, Known>();
  private readonly absent = new Set<string>();

  constructor(private readonly store: Store) {}

  get(id: string): Known | undefined {
    return this.byId.get(id);
  }

  payerOf(account: Known): string {
    return payerOf(account, this.byId);
  }

  /** Loads the accounts and, so that payers can be told, their ancestors and billing accounts. */
  async load(ids: Iterable<string>): Promise<void> {
    let missing = this.unseen(ids);
    while (missing.length > 0) {
      const found = await this.store.accounts
        .find({ _id: { $in: missing } }, { projection: { ancestors: 1, billingAccountId: 1, timezone: 1, isReseller: 1, parentId: 1 } })
        .toArray();
      for (const id of missing) this.absent.add(id);
      for (const account of found as Known[]) {
        this.absent.delete(account._id);
        this.byId.set(account._id, account);
      }
      missing = this.unseen(found.flatMap((a) => [...a.ancestors, ...(a.billingAccountId ? [a.billingAccountId] : [])]));
    }
  }

  private unseen(ids: Iterable<string>): string[] {
    return [...new Set(ids)].filter((id) => !this.byId.has(id) && !this.absent.has(id));
  }
}
