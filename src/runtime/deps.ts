import type { Bookkeeper } from '../bookkeeper';
import type { Config } from '../config/config';
import type { Mailer } from '../mail/mailer';
import type { PaymentGateway } from '../payments/gateway';
import type { Enqueuer } from '../queues/producer';
import type { Store } from '../store/store';
import type { Logger } from './logger';

/** What a job may use; everything with a side effect outside the store comes through here, so tests can swap it. */
export interface Deps {
  config: Config;
  store: Store;
  logger: Logger;
  enqueuer: Enqueuer;
  /** Every card charge goes through it, and only via the charging service (src/payments/charging.ts). */
  gateway: PaymentGateway;
  /** Every mail a job sends; mail that must go out once per cause goes through sendOnce (src/store/mail-log.ts). */
  mailer: Mailer;
  /** Hands each reconciled account's billable items on and answers with its standing (src/bookkeeper/). */
  bookkeeper: Bookkeeper;
  now(): Date;
}
