import { metrics } from '../ops/metrics';
import type { ChargeIntentDoc, ChargeIntentState } from './documents';
import { upsertRacing } from './duplicates';
import type { Store } from './store';

/**
 * Charge intents: one per cause, written before the gateway is called. Every state change is one conditional update
 * of one document (on `_id`, `attempt` and the expected state), so two processes working on the same intent cannot
 * both move it, and a settled attempt is never settled again.
 */

export type NewIntent = Omit<ChargeIntentDoc, 'state' | 'attempt' | 'calls' | 'callingUntil' | 'reference' | 'reason' | 'createdAt' | 'updatedAt'>;

export class ChargeIntentConflictError extends Error {}

/** The intent of the cause: created pending on first use; an existing one is returned as it is. */
export async function openIntent(store: Store, intent: NewIntent, now: Date): Promise<ChargeIntentDoc> {
  const doc = await upsertRacing(() =>
    store.chargeIntents.findOneAndUpdate(
      { _id: intent._id },
      { $setOnInsert: { ...intent, state: 'pending', attempt: 1, calls: 0, callingUntil: null, reference: null, reason: null, createdAt: now, updatedAt: now } },
      { upsert: true, returnDocument: 'after' },
    ),
  );
  if (!doc) throw new Error(`charge intent ${intent._id} was not written`);
  if (doc.accountId !== intent.accountId || doc.amount !== intent.amount) {
    throw new ChargeIntentConflictError(
      `charge ${intent._id} already exists for account ${doc.accountId} and ${doc.amount} units; refusing ${intent.accountId} and ${intent.amount}`,
    );
  }
  return doc;
}

export function getIntent(store: Store, id: string): Promise<ChargeIntentDoc | null> {
  return store.chargeIntents.findOne({ _id: id });
}

/**
 * Takes the current attempt's gateway call until `until` (the call's time-out): one call per intent at a time, so a
 * second process neither charges alongside nor gives the attempt up while a call that may still charge is in flight.
 * The intent as claimed, or null when another process holds the call or the attempt has moved on. A crashed holder's
 * claim simply runs out.
 */
export function claimCall(store: Store, intent: ChargeIntentDoc, now: Date, until: Date): Promise<ChargeIntentDoc | null> {
  return store.chargeIntents.findOneAndUpdate(
    { _id: intent._id, attempt: intent.attempt, state: 'pending', $or: [{ callingUntil: null }, { callingUntil: { $lte: now } }] },
    { $set: { callingUntil: until, updatedAt: now } },
    { returnDocument: 'after' },
  );
}

/** Counts a gateway call of the current attempt before it is made, so a crash mid-call still counts it. */
export async function countCall(store: Store, intent: ChargeIntentDoc): Promise<void> {
  await store.chargeIntents.updateOne({ _id: intent._id, attempt: intent.attempt, state: 'pending' }, { $inc: { calls: 1 } });
}

/**
 * Keeps the last transient failure's reason on a pending attempt, for operators and for the final `failed` reason,
 * and hands the call back.
 */
export async function noteFailure(store: Store, intent: ChargeIntentDoc, reason: string): Promise<void> {
  await store.chargeIntents.updateOne({ _id: intent._id, attempt: intent.attempt, state: 'pending' }, { $set: { reason, callingUntil: null } });
}

/**
 * Settles the current attempt. `paid` may also replace `failed`: the gateway's word that it charged wins over our
 * giving up. Returns the intent as it now is, whoever settled it.
 */
export async function settle(
  store: Store,
  intent: ChargeIntentDoc,
  outcome: { state: Exclude<ChargeIntentState, 'pending'>; reference?: string; reason?: string },
  now: Date,
): Promise<ChargeIntentDoc> {
  const from: ChargeIntentState[] = outcome.state === 'paid' ? ['pending', 'failed'] : ['pending'];
  const { modifiedCount } = await store.chargeIntents.updateOne(
    { _id: intent._id, attempt: intent.attempt, state: { $in: from } },
    { $set: { state: outcome.state, reference: outcome.reference ?? null, reason: outcome.reason ?? null, callingUntil: null, updatedAt: now } },
  );
  // Counted where the state changes, so replays and the losers of a race count nothing.
  if (modifiedCount === 1) metrics.chargeSettled(outcome.state);
  const current = await getIntent(store, intent._id);
  if (!current) throw new Error(`charge intent ${intent._id} disappeared`);
  return current;
}

/** Starts a new attempt (a new idempotency key) after a declined or failed one; null when another process did first. */
export async function reopen(store: Store, intent: ChargeIntentDoc, token: string, now: Date): Promise<ChargeIntentDoc | null> {
  return store.chargeIntents.findOneAndUpdate(
    { _id: intent._id, attempt: intent.attempt, state: { $in: ['declined', 'failed'] } },
    { $set: { state: 'pending', token, calls: 0, reason: null, callingUntil: null, updatedAt: now }, $inc: { attempt: 1 } },
    { returnDocument: 'after' },
  );
}

/** Pending intents nobody has touched since `before`: the ones a crash (or a time-out) left behind. */
export function stalePending(store: Store, before: Date, limit: number): Promise<ChargeIntentDoc[]> {
  return store.chargeIntents.find({ state: 'pending', updatedAt: { $lt: before } }).sort({ updatedAt: 1 }).limit(limit).toArray();
}
