import type { Units } from '../domain/money';

export interface GatewayChargeRequest {
  /** A gateway token, never a card number. */
  token: string;
  /** Whole cents, in units. */
  amount: Units;
  /** The gateway keeps one outcome per key: a repeated call with the same key replays it and charges nothing more. */
  idempotencyKey: string;
  description: string;
}

export type GatewayResult =
  | { status: 'paid'; reference: string }
  | { status: 'declined'; reason: string }
  | { status: 'failed_retryable'; reason: string };

/** What the gateway knows of a key: its final outcome, or nothing (never called, or only failed transiently). */
export type GatewayLookup = { status: 'paid'; reference: string } | { status: 'declined'; reason: string } | { status: 'not_found' };

export interface PaymentGateway {
  /** Rejects only when `signal` aborts (the caller's time-out): the outcome is then unknown and must be looked up. */
  charge(request: GatewayChargeRequest, options?: { signal?: AbortSignal }): Promise<GatewayResult>;
  lookup(idempotencyKey: string): Promise<GatewayLookup>;
}

export class GatewayError extends Error {}
