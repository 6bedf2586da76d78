/**
 * Low-balance alerts, decided without I/O. An alert goes out when the balance is at or below the alert threshold,
 * once per crossing; the alert is re-armed when the balance recovers above it, and the next crossing alerts again.
 * Each crossing is numbered, and its number keys the mail, so a crossing is mailed once however often it is checked.
 */
import { UNITS_PER_DOLLAR } from './money';
import type { Units } from './money';
import type { RechargeSettings } from './auto-recharge';

export const DEFAULT_ALERT_THRESHOLD: Units = 5 * UNITS_PER_DOLLAR;

export interface AlertConfig {
  enabled: boolean;
  threshold: Units | null;
}

export type AlertPhase = 'off' | 'armed' | 'alerted';

export interface AlertState {
  state: AlertPhase;
  crossing: number;
}

/** The rule's default: the alert's own threshold, else the recharge threshold (when recharge is on), else $5.00. */
export function alertThreshold(alerts: AlertConfig | null, recharge: RechargeSettings | null): Units {
  if (typeof alerts?.threshold === 'number') return alerts.threshold;
  return recharge?.enabled ? recharge.threshold : DEFAULT_ALERT_THRESHOLD;
}

/**
 * The thresholds the account's stored gaps are measured against. A feature that is off counts as 0, so turning it on
 * or off, or changing a threshold, moves the gap by a difference (an $inc that commutes with the ledger's).
 */
export function thresholdsInForce(alerts: AlertConfig | null, recharge: RechargeSettings | null): { recharge: Units; alert: Units } {
  return { recharge: recharge?.enabled ? recharge.threshold : 0, alert: alerts?.enabled ? alertThreshold(alerts, recharge) : 0 };
}

export type AlertStep = { action: 'none' } | { action: 'alert'; crossing: number } | { action: 'rearm'; crossing: number };

/** What to do now: alert the current crossing, re-arm for the next one (a new number), or nothing. */
export function stepAlert(current: AlertState, balance: Units, threshold: Units): AlertStep {
  if (current.state === 'armed' && balance <= threshold) return { action: 'alert', crossing: current.crossing };
  if (current.state === 'alerted' && balance > threshold) return { action: 'rearm', crossing: current.crossing + 1 };
  return { action: 'none' };
}

/** The state after a step has been carried out. */
export function applyAlertStep(current: AlertState, step: AlertStep): AlertState {
  if (step.action === 'alert') return { state: 'alerted', crossing: current.crossing };
  if (step.action === 'rearm') return { state: 'armed', crossing: step.crossing };
  return current;
}
