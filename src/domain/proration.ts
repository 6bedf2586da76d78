/**
 * A plan assigned, or an increase reconciled, mid-month is charged for the rest of the month:
 * amount × (days left, today included) / days in the month, rounded half away from zero to the unit.
 * Days are counted on local calendar dates, so a 23- or 25-hour DST day still counts as one day.
 */
import { daysInMonth as monthDays, localDate, parseLocalDate } from './calendar';
import type { LocalDate } from './calendar';
import { MoneyError, divRound, formatUnits, mul } from './money';
import type { Units } from './money';

export interface Proration {
  amount: Units;
  daysLeft: number;
  daysInMonth: number;
  explanation: string;
}

export function prorate(amount: Units, today: LocalDate): Proration {
  if (!Number.isSafeInteger(amount)) throw new MoneyError(`amount to prorate must be integer units: ${amount}`);
  const { day } = parseLocalDate(today);
  const month = today.slice(0, 7);
  const daysInMonth = monthDays(month);
  const daysLeft = daysInMonth - day + 1;
  const prorated = divRound(mul(amount, daysLeft), daysInMonth);
  const explanation =
    `${formatUnits(amount, 4)} × ${daysLeft}/${daysInMonth} days ` +
    `(${today} to ${month}-${daysInMonth} inclusive) = ${formatUnits(prorated, 4)}`;
  return { amount: prorated, daysLeft, daysInMonth, explanation };
}

/** prorate() for the account's local date at `instant`. */
export function prorateAt(amount: Units, instant: Date, zone: string): Proration {
  return prorate(amount, localDate(instant, zone));
}
