/**
 * Every card charge goes through here. The charge intent (`_id` = cause key) is written before the gateway is
 * called; the gateway's idempotency key is the cause key plus the attempt number, so repeating a call (a retry, a
 * time-out, the recovery sweep after a crash) replays the gateway's answer instead of charging again. On `paid`
 * the ledger credit is written first, under the same cause key, and only then the intent is marked paid: a crash
 * anywhere leaves a pending intent that `recoverCharges` completes by asking the gateway again with the same key.
 * One process at a time calls the gateway for an intent (a claim that runs out with the call's time-out): a concurrent
 * caller waits for that call's answer instead of giving the attempt up while it may still charge, which would let a
 * retry charge the card a second time under a new key.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/config';
import type { LocalMonth } from '../domain/calendar';
import { MoneyError, formatMoney, roundToCents } from '../domain/money';
import type { Units } from '../domain/money';
import { claimCall, countCall, getIntent, noteFailure, openIntent, reopen, settle, stalePending } from '../store/charge-intents';
import type { ChargeIntentDoc } from '../store/documents';
import { post } from '../store/ledger';
import type { Store } from '../store/store';
import type { GatewayLookup, GatewayResult, PaymentGateway } from './gateway';

export interface ChargingDeps {
  store: Store;
  gateway: PaymentGateway;
  /** PAYMENT_TIMEOUT_MS and PAYMENT_MAX_CALLS: the limits of every charge that does not pass its own. */
  config: Pick<Config, 'paymentTimeoutMs' | 'paymentMaxCalls'>;
  now(): Date;
}

export interface ChargingOptions {
  /** How long one gateway call may take before its outcome counts as unknown (the intent stays pending). */
  timeoutMs?: number;
  /** Gateway calls per attempt before it is given up as failed, once a look-up confirms nothing was charged. */
  maxCalls?: number;
}

function limitsOf(deps: ChargingDeps, options: ChargingOptions): Required<ChargingOptions> {
  return { timeoutMs: options.timeoutMs ?? deps.config.paymentTimeoutMs, maxCalls: options.maxCalls ?? deps.config.paymentMaxCalls };
}

export interface CardChargeRequest {
  /** The cause (`topup:<account>:<date>`, ...): one paid charge and one ledger credit per cause, ever. */
  causeKey: string;
  accountId: string;
  /** Rounded to whole cents before anything is written. */
  amount: Units;
  token: string;
  description: string;
  ledgerKind: 'topup' | 'payment';
  period: LocalMonth;
  source: string;
}

export type CardChargeOutcome =
  | { status: 'paid'; causeKey: string; amount: Units; reference: string }
  | { status: 'declined' | 'failed' | 'pending'; causeKey: string; amount: Units; reason: string };

export async function chargeCard(deps: ChargingDeps, request: CardChargeRequest, options: ChargingOptions = {}): Promise<CardChargeOutcome> {
  const amount = roundToCents(request.amount);
  if (amount <= 0) throw new MoneyError(`charge ${request.causeKey}: amount must be at least one cent (got ${request.amount} units)`);
  const intent = await openIntent(
    deps.store,
    {
      _id: request.causeKey,
      accountId: request.accountId,
      amount,
      token: request.token,
      description: request.description,
      ledgerKind: request.ledgerKind,
      period: request.period,
      source: request.source,
    },
    deps.now(),
  );
  return advance(deps, intent, options);
}

/**
 * A new attempt for a declined or failed charge (a renewal retried on its schedule, a card updated): a new
 * idempotency key, so only after the gateway confirms the previous attempt charged nothing.
 */
export async function retryCharge(deps: ChargingDeps, causeKey: string, token: string, options: ChargingOptions = {}): Promise<CardChargeOutcome> {
  const intent = await getIntent(deps.store, causeKey);
  if (!intent) throw new Error(`no charge ${causeKey} to retry`);
  if (intent.state === 'pending' || intent.state === 'paid') return advance(deps, intent, options);
  const previous = await deps.gateway.lookup(gatewayKey(intent));
  if (previous.status === 'paid') return complete(deps, intent, previous);
  const reopened = await reopen(deps.store, intent, token, deps.now());
  return advance(deps, reopened ?? (await mustGet(deps.store, causeKey)), options);
}

export interface RecoveryCounts {
  checked: number;
  paid: number;
  declined: number;
  failed: number;
  pending: number;
}

/**
 * Completes the pending intents nobody has touched for `idleMs`, by asking the gateway again with the same key.
 * `onProgress` hears how many of how many are done, for the job's progress.
 */
export async function recoverCharges(
  deps: ChargingDeps,
  idleMs: number,
  limit: number,
  options: ChargingOptions = {},
  onProgress?: (done: number, total: number) => Promise<void>,
): Promise<RecoveryCounts> {
  const counts: RecoveryCounts = { checked: 0, paid: 0, declined: 0, failed: 0, pending: 0 };
  const stale = await stalePending(deps.store, new Date(deps.now().getTime() - idleMs), limit);
  for (const intent of stale) {
    const outcome = await advance(deps, intent, options);
    counts.checked++;
    counts[outcome.status]++;
    await onProgress?.(counts.checked, stale.length);
  }
  return counts;
}

function gatewayKey(intent: Pick<ChargeIntentDoc, '_id' | 'attempt'>): string {
  return `${intent._id}#${intent.attempt}`;
}

async function advance(deps: ChargingDeps, intent: ChargeIntentDoc, options: ChargingOptions): Promise<CardChargeOutcome> {
  if (intent.state === 'paid') return complete(deps, intent, { status: 'paid', reference: intent.reference ?? '' });
  if (intent.state !== 'pending') return outcomeOf(intent);
  const { timeoutMs, maxCalls } = limitsOf(deps, options);
  const now = deps.now();
  const claimed = await claimCall(deps.store, intent, now, new Date(now.getTime() + timeoutMs));
  if (!claimed) return awaitOtherCall(deps, intent, options);
  if (claimed.calls >= maxCalls) {
    const known = await deps.gateway.lookup(gatewayKey(claimed));
    if (known.status !== 'not_found') return complete(deps, claimed, known);
    const reason = `${claimed.reason ?? 'no answer'}; gave up after ${claimed.calls} calls`;
    return outcomeOf(await settle(deps.store, claimed, { state: 'failed', reason }, deps.now()));
  }
  await countCall(deps.store, claimed);
  const result = await callGateway(deps.gateway, claimed, timeoutMs);
  if (result.status === 'failed_retryable') {
    await noteFailure(deps.store, claimed, result.reason);
    return { status: 'pending', causeKey: claimed._id, amount: claimed.amount, reason: result.reason };
  }
  return complete(deps, claimed, result);
}

/** How often a caller waiting on another process's gateway call looks at the intent again. */
const AWAIT_POLL_MS = 25;

/**
 * Another process is calling the gateway for this intent (a duplicate job, the recovery sweep): its answer is this
 * caller's answer too, so wait for it, at most one call's time-out. Still unanswered, or answered with a transient
 * failure, the charge is reported pending and the recovery sweep takes it from there.
 */
async function awaitOtherCall(deps: ChargingDeps, intent: ChargeIntentDoc, options: ChargingOptions): Promise<CardChargeOutcome> {
  const deadline = Date.now() + limitsOf(deps, options).timeoutMs;
  for (;;) {
    const current = await mustGet(deps.store, intent._id);
    if (current.state !== 'pending') return advance(deps, current, options);
    const calling = !!current.callingUntil && current.callingUntil > deps.now();
    if (!calling || Date.now() >= deadline) {
      const reason = calling ? 'another process is calling the gateway for this charge' : (current.reason ?? 'pending');
      return { status: 'pending', causeKey: current._id, amount: current.amount, reason };
    }
    await sleep(AWAIT_POLL_MS);
  }
}

async function callGateway(gateway: PaymentGateway, intent: ChargeIntentDoc, timeoutMs: number): Promise<GatewayResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const request = { token: intent.token, amount: intent.amount, idempotencyKey: gatewayKey(intent), description: intent.description };
    return await gateway.charge(request, { signal: controller.signal });
  } catch (error) {
    // A time-out or a broken connection: the gateway may or may not have charged. The same key will tell.
    const reason = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : `gateway error: ${(error as Error).message}`;
    return { status: 'failed_retryable', reason };
  } finally {
    clearTimeout(timer);
  }
}

async function complete(deps: ChargingDeps, intent: ChargeIntentDoc, result: Exclude<GatewayLookup, { status: 'not_found' }>): Promise<CardChargeOutcome> {
  if (result.status === 'declined') return outcomeOf(await settle(deps.store, intent, { state: 'declined', reason: result.reason }, deps.now()));
  const credit = await post(
    deps.store,
    {
      _id: intent._id,
      accountId: intent.accountId,
      amount: intent.amount,
      kind: intent.ledgerKind,
      period: intent.period,
      description: `${intent.description} (card, ${formatMoney(intent.amount)}, ref ${result.reference})`,
      source: intent.source,
      occurredAt: deps.now(),
    },
    deps.now(),
  );
  if (!credit.posted && credit.conflict) {
    throw new Error(`charge ${intent._id} was paid but the ledger already holds a different entry under that key; left pending for an operator`);
  }
  return outcomeOf(await settle(deps.store, intent, { state: 'paid', reference: result.reference }, deps.now()));
}

function outcomeOf(intent: ChargeIntentDoc): CardChargeOutcome {
  if (intent.state === 'paid') return { status: 'paid', causeKey: intent._id, amount: intent.amount, reference: intent.reference ?? '' };
  return { status: intent.state, causeKey: intent._id, amount: intent.amount, reason: intent.reason ?? intent.state };
}

async function mustGet(store: Store, causeKey: string): Promise<ChargeIntentDoc> {
  const intent = await getIntent(store, causeKey);
  if (!intent) throw new Error(`charge intent ${causeKey} disappeared`);
  return intent;
}
