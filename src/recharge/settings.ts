/**
 * Writing an account's auto-recharge and alert settings. Each change also moves the thresholds the account's kept
 * gaps are measured against (src/store/funds.ts), in the same single-document update, so the sweep's index always
 * reflects the settings in force.
 */
import { checkRechargeSettings } from '../domain/auto-recharge';
import type { RechargeSettings } from '../domain/auto-recharge';
import { thresholdsInForce } from '../domain/low-balance';
import type { AlertConfig } from '../domain/low-balance';
import type { Units } from '../domain/money';
import type { AccountDoc, AlertSettings, AutoRechargeSettings } from '../store/documents';
import { setThresholds } from '../store/funds';
import type { Store } from '../store/store';

export type RechargeChange = { enabled: true; threshold: Units; amount: Units; monthlyCap: Units | null } | { enabled: false };
export type AlertChange = { enabled: true; threshold: Units | null; emails: string[] } | { enabled: false };

/** How the settings are named where people type them (the CLI's flags), for error messages. */
export const RECHARGE_FLAGS = { threshold: '--threshold', amount: '--amount', monthlyCap: '--monthly-cap' };

export function rechargeSettingsOf(account: Pick<AccountDoc, 'billing'>): RechargeSettings | null {
  return account.billing.autoRecharge ?? null;
}

export function alertConfigOf(account: Pick<AccountDoc, 'billing'>): AlertConfig | null {
  return account.billing.alerts ?? null;
}

/** Turns auto-recharge on with these values, or off (keeping the last values for the record). */
export async function setAutoRecharge(store: Store, accountId: string, change: RechargeChange, now: Date): Promise<AccountDoc> {
  if (change.enabled) checkRechargeSettings({ ...change, enabled: true }, RECHARGE_FLAGS);
  return setThresholds(store, accountId, (account) => {
    const previous = account.billing.autoRecharge;
    const next: AutoRechargeSettings | null = change.enabled
      ? { enabled: true, threshold: change.threshold, amount: change.amount, monthlyCap: change.monthlyCap, updatedAt: now }
      : previous
        ? { ...previous, enabled: false, updatedAt: now }
        : null;
    const { recharge, alert } = thresholdsInForce(alertConfigOf(account), next);
    return { recharge, alert, set: { 'billing.autoRecharge': next } };
  });
}

/** Turns low-balance alerts on (armed for the next crossing unless one is already alerted) or off. */
export async function setAlerts(store: Store, accountId: string, change: AlertChange, now: Date): Promise<AccountDoc> {
  return setThresholds(store, accountId, (account) => {
    const next: AlertSettings = change.enabled
      ? { enabled: true, threshold: change.threshold, emails: change.emails, updatedAt: now }
      : { enabled: false, threshold: account.billing.alerts?.threshold ?? null, emails: account.billing.alerts?.emails ?? [], updatedAt: now };
    const current = account.lowBalance;
    const phase = !change.enabled ? 'off' : current && current.state !== 'off' ? current.state : 'armed';
    const lowBalance = { state: phase, crossing: current?.crossing ?? 0, changedAt: phase === current?.state ? current.changedAt : now };
    const { recharge, alert } = thresholdsInForce(next, rechargeSettingsOf(account));
    return { recharge, alert, set: { 'billing.alerts': next, lowBalance } };
  });
}
