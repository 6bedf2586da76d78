import { formatPath, PlanError } from './issues';
import { own } from './json';
import { ALL_ITEMS } from './types';
import type { PlanItem, QuantityLayers } from './types';

/** How an item's quantity was made up, for the line's explanation. */
export interface Count {
  readonly quantity: number;
  /** The account's own share: manual where set, else account (rule 2). */
  readonly own: number;
  /** Added from sub-accounts; 0 unless the item cascades. */
  readonly cascaded: number;
  /** Whether a manual quantity replaced the account's count (items only; `_all` mixes both). */
  readonly manual: boolean;
}

function checked(value: number, layer: string, category: string, item: string): number {
  if (Number.isSafeInteger(value) && value >= 0) return value;
  throw new PlanError([{ path: formatPath([layer, category, item]), message: 'quantity must be a whole number >= 0', value }]);
}

function itemCount(layers: QuantityLayers, category: string, item: string, cascade: boolean): Count {
  const manual = own(own(layers.manual, category), item);
  const ownCount = manual !== undefined ? checked(manual, 'manual', category, item) : checked(own(own(layers.account, category), item) ?? 0, 'account', category, item);
  const cascaded = cascade ? checked(own(own(layers.cascade, category), item) ?? 0, 'cascade', category, item) : 0;
  return { quantity: ownCount + cascaded, own: ownCount, cascaded, manual: manual !== undefined };
}

function sumExcept(layer: string, category: string, counts: Readonly<Record<string, number>> | undefined, exceptions: readonly string[], skip?: Readonly<Record<string, number>>): number {
  let total = 0;
  if (counts === undefined) return total;
  for (const [item, value] of Object.entries(counts)) {
    if (exceptions.includes(item) || (skip !== undefined && own(skip, item) !== undefined)) continue;
    total += checked(value, layer, category, item);
  }
  return total;
}

/** `_all`: the category's account counts merged with manual (manual wins per key) minus exceptions, plus the cascade likewise. */
function categoryCount(layers: QuantityLayers, category: string, exceptions: readonly string[], cascade: boolean): Count {
  const manual = own(layers.manual, category);
  const ownCount = sumExcept('account', category, own(layers.account, category), exceptions, manual) + sumExcept('manual', category, manual, exceptions);
  const cascaded = cascade ? sumExcept('cascade', category, own(layers.cascade, category), exceptions) : 0;
  return { quantity: ownCount + cascaded, own: ownCount, cascaded, manual: false };
}

export function countFor(item: PlanItem, layers: QuantityLayers): Count {
  const count =
    item.key === ALL_ITEMS
      ? categoryCount(layers, item.category, item.exceptions, item.cascade)
      : itemCount(layers, item.category, item.key, item.cascade);
  if (!Number.isSafeInteger(count.quantity)) {
    throw new PlanError([{ path: formatPath([item.category, item.key]), message: 'quantity sum is outside the exact integer range', value: count.quantity }]);
  }
  return count;
}
