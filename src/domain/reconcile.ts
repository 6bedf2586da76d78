/**
 * Reconciling one account, pure: from what was last billed (a snapshot), the account's quantities now, its merged
 * plan and its local date, to the charges owed and the next snapshot. The job around it only reads and writes.
 *
 * - Activation (rule 9): max(0, Δbillable) × `activation_charge` per item, against the last billed quantities priced
 *   under today's plan. An item the last snapshot did not bill (a newly assigned plan, an item a plan gained) is
 *   compared against zero; so is everything on an account's first reconciliation.
 * - Proration: the monthly recurring total may rise mid-month; the rise above what has already been charged for the
 *   month (`covered`) is charged for the days left. Decreases are never refunded, and `covered` keeps the month's
 *   high-water mark, so going down and back up within a month charges nothing twice. In a new month the renewal has
 *   charged the last billed recurring total, so that is what is covered.
 */
import { parseLocalDate } from './calendar';
import type { LocalDate, LocalMonth } from './calendar';
import { mul, sum } from './money';
import type { Units } from './money';
import { evaluate, pricedLine } from './plans';
import type { Plan, PricedLine, Quantities } from './plans';
import { prorate } from './proration';
import type { Proration } from './proration';

export interface QuantitySet {
  readonly account: Quantities;
  readonly cascade: Quantities;
  readonly manual: Quantities;
}

/** One priced plan item, as billed: what the bookkeeper is handed and what `accounts show` prints. */
export interface BilledItem extends PricedLine {
  /** The item's key in the plan (`_all` included): tells an item the account already had from a new one. `item` is the reported one (`as`, else the key). */
  readonly key: string;
}

export interface BilledState {
  /** The account's local month this state was billed in. */
  readonly month: LocalMonth;
  /** The monthly recurring total at these quantities. */
  readonly recurring: Units;
  /** The monthly recurring total already charged for `month`: the month's high-water mark. */
  readonly covered: Units;
  readonly quantities: QuantitySet;
  readonly items: readonly BilledItem[];
}

export interface ActivationLine {
  readonly category: string;
  readonly item: string;
  readonly name: string;
  /** Billable units added since the last snapshot. */
  readonly added: number;
  readonly charge: Units;
  readonly amount: Units;
}

export interface RecurringIncrease extends Proration {
  /** The monthly recurring total already charged for the month. */
  readonly from: Units;
  /** The monthly recurring total now. */
  readonly to: Units;
}

export interface ReconcileInput {
  readonly previous: BilledState | null;
  readonly quantities: QuantitySet;
  readonly plan: Plan;
  readonly today: LocalDate;
}

export interface ReconcileResult {
  readonly next: BilledState;
  readonly activation: { readonly amount: Units; readonly lines: readonly ActivationLine[] };
  /** Null when the recurring total did not rise above what the month has covered. */
  readonly increase: RecurringIncrease | null;
  /** Whether `next` differs from `previous`: when it does not, there is nothing to charge or store. */
  readonly changed: boolean;
}

export class ReconcileError extends Error {}

const itemKey = (item: { category: string; key: string }) => `${item.category}\u0000${item.key}`;

function monthOf(today: LocalDate, previous: BilledState | null): LocalMonth {
  parseLocalDate(today);
  const month = today.slice(0, 7);
  // A local date before the last billed month means a clock or time-zone change: billing it could cover a month twice.
  if (previous !== null && month < previous.month) {
    throw new ReconcileError(`today: expected a date in or after the last reconciled month ${previous.month} (got ${JSON.stringify(today)})`);
  }
  return month;
}

export function reconcile({ previous, quantities, plan, today }: ReconcileInput): ReconcileResult {
  const month = monthOf(today, previous);
  const evaluation = evaluate(plan, quantities, previous?.quantities);
  const known = new Set(previous?.items.map(itemKey));
  const items: BilledItem[] = [];
  const activationLines: ActivationLine[] = [];
  plan.items.forEach((planItem, index) => {
    const line = evaluation.items[index]!;
    items.push({ ...pricedLine(line), key: planItem.key });
    const charge = planItem.activationCharge ?? 0;
    if (charge <= 0) return;
    const isNew = previous !== null && !known.has(itemKey(planItem));
    const amount = isNew ? mul(line.billable, charge) : (line.activation ?? 0);
    if (amount > 0) activationLines.push({ category: line.category, item: line.item, name: line.name, added: amount / charge, charge, amount });
  });

  const from = previous === null ? 0 : previous.month === month ? previous.covered : previous.recurring;
  const to = evaluation.recurring;
  const increase = to > from ? { ...prorate(to - from, today), from, to } : null;
  const next: BilledState = { month, recurring: to, covered: Math.max(from, to), quantities, items };
  return {
    next,
    activation: { amount: sum(activationLines.map((l) => l.amount)), lines: activationLines },
    increase,
    changed: previous === null || !sameState(previous, next),
  };
}

/** Key order never matters: quantities read back from the store need not list items in the order they were counted. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.keys(value)
    .sort()
    .map((key) => [key, canonical((value as Record<string, unknown>)[key])]);
}

export function sameState(a: BilledState, b: BilledState): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
