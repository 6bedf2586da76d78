import { parseUnits } from '../money';
import type { Units } from '../money';
import { PlanError } from './issues';
import type { JsonObject } from './json';
import { prune } from './merge';
import { checkSchema, planBodySchema } from './schema';
import type { PlanBody } from './schema';
import { tierTable } from './tiers';
import { ALL_ITEMS } from './types';
import type { CumulativeDiscount, Plan, PlanItem, SingleDiscount, TierTable } from './types';

/*
 * The edge where JSON money becomes integer units, so that pricing only ever sees integers.
 * Input is a merged, pruned plan body; null can still appear in the types and is read as "absent".
 */

type Money = string | number | null | undefined;
type RawTable = Readonly<Record<string, string | number | null>> | null | undefined;

function units(value: Money): Units | undefined {
  return value === null || value === undefined ? undefined : parseUnits(value);
}

function table(raw: RawTable): TierTable | undefined {
  if (raw === null || raw === undefined) return undefined;
  const entries: (readonly [number, Units])[] = [];
  for (const [key, rate] of Object.entries(raw)) if (rate !== null) entries.push([Number(key), parseUnits(rate)]);
  return tierTable(entries);
}

function optional<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}

type RawItem = NonNullable<NonNullable<PlanBody[string]>[string]>;
type RawDiscounts = NonNullable<RawItem['discounts']>;

function singleDiscount(raw: RawDiscounts['single']): SingleDiscount | undefined {
  if (raw === null || raw === undefined) return undefined;
  return { rate: units(raw.rate), minimum: optional(raw.minimum) };
}

function cumulativeDiscount(raw: RawDiscounts['cumulative']): CumulativeDiscount | undefined {
  if (raw === null || raw === undefined) return undefined;
  return { rate: units(raw.rate), rates: table(raw.rates), maximum: optional(raw.maximum), minimum: optional(raw.minimum) };
}

/** Rule 3: `as` renames the reported item; the display name defaults to `category/(as or item)`, or `category` for `_all`. */
function compileItem(category: string, key: string, raw: RawItem): PlanItem {
  const item = optional(raw.as) ?? key;
  return {
    category,
    key,
    item,
    name: optional(raw.name) ?? (key === ALL_ITEMS ? category : `${category}/${item}`),
    rate: units(raw.rate),
    rates: table(raw.rates),
    flatRate: units(raw.flat_rate),
    flatRates: table(raw.flat_rates),
    activationCharge: units(raw.activation_charge),
    minimum: optional(raw.minimum),
    maximum: optional(raw.maximum),
    step: optional(raw.step) ?? 1,
    cascade: raw.cascade === true || raw.cascade === 'true',
    exceptions: [...new Set(raw.exceptions ?? [])].sort(),
    singleDiscount: singleDiscount(raw.discounts?.single),
    cumulativeDiscount: cumulativeDiscount(raw.discounts?.cumulative),
  };
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compileBody(body: PlanBody): Plan {
  const items: PlanItem[] = [];
  for (const category of Object.keys(body).sort(byCodeUnits)) {
    const entries = body[category];
    if (entries === null || entries === undefined) continue;
    for (const key of Object.keys(entries).sort(byCodeUnits)) {
      const raw = entries[key];
      if (raw !== null && raw !== undefined) items.push(compileItem(category, key, raw));
    }
  }
  return { items };
}

/**
 * Prunes a (merged) plan body, checks it once more and compiles it. Bodies built from validated documents always pass;
 * a failure here means merging produced something unpriceable (a summed minimum beyond the safe integer range).
 */
export function compilePlan(body: JsonObject): Plan {
  const checked = checkSchema(planBodySchema, prune(body), ['plan']);
  if (!checked.ok) throw new PlanError(checked.errors, 'merged plan is invalid');
  return compileBody(checked.value);
}
