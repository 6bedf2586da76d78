import type { JobName } from '../src/queues/catalog';
import { chargeRecovery } from './charge-recovery';
import { housekeeping } from './housekeeping';
import { ledgerRollover } from './ledger-rollover';
import type { JobHandler } from './job';

/** Every job in the catalog has exactly one handler: a missing one is a compile error. */
export const HANDLERS: { [N in JobName]: JobHandler<N> } = {
  housekeeping,
  'charge-recovery': chargeRecovery,
  'ledger-rollover': ledgerRollover,
};
