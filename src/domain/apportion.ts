/**
 * Splitting an integer amount of units into integer parts that add up to it exactly (largest-remainder method, also
 * called Hamilton's): each part is its exact proportional share rounded down, and the units left over go one each to
 * the parts with the largest remainders, the earlier part first on a tie. Every part is within one unit of its exact
 * share, and a negative amount splits as the mirror image of its magnitude, so a credit splits like a charge.
 */
import { MoneyError, roundToCents, sum, UNITS_PER_CENT } from './money';
import type { Units } from './money';

/** Parts of `total` in proportion to `weights` (whole numbers >= 0, not all 0); parts[i] belongs to weights[i]. */
export function apportion(total: Units, weights: readonly number[]): Units[] {
  if (!Number.isSafeInteger(total)) throw new MoneyError(`amount to split must be a whole number of units: ${total}`);
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new MoneyError(`split weights must be whole numbers >= 0: ${w}`);
  }
  const sumOfWeights = weights.reduce((a, w) => a + BigInt(w), 0n);
  if (sumOfWeights === 0n) throw new MoneyError('cannot split an amount over weights that are all 0');
  const magnitude = BigInt(Math.abs(total));
  // BigInt because amount x weight may pass 2^53 even when both fit.
  const floors = weights.map((w) => (magnitude * BigInt(w)) / sumOfWeights);
  const remainders = weights.map((w, i) => magnitude * BigInt(w) - floors[i]! * sumOfWeights);
  const leftOver = Number(magnitude - floors.reduce((a, f) => a + f, 0n));
  const byRemainder = weights.map((_, i) => i).sort((a, b) => (remainders[b]! > remainders[a]! ? 1 : remainders[b]! < remainders[a]! ? -1 : a - b));
  const parts = floors.map(Number);
  for (const i of byRemainder.slice(0, leftOver)) parts[i]! += 1;
  return total < 0 ? parts.map((p) => (p === 0 ? 0 : -p)) : parts;
}

/**
 * Amounts rounded to whole cents so that they add up to their own sum rounded to whole cents (half away from zero):
 * what a report showing 2 decimals needs for its rows to add up to the total it shows. Each amount moves by less
 * than a cent; amounts already in whole cents never move.
 */
export function roundToCentsKeepingSum(amounts: readonly Units[]): Units[] {
  const floors = amounts.map((a) => Math.floor(a / UNITS_PER_CENT) * UNITS_PER_CENT);
  const cents = (roundToCents(sum(amounts)) - sum(floors)) / UNITS_PER_CENT;
  const order = amounts.map((_, i) => i).sort((a, b) => amounts[b]! - floors[b]! - (amounts[a]! - floors[a]!) || a - b);
  const result = [...floors];
  for (const i of order.slice(0, cents)) result[i]! += UNITS_PER_CENT;
  return result;
}

