import { createBookkeeper } from '../../src/bookkeeper';
import type { Bookkeeper } from '../../src/bookkeeper';
import { prorate } from '../../src/domain/proration';
import { reconcileAccounts } from '../../src/reconciliation/engine';
import type { ReconcileDeps } from '../../src/reconciliation/engine';
import type { App } from '../../src/runtime/app';
import { getAccount, markDirty, upsertAccount } from '../../src/store/accounts';
import type { LedgerEntryDoc } from '../../src/store/documents';
import { putInventory, removeInventory } from '../../src/store/inventory';
import { assignPlan, unassignPlan } from '../../src/store/plans';
import type { Store } from '../../src/store/store';
import { startBookkeeperServer } from '../support/bookkeeper-server';
import type { BookkeeperServer } from '../support/bookkeeper-server';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';
import { addDevices as addDevicesTo, world as makeWorld } from './helpers/reconcile-world';

const env = isolatedEnv('reconcile');
// 15:00 UTC is 11:00 in New York: the local date is the UTC one.
let clock = new Date('2026-03-01T15:00:00Z');
const now = () => clock;
let app: App;
let deps: ReconcileDeps;
let server: BookkeeperServer;

beforeAll(async () => {
  app = await openTestApp(env, now);
  deps = { store: app.store, bookkeeper: createBookkeeper({ kind: 'local' }), now };
  server = await startBookkeeperServer();
});

afterAll(async () => {
  await server.close();
  await closeTestApp(app);
});

const on = (date: string) => {
  clock = new Date(`${date}T15:00:00Z`);
};

const world = (tag: string, devices = 0) => makeWorld(app.store, tag, devices, clock);
const addDevices = (accountId: string, n: number) => addDevicesTo(app.store, accountId, n, clock);

function entries(accountId: string): Promise<LedgerEntryDoc[]> {
  return app.store.ledger.find({ accountId }).sort({ _id: 1 }).toArray();
}

async function run(ids: string[], d: ReconcileDeps = deps) {
  return reconcileAccounts(d, ids);
}

describe('marking dirty', () => {
  const version = async (id: string) => (await getAccount(app.store, id)).dirtyVersion;

  it('every inventory and plan-assignment write bumps the version; an item moving between accounts dirties both', async () => {
    const a = await world('mark-a');
    const b = await world('mark-b');
    const [va, vb] = [await version(a.customer), await version(b.customer)];
    const [device] = await addDevices(a.customer, 1);
    expect(await version(a.customer)).toBe(va + 1);
    await putInventory(app.store, { _id: device!, accountId: b.customer, kind: 'device', type: 'sip_device' }, clock);
    expect([await version(a.customer), await version(b.customer)]).toEqual([va + 2, vb + 1]);
    await removeInventory(app.store, device!, clock);
    await unassignPlan(app.store, b.customer, b.retail, clock);
    expect(await version(b.customer)).toBe(vb + 3);
    expect(await getAccount(app.store, b.customer)).toMatchObject({ dirty: true, dirtyAt: clock });
  });

  it('an account billed to another dirties that one, and an unknown account is an error', async () => {
    const w = await world('mark-billed');
    const branch = `${w.customer}-branch`;
    await upsertAccount(app.store, { id: branch, name: 'Branch', parentId: w.customer, timezone: 'UTC', billingAccountId: w.customer }, clock);
    const payer = await version(w.customer);
    await markDirty(app.store, branch, clock);
    expect(await version(w.customer)).toBe(payer + 1);
    expect(await getAccount(app.store, branch)).toMatchObject({ dirty: false, dirtyVersion: 0 });
    await expect(markDirty(app.store, 'nobody', clock)).rejects.toThrow('no account "nobody"');
  });
});

describe('reconciling a dirty account', () => {
  it('adding 3 devices mid-month posts activation for each and one prorated charge for exactly the days left', async () => {
    const w = await world('mid', 2);
    on('2026-03-01');
    const first = await run([w.customer]);
    expect(first.outcomes).toEqual([{ accountId: w.customer, status: 'reconciled', version: 3, clean: true, standing: 'good', steps: 1, charged: 400_000 + 100_000 }]);
    const before = await entries(w.customer);
    expect(before.map((e) => [e.kind, e.amount])).toEqual([
      ['activation', -100_000],
      ['proration', -400_000], // the whole of March on the 1st
    ]);

    on('2026-03-14');
    await addDevices(w.customer, 3);
    const second = await run([w.customer]);
    expect(second.outcomes[0]).toMatchObject({ status: 'reconciled', version: 6, clean: true, steps: 1 });
    const added = (await entries(w.customer)).filter((e) => !before.some((b) => b._id === e._id));
    // 3 more devices: $60 a month more, 18 of March's 31 days left (the 14th included).
    expect(added.map((e) => [e._id, e.kind, e.amount, e.period])).toEqual([
      [`activation:${w.customer}:${w.customer}.r2.v6`, 'activation', -150_000, '2026-03'],
      [`proration:${w.customer}:${w.customer}.r2.v6`, 'proration', -prorate(600_000, '2026-03-14').amount, '2026-03'],
    ]);
    expect(prorate(600_000, '2026-03-14')).toMatchObject({ amount: 348_387, daysLeft: 18, daysInMonth: 31 });
    expect(added[1]!.description).toContain('$40.00 to $100.00 a month');
  });

  it('running it again posts nothing more, whether or not the account was dirtied again', async () => {
    const w = await world('twice', 2);
    on('2026-03-05');
    await run([w.customer]);
    const after = await entries(w.customer);
    expect(await run([w.customer])).toMatchObject({ outcomes: [{ accountId: w.customer, status: 'skipped' }], posted: 0 });
    await markDirty(app.store, w.customer, clock);
    on('2026-03-06');
    expect(await run([w.customer])).toMatchObject({ outcomes: [{ status: 'reconciled', steps: 0, charged: 0, clean: true }], posted: 0 });
    expect(await entries(w.customer)).toEqual(after);
  });

  it('refunds nothing for a decrease and charges nothing for going back up within the month, but activation again', async () => {
    const w = await world('down', 3);
    on('2026-03-02');
    await run([w.customer]);
    const devices = await app.store.inventory.find({ accountId: w.customer }).toArray();
    await removeInventory(app.store, devices[0]!._id, clock);
    on('2026-03-03');
    expect(await run([w.customer])).toMatchObject({ outcomes: [{ steps: 1, charged: 0 }], posted: 0 });
    await addDevices(w.customer, 1);
    on('2026-03-04');
    const back = await run([w.customer]);
    expect(back).toMatchObject({ outcomes: [{ steps: 1, charged: 50_000 }], posted: 1 });
    expect((await entries(w.customer)).every((e) => e.amount < 0)).toBe(true);
  });

  it('a change while it runs leaves the account dirty, and the next run bills that change', async () => {
    const w = await world('during', 1);
    on('2026-03-10');
    const meddling: Bookkeeper = {
      name: 'local',
      async sync() {
        await addDevices(w.customer, 1);
        return { status: 'good' };
      },
    };
    const first = await run([w.customer], { ...deps, bookkeeper: meddling });
    expect(first.outcomes[0]).toMatchObject({ status: 'reconciled', clean: false });
    expect(await getAccount(app.store, w.customer)).toMatchObject({ dirty: true });
    const second = await run([w.customer]);
    expect(second.outcomes[0]).toMatchObject({ status: 'reconciled', clean: true, steps: 1, charged: 50_000 + prorate(200_000, '2026-03-10').amount });
  });

  it('dirties the reseller (whose cascade counts the customer), and the reseller dirties the master in turn', async () => {
    const w = await world('up', 4);
    const reseller = await getAccount(app.store, w.reseller);
    await app.store.accounts.updateMany({ _id: { $in: [w.reseller, w.master] } }, { $set: { dirty: false } });
    on('2026-03-10');
    await run([w.customer]);
    const dirtied = await getAccount(app.store, w.reseller);
    expect(dirtied).toMatchObject({ dirty: true, dirtyVersion: reseller.dirtyVersion + 1 });
    expect(await getAccount(app.store, w.master)).toMatchObject({ dirty: false });

    await run([w.reseller]);
    const snapshot = await app.store.billedSnapshots.findOne({ _id: w.reseller });
    expect(snapshot?.billed?.quantities.cascade).toEqual({ devices: { sip_device: 4 } });
    expect(snapshot?.billed?.recurring).toBe(80_000); // $2 x 4 cascaded devices
    expect(await getAccount(app.store, w.master)).toMatchObject({ dirty: true });
    expect(await app.store.quantities.findOne({ _id: w.customer })).toMatchObject({ account: { devices: { sip_device: 4 } }, cascade: {}, manual: {} });
  });

  it('two runs at once on the same account charge once', async () => {
    const w = await world('race', 3);
    on('2026-03-12');
    const [a, b] = await Promise.all([run([w.customer]), run([w.customer])]);
    expect(a.posted + b.posted).toBe(2);
    expect((await entries(w.customer)).length).toBe(2);
    expect(await app.store.billedSnapshots.findOne({ _id: w.customer })).toMatchObject({ seq: 1, pending: null });
  });
});

describe('a crash between posting the charges and storing the snapshot', () => {
  /** The store as the dying process saw it: writing the committed state throws. */
  function crashingOnCommit(store: Store): Store {
    return new Proxy(store, {
      get(target, prop, receiver) {
        if (prop !== 'billedSnapshots') return Reflect.get(target, prop, receiver) as unknown;
        return new Proxy(target.billedSnapshots, {
          get(coll, method, r) {
            if (method !== 'bulkWrite') return Reflect.get(coll, method, r) as unknown;
            return (ops: { updateOne?: { update: { $set?: { billed?: unknown } } } }[], options: unknown) => {
              if (ops.some((op) => op.updateOne?.update.$set?.billed !== undefined)) throw new Error('injected crash before the snapshot is stored');
              return coll.bulkWrite(ops as never, options as never);
            };
          },
        });
      },
    });
  }

  it('is finished by the rerun with the same entries: nothing is posted twice', async () => {
    const w = await world('crash', 3);
    on('2026-03-20');
    await expect(run([w.customer], { ...deps, store: crashingOnCommit(app.store) })).rejects.toThrow('injected crash');
    const posted = await entries(w.customer);
    expect(posted.map((e) => e.kind)).toEqual(['activation', 'proration']);
    expect(await app.store.billedSnapshots.findOne({ _id: w.customer })).toMatchObject({ seq: 0, billed: null, pending: { seq: 1 } });
    expect(await getAccount(app.store, w.customer)).toMatchObject({ dirty: true });

    on('2026-03-21'); // a day later: the keys and amounts are the stored step's, not recomputed
    const rerun = await run([w.customer]);
    expect(rerun).toMatchObject({ outcomes: [{ status: 'reconciled', clean: true, steps: 1 }], posted: 0, duplicates: 2 });
    expect(await entries(w.customer)).toEqual(posted);
    expect(await app.store.billedSnapshots.findOne({ _id: w.customer })).toMatchObject({ seq: 1, pending: null, billed: { recurring: 600_000 } });
  });

  it('bills a change made before the rerun on top of the finished step, once', async () => {
    const w = await world('crash2', 1);
    on('2026-03-20');
    await expect(run([w.customer], { ...deps, store: crashingOnCommit(app.store) })).rejects.toThrow('injected crash');
    await addDevices(w.customer, 2);
    const rerun = await run([w.customer]);
    expect(rerun).toMatchObject({ outcomes: [{ status: 'reconciled', clean: true, steps: 2 }], posted: 2, duplicates: 2 });
    expect((await entries(w.customer)).map((e) => [e.kind, e.amount])).toEqual([
      ['activation', -50_000],
      ['activation', -100_000],
      ['proration', -prorate(200_000, '2026-03-20').amount],
      ['proration', -prorate(400_000, '2026-03-20').amount],
    ]);
  });
});

describe('the bookkeeper', () => {
  const http = () => createBookkeeper({ kind: 'http', url: server.url, secret: 'reconcile-test-secret', timeoutMs: 30_000 });

  it('hands it the account items; a 402 marks the account delinquent with the reason, and it is clean', async () => {
    const w = await world('late', 2);
    on('2026-03-15');
    server.answer({ status: 402, body: JSON.stringify({ reason: 'invoice 2026-02 unpaid' }) });
    const before = server.received.length;
    const report = await run([w.customer], { ...deps, bookkeeper: http() });
    expect(report.outcomes[0]).toMatchObject({ status: 'reconciled', standing: 'delinquent', clean: true });
    expect(await getAccount(app.store, w.customer)).toMatchObject({ standing: 'delinquent', standingReason: 'invoice 2026-02 unpaid', dirty: false });
    const sent = JSON.parse(server.received[before]!.body) as { account_id: string; sync_id: string; items: unknown[] };
    expect(sent).toMatchObject({ account_id: w.customer, sync_id: `${w.customer}.v3`, recurring: '40.00' });
    expect(sent.items).toContainEqual({ account_id: w.customer, category: 'devices', item: 'sip_device', name: 'devices/sip_device', quantity: 2, billable: 2, rate: '20.00', total: '40.00' });
  });

  it('a 500 leaves the account dirty to retry; the charges are posted once, and a later 200 restores good standing', async () => {
    const w = await world('flaky', 2);
    on('2026-03-15');
    server.answer({ status: 500 });
    const failed = await run([w.customer], { ...deps, bookkeeper: http() });
    expect(failed.outcomes).toEqual([{ accountId: w.customer, status: 'retry', reason: `bookkeeper ${server.url} answered 500` }]);
    expect(await getAccount(app.store, w.customer)).toMatchObject({ dirty: true, standing: 'good' });
    const posted = await entries(w.customer);
    expect(posted).toHaveLength(2);

    server.answer({ status: 200 });
    const retried = await run([w.customer], { ...deps, bookkeeper: http() });
    expect(retried).toMatchObject({ outcomes: [{ status: 'reconciled', standing: 'good', clean: true, steps: 0 }], posted: 0 });
    expect(await entries(w.customer)).toEqual(posted);
  });
});

describe('standing', () => {
  it("good standing never clears dunning's past_due; a delinquency outranks it", async () => {
    const w = await world('pastdue', 1);
    on('2026-03-18');
    await app.store.accounts.updateOne({ _id: w.customer }, { $set: { standing: 'past_due', standingReason: 'invoice x/2026-03: declined' } });
    await run([w.customer]);
    expect(await getAccount(app.store, w.customer)).toMatchObject({ standing: 'past_due', standingReason: 'invoice x/2026-03: declined', dirty: false });
    await markDirty(app.store, w.customer, clock);
    const delinquent: Bookkeeper = { name: 'http', sync: () => Promise.resolve({ status: 'delinquent', reason: 'suspended by the bookkeeper' }) };
    await run([w.customer], { ...deps, bookkeeper: delinquent });
    expect(await getAccount(app.store, w.customer)).toMatchObject({ standing: 'delinquent', standingReason: 'suspended by the bookkeeper' });
    await markDirty(app.store, w.customer, clock);
    await run([w.customer]);
    expect(await getAccount(app.store, w.customer)).toMatchObject({ standing: 'good', standingReason: null });
  });
});

describe('accounts billed to another account', () => {
  it('dirty it and are reconciled with it, each charged on its own ledger as its renewals are', async () => {
    const w = await world('payer', 1);
    const branch = `${w.customer}-branch`;
    await upsertAccount(app.store, { id: branch, name: 'Branch', parentId: w.reseller, timezone: 'America/New_York', billingAccountId: w.customer }, clock);
    await assignPlan(app.store, branch, w.retail, null, clock);
    await addDevices(branch, 2);
    expect(await getAccount(app.store, branch)).toMatchObject({ dirty: false });

    on('2026-03-16');
    server.answer({ status: 200 });
    const before = server.received.length;
    const http = createBookkeeper({ kind: 'http', url: server.url, secret: 'reconcile-test-secret', timeoutMs: 30_000 });
    const report = await run([w.customer], { ...deps, bookkeeper: http });
    expect(report.outcomes[0]).toMatchObject({ status: 'reconciled', clean: true, steps: 2 });
    const version = (await getAccount(app.store, w.customer)).cleanVersion;
    expect((await entries(branch)).map((e) => [e._id, e.amount])).toEqual([
      [`activation:${branch}:${branch}.r1.v${version}`, -100_000],
      [`proration:${branch}:${branch}.r1.v${version}`, -prorate(400_000, '2026-03-16').amount],
    ]);
    expect(await app.store.billedSnapshots.findOne({ _id: branch })).toMatchObject({ seq: 1, billed: { payerId: w.customer } });
    const sent = JSON.parse(server.received[before]!.body) as { account_id: string; items: { account_id: string }[] };
    expect(sent.account_id).toBe(w.customer);
    expect(new Set(sent.items.map((i) => i.account_id))).toEqual(new Set([w.customer, branch]));
    expect(await getAccount(app.store, branch)).toMatchObject({ standing: 'good', dirty: false });
  });

  it('a dirty account billed to another is handed on: that account is dirtied, this one marked clean', async () => {
    const w = await world('handon', 0);
    const branch = `${w.customer}-b2`;
    await upsertAccount(app.store, { id: branch, name: 'Branch', parentId: w.reseller, timezone: 'UTC', billingAccountId: w.customer }, clock);
    await app.store.accounts.updateOne({ _id: branch }, { $set: { dirty: true }, $inc: { dirtyVersion: 1 } });
    await app.store.accounts.updateOne({ _id: w.customer }, { $set: { dirty: false } });
    const report = await run([branch]);
    expect(report.outcomes).toEqual([{ accountId: branch, status: 'forwarded', payerId: w.customer, clean: true }]);
    expect(await getAccount(app.store, w.customer)).toMatchObject({ dirty: true });
  });

  it('refuses billing accounts that loop, naming the chain', async () => {
    const w = await world('loop', 0);
    await app.store.accounts.updateOne({ _id: w.customer }, { $set: { billingAccountId: w.reseller, dirty: true } });
    await app.store.accounts.updateOne({ _id: w.reseller }, { $set: { billingAccountId: w.customer } });
    const report = await run([w.customer]);
    expect(report.outcomes).toEqual([
      { accountId: w.customer, status: 'failed', reason: `billingAccountId: ${w.customer} -> ${w.reseller} -> ${w.customer} loops` },
    ]);
  });
});

describe('renewal', () => {
  it('waits for the renewal of the month before reconciling into it, leaving the account dirty', async () => {
    const w = await world('renew', 2);
    on('2026-04-01');
    await app.store.accounts.updateOne({ _id: w.customer }, { $set: { renewal: { nextMonth: '2026-04', dueAt: clock } } });
    expect((await run([w.customer])).outcomes).toEqual([
      { accountId: w.customer, status: 'deferred', reason: `account ${w.customer}: the renewal of 2026-04 has not run yet` },
    ]);
    expect(await entries(w.customer)).toEqual([]);
    expect(await getAccount(app.store, w.customer)).toMatchObject({ dirty: true });
    await app.store.accounts.updateOne({ _id: w.customer }, { $set: { renewal: { nextMonth: '2026-05', dueAt: clock } } });
    expect((await run([w.customer])).outcomes[0]).toMatchObject({ status: 'reconciled', clean: true, steps: 1 });
  });
});

describe('bad data', () => {
  it('fails only the account with bad inventory, naming item and field, and leaves it dirty', async () => {
    const good = await world('good', 1);
    const bad = await world('bad', 1);
    await app.store.inventory.insertOne({ _id: 'bad-limits', accountId: bad.customer, kind: 'limits', type: 'trunks', counts: { twoway_trunks: -2 }, updatedAt: clock });
    const report = await run([good.customer, bad.customer]);
    expect(report.outcomes).toContainEqual({ accountId: bad.customer, status: 'failed', reason: 'inventory item "bad-limits": counts.twoway_trunks: expected a whole number >= 0 (got -2)' });
    expect(report.outcomes).toContainEqual(expect.objectContaining({ accountId: good.customer, status: 'reconciled' }));
    expect(await getAccount(app.store, bad.customer)).toMatchObject({ dirty: true });
  });
});
