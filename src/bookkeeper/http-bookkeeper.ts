/**
 * KAZOO's http bookkeeper: POSTs the items as JSON; 2xx is good standing, 402 delinquent, anything else (another
 * status, a refused connection, no answer in time) is retried later. The body is signed so the receiver can tell it
 * came from us and was not altered: `X-Tollkeeper-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>`.
 */
import { createHmac } from 'node:crypto';
import { formatRate } from '../domain/money';
import type { Bookkeeper, BookkeeperRequest, BookkeeperVerdict } from './bookkeeper';

export interface HttpBookkeeperOptions {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs: number;
}

export const SIGNATURE_HEADER = 'x-tollkeeper-signature';
const REASON_LIMIT = 200;

export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Money as decimal text (2 decimals, 4 where needed), as KAZOO's own JSON shows dollars, never binary floats. */
export function bookkeeperBody(request: BookkeeperRequest): string {
  return JSON.stringify({
    account_id: request.accountId,
    sync_id: request.syncId,
    recurring: formatRate(request.recurring),
    items: request.items.map((i) => ({
      account_id: i.accountId,
      category: i.category,
      item: i.item,
      name: i.name,
      quantity: i.quantity,
      billable: i.billable,
      rate: formatRate(i.rate),
      total: formatRate(i.total),
    })),
  });
}

/** The 402's own words when it gives any: a JSON `reason`, else its text. */
function delinquencyReason(status: number, text: string): string {
  let reason = text.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && typeof (parsed as { reason?: unknown }).reason === 'string') reason = (parsed as { reason: string }).reason.trim();
  } catch {
    // Not JSON: the text itself is the reason.
  }
  return reason === '' ? `bookkeeper answered ${status}` : reason.slice(0, REASON_LIMIT);
}

/** fetch reports a refused connection as "fetch failed", with the system error (ECONNREFUSED, ...) in `cause`. */
function failureText(error: unknown): string {
  const { message, cause } = error as { message?: string; cause?: { code?: unknown; message?: unknown } };
  const detail = cause?.code ?? cause?.message;
  return typeof detail === 'string' && detail !== '' ? `${message ?? 'request failed'} (${detail})` : String(message ?? error);
}

export function httpBookkeeper(options: HttpBookkeeperOptions): Bookkeeper {
  const target = new URL(options.url);
  const where = `${target.origin}${target.pathname}`;
  return {
    name: 'http',
    async sync(request): Promise<BookkeeperVerdict> {
      const body = bookkeeperBody(request);
      let response: Response;
      try {
        response = await fetch(target, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-sync-id': request.syncId,
            'x-account-id': request.accountId,
            [SIGNATURE_HEADER]: signature(body, options.secret),
          },
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : failureText(error);
        return { status: 'retry', reason: `bookkeeper ${where}: ${reason}` };
      }
      const text = await response.text().catch(() => '');
      if (response.ok) return { status: 'good' };
      if (response.status === 402) return { status: 'delinquent', reason: delinquencyReason(response.status, text) };
      return { status: 'retry', reason: `bookkeeper ${where} answered ${response.status}` };
    },
  };
}
