import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callKey } from '../../src/domain/cause-keys';
import type { App } from '../../src/runtime/app';
import { balanceOf } from '../../src/store/balances';
import { importCdrFile } from '../../src/usage/cdr-import';
import { runTollkeeper } from '../support/cli';
import { clearOfLocalMidnight } from '../support/clock';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';
import { TREE, writeTree } from './helpers/billing-tree';

const env = isolatedEnv('usage');
const dir = mkdtempSync(join(tmpdir(), 'tollkeeper-usage-'));
let app: App;

beforeAll(async () => {
  app = await openTestApp(env);
  await writeTree(app.store);
});

afterAll(async () => {
  await closeTestApp(app);
});

const HEADER = 'Date/Time,Call ID,Caller ID,To Number,Billing Seconds,Rate,Rate Name,Reseller Call Type,Reseller Cost,Customer Call Type,Customer Cost,Reseller Cost Breakdown,Account ID,Direction,Country';

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('cdrs import', () => {
  const csv = () =>
    file('calls.csv', [
      HEADER,
      // line 2: a sub-account's call with both costs given
      `2026-03-01T10:00:00Z,c-1,+15550001,+442071234567,125,0.0500,UK,per_minute,0.1000,per_minute,0.1500,"uk mobile, peak",${TREE.sub},outbound,GB`,
      // line 3: rate but no costs: rated with the formula (60s minimum, 60s increments): 61s -> 120s at 0.02 = 0.04
      `2026-03-01T11:00:00+01:00,c-2,+15550001,+15551234,61,0.02,US,per_minute,,per_minute,,,${TREE.sub},outbound,US`,
      // line 4: bad amount and bad direction
      `2026-03-01T12:00:00Z,c-3,+15550001,+15551234,30,abc,US,per_minute,0.01,per_minute,0.01,,${TREE.sub},sideways,US`,
      // line 5: unknown account
      `2026-03-01T12:00:00Z,c-4,+15550001,+15551234,30,0.01,US,per_minute,0.01,per_minute,0.01,,nobody,inbound,US`,
      // line 6: a flat-rate call of the direct customer: no cost, no debit
      `2026-03-02T09:00:00Z,c-5,+15550002,+15551234,600,,Trunk,flat_rate,,flat_rate,,,${TREE.direct},inbound,US`,
      // line 7: a reseller's own call: one real debit
      `2026-03-02T09:30:00Z,c-6,+15550003,+15551234,60,0.01,US,per_minute,0.01,per_minute,0.02,,${TREE.reseller},outbound,US`,
      // line 8: missing field count
      `2026-03-02T09:30:00Z,c-7,+15550003`,
    ]);

  it('reports bad rows by line, field and value, imports the rest, and posts each call once on each side', async () => {
    const path = csv();
    const first = await runTollkeeper(['cdrs', 'import', path], env);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(`${path}:4: rate: a decimal amount >= 0 with at most 4 decimals, such as 0.0125 (got "abc")`);
    expect(first.stderr).toContain(`${path}:4: `);
    expect(first.stderr).toMatch(/:4: .*direction: inbound or outbound \(got "sideways"\)/);
    expect(first.stderr).toContain(`${path}:5: account_id: no such account (got "nobody")`);
    expect(first.stderr).toContain(`${path}:8: expected 15 fields as in the header, got 3`);
    expect(first.stdout).toContain('7 rows: 4 imported, 0 already imported, 3 rejected, 0 conflicting; 1 rated from their rate.');
    expect(first.stdout).toContain('Per-minute debits: 5 posted, 0 already posted.');

    expect(await app.store.cdrs.findOne({ _id: 'c-2' })).toMatchObject({ customerCost: 400, resellerCost: 400, billingSeconds: 61, rate: 200 });
    expect(await app.store.ledger.findOne({ _id: callKey(TREE.sub, 'c-1') })).toMatchObject({ amount: -1500, kind: 'per_minute', period: '2026-03' });
    expect(await app.store.ledger.findOne({ _id: callKey(TREE.reseller, 'c-1') })).toMatchObject({ amount: -1000, forAccountId: TREE.sub });
    expect(await app.store.ledger.countDocuments({ _id: { $regex: ':c-5$' } })).toBe(0);
    expect(await app.store.ledger.findOne({ _id: callKey(TREE.reseller, 'c-6') })).toMatchObject({ amount: -100, forAccountId: null });
    expect((await balanceOf(app.store, TREE.sub)).balance).toBe(-1500 - 400);
    expect((await balanceOf(app.store, TREE.reseller)).balance).toBe(-1000 - 400 - 100);
  });

  it('re-importing the file changes nothing and says how many were already there', async () => {
    const ledgerBefore = await app.store.ledger.countDocuments();
    const again = await runTollkeeper(['cdrs', 'import', csv()], env);
    expect(again.stdout).toContain('7 rows: 0 imported, 4 already imported, 3 rejected, 0 conflicting; 0 rated from their rate.');
    expect(again.stdout).toContain('Per-minute debits: 0 posted, 5 already posted.');
    expect(await app.store.ledger.countDocuments()).toBe(ledgerBefore);
  });

  it('a call already stored with other content keeps the stored call, charges that, and reports the conflict', async () => {
    const path = file('conflict.ndjson', [
      JSON.stringify({ dateTime: '2026-03-01T10:00:00Z', callId: 'c-1', callerId: '+1', toNumber: '+2', billingSeconds: 999, rate: '0.05', resellerCallType: 'per_minute', resellerCost: 9, customerCallType: 'per_minute', customerCost: 9, accountId: TREE.sub, direction: 'outbound', country: 'GB' }),
    ]);
    const lines: string[] = [];
    const report = await importCdrFile(app.deps, path, { onProblem: (line, p) => lines.push(`${line}: ${p}`) });
    expect(report).toMatchObject({ imported: 0, alreadyImported: 1, conflicts: 1, debitsPosted: 0, debitsAlreadyPosted: 2 });
    expect(lines).toEqual(['1: call_id: c-1 was imported before with other content; the stored call stands']);
  });

  it('finishes the debits of calls stored by an import that stopped before posting them', async () => {
    const path = file('interrupted.ndjson', [
      JSON.stringify({ date_time: '2026-03-03T10:00:00Z', call_id: 'c-10', caller_id: '+1', to_number: '+2', billing_seconds: 60, rate: 0.01, reseller_call_type: 'per_minute', customer_call_type: 'per_minute', account_id: TREE.sub, direction: 'outbound', country: 'US' }),
    ]);
    await importCdrFile(app.deps, path);
    await app.store.ledger.deleteMany({ _id: { $in: [callKey(TREE.sub, 'c-10'), callKey(TREE.reseller, 'c-10')] } });
    const report = await importCdrFile(app.deps, path);
    expect(report).toMatchObject({ imported: 0, alreadyImported: 1, debitsPosted: 2 });
  });

  it('rejects a CSV whose header names an unknown column, before importing anything', async () => {
    const outcome = await runTollkeeper(['cdrs', 'import', file('typo.csv', [`${HEADER},Custmer Cost`])], env);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('line 1: unknown column(s) "Custmer Cost"');
  });
});

describe('credit, balance and export', () => {
  it('credit add is idempotent by request id; the same command twice credits once and says so', async () => {
    // Without a request id the key is the account's local date, on the real clock.
    await clearOfLocalMidnight('America/New_York');
    const args = ['credit', 'add', TREE.direct, '25.50', '--reason', 'goodwill', '--request-id', 'TICKET-1'];
    const first = await runTollkeeper(args, env);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain('Credited $25.50 to direct (request id TICKET-1).');
    const second = await runTollkeeper(args, env);
    expect(second.stdout).toContain('Already credited under request id TICKET-1');
    expect(await app.store.ledger.countDocuments({ accountId: TREE.direct, kind: 'manual_credit' })).toBe(1);
    const derived = ['credit', 'add', TREE.direct, '10', '--reason', 'promo'];
    await runTollkeeper(derived, env);
    expect((await runTollkeeper(derived, env)).stdout).toContain('nothing credited again');
    expect((await balanceOf(app.store, TREE.direct)).balance).toBe(355_000);
  });

  it('credit add refuses less than $5 and amounts finer than cents, naming the value', async () => {
    expect(await runTollkeeper(['credit', 'add', TREE.direct, '4.99', '--reason', 'x'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('AMOUNT: expected at least 5.00 (got "4.99")') as unknown });
    expect((await runTollkeeper(['credit', 'add', TREE.direct, '5.001', '--reason', 'x'], env)).stderr).toContain('whole cents');
  });

  it('balance --tree lists the account and its sub-accounts with their role', async () => {
    const outcome = await runTollkeeper(['balance', TREE.reseller, '--tree'], env);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/reseller .* -\$0\.16 .* funds/);
    expect(outcome.stdout).toMatch(/ sub .* -\$0\.20 .* credit limit \(billed to reseller\)/);
  });

  it('exports usage that imports again unchanged, and transactions filtered by kind', async () => {
    const usage = join(dir, 'usage.csv');
    const out = await runTollkeeper(['export', 'usage', TREE.reseller, '--tree', '--from', '2026-03-01', '--to', '2026-03-31', '--sort', 'cost', '--desc', '--csv', usage], env);
    expect(out.stdout).toContain('4 calls of reseller and its sub-accounts');
    const text = readFileSync(usage, 'utf8');
    expect(text.split('\r\n')[1]).toContain(',c-1,');
    expect(text).toContain('"uk mobile, peak"');
    const reimport = await importCdrFile(app.deps, usage);
    expect(reimport).toMatchObject({ rows: 4, imported: 0, alreadyImported: 4, conflicts: 0, rejected: 0, debitsPosted: 0 });

    const transactions = join(dir, 'tx.csv');
    await runTollkeeper(['export', 'transactions', TREE.sub, '--from', '2026-03-01', '--to', '2026-03-01', '--kind', 'per_minute', '--csv', transactions], env);
    const rows = readFileSync(transactions, 'utf8').trim().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain('-0.15');
  });
});

describe('cdrs import: the funds it debits, and a call repeated in one file', () => {
  it('queues the low-balance alert a call makes due at once, not at the next sweep, and only once', async () => {
    await clearOfLocalMidnight('America/New_York'); // one alert per local day, on the real clock
    // direct holds $35.50 (credits above): an alert at $30.00 is not due yet. Its call debits it and its payer.
    expect((await runTollkeeper(['alerts', 'set', TREE.direct, '--threshold', '30.00', '--email', 'ops@example.com'], env)).code).toBe(0);
    const call = `2026-03-04T09:00:00Z,c-alert,+15550002,+15551234,600,0.60,US,per_minute,5.00,per_minute,6.00,,${TREE.direct},outbound,US`;
    const path = file('alert.csv', [HEADER, call]);
    const alertJobs = async () => (await app.producer.queue('payments').getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.name === 'low-balance-alert' && (j.data as { accountId: string }).accountId === TREE.direct);

    const first = await runTollkeeper(['cdrs', 'import', path], env);
    expect(first.stdout).toContain('Funds checked for 2 debited account(s): 0 auto-recharge and 1 low-balance alert job(s) due (each queued once).');
    expect((await balanceOf(app.store, TREE.direct)).balance).toBe(295_000);
    expect(await alertJobs()).toHaveLength(1);

    await runTollkeeper(['cdrs', 'import', path], env);
    expect(await alertJobs()).toHaveLength(1);
  });

  it('a call repeated within one file is stored and charged once', async () => {
    const row = JSON.stringify({ date_time: '2026-03-03T11:00:00Z', call_id: 'c-twice', caller_id: '+1', to_number: '+2', billing_seconds: 60, rate: 0.01, reseller_call_type: 'per_minute', customer_call_type: 'per_minute', account_id: TREE.direct, direction: 'outbound', country: 'US' });
    const report = await importCdrFile(app.deps, file('twice.ndjson', [row, row]));
    expect(report).toMatchObject({ rows: 2, imported: 1, alreadyImported: 1, conflicts: 0, debitsPosted: 2, debitsAlreadyPosted: 2 });
    expect(await app.store.ledger.countDocuments({ _id: { $regex: ':c-twice$' } })).toBe(2);
  });
});
