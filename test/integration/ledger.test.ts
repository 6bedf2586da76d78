import {
  activationKey,
  adjustmentKey,
  callKey,
  creditKey,
  prorationKey,
  refundKey,
  renewalKey,
  rolloverKey,
  topupKey,
} from '../../src/domain/cause-keys';
import { LedgerEntryError } from '../../src/domain/ledger-entry';
import type { LedgerPosting } from '../../src/domain/ledger-entry';
import type { App } from '../../src/runtime/app';
import { balanceOf, balancesOfSubtree, postRollover } from '../../src/store/balances';
import type { LedgerKind } from '../../src/store/documents';
import { post, postMany } from '../../src/store/ledger';
import { HANDLERS } from '../../jobs';
import type { JobContext } from '../../jobs/job';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';
import { TREE, writeTree } from './helpers/billing-tree';

const env = isolatedEnv('ledger');
const NOW = new Date('2026-03-15T12:00:00Z');
let app: App;

beforeAll(async () => {
  app = await openTestApp(env, () => NOW);
  await writeTree(app.store);
});

afterAll(async () => {
  await closeTestApp(app);
});

function posting(_id: string, kind: LedgerKind, amount: number, extra: Partial<LedgerPosting> = {}): LedgerPosting {
  return { _id, accountId: TREE.direct, amount, kind, period: '2026-03', description: `${kind} test`, source: 'test', occurredAt: NOW, ...extra };
}

const A = TREE.direct;
const ONE_OF_EACH_KIND: LedgerPosting[] = [
  posting(creditKey(A, 'req-1'), 'manual_credit', 50_000),
  posting(topupKey(A, '2026-03-15'), 'topup', 200_000),
  posting(creditKey(A, 'card-payment-1'), 'payment', 100_000),
  posting(renewalKey(A, '2026-03'), 'renewal', -249_900),
  posting(prorationKey(A, 'assign-7'), 'proration', -80_613),
  posting(activationKey(A, 'assign-7'), 'activation', -10_000),
  posting(callKey(A, 'call-1@pbx'), 'per_minute', -1_234),
  posting(rolloverKey(A, '2026-03'), 'rollover', 0, { carried: 0 }),
  posting(refundKey(A, 'refund-1'), 'refund', -5_000),
  posting(adjustmentKey(A, 'adj-1'), 'adjustment', 777),
];

describe('ledger writers are idempotent', () => {
  it.each(ONE_OF_EACH_KIND.map((p) => [p.kind, p] as const))('a %s entry posted twice is one entry, and the second post says so', async (_kind, p) => {
    const first = await post(app.store, p, NOW);
    const second = await post(app.store, p, NOW);
    expect(first.posted).toBe(true);
    expect(second).toMatchObject({ posted: false, conflict: false, existing: { _id: p._id, amount: p.amount } });
    expect(await app.store.ledger.countDocuments({ _id: p._id })).toBe(1);
  });

  it('the balance is the sum of the entries, whatever was posted twice', async () => {
    const expected = ONE_OF_EACH_KIND.reduce((s, p) => s + p.amount, 0);
    expect(await balanceOf(app.store, A)).toEqual({ accountId: A, balance: expected, entries: ONE_OF_EACH_KIND.length });
  });

  it('a second cause under an existing key with another amount is not written, and is reported as a conflict', async () => {
    const result = await post(app.store, posting(renewalKey(A, '2026-03'), 'renewal', -1), NOW);
    expect(result).toMatchObject({ posted: false, conflict: true, existing: { amount: -249_900 } });
  });

  it('postMany writes the new causes of a batch and reports duplicates (in the store and inside the batch) without throwing', async () => {
    const fresh = [posting(callKey(A, 'call-2'), 'per_minute', -100), posting(callKey(A, 'call-3'), 'per_minute', -200)];
    const result = await postMany(app.store, [...fresh, ONE_OF_EACH_KIND[0]!, fresh[0]!, posting(callKey(A, 'call-1@pbx'), 'per_minute', -9)], NOW);
    expect(result).toEqual({ posted: 2, duplicates: 3, conflicts: [callKey(A, 'call-1@pbx')] });
    const again = await postMany(app.store, fresh, NOW);
    expect(again).toEqual({ posted: 0, duplicates: 2, conflicts: [] });
  });

  it('refuses entries that would not be sound, naming field and value, before writing anything', async () => {
    await expect(post(app.store, posting(renewalKey(A, '2026-04'), 'renewal', 500), NOW)).rejects.toThrow(/amount: expected < 0 .*got 500/);
    await expect(post(app.store, posting(renewalKey(TREE.sub, '2026-04'), 'renewal', -500), NOW)).rejects.toThrow(/_id: expected a cause key of account direct/);
    await expect(post(app.store, posting(topupKey(A, '2026-04-01'), 'manual_credit', 500), NOW)).rejects.toThrow(/"credit:" key/);
    await expect(post(app.store, { ...posting(creditKey('ghost', 'r'), 'manual_credit', 500), accountId: 'ghost' }, NOW)).rejects.toThrow(LedgerEntryError);
    const batch = [posting(callKey(A, 'call-ok'), 'per_minute', -1), posting(callKey(A, 'call-bad'), 'per_minute', 1)];
    await expect(postMany(app.store, batch, NOW)).rejects.toThrow(/call-bad/);
    expect(await app.store.ledger.countDocuments({ _id: callKey(A, 'call-ok') })).toBe(0);
  });
});

describe('concurrent writers on one account', () => {
  it('keep the balance exact: 300 posts of 100 causes, each cause posted three times at once, plus overlapping batches', async () => {
    const account = TREE.reseller;
    const causes = Array.from({ length: 100 }, (_, i) =>
      posting(callKey(account, `c-${i}`), 'per_minute', -(i + 1) * 13, { accountId: account }),
    );
    const singles = causes.flatMap((p) => [post(app.store, p, NOW), post(app.store, p, NOW), post(app.store, p, NOW)]);
    const batches = [postMany(app.store, causes.slice(0, 60), NOW), postMany(app.store, causes.slice(40), NOW)];
    const [results, batchResults] = await Promise.all([Promise.all(singles), Promise.all(batches)]);
    const postedBySingles = results.filter((r) => r.posted).length;
    const postedByBatches = batchResults.reduce((s, r) => s + r.posted, 0);
    expect(postedBySingles + postedByBatches).toBe(100);
    expect(results.every((r) => r.posted || !r.conflict)).toBe(true);
    const expected = causes.reduce((s, p) => s + p.amount, 0);
    expect(await balanceOf(app.store, account)).toEqual({ accountId: account, balance: expected, entries: 100 });
  }, 60_000);
});

describe('balances and rollover', () => {
  it('a rollover carries the months before and leaves the balance the exact sum of every entry', async () => {
    const account = TREE.sub;
    const entries = [
      posting(creditKey(account, 'jan'), 'manual_credit', 100_000, { accountId: account, period: '2026-01' }),
      posting(callKey(account, 'jan-call'), 'per_minute', -3_333, { accountId: account, period: '2026-01' }),
      posting(callKey(account, 'feb-call'), 'per_minute', -1_111, { accountId: account, period: '2026-02' }),
      posting(callKey(account, 'mar-call'), 'per_minute', -7, { accountId: account, period: '2026-03' }),
    ];
    await postMany(app.store, entries, NOW);
    const subAccount = { _id: account, timezone: 'Europe/Berlin' };
    const rollover = await postRollover(app.store, subAccount, '2026-03', NOW);
    expect(rollover.posted).toBe(true);
    const stored = await app.store.ledger.findOne({ _id: rolloverKey(account, '2026-03') });
    expect(stored).toMatchObject({ amount: 0, carried: 100_000 - 3_333 - 1_111, period: '2026-03' });
    expect(stored?.occurredAt.toISOString()).toBe('2026-02-28T23:00:00.000Z');
    // A late entry for a closed month still counts in the balance; the rollover already written stays as it was.
    await post(app.store, posting(callKey(account, 'late-jan-call'), 'per_minute', -50, { accountId: account, period: '2026-01' }), NOW);
    expect((await postRollover(app.store, subAccount, '2026-03', NOW)).posted).toBe(false);
    const all = await app.store.ledger.find({ accountId: account }).toArray();
    const sumOfEffects = all.reduce((s, e) => s + e.amount, 0);
    expect((await balanceOf(app.store, account)).balance).toBe(sumOfEffects);
    expect(sumOfEffects).toBe(100_000 - 3_333 - 1_111 - 7 - 50);
  });

  it("gives an account's and all its sub-accounts' balances in one query", async () => {
    const rows = await balancesOfSubtree(app.store, TREE.reseller);
    expect(rows.map((r) => r.accountId)).toEqual([TREE.reseller, TREE.sub]);
    for (const row of rows) expect(row).toEqual(await balanceOf(app.store, row.accountId));
    const all = await balancesOfSubtree(app.store, TREE.master);
    expect(all.map((r) => r.accountId)).toEqual([TREE.direct, TREE.reseller, TREE.sub]);
  });
});

describe('the ledger-rollover job', () => {
  it("opens each account's local month once; running it again (or concurrently) adds nothing", async () => {
    const context = { deps: app.deps, jobId: 'test', log: app.deps.logger, progress: async () => {} } as unknown as JobContext;
    const before = await app.store.ledger.countDocuments({ kind: 'rollover' });
    const runs = await Promise.all([HANDLERS['ledger-rollover']({}, context), HANDLERS['ledger-rollover']({}, context)]);
    expect(runs.map((r) => r.counts.accounts)).toEqual([4, 4]);
    const again = await HANDLERS['ledger-rollover']({}, context);
    expect(again.counts).toEqual({ accounts: 4, opened: 0 });
    // sub and direct had their March rollover written above; master and reseller get theirs now, once.
    expect(await app.store.ledger.countDocuments({ kind: 'rollover' })).toBe(before + 2);
    expect(runs.reduce((sum, r) => sum + (r.counts.opened ?? 0), 0)).toBe(2);
  });
});
