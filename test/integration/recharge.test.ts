import { HANDLERS } from '../../jobs';
import type { JobContext } from '../../jobs/job';
import { callKey, creditKey, topupKey } from '../../src/domain/cause-keys';
import type { PaymentGateway } from '../../src/payments/gateway';
import { setAlerts, setAutoRecharge } from '../../src/recharge/settings';
import type { App } from '../../src/runtime/app';
import type { Deps } from '../../src/runtime/deps';
import { upsertAccount } from '../../src/store/accounts';
import type { AccountInput } from '../../src/store/accounts';
import { balanceOf } from '../../src/store/balances';
import { post } from '../../src/store/ledger';
import { startWorkers } from '../../src/worker/worker-host';
import type { WorkerHost } from '../../src/worker/worker-host';
import { runTollkeeper } from '../support/cli';
import { startTestSmtp } from '../support/smtp';
import type { TestSmtp } from '../support/smtp';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';

jest.setTimeout(120_000);

const DOLLAR = 10_000;
let clock = new Date('2026-03-15T10:30:00Z');
let smtp: TestSmtp;
let env: NodeJS.ProcessEnv;
let app: App;
let host: WorkerHost;

const ACCOUNTS: AccountInput[] = [
  { id: 'master', name: 'Platform', parentId: null, timezone: 'UTC', billing: { cardToken: 'tok_ok_master', contactEmail: 'billing@platform.example' } },
  { id: 'acme', name: 'Acme Voice', parentId: 'master', isReseller: true, timezone: 'America/New_York', billing: { cardToken: 'tok_ok_acme', contactEmail: 'billing@acme.example' } },
  { id: 'globex', name: 'Globex', parentId: 'master', isReseller: true, timezone: 'Europe/Berlin', billing: { cardToken: 'tok_decline_globex', contactEmail: 'billing@globex.example' } },
  { id: 'kiwi', name: 'Kiwi Calls', parentId: 'master', isReseller: true, timezone: 'Pacific/Auckland', billing: { cardToken: 'tok_ok_kiwi', contactEmail: 'billing@kiwi.example' } },
  { id: 'coast', name: 'West Coast', parentId: 'master', isReseller: true, timezone: 'America/Los_Angeles', billing: { cardToken: 'tok_ok_coast', contactEmail: 'billing@coast.example' } },
  { id: 'capped', name: 'Capped Co', parentId: 'master', isReseller: true, timezone: 'UTC', billing: { cardToken: 'tok_ok_capped', contactEmail: 'billing@capped.example' } },
  { id: 'watcher', name: 'Watcher', parentId: 'master', isReseller: true, timezone: 'UTC', billing: { cardToken: 'tok_ok_watcher', contactEmail: 'billing@watcher.example' } },
  { id: 'dental', name: 'Springfield Dental', parentId: 'acme', timezone: 'America/Chicago', billing: { contactEmail: 'office@dental.example' } },
];

beforeAll(async () => {
  smtp = await startTestSmtp();
  env = isolatedEnv('recharge', { SMTP_URL: smtp.url });
  app = await openTestApp(env, () => clock);
  for (const account of ACCOUNTS) await upsertAccount(app.store, account, clock);
  host = startWorkers(app.deps, app.redis, { concurrency: 4 });
});

afterAll(async () => {
  await host.close(5_000);
  await closeTestApp(app);
  await smtp.close();
});

let serial = 0;
async function move(accountId: string, dollars: number): Promise<void> {
  serial++;
  const units = Math.round(dollars * DOLLAR);
  const period = '2026-03';
  await post(
    app.store,
    units > 0
      ? { _id: creditKey(accountId, `r${serial}`), accountId, amount: units, kind: 'manual_credit', period, description: 'credit', source: 'test', occurredAt: clock }
      : { _id: callKey(accountId, `c${serial}`), accountId, amount: units, kind: 'per_minute', period, description: 'calls', source: 'test', occurredAt: clock },
    clock,
  );
}

async function balance(accountId: string): Promise<number> {
  return (await balanceOf(app.store, accountId)).balance / DOLLAR;
}

async function idle(): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const counts = await Promise.all(app.producer.allQueues().map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
    if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
    if (Date.now() > deadline) throw new Error(`queues not idle: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One scheduled run of the sweep through the real queues and workers, and everything it fanned out. */
async function sweep(): Promise<void> {
  await app.producer.enqueue('recharge-sweep', {});
  await idle();
}

function ctx(deps: Deps = app.deps): JobContext {
  return { deps, log: app.deps.logger, jobId: 'test', progress: () => Promise.resolve() };
}

async function paidCharges(accountId: string): Promise<number> {
  return app.store.gatewayCharges.countDocuments({ _id: { $regex: `^topup:${accountId}:` }, status: 'paid' });
}

async function topups(accountId: string): Promise<string[]> {
  return (await app.store.ledger.find({ accountId, kind: 'topup' }).sort({ _id: 1 }).toArray()).map((e) => e._id);
}

function mailTo(address: string): string[] {
  return smtp.messages.filter((m) => JSON.stringify(m.to).includes(address)).map((m) => m.subject ?? '');
}

/** Lets mail that is on its way arrive before it is counted. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
}

describe('daily auto-recharge', () => {
  it('charges an account under its threshold exactly once however often the sweep runs that day, and again the next local day', async () => {
    await setAutoRecharge(app.store, 'acme', { enabled: true, threshold: 10 * DOLLAR, amount: 25 * DOLLAR, monthlyCap: null }, clock);
    await move('acme', 3);
    for (let i = 0; i < 3; i++) await sweep();
    // Run the day's job again by hand too, as a retry or a redelivery would.
    await HANDLERS['recharge-account']({ accountId: 'acme', date: '2026-03-15' }, ctx());
    await settle();
    expect(await paidCharges('acme')).toBe(1);
    expect(await topups('acme')).toEqual([topupKey('acme', '2026-03-15')]);
    expect(await balance('acme')).toBe(28);
    expect(mailTo('billing@acme.example')).toEqual(['Acme Voice: auto-recharge of $25.00']);
    const account = await app.store.accounts.findOne({ _id: 'acme' });
    expect(account?.funds).toMatchObject({ balance: 28 * DOLLAR, rechargeGap: 18 * DOLLAR });
    expect(account?.rechargeStatus).toMatchObject({ date: '2026-03-15', outcome: 'paid', amount: 25 * DOLLAR, balanceAfter: 28 * DOLLAR });

    // Spent below the threshold again the same day: nothing more until the next local day in New York.
    await move('acme', -20);
    await sweep();
    expect(await paidCharges('acme')).toBe(1);
    clock = new Date('2026-03-16T10:30:00Z');
    await sweep();
    await sweep();
    expect(await topups('acme')).toEqual([topupKey('acme', '2026-03-15'), topupKey('acme', '2026-03-16')]);
    expect(await paidCharges('acme')).toBe(2);
    expect(await balance('acme')).toBe(33);
  });

  it('records a declined card, mails the billing contact once that day, leaves the balance, and tries again the next local day', async () => {
    clock = new Date('2026-03-15T10:30:00Z');
    await setAutoRecharge(app.store, 'globex', { enabled: true, threshold: 10 * DOLLAR, amount: 20 * DOLLAR, monthlyCap: null }, clock);
    await move('globex', 2);
    await sweep();
    await sweep();
    await HANDLERS['recharge-account']({ accountId: 'globex', date: '2026-03-15' }, ctx());
    await settle();
    expect(await balance('globex')).toBe(2);
    expect(await app.store.chargeIntents.findOne({ _id: topupKey('globex', '2026-03-15') })).toMatchObject({ state: 'declined', reason: 'card declined' });
    expect(mailTo('billing@globex.example')).toEqual(['Globex: auto-recharge declined, balance $2.00']);
    const mail = smtp.messages.find((m) => m.subject?.startsWith('Globex'));
    expect(mail?.text).toContain('card declined');
    expect(mail?.html).toContain('Auto-recharge will try again on 16 Mar 2026');
    expect((await app.store.accounts.findOne({ _id: 'globex' }))?.rechargeStatus).toMatchObject({ outcome: 'declined', reason: 'card declined' });

    clock = new Date('2026-03-16T10:30:00Z');
    await sweep();
    await settle();
    expect(await app.store.chargeIntents.countDocuments({ accountId: 'globex', state: 'declined' })).toBe(2);
    expect(mailTo('billing@globex.example')).toHaveLength(2);
    expect(await balance('globex')).toBe(2);
  });

  it('follows each account\'s own local midnight: Auckland and Los Angeles recharge on their own days', async () => {
    for (const id of ['kiwi', 'coast']) {
      await setAutoRecharge(app.store, id, { enabled: true, threshold: 100 * DOLLAR, amount: 5 * DOLLAR, monthlyCap: null }, clock);
      await move(id, 1);
    }
    // 10:30 UTC: 23:30 on the 15th in Auckland (UTC+13), 03:30 on the 15th in Los Angeles (UTC-7).
    clock = new Date('2026-03-15T10:30:00Z');
    await sweep();
    expect(await topups('kiwi')).toEqual([topupKey('kiwi', '2026-03-15')]);
    expect(await topups('coast')).toEqual([topupKey('coast', '2026-03-15')]);
    // One hour later Auckland has passed midnight; Los Angeles has not. Both are still under their threshold.
    clock = new Date('2026-03-15T11:30:00Z');
    await sweep();
    expect(await topups('kiwi')).toEqual([topupKey('kiwi', '2026-03-15'), topupKey('kiwi', '2026-03-16')]);
    expect(await topups('coast')).toEqual([topupKey('coast', '2026-03-15')]);
    // 06:59 UTC on the 16th is 23:59 in Los Angeles: still the 15th. At 07:00 its 16th begins.
    clock = new Date('2026-03-16T06:59:00Z');
    await sweep();
    expect(await topups('coast')).toEqual([topupKey('coast', '2026-03-15')]);
    clock = new Date('2026-03-16T07:00:00Z');
    await sweep();
    expect(await topups('coast')).toEqual([topupKey('coast', '2026-03-15'), topupKey('coast', '2026-03-16')]);
    expect(await topups('kiwi')).toHaveLength(2);
    expect(await paidCharges('kiwi')).toBe(2);
  });

  it('skips a recharge that would pass the monthly cap, and says so once in that month', async () => {
    clock = new Date('2026-03-10T12:00:00Z');
    await setAutoRecharge(app.store, 'capped', { enabled: true, threshold: 100 * DOLLAR, amount: 25 * DOLLAR, monthlyCap: 50 * DOLLAR }, clock);
    for (const day of ['10', '11', '12', '13']) {
      clock = new Date(`2026-03-${day}T12:00:00Z`);
      await sweep();
    }
    await settle();
    expect(await topups('capped')).toEqual([topupKey('capped', '2026-03-10'), topupKey('capped', '2026-03-11')]);
    expect(mailTo('billing@capped.example').filter((s) => s.includes('monthly cap'))).toEqual(['Capped Co: auto-recharge paused, monthly cap of $50.00 reached']);
    expect((await app.store.accounts.findOne({ _id: 'capped' }))?.rechargeStatus).toMatchObject({ date: '2026-03-13', outcome: 'cap-reached' });
    // A new local month starts a new cap.
    clock = new Date('2026-04-01T12:00:00Z');
    await sweep();
    expect(await topups('capped')).toContain(topupKey('capped', '2026-04-01'));
  });

  it("tops up a customer's credit limit without charging any card: its calls are billed to its reseller", async () => {
    clock = new Date('2026-03-20T15:00:00Z');
    await setAutoRecharge(app.store, 'acme', { enabled: false }, clock);
    await setAutoRecharge(app.store, 'dental', { enabled: true, threshold: 10 * DOLLAR, amount: 15 * DOLLAR, monthlyCap: null }, clock);
    const resellerCharges = await paidCharges('acme');
    await sweep();
    await sweep();
    await settle();
    expect(await topups('dental')).toEqual([topupKey('dental', '2026-03-20')]);
    expect(await balance('dental')).toBe(15);
    expect(await app.store.gatewayCharges.countDocuments({ _id: { $regex: '^topup:dental:' } })).toBe(0);
    expect(await paidCharges('acme')).toBe(resellerCharges);
    expect(mailTo('office@dental.example')).toEqual(['Springfield Dental: auto-recharge of $15.00']);
    expect(smtp.messages.find((m) => m.subject?.startsWith('Springfield'))?.text).toContain('No card was charged');
  });

  it('finishes a charge interrupted after the gateway took the money: one charge, one credit', async () => {
    clock = new Date('2026-03-21T12:00:00Z');
    await setAutoRecharge(app.store, 'master', { enabled: true, threshold: 10 * DOLLAR, amount: 30 * DOLLAR, monthlyCap: null }, clock);
    // The process dies right after the gateway answered "paid", before the credit was written.
    const dying: PaymentGateway = {
      charge: async (request, options) => {
        await app.deps.gateway.charge(request, options);
        throw new Error('process killed');
      },
      lookup: (key) => app.deps.gateway.lookup(key),
    };
    await expect(HANDLERS['recharge-account']({ accountId: 'master', date: '2026-03-21' }, ctx({ ...app.deps, gateway: dying }))).rejects.toThrow(
      /no final answer/,
    );
    expect(await app.store.chargeIntents.findOne({ _id: topupKey('master', '2026-03-21') })).toMatchObject({ state: 'pending' });
    expect(await balance('master')).toBe(0);
    // The rerun (BullMQ's retry, or the next sweep) resumes the same intent with the same idempotency key.
    const rerun = await HANDLERS['recharge-account']({ accountId: 'master', date: '2026-03-21' }, ctx());
    await HANDLERS['recharge-account']({ accountId: 'master', date: '2026-03-21' }, ctx());
    expect(rerun.counts).toMatchObject({ recharged: 1 });
    expect(await paidCharges('master')).toBe(1);
    expect(await topups('master')).toEqual([topupKey('master', '2026-03-21')]);
    expect(await balance('master')).toBe(30);
  });
});

describe('low-balance alerts', () => {
  it('mail once per crossing, re-arm when the balance recovers, and mail the next crossing', async () => {
    clock = new Date('2026-03-22T12:00:00Z');
    await setAlerts(app.store, 'watcher', { enabled: true, threshold: 5 * DOLLAR, emails: ['ops@watcher.example', 'cfo@watcher.example'] }, clock);
    await move('watcher', 10);
    await sweep();
    await move('watcher', -6);
    await sweep();
    await sweep();
    await HANDLERS['low-balance-alert']({ accountId: 'watcher' }, ctx());
    await settle();
    expect(mailTo('ops@watcher.example')).toEqual(['Watcher: low balance, $4.00']);
    expect(mailTo('cfo@watcher.example')).toHaveLength(1);
    expect((await app.store.accounts.findOne({ _id: 'watcher' }))?.lowBalance).toMatchObject({ state: 'alerted', crossing: 0 });

    await move('watcher', 20);
    await sweep();
    expect((await app.store.accounts.findOne({ _id: 'watcher' }))?.lowBalance).toMatchObject({ state: 'armed', crossing: 1 });
    await move('watcher', -21);
    await sweep();
    await sweep();
    await settle();
    expect(mailTo('ops@watcher.example')).toEqual(['Watcher: low balance, $4.00', 'Watcher: low balance, $3.00']);
  });

  it('a declined recharge is the alert of its crossing: one mail, not two', async () => {
    clock = new Date('2026-03-23T12:00:00Z');
    await setAlerts(app.store, 'globex', { enabled: true, threshold: null, emails: ['noc@globex.example'] }, clock);
    await sweep();
    await settle();
    const noc = mailTo('noc@globex.example');
    expect(noc).toEqual(['Globex: auto-recharge declined, balance $2.00']);
    expect((await app.store.accounts.findOne({ _id: 'globex' }))?.lowBalance).toMatchObject({ state: 'alerted' });
  });
});

describe('settings', () => {
  it('survive the account being written again (a re-seed, an account import)', async () => {
    await setAutoRecharge(app.store, 'coast', { enabled: true, threshold: 7 * DOLLAR, amount: 9 * DOLLAR, monthlyCap: null }, clock);
    await upsertAccount(app.store, ACCOUNTS.find((a) => a.id === 'coast')!, clock);
    const account = await app.store.accounts.findOne({ _id: 'coast' });
    expect(account?.billing).toMatchObject({ cardToken: 'tok_ok_coast', autoRecharge: { enabled: true, threshold: 7 * DOLLAR, amount: 9 * DOLLAR } });
  });
});

describe('the CLI', () => {
  it('sets, shows and turns off auto-recharge and alerts', async () => {
    const set = await runTollkeeper(['recharge', 'set', 'coast', '--threshold', '12.50', '--amount', '40', '--monthly-cap', '200'], env);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('on: below $12.50 add $40.00');
    expect(set.stdout).toContain('$200.00');
    const alerts = await runTollkeeper(['alerts', 'set', 'coast', '--email', 'a@coast.example,b@coast.example'], env);
    expect(alerts.code).toBe(0);
    expect(alerts.stdout).toContain('on: at or below $12.50 to a@coast.example, b@coast.example');
    const off = await runTollkeeper(['recharge', 'off', 'coast'], env);
    expect(off.stdout).toMatch(/auto-recharge\s*│\s*off/);
    const account = await app.store.accounts.findOne({ _id: 'coast' });
    expect(account?.funds).toMatchObject({ rechargeThreshold: 0, alertThreshold: 5 * DOLLAR });
    expect(account?.funds?.alertGap).toBe((account?.funds?.balance ?? 0) - 5 * DOLLAR);
  });

  it.each([
    [['recharge', 'set', 'coast', '--threshold', '10', '--amount', '4.99'], '--amount: must be at least $5.00 (got $4.99)'],
    [['recharge', 'set', 'coast', '--threshold', '0', '--amount', '5'], '--threshold: must be more than 0 (got "0")'],
    [['recharge', 'set', 'coast', '--threshold', 'ten', '--amount', '5'], '--threshold: expected an amount such as 25 or 25.00 (got "ten")'],
    [['recharge', 'set', 'coast', '--threshold', '10', '--amount', '25', '--monthly-cap', '20'], '--monthly-cap: must be at least the amount $25.00'],
    [['recharge', 'set', 'coast', '--threshold', '10', '--amount', '5.001'], '--amount: whole cents only (got "5.001")'],
    [['alerts', 'set', 'coast', '--email', 'ops@coast.example,nope'], '--email: not an e-mail address (got "nope")'],
    [['alerts', 'set', 'coast', '--threshold', '-1'], '--threshold: must be more than 0 (got "-1")'],
  ])('refuses %j with exit 2, naming the flag and the value', async (argv, message) => {
    const outcome = await runTollkeeper(argv, env);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(message);
  });
});
