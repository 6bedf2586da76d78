import type { Json, JsonObject } from './json';
import { isJsonObject } from './json';
import type { MergeStrategy, PlanBody, PlanDocument } from './schema';

/*
 * Merging works on the plans' JSON, where null and {} mean something, before money is turned into units.
 * Rule 10: overrides (account-wide, then per plan) are merged recursively into each plan.
 * Rule 11: plans are grouped by strategy; within a group the strongest plan is the one without a priority, then the
 * highest priority, then (on a tie) the one listed first. Groups are then merged leaf by leaf, cumulative over
 * recursive over simple, and null leaves and empty objects are dropped at the very end.
 */

/** A plan as assigned to an account: the plan document plus the overrides stored with that assignment. */
export interface PlanAssignment {
  readonly document: PlanDocument;
  readonly overrides?: PlanBody;
}

export type AssignedPlan = PlanDocument | PlanAssignment;

// Zod's output for a validated plan is JSON by construction; its loose-object typing just cannot say so.
function json(body: PlanBody | undefined): JsonObject {
  return (body ?? {}) as JsonObject;
}

/** Recursive merge that keeps: `over`'s {} adds nothing and its null removes nothing. */
export function mergeRecursive(base: JsonObject, over: JsonObject): JsonObject {
  const result: Record<string, Json> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) continue;
    const current = result[key];
    result[key] = isJsonObject(value) && isJsonObject(current) ? mergeRecursive(current, value) : value;
  }
  return result;
}

/** KAZOO's `simple` merge: `over`'s {} replaces what was there and its null deletes it. */
export function mergeSimple(base: JsonObject, over: JsonObject): JsonObject {
  const result: Record<string, Json> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = result[key];
    if (value === null) delete result[key];
    else if (isJsonObject(value) && isJsonObject(current) && Object.keys(value).length > 0) result[key] = mergeSimple(current, value);
    else result[key] = value;
  }
  return result;
}

/** Drops null leaves and (recursively) empty objects: `"single": {}` means no single discount. */
export function prune(value: JsonObject): JsonObject {
  const result: Record<string, Json> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === null) continue;
    if (isJsonObject(child)) {
      const pruned = prune(child);
      if (Object.keys(pruned).length > 0) result[key] = pruned;
    } else {
      result[key] = child;
    }
  }
  return result;
}

type CumulativeRule = (values: readonly Json[]) => Json;

const sumCounts: CumulativeRule = (values) => values.reduce<number>((total, v) => total + (typeof v === 'number' ? v : 0), 0);

/** Rate tables unite; on a shared tier key the stronger plan (earlier in `values`) wins. */
const uniteTables: CumulativeRule = (values) => {
  const united: Record<string, Json> = {};
  for (const table of values) {
    if (!isJsonObject(table)) continue;
    for (const [key, rate] of Object.entries(table)) if (rate !== null && !(key in united)) united[key] = rate;
  }
  return united;
};

const uniteLists: CumulativeRule = (values) => [...new Set(values.flatMap((list) => (Array.isArray(list) ? (list as readonly Json[]) : [])))];

const anyTrue: CumulativeRule = (values) => values.some((v) => v === true || v === 'true');

/** Paths inside an item with their own cumulative rule; every other leaf goes to the first (strongest) plan defining it. */
const CUMULATIVE_RULES: ReadonlyMap<string, CumulativeRule> = new Map([
  ['minimum', sumCounts],
  ['discounts.cumulative.maximum', sumCounts],
  ['rates', uniteTables],
  ['flat_rates', uniteTables],
  ['discounts.cumulative.rates', uniteTables],
  ['exceptions', uniteLists],
  ['cascade', anyTrue],
]);

/** `values`: one item's definitions, strongest plan first, nulls already left out. */
function mergeCumulativeValues(values: readonly Json[], path: string): Json {
  const rule = CUMULATIVE_RULES.get(path);
  if (rule !== undefined) return rule(values);
  const first = values[0]!;
  if (!isJsonObject(first)) return first;
  const objects = values.filter(isJsonObject);
  const merged: Record<string, Json> = {};
  for (const key of new Set(objects.flatMap((o) => Object.keys(o)))) {
    const defined = objects.map((o) => o[key]).filter((v): v is Json => v !== undefined && v !== null);
    if (defined.length > 0) merged[key] = mergeCumulativeValues(defined, path === '' ? key : `${path}.${key}`);
  }
  return merged;
}

function mergeCumulativeBodies(strongestFirst: readonly JsonObject[]): JsonObject {
  const items = new Map<string, Map<string, JsonObject[]>>();
  for (const body of strongestFirst) {
    for (const [category, entries] of Object.entries(body)) {
      if (!isJsonObject(entries)) continue;
      const byItem = items.get(category) ?? new Map<string, JsonObject[]>();
      items.set(category, byItem);
      for (const [item, definition] of Object.entries(entries)) {
        if (isJsonObject(definition)) byItem.set(item, [...(byItem.get(item) ?? []), definition]);
      }
    }
  }
  const result: Record<string, Json> = {};
  for (const [category, byItem] of items) {
    result[category] = Object.fromEntries([...byItem].map(([item, definitions]) => [item, mergeCumulativeValues(definitions, '')]));
  }
  return result;
}

interface Ranked {
  readonly body: JsonObject;
  readonly strategy: MergeStrategy;
  readonly priority: number | undefined;
  readonly index: number;
}

/** Negative when `a` is the stronger plan: no priority beats any number, a higher number beats a lower, then list order. */
function strongerFirst(a: Ranked, b: Ranked): number {
  const pa = a.priority ?? Number.POSITIVE_INFINITY;
  const pb = b.priority ?? Number.POSITIVE_INFINITY;
  if (pa !== pb) return pa > pb ? -1 : 1;
  return a.index - b.index;
}

/** `{document, overrides?}` rather than a plan document itself (which always has `plan`). */
export function hasAssignmentShape(value: object): boolean {
  return 'document' in value && !('plan' in value);
}

function isAssignment(plan: AssignedPlan): plan is PlanAssignment {
  return hasAssignmentShape(plan);
}

/** Merges the plans assigned to one account into one plan body (still JSON, already pruned). */
export function mergePlanBodies(plans: readonly AssignedPlan[], accountOverrides?: PlanBody): JsonObject {
  const ranked: Ranked[] = plans.map((assigned, index) => {
    const { document, overrides } = isAssignment(assigned) ? assigned : { document: assigned, overrides: undefined };
    const body = mergeRecursive(mergeRecursive(json(document.plan), json(accountOverrides)), json(overrides));
    return { body, strategy: document.merge?.strategy ?? 'simple', priority: document.merge?.priority ?? undefined, index };
  });
  const group = (strategy: MergeStrategy) =>
    ranked
      .filter((plan) => plan.strategy === strategy)
      .sort(strongerFirst)
      .map((plan) => plan.body);
  const weakestFirst = (bodies: JsonObject[]) => bodies.reverse();
  const simple = weakestFirst(group('simple')).reduce(mergeSimple, {});
  const recursive = weakestFirst(group('recursive')).reduce(mergeRecursive, {});
  const cumulative = mergeCumulativeBodies(group('cumulative'));
  return prune(mergeRecursive(mergeRecursive(simple, recursive), cumulative));
}
