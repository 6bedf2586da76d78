/**
 * Daily auto-recharge, decided without I/O. The rule: when enabled with amount > 0 and threshold > 0 and the
 * balance is below the threshold, charge exactly the amount, at most once per account per local day (the cause key
 * `topup:<account>:<local date>` makes "once" hold in the store; this module decides whether today's is due).
 * An optional cap bounds what auto-recharge may add in one local month: a recharge that would pass it is skipped.
 */
import { MoneyError, UNITS_PER_CENT, UNITS_PER_DOLLAR, formatMoney, parseUnits } from './money';
import type { Units } from './money';

/** Per-minute credit is bought in amounts of at least $5 (seed "Per-Minute Services"). */
export const MIN_RECHARGE_AMOUNT: Units = 5 * UNITS_PER_DOLLAR;

export interface RechargeSettings {
  enabled: boolean;
  threshold: Units;
  amount: Units;
  monthlyCap: Units | null;
}

export class RechargeSettingsError extends Error {}

/**
 * An amount typed by a person: exact decimal text, positive, whole cents. `field` names it in the error
 * (`--amount`, `threshold`) together with the value given.
 */
export function parseCentsAmount(field: string, text: string): Units {
  let units: Units;
  try {
    units = parseUnits(text);
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    throw new RechargeSettingsError(`${field}: expected an amount such as 25 or 25.00 (got ${JSON.stringify(text)})`);
  }
  if (units <= 0) throw new RechargeSettingsError(`${field}: must be more than 0 (got ${JSON.stringify(text)})`);
  if (units % UNITS_PER_CENT !== 0) throw new RechargeSettingsError(`${field}: whole cents only (got ${JSON.stringify(text)})`);
  return units;
}

/** Throws naming the field and the value when the settings could not work as the rules say. */
export function checkRechargeSettings(s: RechargeSettings, names: { threshold: string; amount: string; monthlyCap: string }): RechargeSettings {
  const fail = (message: string): never => {
    throw new RechargeSettingsError(message);
  };
  if (!(s.threshold > 0)) fail(`${names.threshold}: must be more than 0 (got ${formatMoney(s.threshold)})`);
  if (s.amount < MIN_RECHARGE_AMOUNT) fail(`${names.amount}: must be at least ${formatMoney(MIN_RECHARGE_AMOUNT)} (got ${formatMoney(s.amount)})`);
  if (s.monthlyCap !== null && s.monthlyCap < s.amount) {
    fail(`${names.monthlyCap}: must be at least the amount ${formatMoney(s.amount)}, or no recharge could ever run (got ${formatMoney(s.monthlyCap)})`);
  }
  return s;
}

/** Where today's cause stands in the charging service: no charge yet, or the state of its charge intent. */
export type TodaysCharge = 'none' | 'pending' | 'paid' | 'declined' | 'failed';

export interface RechargeInput {
  settings: RechargeSettings | null;
  /** The exact balance (the ledger's sum). */
  balance: Units;
  today: TodaysCharge;
  /** What auto-recharge has added this local month, today's excluded. */
  spentThisMonth: Units;
  /** Whether the job runs on the local date it was made for; a late job only finishes what it started. */
  onItsDay: boolean;
}

export type RechargeDecision =
  /** A charge of the day was begun and may have reached the gateway: it must be finished, whatever else changed. */
  | { action: 'resume' }
  | { action: 'charge'; amount: Units }
  | { action: 'skip-cap'; amount: Units; cap: Units; spentThisMonth: Units }
  | { action: 'none'; reason: 'disabled' | 'not-below-threshold' | 'done-today' | 'day-over' };

export function decideRecharge(input: RechargeInput): RechargeDecision {
  const { settings, balance, today } = input;
  if (today === 'pending') return { action: 'resume' };
  if (today !== 'none') return { action: 'none', reason: 'done-today' };
  if (!input.onItsDay) return { action: 'none', reason: 'day-over' };
  if (!settings?.enabled || settings.amount <= 0 || settings.threshold <= 0) return { action: 'none', reason: 'disabled' };
  if (balance >= settings.threshold) return { action: 'none', reason: 'not-below-threshold' };
  if (settings.monthlyCap !== null && input.spentThisMonth + settings.amount > settings.monthlyCap) {
    return { action: 'skip-cap', amount: settings.amount, cap: settings.monthlyCap, spentThisMonth: input.spentThisMonth };
  }
  return { action: 'charge', amount: settings.amount };
}
