/**
 * The low-balance alert of one account: mailed once per crossing, re-armed when the balance recovers. Evaluated by
 * the hourly sweep (for every account whose kept balance says "low" or "recovered"), after each auto-recharge run,
 * and open to any writer that wants an alert at once (say after a CDR import): `checkLowBalance(deps, accountId)`.
 */
import { alertThreshold, stepAlert } from '../domain/low-balance';
import type { AlertState } from '../domain/low-balance';
import type { Deps } from '../runtime/deps';
import { sendOnce } from '../store/mail-log';
import type { AccountContext } from './account-context';
import { loadAccountContext } from './account-context';
import { alertRecipients, noticeKeys, noticeMail } from './notices';

export type AlertOutcome = 'alerted' | 'already-notified' | 'no-recipient' | 'rearmed' | 'none';

export interface AlertOptions {
  /** A recharge decline notice just told the same people their balance is low: record the crossing, mail nothing. */
  notifiedByDecline?: boolean;
}

export async function checkLowBalance(deps: Pick<Deps, 'store' | 'mailer' | 'now' | 'logger'>, accountId: string, options: AlertOptions = {}): Promise<AlertOutcome> {
  return checkLowBalanceOf(deps, await loadAccountContext(deps.store, accountId), options);
}

export async function checkLowBalanceOf(
  deps: Pick<Deps, 'store' | 'mailer' | 'now' | 'logger'>,
  { account, payer, balance }: AccountContext,
  options: AlertOptions = {},
): Promise<AlertOutcome> {
  const alerts = account.billing.alerts;
  if (!alerts?.enabled) return 'none';
  const current: AlertState = account.lowBalance ?? { state: 'armed', crossing: 0 };
  const threshold = alertThreshold(alerts, account.billing.autoRecharge ?? null);
  const step = stepAlert(current, balance, threshold);
  const now = deps.now();
  if (step.action === 'rearm') {
    await deps.store.accounts.updateOne(
      { _id: account._id, 'lowBalance.state': 'alerted', 'lowBalance.crossing': current.crossing },
      { $set: { lowBalance: { state: 'armed', crossing: step.crossing, changedAt: now } } },
    );
    return 'rearmed';
  }
  if (step.action === 'none') return 'none';
  let outcome: AlertOutcome = 'already-notified';
  if (!options.notifiedByDecline) {
    const to = alertRecipients(account, payer);
    if (to.length === 0) {
      deps.logger.warn({ account: account._id }, 'low balance but nobody to tell: no alert e-mails and no billing contact');
      return 'no-recipient';
    }
    const notice = { kind: 'low-balance' as const, accountName: account.name, accountId: account._id, balance, threshold, checkedAt: now, zone: account.timezone };
    await sendOnce(deps, noticeKeys.lowBalance(account._id, step.crossing), noticeMail(notice, to));
    outcome = 'alerted';
  }
  // Conditional on the crossing it mailed: a re-arm that won the race keeps its new crossing.
  await deps.store.accounts.updateOne(
    { _id: account._id, $or: [{ 'lowBalance.crossing': step.crossing }, { lowBalance: { $exists: false } }] },
    { $set: { lowBalance: { state: 'alerted', crossing: step.crossing, changedAt: now } } },
  );
  return outcome;
}
