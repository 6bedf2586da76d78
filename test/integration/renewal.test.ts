import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLERS } from '../../jobs';
import type { JobContext } from '../../jobs/job';
import { paymentKey, renewalKey } from '../../src/domain/cause-keys';
import type { JobName } from '../../src/queues/catalog';
import { attemptPayment } from '../../src/renewal/payment';
import { renewAccountMonth, sweepDunning, sweepRenewals } from '../../src/renewal/run';
import type { App } from '../../src/runtime/app';
import type { Deps } from '../../src/runtime/deps';
import { balanceOf } from '../../src/store/balances';
import { post } from '../../src/store/ledger';
import type { Store } from '../../src/store/store';
import { runTollkeeper } from '../support/cli';
import { startTestSmtp } from '../support/smtp';
import type { TestSmtp } from '../support/smtp';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';
import { MONTHLY, writeMaster, writeRenewingAccount } from './helpers/renewal-fixtures';
import type { RenewingAccount } from './helpers/renewal-fixtures';

let clock = new Date('2026-03-20T12:00:00Z');
const now = () => clock;
let app: App;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startTestSmtp();
  app = await openTestApp(isolatedEnv('renewal', { SMTP_URL: smtp.url }), now);
  await writeMaster(app.store);
});

afterAll(async () => {
  await closeTestApp(app);
  await smtp.close();
});

/**
 * Runs what the sweep enqueued, as the worker would, until the renewals queue is empty: the real job handlers on the
 * real queue, in-process, so the test controls the clock.
 */
async function drain(deps: Deps = app.deps): Promise<void> {
  const queue = app.producer.queue('renewals');
  for (;;) {
    const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
    if (jobs.length === 0) return;
    for (const job of jobs) {
      const ctx: JobContext = { deps, log: deps.logger, jobId: job.id ?? '?', progress: async () => {} };
      const handler = HANDLERS[job.name as JobName] as (p: unknown, c: JobContext) => Promise<unknown>;
      await job.remove();
      await handler(job.data, ctx);
    }
  }
}

async function sweep(): Promise<void> {
  await sweepRenewals(app.deps, 2);
  await drain();
}

async function account(a: Omit<RenewingAccount, 'parentId'> & { parentId?: string }): Promise<string> {
  await writeRenewingAccount(app.store, { parentId: 'master', ...a });
  return a.id;
}

const invoice = (id: string) => app.store.invoices.findOne({ _id: id });
const cardCharges = (accountId: string, invoiceId: string) =>
  app.store.gatewayCharges.countDocuments({ _id: { $regex: `^${paymentKey(accountId, invoiceId).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}#` }, status: 'paid' });
const ledgerOf = (accountId: string) => app.store.ledger.find({ accountId }).sort({ _id: 1 }).toArray();

async function credit(accountId: string, units: number, requestId: string): Promise<void> {
  await post(app.store, { _id: `credit:${accountId}:${requestId}`, accountId, amount: units, kind: 'manual_credit', period: '2026-03', description: 'test credit', source: 'test', occurredAt: clock }, clock);
}

describe('accounts in three time zones renew at their own local midnight', () => {
  beforeAll(async () => {
    for (const [id, timezone] of [['kolkata', 'Asia/Kolkata'], ['berlin', 'Europe/Berlin'], ['newyork', 'America/New_York']] as const) {
      await account({ id, timezone, billedMonth: '2026-03', mode: 'credit_then_card', card: `tok_ok_${id}` });
    }
  });

  it('each is invoiced and charged at the first sweep after its midnight on the 1st, and only then', async () => {
    clock = new Date('2026-03-31T18:29:59Z');
    await sweep();
    expect(await app.store.invoices.countDocuments({ accountId: { $in: ['kolkata', 'berlin', 'newyork'] } })).toBe(0);

    clock = new Date('2026-03-31T18:30:00Z'); // 00:00 IST on 1 April
    await sweep();
    expect(await invoice('kolkata/2026-04')).toMatchObject({ status: 'paid', total: MONTHLY, dueDate: '2026-04-01' });
    expect(await invoice('berlin/2026-04')).toBeNull();

    clock = new Date('2026-03-31T22:00:00Z'); // 00:00 CEST
    await sweep();
    expect(await invoice('berlin/2026-04')).toMatchObject({ status: 'paid' });
    expect(await invoice('newyork/2026-04')).toBeNull();

    clock = new Date('2026-04-01T04:00:00Z'); // 00:00 EDT
    await sweep();
    expect(await invoice('newyork/2026-04')).toMatchObject({ status: 'paid' });
  });

  it('running the sweep (and the jobs) again charges nothing more', async () => {
    await sweep();
    await sweepRenewals(app.deps, 1);
    for (const id of ['kolkata', 'berlin', 'newyork']) {
      await renewAccountMonth(app.deps, id, '2026-04');
      expect(await cardCharges(id, `${id}/2026-04`)).toBe(1);
      expect(await app.store.ledger.countDocuments({ _id: renewalKey(id, '2026-04') })).toBe(1);
      expect((await invoice(`${id}/2026-04`))?.attempts).toHaveLength(1);
      // Card charged in whole cents; the balance is what the card paid less the invoice.
      expect((await balanceOf(app.store, id)).balance).toBe(0);
    }
    await drain();
  });

  it('mails each billing contact the invoice, HTML and text, with its lines and total', async () => {
    const mails = await smtp.waitFor(3);
    const mail = mails.find((m) => m.subject === 'Invoice berlin/2026-04: $94.97 for 2026-04');
    expect(mail).toBeDefined();
    expect(mail!.text).toContain('devices/sip_device: 3 x 24.99 = $74.97');
    expect(mail!.text).toContain('Total for 2026-04: $94.97');
    expect(mail!.html).toContain('users/user');
    expect(mails.filter((m) => m.subject?.startsWith('Invoice berlin/2026-04'))).toHaveLength(1);
  });
});

describe('the renewal-sweep job', () => {
  it('reports its progress after each batch, of the accounts due when it began', async () => {
    clock = new Date('2026-02-10T12:00:00Z');
    for (const id of ['prog-1', 'prog-2', 'prog-3']) await account({ id, timezone: 'UTC', billedMonth: '2026-02', mode: 'self_managed' });
    clock = new Date('2026-03-01T06:00:00Z');
    const due = await app.store.accounts.countDocuments({ 'renewal.dueAt': { $lte: clock } });
    const reported: number[] = [];
    const ctx = { deps: app.deps, log: app.deps.logger, jobId: 'progress', progress: (p: number) => Promise.resolve(void reported.push(p)) } as unknown as JobContext;
    const result = await HANDLERS['renewal-sweep']({ batchSize: 1 }, ctx);
    expect(result.counts).toMatchObject({ accounts: due });
    expect(reported).toHaveLength(due);
    expect(reported.at(-1)).toBe(100);
    expect([...reported].sort((a, b) => a - b)).toEqual(reported);
    await drain();
  });
});

describe('payment modes', () => {
  beforeAll(() => {
    clock = new Date('2026-04-01T12:00:00Z');
  });

  async function renewOne(a: Omit<RenewingAccount, 'parentId' | 'billedMonth' | 'timezone'>, balance = 0) {
    await account({ ...a, timezone: 'UTC', billedMonth: '2026-03' });
    if (balance !== 0) await credit(a.id, balance, 'setup');
    await sweep();
    const inv = await invoice(`${a.id}/2026-04`);
    const acct = await app.store.accounts.findOne({ _id: a.id });
    return { invoice: inv!, attempt: inv!.attempts[0], standing: acct!.standing, balance: (await balanceOf(app.store, a.id)).balance, charges: await cardCharges(a.id, `${a.id}/2026-04`) };
  }

  it('credit_then_card, enough credit: paid from credit, the card untouched', async () => {
    const r = await renewOne({ id: 'ctc-credit', mode: 'credit_then_card', card: 'tok_ok_x' }, 1_000_000);
    expect(r.attempt).toMatchObject({ outcome: 'paid', fromCredit: MONTHLY, byCard: 0 });
    expect(r.charges).toBe(0);
    expect(r.balance).toBe(1_000_000 - MONTHLY);
  });

  it('credit_then_card, some credit and a good card: the balance first, the card for the rest in whole cents', async () => {
    const r = await renewOne({ id: 'ctc-split', mode: 'credit_then_card', card: 'tok_ok_x' }, 400_050);
    // 949,700 - 400,050 = 549,650 units, rounded up to 549,700 (whole cents).
    expect(r.attempt).toMatchObject({ outcome: 'paid', byCard: 549_700, fromCredit: 400_000 });
    expect(r.balance).toBe(50);
  });

  it('credit_then_card, declined card and not enough credit: open, past due, balance untouched, retried in a day', async () => {
    const r = await renewOne({ id: 'ctc-declined', mode: 'credit_then_card', card: 'tok_decline_x' }, 100_000);
    expect(r.invoice).toMatchObject({ status: 'open', nextAttemptAt: new Date('2026-04-02T12:00:00Z') });
    expect(r.attempt).toMatchObject({ outcome: 'declined', fromCredit: 0, byCard: 0 });
    expect(r.standing).toBe('past_due');
    expect(r.balance).toBe(100_000);
  });

  it('credit_then_card, no card and not enough credit: open, past due', async () => {
    const r = await renewOne({ id: 'ctc-nocard', mode: 'credit_then_card', card: null });
    expect(r.attempt).toMatchObject({ outcome: 'no_card' });
    expect(r.standing).toBe('past_due');
  });

  it('card_then_credit, good card: the card pays all, the credit stays', async () => {
    const r = await renewOne({ id: 'cct-card', mode: 'card_then_credit', card: 'tok_ok_x' }, 2_000_000);
    expect(r.attempt).toMatchObject({ outcome: 'paid', byCard: MONTHLY, fromCredit: 0 });
    expect(r.balance).toBe(2_000_000);
  });

  it('card_then_credit, declined card and enough credit: paid from credit', async () => {
    const r = await renewOne({ id: 'cct-fallback', mode: 'card_then_credit', card: 'tok_decline_x' }, 2_000_000);
    expect(r.attempt).toMatchObject({ outcome: 'paid', byCard: 0, fromCredit: MONTHLY });
    expect(r.balance).toBe(2_000_000 - MONTHLY);
    expect(r.standing).toBe('good');
  });

  it('card_then_credit, declined card and not enough credit: open, past due, nothing taken', async () => {
    const r = await renewOne({ id: 'cct-declined', mode: 'card_then_credit', card: 'tok_decline_x' }, 5_000);
    expect(r.attempt).toMatchObject({ outcome: 'declined' });
    expect(r.balance).toBe(5_000);
    expect(r.standing).toBe('past_due');
  });

  it('self_managed: left open for manual payment, nothing charged; paying it by hand takes it from credit once', async () => {
    const r = await renewOne({ id: 'self', mode: 'self_managed', card: 'tok_ok_x' }, 2_000_000);
    expect(r.invoice).toMatchObject({ status: 'open', nextAttemptAt: null });
    expect(r.attempt).toMatchObject({ outcome: 'waiting' });
    expect(r.standing).toBe('good');
    expect(r.balance).toBe(2_000_000);
    const manual = await attemptPayment(app.deps, 'self/2026-04', 2, 'manual');
    expect(manual.attempt).toMatchObject({ outcome: 'paid', fromCredit: MONTHLY });
    expect(await attemptPayment(app.deps, 'self/2026-04', 3, 'manual')).toMatchObject({ attempt: null });
    expect((await balanceOf(app.store, 'self')).balance).toBe(2_000_000 - MONTHLY);
  });

  it('a sub-account is invoiced at its reseller retail prices on its credit limit, informational, and mailed', async () => {
    await account({ id: 'sub', timezone: 'UTC', billedMonth: '2026-03', parentId: 'ctc-credit', isReseller: false });
    await sweep();
    expect(await invoice('sub/2026-04')).toMatchObject({ status: 'informational', collection: 'reseller', billedBy: 'ctc-credit', nextAttemptAt: null });
    expect(await ledgerOf('sub')).toEqual([expect.objectContaining({ _id: renewalKey('sub', '2026-04'), amount: -MONTHLY, kind: 'renewal' })]);
    expect(await app.store.mailLog.findOne({ _id: 'invoice:sub/2026-04' })).toMatchObject({ state: 'sent' });
  });
});

describe('dunning', () => {
  it('retries 1, 3 and 7 days after the first failure, mails each failure and a final notice, then stops', async () => {
    clock = new Date('2026-04-01T09:00:00Z');
    await account({ id: 'dunned', timezone: 'UTC', billedMonth: '2026-03', mode: 'credit_then_card', card: 'tok_decline_x' });
    await sweep();
    const attempts = async () => (await invoice('dunned/2026-04'))!.attempts.length;
    for (const [i, day] of ['2026-04-02', '2026-04-04', '2026-04-08'].entries()) {
      clock = new Date(`${day}T08:59:00Z`);
      await sweepDunning(app.deps, 100);
      await drain();
      expect(await attempts()).toBe(i + 1);
      clock = new Date(`${day}T09:30:00Z`);
      await sweepDunning(app.deps, 100);
      await sweepDunning(app.deps, 100);
      await drain();
    }
    const inv = await invoice('dunned/2026-04');
    expect(inv!.attempts.map((a) => [a.n, a.outcome])).toEqual([[1, 'declined'], [2, 'declined'], [3, 'declined'], [4, 'declined']]);
    expect(inv).toMatchObject({ status: 'open', nextAttemptAt: null });
    const mails = await app.store.mailLog.find({ _id: { $regex: '^dunning:dunned/' } }).sort({ _id: 1 }).toArray();
    expect(mails.map((m) => [m._id, m.subject])).toEqual([
      ['dunning:dunned/2026-04:1', 'Payment failed for invoice dunned/2026-04'],
      ['dunning:dunned/2026-04:2', 'Payment failed for invoice dunned/2026-04'],
      ['dunning:dunned/2026-04:3', 'Payment failed for invoice dunned/2026-04'],
      ['dunning:dunned/2026-04:4', 'Final notice: invoice dunned/2026-04 is unpaid'],
    ]);
    clock = new Date('2026-04-30T00:00:00Z');
    await sweepDunning(app.deps, 100);
    await drain();
    expect(await attempts()).toBe(4);
  });

  it('a retry after the card is updated pays once and returns the account to good standing', async () => {
    clock = new Date('2026-04-01T09:00:00Z');
    await account({ id: 'recovers', timezone: 'UTC', billedMonth: '2026-03', mode: 'credit_then_card', card: 'tok_decline_x' });
    await sweep();
    await app.store.accounts.updateOne({ _id: 'recovers' }, { $set: { 'billing.cardToken': 'tok_ok_new' } });
    clock = new Date('2026-04-02T10:00:00Z');
    await sweepDunning(app.deps, 100);
    await drain();
    expect(await invoice('recovers/2026-04')).toMatchObject({ status: 'paid', nextAttemptAt: null });
    expect(await cardCharges('recovers', 'recovers/2026-04')).toBe(1);
    expect((await app.store.accounts.findOne({ _id: 'recovers' }))?.standing).toBe('good');
  });
});

describe('restarts and catch-up', () => {
  /** The store as the job sees it, with the ledger's insert of the renewal debit failing once: a crash at that point. */
  function crashingBeforeRenewalDebit(store: Store): Store {
    let crashed = false;
    const ledger = new Proxy(store.ledger, {
      get(target, prop, receiver) {
        if (prop === 'insertOne') {
          return async (doc: { _id: string }, ...rest: unknown[]) => {
            if (!crashed && doc._id.startsWith('renewal:')) {
              crashed = true;
              throw new Error('injected crash: process died after the card charge, before the renewal debit and the attempt were written');
            }
            return (target.insertOne as (...args: unknown[]) => Promise<unknown>).call(target, doc, ...rest);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    return { ...store, ledger };
  }

  it('crash after the card charge and before the invoice and ledger complete: the rerun charges nothing more and completes once', async () => {
    clock = new Date('2026-04-01T12:00:00Z');
    await account({ id: 'crashy', timezone: 'UTC', billedMonth: '2026-03', mode: 'card_then_credit', card: 'tok_ok_x' });
    await sweepRenewals(app.deps, 10);
    const crashing: Deps = { ...app.deps, store: crashingBeforeRenewalDebit(app.store) };
    await expect(renewAccountMonth(crashing, 'crashy', '2026-04')).rejects.toThrow('injected crash');
    expect(await cardCharges('crashy', 'crashy/2026-04')).toBe(1);
    expect(await invoice('crashy/2026-04')).toMatchObject({ status: 'open', attempts: [] });
    // The worker restarts and the job (or the dunning sweep's rerun of it) runs again.
    await drain();
    await sweepDunning(app.deps, 100);
    await drain();
    expect(await invoice('crashy/2026-04')).toMatchObject({ status: 'paid', attempts: [expect.objectContaining({ n: 1, outcome: 'paid', byCard: MONTHLY })] });
    expect(await cardCharges('crashy', 'crashy/2026-04')).toBe(1);
    expect((await ledgerOf('crashy')).map((e) => [e._id, e.amount])).toEqual([
      [paymentKey('crashy', 'crashy/2026-04'), MONTHLY],
      [renewalKey('crashy', '2026-04'), -MONTHLY],
    ]);
  });

  it('months missed while the worker was down are each invoiced once, oldest first, at the next run', async () => {
    clock = new Date('2026-01-10T00:00:00Z');
    await account({ id: 'asleep', timezone: 'America/New_York', billedMonth: '2026-01', mode: 'credit_then_card', card: 'tok_ok_x' });
    clock = new Date('2026-04-02T12:00:00Z');
    await sweep();
    await sweep();
    const invoices = await app.store.invoices.find({ accountId: 'asleep' }).sort({ period: 1 }).toArray();
    expect(invoices.map((i) => [i._id, i.status])).toEqual([
      ['asleep/2026-02', 'paid'],
      ['asleep/2026-03', 'paid'],
      ['asleep/2026-04', 'paid'],
    ]);
    expect(await app.store.ledger.countDocuments({ accountId: 'asleep', kind: 'renewal' })).toBe(3);
    expect((await app.store.accounts.findOne({ _id: 'asleep' }))?.renewal).toEqual({ nextMonth: '2026-05', dueAt: new Date('2026-05-01T04:00:00Z') });
  });

  it('the month reconciliation billed itself (the plan assignment month) is not renewed', async () => {
    clock = new Date('2026-04-01T12:00:00Z');
    await account({ id: 'fresh', timezone: 'UTC', billedMonth: '2026-04', mode: 'credit_then_card', card: 'tok_ok_x' });
    await app.store.accounts.updateOne({ _id: 'fresh' }, { $set: { renewal: { nextMonth: '2026-04', dueAt: new Date('2026-04-01T00:00:00Z') } } });
    await sweep();
    expect(await invoice('fresh/2026-04')).toBeNull();
    expect((await app.store.accounts.findOne({ _id: 'fresh' }))?.renewal?.nextMonth).toBe('2026-05');
  });
});

describe('tollkeeper invoices', () => {
  it('lists, shows, previews, exports and pays, with bad input named', async () => {
    const env = { ...isolatedEnv('renewal'), MONGODB_DB: app.store.db.databaseName, SMTP_URL: smtp.url };
    const list = await runTollkeeper(['invoices', 'list', 'berlin'], env);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('berlin/2026-04');
    expect(list.stdout).toContain('card $94.97');
    const show = await runTollkeeper(['invoices', 'show', 'berlin/2026-04'], env);
    expect(show.stdout).toContain('devices/sip_device');
    expect(show.stdout).toContain('attempt 1');
    const preview = await runTollkeeper(['invoices', 'preview', 'berlin'], env);
    expect(preview.stdout).toContain('preview of invoice berlin/2026-05');
    expect(preview.stdout).toContain('total $94.97');
    expect(await app.store.invoices.countDocuments({ _id: 'berlin/2026-05' })).toBe(0);
    const file = join(tmpdir(), `invoices-${process.pid}.csv`);
    const exported = await runTollkeeper(['invoices', 'export', 'berlin', '--csv', file], env);
    expect(exported.stdout).toContain('2 invoice line(s)');
    expect((await readFile(file, 'utf8')).split('\r\n')[1]).toBe('berlin/2026-04,2026-04,paid,2026-04-01,devices,sip_device,devices/sip_device,3,3,24.99,74.97,94.97');
    await rm(file);
    const bad = await runTollkeeper(['invoices', 'show', 'berlin-2026-04'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"berlin-2026-04"');
    const badMonth = await runTollkeeper(['invoices', 'preview', 'berlin', '--month', '2026-4'], env);
    expect(badMonth.code).toBe(2);
    expect(badMonth.stderr).toContain('--month');
    const short = await runTollkeeper(['invoices', 'pay', 'ctc-nocard/2026-04'], env);
    expect(short.code).toBe(1);
    expect(short.stdout).toContain('no_card');
  });
});
