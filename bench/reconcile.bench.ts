import { localBookkeeper } from '../src/bookkeeper/local-bookkeeper';
import { reconcileAccounts, reportCounts } from '../src/reconciliation/engine';
import type { ReconcileDeps, ReconcileReport } from '../src/reconciliation/engine';
import type { AccountDoc, InventoryDoc, PlanAssignmentDoc, ServicePlanDoc } from '../src/store/documents';
import { ensureIndexes } from '../src/store/indexes';
import { openStore } from '../src/store/store';
import type { Store } from '../src/store/store';
import type { BenchSuite } from './harness';
import { startBenchServices } from './services';

/*
 * Reconciles 20,000 dirty accounts (a master, 10 resellers, customers with 4-9 inventory items each on their
 * reseller's retail plan, the resellers on a cascading wholesale plan) in a database of their own per case.
 * Baseline: the same engine called with one account at a time, as one reconcile-account job per account does: every
 * read and write is a round trip of its own. Candidate: batches of 500 accounts, each read and write one round trip
 * for the whole batch. A second candidate dirties every account again and reconciles them once more: nothing has
 * changed, so nothing may be posted. Customers' ledgers must come out the same in both cases (resellers price the
 * cascade they see, which depends on which customers were counted before them, so theirs may differ).
 * MongoDB: scripts/services starts a mongo-java-server unless MONGODB_URI is set. RECONCILE_BENCH_ACCOUNTS makes it
 * smaller for a quick look. mongo-java-server keeps no secondary indexes and uses its `_id` index only for a filter on
 * `_id` alone, so there every other look-up (inventory by account, a compare-and-set on `_id` and a version) scans
 * its collection and both cases slow down as the database grows, the baseline far more (a scan per account instead
 * of per batch); on MongoDB they are index look-ups. Measured here at 20,000: one per round trip 7.0 accounts/s
 * (47.5 minutes), batches 28.1 accounts/s (4.0x), the second pass 45.8 accounts/s posting nothing; Node's peak RSS
 * 189-202 MB in every case.
 */

const ACCOUNTS = Number(process.env.RECONCILE_BENCH_ACCOUNTS ?? 20_000);
const RESELLERS = 10;
const BATCH = 500;
const NOW = new Date('2026-03-14T12:00:00Z');
const DEVICE_TYPES = ['sip_device', 'sip_device', 'softphone', 'cellphone'];

const RETAIL = {
  plan: {
    devices: { sip_device: { rate: 24.99, activation_charge: 10 }, softphone: { rate: 4.99 }, cellphone: { rate: 7.5, activation_charge: 5 } },
    phone_numbers: { did_us: { rate: 2.5, discounts: { cumulative: { maximum: 1, rate: 1 } } } },
    number_services: { e911: { rate: 2 } },
    users: { user: { rate: 8, minimum: 2 }, admin: { rate: 0 } },
    limits: { twoway_trunks: { rates: { '4': 29.99, '20': 24.99 } } },
  },
};
const WHOLESALE = { plan: { devices: { _all: { cascade: true, rates: { '1000': 5, '100000': 3 } } }, phone_numbers: { did_us: { cascade: true, rate: 1 } } } };

function account(_id: string, parentId: string | null, ancestors: string[], isReseller: boolean): AccountDoc {
  return {
    _id,
    name: _id,
    parentId,
    ancestors,
    isReseller,
    timezone: ['America/New_York', 'Europe/Berlin', 'Asia/Tokyo'][_id.length % 3]!,
    billing: { paymentMode: 'self_managed' },
    standing: 'good',
    dirtyVersion: 1,
    cleanVersion: 0,
    dirty: true,
    dirtyAt: new Date(NOW.getTime() - 3_600_000),
    createdAt: NOW,
  };
}

interface Dataset {
  accounts: AccountDoc[];
  plans: ServicePlanDoc[];
  assignments: PlanAssignmentDoc[];
  inventory: InventoryDoc[];
}

function dataset(): Dataset {
  const resellers = Array.from({ length: RESELLERS }, (_, r) => account(`r-${String(r).padStart(2, '0')}`, 'm', ['m'], true));
  const customers = Array.from({ length: ACCOUNTS - RESELLERS - 1 }, (_, i) => {
    const reseller = resellers[i % RESELLERS]!;
    return account(`c-${String(i).padStart(6, '0')}`, reseller._id, ['m', reseller._id], false);
  });
  const plans: ServicePlanDoc[] = [
    { _id: 'wholesale', ownerId: 'm', name: 'Wholesale', document: WHOLESALE, importedAt: NOW },
    ...resellers.map((r) => ({ _id: `${r._id}-retail`, ownerId: r._id, name: 'Retail', document: RETAIL, importedAt: NOW })),
  ];
  const assignments: PlanAssignmentDoc[] = [
    ...resellers.map((r) => ({ _id: `${r._id}/wholesale`, accountId: r._id, planId: 'wholesale', assignedAt: NOW })),
    ...customers.map((c) => ({ _id: `${c._id}/${c.parentId}-retail`, accountId: c._id, planId: `${c.parentId}-retail`, assignedAt: NOW })),
  ];
  const inventory = customers.flatMap((c, i): InventoryDoc[] => {
    const item = (suffix: string, rest: Omit<InventoryDoc, '_id' | 'accountId' | 'updatedAt'>): InventoryDoc => ({ _id: `${c._id}/${suffix}`, accountId: c._id, updatedAt: NOW, ...rest });
    const devices = 1 + (i % 4);
    return [
      ...Array.from({ length: devices }, (_, d) => item(`d${d}`, { kind: 'device', type: DEVICE_TYPES[(i + d) % DEVICE_TYPES.length]! })),
      item('n0', { kind: 'phone_number', type: 'did_us', features: ['e911'] }),
      ...(i % 3 === 0 ? [item('n1', { kind: 'phone_number', type: 'did_us', features: [] })] : []),
      item('u0', { kind: 'user', type: 'admin' }),
      item('u1', { kind: 'user', type: 'user' }),
      item('l', { kind: 'limits', type: 'trunks', counts: { twoway_trunks: i % 5 } }),
    ];
  });
  return { accounts: [account('m', null, [], false), ...resellers, ...customers], plans, assignments, inventory };
}

async function insertChunked<T extends { _id: string }>(insert: (docs: T[]) => Promise<unknown>, docs: readonly T[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 5_000) await insert(docs.slice(i, i + 5_000));
}

async function freshStore(uri: string, name: string, data: Dataset): Promise<Store> {
  const store = await openStore(uri, name);
  await store.db.dropDatabase();
  await ensureIndexes(store);
  await insertChunked((d) => store.accounts.insertMany(d), data.accounts);
  await store.servicePlans.insertMany(data.plans);
  await insertChunked((d) => store.planAssignments.insertMany(d), data.assignments);
  await insertChunked((d) => store.inventory.insertMany(d), data.inventory);
  return store;
}

const deps = (store: Store): ReconcileDeps => ({ store, bookkeeper: localBookkeeper, now: () => NOW });

function merged(reports: readonly ReconcileReport[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const report of reports) for (const [k, v] of Object.entries(reportCounts(report))) totals[k] = (totals[k] ?? 0) + v;
  return totals;
}

async function reconcileAll(store: Store, ids: readonly string[], batch: number): Promise<Record<string, number>> {
  const reports: ReconcileReport[] = [];
  for (let i = 0; i < ids.length; i += batch) reports.push(await reconcileAccounts(deps(store), ids.slice(i, i + batch)));
  const totals = merged(reports);
  if (totals.reconciled !== ids.length) throw new Error(`expected ${ids.length} accounts reconciled, got ${JSON.stringify(totals)}`);
  return totals;
}

/** The customers' ledgers, which must not depend on how the accounts were batched. */
async function customerLedger(store: Store): Promise<{ entries: number; total: number }> {
  const [row] = await store.ledger
    .aggregate<{ entries: number; total: number }>([{ $match: { accountId: { $regex: '^c-' } } }, { $group: { _id: null, entries: { $sum: 1 }, total: { $sum: '$amount' } } }])
    .toArray();
  return { entries: row?.entries ?? 0, total: row?.total ?? 0 };
}

export const reconcile: BenchSuite = {
  name: 'reconcile',
  description: `reconcile ${ACCOUNTS.toLocaleString('en-US')} dirty accounts (first reconciliation: activation and proration for each customer)`,
  iterations: 1,
  warmup: 0,
  async prepare() {
    const services = await startBenchServices();
    const data = dataset();
    const ids = data.accounts.map((a) => a._id).sort();
    const started = Date.now();
    const [single, batched] = [await freshStore(services.mongoUrl, 'bench_reconcile_single', data), await freshStore(services.mongoUrl, 'bench_reconcile_batched', data)];
    console.error(`reconcile: seeded two databases of ${ACCOUNTS} accounts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const dispose = async (): Promise<void> => {
      await Promise.all([single.close(), batched.close()]);
      await services.stop();
    };
    let firstPass: { entries: number; total: number } | undefined;
    return {
      dispose,
      units: [{ label: 'accounts', perRun: ACCOUNTS }],
      baseline: {
        name: 'one account per round trip',
        run: async () => {
          const totals = await reconcileAll(single, ids, 1);
          firstPass = await customerLedger(single);
          return totals;
        },
      },
      candidates: [
        {
          name: `batches of ${BATCH}`,
          run: async () => {
            const totals = await reconcileAll(batched, ids, BATCH);
            const ledger = await customerLedger(batched);
            if (firstPass && (ledger.entries !== firstPass.entries || ledger.total !== firstPass.total)) {
              throw new Error(`customers' ledgers differ: one by one ${JSON.stringify(firstPass)}, batched ${JSON.stringify(ledger)}`);
            }
            return totals;
          },
        },
        {
          name: `again, nothing changed (batches of ${BATCH})`,
          run: async () => {
            await batched.accounts.updateMany({}, { $inc: { dirtyVersion: 1 }, $set: { dirty: true } });
            const totals = await reconcileAll(batched, ids, BATCH);
            if (totals.posted !== 0 || totals.steps !== 0) throw new Error(`a second pass over unchanged accounts posted: ${JSON.stringify(totals)}`);
            return totals;
          },
        },
      ],
    };
  },
};
