import { createHash } from 'node:crypto';
import type { GatewayChargeDoc } from '../store/documents';
import { upsertRacing } from '../store/duplicates';
import type { Store } from '../store/store';
import { GatewayError } from './gateway';
import type { GatewayChargeRequest, GatewayLookup, GatewayResult, PaymentGateway } from './gateway';

export interface SimulatedGatewayOptions {
  /** How many calls per key a `tok_flaky_*` token fails transiently before it succeeds. */
  flakyFailures?: number;
  now?: () => Date;
}

/**
 * A deterministic stand-in for a card gateway, for tests and the demo. The outcome depends on the token's prefix:
 * `tok_ok_*` is paid, `tok_decline_*` declined, `tok_flaky_*` fails transiently the first N calls per key and is then
 * paid, `tok_hang_*` never answers (until the caller's signal aborts), anything else is declined.
 *
 * Like a real gateway it keeps one outcome per idempotency key, here in the store's `gateway_charges`, so another
 * process (or this one restarted) replays it: a key moves to `paid` at most once, by a conditional update.
 */
export class SimulatedGateway implements PaymentGateway {
  private readonly flakyFailures: number;
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    options: SimulatedGatewayOptions = {},
  ) {
    this.flakyFailures = options.flakyFailures ?? 2;
    this.now = options.now ?? (() => new Date());
  }

  async charge(request: GatewayChargeRequest, options: { signal?: AbortSignal } = {}): Promise<GatewayResult> {
    if (request.token.startsWith('tok_hang_')) return hangUntilAborted(options.signal);
    const doc = await this.recordCall(request);
    if (doc.token !== request.token || doc.amount !== request.amount) {
      return { status: 'declined', reason: `idempotency key ${request.idempotencyKey} was used for a different charge` };
    }
    if (doc.status) return replay(doc);
    if (request.token.startsWith('tok_flaky_') && doc.calls <= this.flakyFailures) {
      return { status: 'failed_retryable', reason: `simulated transient failure ${doc.calls} of ${this.flakyFailures}` };
    }
    const settled: Partial<GatewayChargeDoc> =
      request.token.startsWith('tok_ok_') || request.token.startsWith('tok_flaky_')
        ? { status: 'paid', reference: referenceFor(request.idempotencyKey) }
        : { status: 'declined', reason: request.token.startsWith('tok_decline_') ? 'card declined' : `unknown token ${request.token}` };
    // Only the first caller settles the key; a concurrent one reads back what won.
    await this.store.gatewayCharges.updateOne({ _id: request.idempotencyKey, status: { $exists: false } }, { $set: settled });
    const final = await this.store.gatewayCharges.findOne({ _id: request.idempotencyKey });
    if (!final?.status) throw new GatewayError(`simulated gateway lost key ${request.idempotencyKey}`);
    return replay(final);
  }

  async lookup(idempotencyKey: string): Promise<GatewayLookup> {
    const doc = await this.store.gatewayCharges.findOne({ _id: idempotencyKey });
    return doc?.status ? replay(doc) : { status: 'not_found' };
  }

  private async recordCall(request: GatewayChargeRequest): Promise<GatewayChargeDoc> {
    const doc = await upsertRacing(() =>
      this.store.gatewayCharges.findOneAndUpdate(
        { _id: request.idempotencyKey },
        {
          $inc: { calls: 1 },
          $setOnInsert: { token: request.token, amount: request.amount, description: request.description, createdAt: this.now() },
        },
        { upsert: true, returnDocument: 'after' },
      ),
    );
    if (!doc) throw new GatewayError(`simulated gateway could not record key ${request.idempotencyKey}`);
    return doc;
  }
}

function replay(doc: GatewayChargeDoc): { status: 'paid'; reference: string } | { status: 'declined'; reason: string } {
  return doc.status === 'paid' ? { status: 'paid', reference: doc.reference ?? '' } : { status: 'declined', reason: doc.reason ?? 'declined' };
}

function referenceFor(idempotencyKey: string): string {
  return `sim_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}`;
}

function hangUntilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const abort = () => reject(new GatewayError('simulated gateway: no answer before the time-out'));
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
  });
}
