import type { Units } from '../money';
import type { TierTable } from './types';

export interface TierHit {
  readonly key: number;
  readonly rate: Units;
}

/** Tier(T, x): the rate at the smallest key >= x; none above the highest key. */
export function tier(table: TierTable | undefined, quantity: number): TierHit | undefined {
  if (table === undefined) return undefined;
  const { keys, rates } = table;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key >= quantity) return { key, rate: rates[i]! };
  }
  return undefined;
}

export function topKey(table: TierTable | undefined): number | undefined {
  return table === undefined ? undefined : table.keys.at(-1);
}

export function tierTable(entries: Iterable<readonly [number, Units]>): TierTable | undefined {
  const sorted = [...entries].sort(([a], [b]) => a - b);
  if (sorted.length === 0) return undefined;
  return { keys: sorted.map(([key]) => key), rates: sorted.map(([, rate]) => rate) };
}
