import { callKey, creditKey, topupKey } from '../../src/domain/cause-keys';
import type { LedgerPosting } from '../../src/domain/ledger-entry';
import type { App } from '../../src/runtime/app';
import { balanceOf } from '../../src/store/balances';
import { accountsNeverCounted, accountsWithStaleWriters, announcePosting, applyPosted, recomputeFunds, setThresholds } from '../../src/store/funds';
import { post, postMany } from '../../src/store/ledger';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';
import { TREE, writeTree } from './helpers/billing-tree';

jest.setTimeout(60_000);

const env = isolatedEnv('funds');
const NOW = new Date('2026-03-15T12:00:00Z');
const MINUTE = 60_000;
let app: App;

beforeAll(async () => {
  app = await openTestApp(env, () => NOW);
  await writeTree(app.store);
});

afterAll(async () => {
  await closeTestApp(app);
});

function debit(account: string, id: string, amount: number): LedgerPosting {
  return { _id: callKey(account, id), accountId: account, amount: -amount, kind: 'per_minute', period: '2026-03', description: 'call', source: 'test', occurredAt: NOW };
}

function credit(account: string, id: string, amount: number): LedgerPosting {
  return { _id: creditKey(account, id), accountId: account, amount, kind: 'manual_credit', period: '2026-03', description: 'credit', source: 'test', occurredAt: NOW };
}

async function funds(account: string) {
  return (await app.store.accounts.findOne({ _id: account }))?.funds;
}

describe('the balance kept on the account', () => {
  it('equals the ledger sum after many concurrent posts, each cause posted several times, in singles and overlapping batches', async () => {
    const a = TREE.reseller;
    const b = TREE.sub;
    const causes = Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? credit(i % 2 ? a : b, `c${i}`, 10_000 + i) : debit(i % 2 ? a : b, `d${i}`, 37 * i + 1)));
    const singles = causes.flatMap((p) => [post(app.store, p, NOW), post(app.store, p, NOW), post(app.store, p, NOW)]);
    const batches = [postMany(app.store, causes.slice(0, 70), NOW), postMany(app.store, causes.slice(50), NOW), postMany(app.store, causes, NOW)];
    await Promise.all([...singles, ...batches]);
    for (const account of [a, b]) {
      const kept = await funds(account);
      expect(kept?.balance).toBe((await balanceOf(app.store, account)).balance);
      expect(kept?.rechargeGap).toBe(kept?.balance);
      expect(kept?.inflight).toEqual([]);
    }
  });

  it('moves the gaps by threshold changes, concurrently with posts, keeping gap = balance - threshold', async () => {
    const a = TREE.direct;
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      work.push(post(app.store, debit(a, `g${i}`, 100 + i), NOW));
      if (i % 8 === 0) {
        const t = 10_000 * (i + 1);
        work.push(setThresholds(app.store, a, () => ({ recharge: t, alert: t / 2, set: {} })));
      }
    }
    await Promise.all(work);
    const kept = await funds(a);
    expect(kept?.balance).toBe((await balanceOf(app.store, a)).balance);
    expect(kept!.rechargeGap).toBe(kept!.balance - kept!.rechargeThreshold);
    expect(kept!.alertGap).toBe(kept!.balance - kept!.alertThreshold);
  });

  it('a writer that died between announcing and applying is found and repaired after the grace period, never before', async () => {
    const a = TREE.master;
    await post(app.store, credit(a, 'before-crash', 50_000), NOW);
    // The dead writer: announced, inserted, never applied.
    const token = await announcePosting(app.store, [a], NOW);
    await app.store.ledger.insertOne({ ...debit(a, 'crashed', 7_000), ancestors: [], forAccountId: null, createdAt: NOW });
    expect((await funds(a))?.balance).toBe(50_000);
    expect(await recomputeFunds(app.store, a, new Date(NOW.getTime() + MINUTE))).toEqual({ status: 'busy' });
    expect(await accountsWithStaleWriters(app.store, new Date(NOW.getTime() + MINUTE), 10)).toEqual([]);
    const later = new Date(NOW.getTime() + 10 * MINUTE);
    expect(await accountsWithStaleWriters(app.store, later, 10)).toEqual([{ _id: a }]);
    expect(await recomputeFunds(app.store, a, later)).toEqual({ status: 'recomputed', before: 50_000, after: 43_000 });
    expect(await funds(a)).toMatchObject({ balance: 43_000, inflight: [] });
    // The writer was only slow: its late apply finds its token gone, adds nothing and recomputes (still 43,000).
    await applyPosted(app.store, token, [a], [{ accountId: a, amount: -7_000 }], later);
    expect(await funds(a)).toMatchObject({ balance: 43_000, inflight: [] });
  });

  it('applies a batch in one update per amount, and recomputes the account whose token a repair took meanwhile', async () => {
    const accounts = [TREE.master, TREE.reseller, TREE.sub, TREE.direct];
    const before = new Map(await Promise.all(accounts.map(async (a) => [a, (await funds(a))!.balance] as const)));
    // Three accounts get the same amount (one update for them), the fourth another.
    const amounts = new Map<string, number>([[TREE.master, 400], [TREE.reseller, 400], [TREE.sub, 400], [TREE.direct, 900]]);
    const token = await announcePosting(app.store, accounts, NOW);
    const entries = accounts.map((a) => ({ ...debit(a, `grouped-${a}`, amounts.get(a)!), ancestors: [], forAccountId: null, createdAt: NOW }));
    await app.store.ledger.insertMany(entries);
    // A repair (grace 0) takes the reseller's token and counts its entry from the ledger before the writer applies.
    expect(await recomputeFunds(app.store, TREE.reseller, NOW, 0)).toMatchObject({ status: 'recomputed' });
    await applyPosted(app.store, token, accounts, entries, NOW);
    for (const a of accounts) {
      expect(await funds(a)).toMatchObject({ balance: before.get(a)! - amounts.get(a)!, inflight: [] });
      expect((await funds(a))?.balance).toBe((await balanceOf(app.store, a)).balance);
    }
  });

  it('a repair racing live writers never loses or doubles an increment', async () => {
    const a = TREE.sub;
    const far = new Date(NOW.getTime() + 60 * MINUTE);
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      work.push(post(app.store, debit(a, `race${i}`, 11 + i), NOW));
      if (i % 6 === 0) work.push(recomputeFunds(app.store, a, far, 24 * 60 * MINUTE));
    }
    await Promise.all(work);
    expect((await funds(a))?.balance).toBe((await balanceOf(app.store, a)).balance);
    expect(await recomputeFunds(app.store, a, far)).toMatchObject({ status: 'recomputed' });
    expect((await funds(a))?.balance).toBe((await balanceOf(app.store, a)).balance);
  });

  it('counts once, from the ledger, an account whose entries were written before its balance was kept', async () => {
    const legacy = 'legacy';
    await app.store.accounts.insertOne({ ...(await app.store.accounts.findOne({ _id: TREE.direct }))!, _id: legacy, funds: undefined });
    await app.store.ledger.insertOne({ ...credit(legacy, 'old', 12_345), ancestors: [], forAccountId: null, createdAt: NOW });
    await post(app.store, debit(legacy, 'new', 345), NOW);
    expect((await funds(legacy))?.balance).toBe(-345);
    const uncounted = (await accountsNeverCounted(app.store, 1_000)).map((a) => a._id);
    expect(uncounted).toContain(legacy);
    expect(await recomputeFunds(app.store, legacy, NOW, 0)).toEqual({ status: 'recomputed', before: -345, after: 12_000 });
    expect((await accountsNeverCounted(app.store, 1_000)).map((a) => a._id)).not.toContain(legacy);
  });

  it('a top-up paid through the charging service shows in the kept balance once', async () => {
    const a = TREE.reseller;
    const before = (await funds(a))!.balance;
    const entry: LedgerPosting = { _id: topupKey(a, '2026-03-15'), accountId: a, amount: 250_000, kind: 'topup', period: '2026-03', description: 't', source: 'test', occurredAt: NOW };
    await Promise.all([post(app.store, entry, NOW), post(app.store, entry, NOW)]);
    expect((await funds(a))!.balance).toBe(before + 250_000);
  });
});
