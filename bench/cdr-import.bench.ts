import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callDebits, payerOf } from '../src/domain/cdr-charges';
import { CDR_COLUMNS, parseCdrRow } from '../src/domain/cdr-row';
import type { AccountDoc } from '../src/store/documents';
import { isDuplicateKey } from '../src/store/duplicates';
import { ensureIndexes } from '../src/store/indexes';
import { post } from '../src/store/ledger';
import { openStore } from '../src/store/store';
import type { Store } from '../src/store/store';
import { importCdrFile } from '../src/usage/cdr-import';
import type { CdrImportReport } from '../src/usage/cdr-import';
import { readCdrFile } from '../src/usage/cdr-source';
import { csvLine } from '../src/usage/csv-file';
import type { BenchSuite } from './harness';
import { startBenchServices } from './services';

/*
 * Imports one 100,000-CDR CSV (20 customers under 2 resellers; one row in ten carries a rate but no cost and is
 * rated on the way) into a fresh database, then imports the same file again, which must post nothing.
 * Baseline: the same rows read and validated the same way, but written one at a time: one insertOne per call and one
 * ledger post per debit, as a straightforward importer would; it imports the first CDR_BENCH_BASELINE_ROWS (default
 * 10,000) rows only (at about 30 rows/s the whole file would take most of an hour) and is compared per row. Every
 * case needs MongoDB: scripts/services starts a mongo-java-server unless MONGODB_URI is set. CDR_BENCH_ROWS makes the
 * file smaller for a quick look.
 */

const ROWS = Number(process.env.CDR_BENCH_ROWS ?? 100_000);
const BASELINE_ROWS = Math.min(ROWS, Number(process.env.CDR_BENCH_BASELINE_ROWS ?? 10_000));
const RESELLERS = ['res-a', 'res-b'];
const CUSTOMERS = Array.from({ length: 20 }, (_, i) => `cust-${i}`);
const NOW = new Date('2026-04-01T00:00:00Z');

function accountsFor(): AccountDoc[] {
  const base = { billing: { paymentMode: 'self_managed' as const }, standing: 'good' as const, dirtyVersion: 0, cleanVersion: 0, dirty: false, createdAt: NOW };
  return [
    { _id: 'master', name: 'master', parentId: null, ancestors: [], isReseller: false, timezone: 'UTC', ...base },
    ...RESELLERS.map((id) => ({ _id: id, name: id, parentId: 'master', ancestors: ['master'], isReseller: true, timezone: 'America/New_York', ...base })),
    ...CUSTOMERS.map((id, i) => {
      const reseller = RESELLERS[i % 2] as string;
      return { _id: id, name: id, parentId: reseller, ancestors: ['master', reseller], isReseller: false, timezone: 'Europe/Berlin', ...base };
    }),
  ];
}

function writeCdrFile(path: string): void {
  const lines = [csvLine(CDR_COLUMNS.filter(([c]) => c !== 'billing_minutes' && c !== 'from_number').map(([, heading]) => heading))];
  for (let i = 0; i < ROWS; i++) {
    const seconds = 5 + ((i * 37) % 1800);
    const rated = i % 10 === 0;
    const cost = (n: number) => (rated ? '' : `0.${String(n).padStart(4, '0')}`);
    lines.push(
      csvLine([
        new Date(Date.UTC(2026, 2, 1) + i * 25_000).toISOString(),
        `call-${i}@sbc.example`,
        `+1555${String(i % 10_000).padStart(4, '0')}`,
        `+44207${String(i % 1_000_000).padStart(6, '0')}`,
        String(seconds),
        '0.0125',
        'UK landline',
        'per_minute',
        cost(100 + (i % 900)),
        'per_minute',
        cost(150 + (i % 900)),
        'termination, peak',
        CUSTOMERS[i % CUSTOMERS.length] as string,
        i % 3 === 0 ? 'inbound' : 'outbound',
        'GB',
      ]),
    );
  }
  writeFileSync(path, lines.join(''));
}

async function freshStore(uri: string, name: string): Promise<Store> {
  const store = await openStore(uri, name);
  await store.db.dropDatabase();
  await ensureIndexes(store);
  await store.accounts.insertMany(accountsFor());
  return store;
}

/** The first `limit` rows, one write per call and per debit, through the single-entry APIs. */
async function importOneByOne(store: Store, path: string, limit: number): Promise<number> {
  const accounts = new Map(accountsFor().map((a) => [a._id, a] as const));
  let rows = 0;
  for await (const item of readCdrFile(path)) {
    if (rows === limit) break;
    if ('problem' in item) throw new Error(`line ${item.line}: ${item.problem}`);
    const parsed = parseCdrRow(item.record);
    if (!parsed.ok) throw new Error(`line ${item.line}: ${parsed.problems.join('; ')}`);
    const { callId, rated: _rated, ...call } = parsed.row;
    const doc = { _id: callId, ...call, source: path, importedAt: NOW };
    await store.cdrs.insertOne(doc).catch((error: unknown) => {
      if (!isDuplicateKey(error)) throw error;
    });
    const account = accounts.get(call.accountId) as AccountDoc;
    const payer = accounts.get(payerOf(account, accounts)) as AccountDoc;
    for (const debit of callDebits(doc, account, payer, path)) await post(store, debit, NOW);
    rows++;
  }
  return rows;
}

function checked(report: CdrImportReport, want: Partial<CdrImportReport>, what: string): CdrImportReport {
  for (const [key, value] of Object.entries(want)) {
    if (report[key as keyof CdrImportReport] !== value) throw new Error(`${what}: expected ${key} = ${value}, got ${JSON.stringify(report)}`);
  }
  return report;
}

export const cdrImport: BenchSuite = {
  name: 'cdr-import',
  description: `import a ${ROWS.toLocaleString('en-US')}-CDR CSV into a fresh database, then the same file again (must post nothing)`,
  iterations: 1,
  warmup: 0,
  async prepare() {
    const dir = mkdtempSync(join(tmpdir(), 'tollkeeper-cdr-bench-'));
    const path = join(dir, 'cdrs.csv');
    writeCdrFile(path);
    const services = await startBenchServices();
    const stores: Store[] = [];
    const open = async (name: string) => {
      const store = await freshStore(services.mongoUrl, name);
      stores.push(store);
      return store;
    };
    const dispose = async (): Promise<void> => {
      rmSync(dir, { recursive: true, force: true });
      await Promise.all(stores.map((s) => s.close()));
      await services.stop();
    };
    let batched: Store | undefined;
    const deps = (store: Store) => ({ store, now: () => NOW });
    return {
      dispose,
      units: [{ label: 'rows', perRun: ROWS }],
      baseline: {
        name: 'one insert per row',
        units: [{ label: 'rows', perRun: BASELINE_ROWS }],
        run: async () => importOneByOne(await open('bench_cdr_one_by_one'), path, BASELINE_ROWS),
      },
      candidates: [
        {
          name: 'streamed, batched import',
          run: async () => {
            batched = await open('bench_cdr_batched');
            return checked(await importCdrFile(deps(batched), path), { imported: ROWS, rejected: 0, debitsPosted: 2 * ROWS }, 'first import');
          },
        },
        {
          name: 're-import of the same file',
          run: async () => {
            if (!batched) throw new Error('the re-import case runs after the first import');
            return checked(await importCdrFile(deps(batched), path), { imported: 0, alreadyImported: ROWS, debitsPosted: 0 }, 're-import');
          },
        },
      ],
    };
  },
};
