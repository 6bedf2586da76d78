/**
 * Mail sent once per cause. The cause key (`_id`) is claimed by an insert before the mail is handed to the mailer,
 * and marked `sent` after, so a retried job finds the key and sends nothing.
 *
 * Delivery is at-least-once. A crash between the send and the mark leaves the claim `sending`, and nothing here can
 * tell whether the mail left. A claim younger than `staleAfterMs` may belong to a sender still at work, so the
 * caller is told to try later (MailInFlightError, retryable: the job's retry comes back). An older one is taken
 * over and the mail is sent again: a rare duplicate low-balance or decline notice costs the reader a glance, a lost
 * one can cost them their service. Within the window, and forever once `sent`, the key dedupes every repetition.
 * A send that failed cleanly (the mailer threw) is marked `failed` and the next call sends at once.
 */
import type { Mailer, OutgoingMail } from '../mail/mailer';
import type { MailLogDoc } from './documents';
import { isDuplicateKey } from './duplicates';
import type { Store } from './store';

export interface MailLogDeps {
  store: Store;
  mailer: Mailer;
  now(): Date;
}

export interface SendOnceOptions {
  /** How old a `sending` claim must be before it counts as abandoned by a crashed sender. */
  staleAfterMs?: number;
}

/** One minute: well past a normal SMTP hand-over, and within the first retries BullMQ makes after a stalled job. */
export const DEFAULT_STALE_AFTER_MS = 60_000;

export type SendOnceResult = { status: 'sent'; messageId: string } | { status: 'already-sent'; messageId: string };

/** Another sender holds a fresh claim on the key: retry later. */
export class MailInFlightError extends Error {}

export async function sendOnce(deps: MailLogDeps, key: string, message: OutgoingMail, options: SendOnceOptions = {}): Promise<SendOnceResult> {
  const claim = await claimKey(deps, key, message, options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
  if ('status' in claim) return claim;
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(message));
  } catch (error) {
    await deps.store.mailLog.updateOne(
      { _id: key, attempts: claim.attempts, state: 'sending' },
      { $set: { state: 'failed', error: (error as Error).message } },
    );
    throw error;
  }
  // Unconditional: the mail has left, whoever holds the claim now.
  await deps.store.mailLog.updateOne({ _id: key }, { $set: { state: 'sent', sentAt: deps.now(), messageId, error: null } });
  return { status: 'sent', messageId };
}

export function mailLogEntry(store: Store, key: string): Promise<MailLogDoc | null> {
  return store.mailLog.findOne({ _id: key });
}

type Claim = { attempts: number } | SendOnceResult;

async function claimKey(deps: MailLogDeps, key: string, message: OutgoingMail, staleAfterMs: number): Promise<Claim> {
  const now = deps.now();
  try {
    await deps.store.mailLog.insertOne({ _id: key, state: 'sending', to: message.to, subject: message.subject, attempts: 1, claimedAt: now });
    return { attempts: 1 };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const existing = await deps.store.mailLog.findOne({ _id: key });
  if (!existing) throw new Error(`mail ${key} was reported as claimed but cannot be read back`);
  if (existing.state === 'sent') return { status: 'already-sent', messageId: existing.messageId ?? '' };
  const stale = now.getTime() - existing.claimedAt.getTime() >= staleAfterMs;
  if (existing.state === 'sending' && !stale) {
    throw new MailInFlightError(`mail ${key} is being sent by another process since ${existing.claimedAt.toISOString()}; try again later`);
  }
  // The attempt count fences the take-over: of two processes taking over the same claim, one wins.
  const taken = await deps.store.mailLog.updateOne(
    { _id: key, attempts: existing.attempts, state: existing.state },
    { $set: { state: 'sending', claimedAt: now, to: message.to, subject: message.subject }, $inc: { attempts: 1 } },
  );
  if (taken.modifiedCount === 0) throw new MailInFlightError(`mail ${key} was claimed by another process; try again later`);
  return { attempts: existing.attempts + 1 };
}
