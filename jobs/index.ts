import type { JobName } from '../src/queues/catalog';
import { chargeRecovery } from './charge-recovery';
import { dunningSweep } from './dunning-sweep';
import { housekeeping } from './housekeeping';
import { monthlyReports } from './monthly-reports';
import { report } from './report';
import { lowBalanceAlert } from './low-balance-alert';
import { rechargeAccount } from './recharge-account';
import { rechargeSweep } from './recharge-sweep';
import { ledgerRollover } from './ledger-rollover';
import { paymentRetry } from './payment-retry';
import { renewal } from './renewal';
import { renewalSweep } from './renewal-sweep';
import type { JobHandler } from './job';
import { reconcileAccount } from './reconcile-account';
import { reconcileScan } from './reconcile-scan';

/** Every job in the catalog has exactly one handler: a missing one is a compile error. */
export const HANDLERS: { [N in JobName]: JobHandler<N> } = {
  housekeeping,
  report,
  'monthly-reports': monthlyReports,
  'charge-recovery': chargeRecovery,
  'recharge-sweep': rechargeSweep,
  'recharge-account': rechargeAccount,
  'low-balance-alert': lowBalanceAlert,
  'renewal-sweep': renewalSweep,
  renewal,
  'dunning-sweep': dunningSweep,
  'payment-retry': paymentRetry,
  'ledger-rollover': ledgerRollover,
  'reconcile-scan': reconcileScan,
  'reconcile-account': reconcileAccount,
};
