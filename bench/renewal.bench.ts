import { mergePlans, parsePlanDocument } from '../src/domain/plans';
import { reconcile } from '../src/domain/reconcile';
import { afterRenewing, monthsDue } from '../src/domain/renewal/schedule';
import type { Enqueuer } from '../src/queues/producer';
import { issueRenewals } from '../src/renewal/issue';
import { sweepRenewals } from '../src/renewal/run';
import type { RenewalDeps } from '../src/renewal/run';
import type { AccountDoc, BilledSnapshotDoc, PlanAssignmentDoc } from '../src/store/documents';
import { ensureIndexes } from '../src/store/indexes';
import { markRenewed } from '../src/store/renewals';
import { openStore } from '../src/store/store';
import type { Store } from '../src/store/store';
import type { BenchSuite } from './harness';
import { startBenchServices } from './services';

/*
 * The hourly renewal sweep over RENEWAL_BENCH_ACCOUNTS accounts (default 100,000) all due at once, as on the 1st of a
 * month: 2 resellers with customers under them in 4 zones, each reconciled once (a billed snapshot), on one of 4
 * retail plans. Each renewal issues the invoice, posts the customer's credit-limit debit and moves the account on.
 * Per-account jobs (payment and mail) are not enqueued (the enqueuer does nothing), so the figures are the store
 * work of the sweep itself. Baseline: the same code one account at a time (five reads, an insert, a ledger post and an
 * update per account, the plans merged for every account). Candidate: the sweep, 1,000 accounts per batch (the
 * reads as $in queries, plans merged once per plan set, one insertMany and one postMany per batch).
 * Every case needs MongoDB: scripts/services starts a mongo-java-server (in memory), where every look-up and
 * conditional update not on `_id` alone scans its collection (see the README's Benchmarks), so one at a time costs
 * several scans of the whole database per account: the baseline renews RENEWAL_BENCH_BASELINE_ACCOUNTS (default
 * 5,000) accounts of its database of the same size, and the ratio is of the time per account. Measured here at
 * 100,000: one at a time 6.2 accounts/s, the sweep 48.0 accounts/s (7.7x; 34.7 minutes), Node's peak RSS 137 and 150 MB.
 */

const ACCOUNTS = Number(process.env.RENEWAL_BENCH_ACCOUNTS ?? 100_000);
const BASELINE_ACCOUNTS = Math.min(ACCOUNTS, Number(process.env.RENEWAL_BENCH_BASELINE_ACCOUNTS ?? 5_000));
const RESELLERS = ['res-a', 'res-b'];
const ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'America/Los_Angeles'];
const NOW = new Date('2026-04-01T12:00:00Z');
const CREATED = new Date('2026-01-01T00:00:00Z');

function planJson(i: number) {
  return { plan: { devices: { sip_device: { rate: 20 + i, discounts: { cumulative: { maximum: 5, rate: 1 } } } }, users: { user: { rate: 10, minimum: 2 } }, phone_numbers: { did_us: { rate: 1 } } } };
}

async function seed(store: Store, count: number): Promise<void> {
  await store.db.dropDatabase();
  await ensureIndexes(store);
  const base = { standing: 'good' as const, dirtyVersion: 0, cleanVersion: 0, dirty: false, createdAt: CREATED };
  await store.accounts.insertMany([
    { _id: 'master', name: 'master', parentId: null, ancestors: [], isReseller: false, timezone: 'UTC', billing: { paymentMode: 'self_managed' }, ...base },
    ...RESELLERS.map((id) => ({ _id: id, name: id, parentId: 'master', ancestors: ['master'], isReseller: true, timezone: 'UTC', billing: { paymentMode: 'self_managed' as const }, ...base })),
  ]);
  const plans = [0, 1, 2, 3].map((i) => ({ _id: `retail-${i}`, ownerId: RESELLERS[i % 2]!, name: `retail ${i}`, document: planJson(i), importedAt: CREATED }));
  await store.servicePlans.insertMany(plans);
  const merged = plans.map((p) => {
    const parsed = parsePlanDocument(p.document);
    if (!parsed.ok) throw new Error('bench plan does not parse');
    return mergePlans([parsed.document]);
  });
  const CHUNK = 5_000;
  for (let start = 0; start < count; start += CHUNK) {
    const accounts: AccountDoc[] = [];
    const assignments: PlanAssignmentDoc[] = [];
    const snapshots: BilledSnapshotDoc[] = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) {
      const id = `cust-${i}`;
      const reseller = RESELLERS[i % 2]!;
      const zone = ZONES[i % ZONES.length]!;
      const planIndex = (i % 2) + 2 * ((i >> 1) % 2);
      accounts.push({ _id: id, name: id, parentId: reseller, ancestors: ['master', reseller], isReseller: false, timezone: zone, billing: { paymentMode: 'self_managed', contactEmail: null }, renewal: afterRenewing('2026-03', zone), ...base });
      assignments.push({ _id: `${id}/retail-${planIndex}`, accountId: id, planId: `retail-${planIndex}`, overrides: null, assignedAt: CREATED });
      const quantities = { account: { devices: { sip_device: 1 + (i % 9) }, users: { user: 1 + (i % 4) }, phone_numbers: { did_us: i % 3 } }, cascade: {}, manual: {} };
      const first = reconcile({ previous: null, quantities, plan: merged[planIndex]!, today: '2026-03-10' });
      snapshots.push({ _id: id, seq: 1, billed: { ...first.next, version: 1, payerId: id, reconciledAt: CREATED }, pending: null });
    }
    await store.accounts.insertMany(accounts);
    await store.planAssignments.insertMany(assignments);
    await store.billedSnapshots.insertMany(snapshots);
  }
}

/** Takes what the sweep would enqueue and drops it, so the figures are the store work alone. */
const droppingEnqueuer = (): Pick<Enqueuer, 'enqueueMany'> => ({ enqueueMany: () => Promise.resolve([]) });

function depsFor(store: Store): RenewalDeps {
  return { store, now: () => NOW, enqueuer: droppingEnqueuer() } as unknown as RenewalDeps;
}

/** The first `count` due accounts one at a time through the same functions, as a per-account job would issue its own invoice. */
async function oneByOne(store: Store, count: number): Promise<number> {
  let issued = 0;
  for await (const account of store.accounts.find({ 'renewal.dueAt': { $lte: NOW } }, { projection: { _id: 1, timezone: 1, renewal: 1 } }).limit(count)) {
    const months = monthsDue(account.renewal!, NOW, account.timezone);
    issued += (await issueRenewals(store, [{ accountId: account._id, months }], NOW)).issued;
    await markRenewed(store, [{ account, month: months.at(-1)! }]);
  }
  return issued;
}

function expectIssued(issued: number, want: number): number {
  if (issued !== want) throw new Error(`expected ${want} invoices, issued ${issued}`);
  return issued;
}

export const renewal: BenchSuite = {
  name: 'renewal',
  description: `renewal sweep of ${ACCOUNTS.toLocaleString('en-US')} due accounts into a fresh database`,
  iterations: 1,
  warmup: 0,
  async prepare() {
    const services = await startBenchServices();
    const baselineStore = await openStore(services.mongoUrl, 'bench_renewal_one_by_one');
    const sweepStore = await openStore(services.mongoUrl, 'bench_renewal_batched');
    const dispose = async (): Promise<void> => {
      await Promise.all([baselineStore.close(), sweepStore.close()]);
      await services.stop();
    };
    const started = Date.now();
    await seed(baselineStore, ACCOUNTS);
    await seed(sweepStore, ACCOUNTS);
    console.error(`renewal: seeded two databases of ${ACCOUNTS} accounts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return {
      dispose,
      units: [{ label: 'accounts', perRun: ACCOUNTS }],
      baseline: {
        name: 'one account at a time',
        units: [{ label: 'accounts', perRun: BASELINE_ACCOUNTS }],
        run: async () => expectIssued(await oneByOne(baselineStore, BASELINE_ACCOUNTS), BASELINE_ACCOUNTS),
      },
      candidates: [
        {
          name: 'sweep, 1,000 accounts per batch',
          run: async () => expectIssued((await sweepRenewals(depsFor(sweepStore), 1_000)).issued, ACCOUNTS),
        },
      ],
    };
  },
};
