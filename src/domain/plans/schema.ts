import { z } from 'zod';
import { MoneyError, parseUnitsDetailed } from '../money';
import type { Issue, PathSegment } from './issues';
import { formatPath } from './issues';
import { valueAt } from './json';

/*
 * The JSON shape of a KAZOO service plan, checked before anything is merged or priced.
 * Every field may be null: in a `simple` merge null deletes what a weaker plan set, so it is part of the format.
 * Unknown keys pass through (KAZOO ignores them); the validator reports them as warnings instead of failing.
 */

const money = z
  .union([z.number(), z.string()], { error: 'must be a decimal amount (number or decimal text)' })
  .superRefine((value, ctx) => {
    try {
      if (parseUnitsDetailed(value).units < 0) ctx.addIssue({ code: 'custom', message: 'must not be negative' });
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      ctx.addIssue({ code: 'custom', message: 'must be a decimal amount (number or decimal text)' });
    }
  });

/** Quantities, minimums, maximums, steps: whole numbers >= 0. */
export const countSchema = z
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must not be negative' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'is too large' });

const TIER_KEY = /^\d+$/;

/** Tier keys are quantities written as JSON keys; they are rewritten to canonical form ("05" -> "5") so merges unite them. */
const tierTable = z
  .record(z.string(), money.nullable())
  .superRefine((table, ctx) => {
    const seen = new Map<number, string>();
    for (const key of Object.keys(table)) {
      const tier = Number(key);
      if (!TIER_KEY.test(key) || !Number.isSafeInteger(tier)) {
        ctx.addIssue({ code: 'custom', message: 'tier key must be a whole number', path: [key], params: { tierKey: key } });
        continue;
      }
      const earlier = seen.get(tier);
      if (earlier !== undefined) ctx.addIssue({ code: 'custom', message: `tier key repeats tier ${earlier}`, path: [key], params: { tierKey: key } });
      seen.set(tier, key);
    }
  })
  .transform((table) => Object.fromEntries(Object.entries(table).map(([key, rate]) => [String(Number(key)), rate])));

const cascadeFlag = z.union([z.boolean(), z.enum(['true', 'false'])], { error: 'must be true or false (or the text "true"/"false")' });

const text = z.string({ error: 'must be text' });

const singleDiscount = z.looseObject({
  rate: money.nullish(),
  minimum: countSchema.nullish(),
});

const cumulativeDiscount = z.looseObject({
  rate: money.nullish(),
  rates: tierTable.nullish(),
  maximum: countSchema.nullish(),
  minimum: countSchema.nullish(),
});

const discounts = z.looseObject({
  single: singleDiscount.nullish(),
  cumulative: cumulativeDiscount.nullish(),
});

export const itemPlanSchema = z.looseObject({
  rate: money.nullish(),
  rates: tierTable.nullish(),
  flat_rate: money.nullish(),
  flat_rates: tierTable.nullish(),
  activation_charge: money.nullish(),
  minimum: countSchema.nullish(),
  maximum: countSchema.nullish(),
  step: countSchema.min(1, { error: 'must be at least 1' }).nullish(),
  cascade: cascadeFlag.nullish(),
  as: text.nullish(),
  name: text.nullish(),
  exceptions: z.array(text, { error: 'must be a list of item names' }).nullish(),
  discounts: discounts.nullish(),
});

const category = z.record(z.string(), itemPlanSchema.nullable(), { error: 'must be an object of items' });

/** `plan` and overrides share this shape: `{CATEGORY: {ITEM: {...}}}`. */
export const planBodySchema = z.record(z.string(), category.nullable(), { error: 'must be an object of categories' });

export const MERGE_STRATEGIES = ['simple', 'recursive', 'cumulative'] as const;
export type MergeStrategy = (typeof MERGE_STRATEGIES)[number];

const mergeSettings = z.looseObject({
  strategy: z.enum(MERGE_STRATEGIES, { error: 'must be one of simple, recursive, cumulative' }).nullish(),
  priority: z.number({ error: 'must be a number' }).refine(Number.isFinite, { error: 'must be a finite number' }).nullish(),
});

export const planDocumentSchema = z.looseObject({
  plan: planBodySchema,
  merge: mergeSettings.nullish(),
});

export type PlanBody = z.output<typeof planBodySchema>;
export type PlanDocument = z.output<typeof planDocumentSchema>;

/** Keys each object of the format knows; anything else is reported as unknown. */
export const KNOWN_KEYS = {
  item: Object.keys(itemPlanSchema.shape),
  discounts: Object.keys(discounts.shape),
  single: Object.keys(singleDiscount.shape),
  cumulative: Object.keys(cumulativeDiscount.shape),
  merge: Object.keys(mergeSettings.shape),
  document: Object.keys(planDocumentSchema.shape),
} as const;

export type SchemaResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly Issue[] };

/** Runs a schema and turns zod's issues into path/message/value issues rooted at `root`. */
export function checkSchema<S extends z.ZodType>(schema: S, input: unknown, root: readonly PathSegment[] = []): SchemaResult<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: result.error.issues.map((issue) => toIssue(issue, input, root)) };
}

function toIssue(issue: z.core.$ZodIssue, input: unknown, root: readonly PathSegment[]): Issue {
  const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
  const tierKey: unknown = issue.code === 'custom' ? issue.params?.tierKey : undefined;
  if (typeof tierKey === 'string') {
    // A bad tier key is shown as the key itself, bracketed like every tier key, not as the rate stored under it.
    return { path: `${formatPath([...root, ...path.slice(0, -1)])}[${JSON.stringify(tierKey)}]`, message: issue.message, value: tierKey };
  }
  const value = valueAt(input, path);
  const message = value === undefined && issue.code === 'invalid_type' ? 'is required' : issue.message;
  return { path: formatPath([...root, ...path]), message, ...(value === undefined ? {} : { value }) };
}
