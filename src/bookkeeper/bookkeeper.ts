/**
 * KAZOO's bookkeeper: reconciliation hands it the normalised list of an account's billable items and it answers with
 * the account's status. Implementations never throw for the bookkeeper's own failures: they answer `retry`, and the
 * account stays dirty until a later attempt gets a verdict.
 */
import type { Units } from '../domain/money';
import type { PricedLine } from '../domain/plans';

export interface BookkeeperItem extends PricedLine {
  /** The account whose services the item is: the payer itself or an account billed to it. */
  readonly accountId: string;
}

export interface BookkeeperRequest {
  /** The paying account: the standing the bookkeeper answers with is its own (and that of the accounts it pays for). */
  readonly accountId: string;
  /**
   * Names this sync: the payer and the dirty version reconciled (`<account>.v<version>`). A retried sync sends the
   * same id, so a bookkeeper can recognise it.
   */
  readonly syncId: string;
  readonly items: readonly BookkeeperItem[];
  /** The monthly recurring total of the items. */
  readonly recurring: Units;
}

export type BookkeeperVerdict =
  | { readonly status: 'good' }
  | { readonly status: 'delinquent'; readonly reason: string }
  | { readonly status: 'retry'; readonly reason: string };

export interface Bookkeeper {
  readonly name: 'local' | 'http';
  sync(request: BookkeeperRequest): Promise<BookkeeperVerdict>;
}
