import { HANDLERS } from '../../jobs';
import type { JobContext } from '../../jobs/job';
import { topupKey } from '../../src/domain/cause-keys';
import { chargeCard, recoverCharges, retryCharge } from '../../src/payments/charging';
import type { CardChargeRequest, ChargingDeps } from '../../src/payments/charging';
import type { PaymentGateway } from '../../src/payments/gateway';
import { SimulatedGateway } from '../../src/payments/simulated-gateway';
import type { App } from '../../src/runtime/app';
import { balanceOf } from '../../src/store/balances';
import { closeTestApp, isolatedEnv, openTestApp } from '../support/test-env';
import { TREE, writeTree } from './helpers/billing-tree';

const env = isolatedEnv('payments');
let clock = new Date('2026-03-15T12:00:00Z');
const now = () => clock;
let app: App;
let gateway: SimulatedGateway;
let deps: ChargingDeps;
let day = 0;

beforeAll(async () => {
  app = await openTestApp(env, now);
  await writeTree(app.store);
  gateway = new SimulatedGateway(app.store, { flakyFailures: 2, now });
  deps = { store: app.store, gateway, config: app.deps.config, now };
});

afterAll(async () => {
  await closeTestApp(app);
});

/** A top-up of the reseller on a day of its own, so every test has a cause of its own. */
function topup(token: string, amount = 250_000): CardChargeRequest {
  day += 1;
  const date = `2026-04-${String(day).padStart(2, '0')}`;
  return {
    causeKey: topupKey(TREE.reseller, date),
    accountId: TREE.reseller,
    amount,
    token,
    description: `Auto-recharge ${date}`,
    ledgerKind: 'topup',
    period: '2026-04',
    source: 'test',
  };
}

/** A gateway whose charges wait until the test releases them; `called` resolves once the first call has been made. */
function holdingGateway(real: PaymentGateway): PaymentGateway & { called: Promise<void>; release(): void } {
  let release = () => {};
  let called = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  return {
    called: new Promise<void>((resolve) => (called = resolve)),
    release: () => release(),
    async charge(request, options) {
      called();
      await released;
      return real.charge(request, options);
    },
    lookup: (key) => real.lookup(key),
  };
}

/** Moves the clock on so the sweep sees the intents touched so far as idle. */
function later(): void {
  clock = new Date(clock.getTime() + 1000);
}

async function paidCharges(causeKey: string): Promise<number> {
  return app.store.gatewayCharges.countDocuments({ _id: { $regex: `^${causeKey}#` }, status: 'paid' });
}

async function credits(causeKey: string): Promise<number> {
  return app.store.ledger.countDocuments({ _id: causeKey });
}

describe('card charges', () => {
  it('a paid charge credits the ledger once under the cause key; charging the cause again charges nothing', async () => {
    const request = topup('tok_ok_visa', 123_450);
    const first = await chargeCard(deps, request);
    const second = await chargeCard(deps, request);
    expect(first).toMatchObject({ status: 'paid', amount: 123_500 });
    expect(second).toEqual(first);
    expect(await paidCharges(request.causeKey)).toBe(1);
    expect(await app.store.ledger.findOne({ _id: request.causeKey })).toMatchObject({ kind: 'topup', amount: 123_500, accountId: TREE.reseller });
    expect(await app.store.chargeIntents.findOne({ _id: request.causeKey })).toMatchObject({ state: 'paid', attempt: 1, calls: 1 });
  });

  it('ten concurrent charges of one cause charge the card once and credit once', async () => {
    const request = topup('tok_ok_visa');
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => chargeCard(deps, request)));
    expect(new Set(outcomes.map((o) => o.status))).toEqual(new Set(['paid']));
    expect(await app.store.gatewayCharges.findOne({ _id: `${request.causeKey}#1` })).toMatchObject({ calls: 1, status: 'paid' });
    expect(await paidCharges(request.causeKey)).toBe(1);
    expect(await credits(request.causeKey)).toBe(1);
  });

  it('a caller at the call limit waits for a call in flight instead of giving the charge up (no retry can charge twice)', async () => {
    const request = topup('tok_ok_slow');
    const options = { maxCalls: 1 };
    const held = holdingGateway(gateway);
    const first = chargeCard({ ...deps, gateway: held }, request, options);
    await held.called;
    // The intent is at its limit of one call, and that call has not answered: giving up now and retrying under a
    // new key would charge the card twice once the first call lands.
    const second = chargeCard(deps, request, options);
    const retried = retryCharge(deps, request.causeKey, 'tok_ok_other', options);
    held.release();
    const outcomes = await Promise.all([first, second, retried]);
    expect(outcomes.map((o) => o.status)).toEqual(['paid', 'paid', 'paid']);
    expect(await app.store.chargeIntents.findOne({ _id: request.causeKey })).toMatchObject({ state: 'paid', attempt: 1, calls: 1, callingUntil: null });
    expect(await paidCharges(request.causeKey)).toBe(1);
    expect(await credits(request.causeKey)).toBe(1);
  });

  it('a declined card leaves no credit, and asking again does not call the card again', async () => {
    const request = topup('tok_decline_amex');
    expect(await chargeCard(deps, request)).toMatchObject({ status: 'declined', reason: 'card declined' });
    expect(await chargeCard(deps, request)).toMatchObject({ status: 'declined' });
    expect(await app.store.gatewayCharges.findOne({ _id: `${request.causeKey}#1` })).toMatchObject({ calls: 1, status: 'declined' });
    expect(await credits(request.causeKey)).toBe(0);
  });

  it('a declined charge retried with a new card is a new attempt, paid once; retrying it again charges nothing', async () => {
    const request = topup('tok_decline_old');
    await chargeCard(deps, request);
    const retried = await retryCharge(deps, request.causeKey, 'tok_ok_new');
    expect(retried).toMatchObject({ status: 'paid' });
    expect(await retryCharge(deps, request.causeKey, 'tok_ok_other')).toEqual(retried);
    expect(await paidCharges(request.causeKey)).toBe(1);
    expect(await credits(request.causeKey)).toBe(1);
    expect(await app.store.chargeIntents.findOne({ _id: request.causeKey })).toMatchObject({ state: 'paid', attempt: 2, token: 'tok_ok_new' });
  });

  it('a transiently failing gateway leaves the charge pending; the sweep finishes it with one charge', async () => {
    const request = topup('tok_flaky_mc');
    const first = await chargeCard(deps, request);
    expect(first.status).toBe('pending');
    expect(first).toHaveProperty('reason', 'simulated transient failure 1 of 2');
    later();
    expect(await recoverCharges(deps, 0, 100)).toMatchObject({ checked: 1, pending: 1 });
    later();
    expect(await recoverCharges(deps, 0, 100)).toMatchObject({ checked: 1, paid: 1 });
    later();
    expect(await recoverCharges(deps, 0, 100)).toMatchObject({ checked: 0 });
    expect(await paidCharges(request.causeKey)).toBe(1);
    expect(await credits(request.causeKey)).toBe(1);
  });

  it('a gateway that never answers times out as pending and, once the gateway confirms it holds nothing, fails', async () => {
    const request = topup('tok_hang_visa');
    // The limits as configured (PAYMENT_TIMEOUT_MS, PAYMENT_MAX_CALLS).
    const limited = { ...deps, config: { ...deps.config, paymentTimeoutMs: 50, paymentMaxCalls: 2 } };
    expect(await chargeCard(limited, request)).toMatchObject({ status: 'pending', reason: 'no answer within 50 ms' });
    later();
    expect(await recoverCharges(limited, 0, 100)).toMatchObject({ pending: 1 });
    later();
    expect(await recoverCharges(limited, 0, 100)).toMatchObject({ failed: 1 });
    expect(await app.store.chargeIntents.findOne({ _id: request.causeKey })).toMatchObject({
      state: 'failed',
      reason: 'no answer within 50 ms; gave up after 2 calls',
    });
    expect(await credits(request.causeKey)).toBe(0);
  });

  it('refuses a cause reused for another amount', async () => {
    const request = topup('tok_ok_visa');
    await chargeCard(deps, request);
    await expect(chargeCard(deps, { ...request, amount: request.amount + 10_000 })).rejects.toThrow(/already exists/);
  });
});

describe('a crash injected between the gateway call and the ledger write', () => {
  /** The gateway records (and charges) the key, then the process "dies" before it hears the answer. */
  function crashingAfterCharge(real: PaymentGateway): PaymentGateway {
    return {
      async charge(request, options) {
        await real.charge(request, options);
        throw new Error('injected crash after the gateway charged');
      },
      lookup: (key) => real.lookup(key),
    };
  }

  it('is recovered by the charge-recovery sweep with exactly one charge and one credit', async () => {
    const request = topup('tok_ok_crash', 500_000);
    const before = (await balanceOf(app.store, TREE.reseller)).balance;
    const crashed = await chargeCard({ ...deps, gateway: crashingAfterCharge(gateway) }, request);
    expect(crashed).toMatchObject({ status: 'pending', reason: 'gateway error: injected crash after the gateway charged' });
    expect(await paidCharges(request.causeKey)).toBe(1);
    expect(await credits(request.causeKey)).toBe(0);

    // The sweep leaves intents alone until they have been idle for its grace period.
    const job = HANDLERS['charge-recovery'];
    const context = { deps: { ...app.deps, gateway }, jobId: 'test', log: app.deps.logger, progress: async () => {} } as unknown as JobContext;
    expect((await job({ idleMinutes: 5, limit: 100 }, context)).counts).toMatchObject({ checked: 0 });
    clock = new Date(clock.getTime() + 6 * 60_000);
    // Two sweeps at once (two worker hosts) and one more afterwards: still one charge, one credit.
    const runs = await Promise.all([job({ idleMinutes: 5, limit: 100 }, context), job({ idleMinutes: 5, limit: 100 }, context)]);
    // Each sweep either saw the intent pending (and reports it paid by replaying the gateway's answer) or started after
    // the other had finished (and saw nothing): which one happens is up to the scheduler.
    const paid = runs.map((r) => [r.counts.checked, r.counts.paid]);
    expect([[[1, 1], [1, 1]], [[1, 1], [0, 0]], [[0, 0], [1, 1]]]).toContainEqual(paid);
    expect((await job({ idleMinutes: 5, limit: 100 }, context)).counts).toMatchObject({ checked: 0 });

    expect(await paidCharges(request.causeKey)).toBe(1);
    expect(await app.store.gatewayCharges.findOne({ _id: `${request.causeKey}#1` })).toMatchObject({ status: 'paid' });
    expect(await credits(request.causeKey)).toBe(1);
    expect((await balanceOf(app.store, TREE.reseller)).balance).toBe(before + 500_000);
    expect(await app.store.chargeIntents.findOne({ _id: request.causeKey })).toMatchObject({ state: 'paid' });
  });

  it('a crash after the ledger credit but before the intent is marked paid is completed without a second credit', async () => {
    const request = topup('tok_ok_crash2');
    const failingSettle: ChargingDeps = {
      ...deps,
      store: new Proxy(app.store, {
        get(target, prop, receiver) {
          if (prop !== 'chargeIntents') return Reflect.get(target, prop, receiver) as unknown;
          return new Proxy(target.chargeIntents, {
            get(coll, method, r) {
              if (method === 'updateOne') {
                return (filter: { state?: unknown }, update: { $set?: { state?: string } }) => {
                  if (update.$set?.state === 'paid') throw new Error('injected crash before the intent is marked paid');
                  return coll.updateOne(filter as never, update as never);
                };
              }
              return Reflect.get(coll, method, r) as unknown;
            },
          });
        },
      }),
    };
    await expect(chargeCard(failingSettle, request)).rejects.toThrow(/injected crash/);
    expect(await credits(request.causeKey)).toBe(1);
    clock = new Date(clock.getTime() + 6 * 60_000);
    expect(await recoverCharges(deps, 5 * 60_000, 100)).toMatchObject({ paid: 1 });
    expect(await credits(request.causeKey)).toBe(1);
    expect(await paidCharges(request.causeKey)).toBe(1);
  });
});
