/**
 * KAZOO's "devices are re-counted" step: an account's own quantities (its `account` layer) from its inventory.
 *
 * | inventory kind | counted as |
 * | --- | --- |
 * | `device`       | `devices/<type>` (sip_device, softphone, ...), one per device |
 * | `phone_number` | `phone_numbers/<type>` (did_us, tollfree_us, ...), and `number_services/<feature>` once per feature it has |
 * | `user`         | `users/<type>` (user, admin) |
 * | `limits`       | `limits/<key>` += `counts[key]` (inbound_trunks, outbound_trunks, twoway_trunks) |
 * | `ip`           | `ips/<type>` (dedicated) |
 * | `branding`     | `branding/<type>` (whitelabel) |
 *
 * Counts of 0 are left out: a plan prices a missing item as quantity 0 anyway, and a snapshot then compares equal
 * however the zeros were written.
 */
import type { Quantities } from './plans';
import type { InventoryDoc, InventoryKind } from '../store/documents';

export type InventoryItem = Pick<InventoryDoc, '_id' | 'kind' | 'type'> & Partial<Pick<InventoryDoc, 'features' | 'counts'>>;

export class InventoryCountError extends Error {}

const CATEGORY_OF: Record<InventoryKind, string> = {
  device: 'devices',
  phone_number: 'phone_numbers',
  user: 'users',
  limits: 'limits',
  ip: 'ips',
  branding: 'branding',
};

function fail(item: InventoryItem, field: string, expected: string, value: unknown): never {
  throw new InventoryCountError(`inventory item ${JSON.stringify(item._id)}: ${field}: expected ${expected} (got ${JSON.stringify(value)})`);
}

function name(item: InventoryItem, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(item, field, 'a non-empty name', value);
  return value;
}

class Tally {
  // Maps while counting: category and item names are data and may be anything, `__proto__` included.
  private readonly totals = new Map<string, Map<string, number>>();

  add(item: InventoryItem, category: string, key: string, count: number): void {
    if (count === 0) return;
    const items = this.totals.get(category) ?? new Map<string, number>();
    this.totals.set(category, items);
    const total = (items.get(key) ?? 0) + count;
    if (!Number.isSafeInteger(total)) fail(item, `${category}/${key}`, 'a total within the exact integer range', total);
    items.set(key, total);
  }

  toQuantities(): Quantities {
    return Object.fromEntries([...this.totals].map(([category, items]) => [category, Object.fromEntries(items)]));
  }
}

function countLimits(item: InventoryItem, tally: Tally): void {
  const counts = item.counts;
  if (counts === null || typeof counts !== 'object' || Array.isArray(counts)) fail(item, 'counts', 'an object of trunk counts', counts);
  for (const [key, count] of Object.entries(counts)) {
    if (!Number.isSafeInteger(count) || count < 0) fail(item, `counts.${key}`, 'a whole number >= 0', count);
    tally.add(item, 'limits', key, count);
  }
}

function countNumber(item: InventoryItem, tally: Tally): void {
  tally.add(item, 'phone_numbers', name(item, 'type', item.type), 1);
  const features = item.features ?? [];
  if (!Array.isArray(features)) fail(item, 'features', 'a list of number services', features);
  // A feature listed twice is still one service on one number.
  for (const feature of new Set(features.map((f, i) => name(item, `features[${i}]`, f)))) tally.add(item, 'number_services', feature, 1);
}

export function countInventory(items: Iterable<InventoryItem>): Quantities {
  const tally = new Tally();
  for (const item of items) {
    if (!Object.hasOwn(CATEGORY_OF, item.kind)) fail(item, 'kind', `one of ${Object.keys(CATEGORY_OF).join(', ')}`, item.kind);
    if (item.kind === 'limits') countLimits(item, tally);
    else if (item.kind === 'phone_number') countNumber(item, tally);
    else tally.add(item, CATEGORY_OF[item.kind], name(item, 'type', item.type), 1);
  }
  return tally.toQuantities();
}
