import { formatRate, parseUnitsDetailed } from '../money';
import type { Issue, PathSegment } from './issues';
import { formatPath } from './issues';
import type { Json, JsonObject } from './json';
import { isJsonObject } from './json';
import { parsePlanDocument } from './parse';
import type { PlanParseResult } from './parse';
import { isPlatformCategory, isPlatformItem } from './platform';
import { priceItem } from './price';
import { KNOWN_KEYS } from './schema';
import { topKey } from './tiers';
import type { Plan, PlanItem } from './types';
import { ALL_ITEMS } from './types';

/*
 * Errors: the document cannot be priced (schema). Warnings: KAZOO prices the document, but probably not as its
 * author meant: unknown keys it silently ignores, free quantities above the top tier, exceptions naming nothing,
 * discounts that turn a line negative, rates finer than the 4 decimals money keeps.
 */

export interface ValidationReport {
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
}

/** Plan documents also carry CouchDB and KAZOO bookkeeping fields; those are not misspellings. */
const DOCUMENT_METADATA = ['name', 'description', 'bookkeepers'];
const isMetadata = (key: string) => key.startsWith('_') || key.startsWith('pvt_') || DOCUMENT_METADATA.includes(key);

const MONEY_FIELDS = ['rate', 'flat_rate', 'activation_charge'];
const TABLE_FIELDS = ['rates', 'flat_rates'];

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function unknownKeys(object: JsonObject, known: readonly string[], path: readonly PathSegment[], ignore: (key: string) => boolean = () => false): Issue[] {
  return Object.keys(object)
    .filter((key) => !known.includes(key) && !ignore(key))
    .map((key) => {
      const nearest = known.map((candidate) => ({ candidate, d: distance(key, candidate) })).sort((x, y) => x.d - y.d)[0];
      const hint = nearest !== undefined && nearest.d <= 2 ? ` (did you mean "${nearest.candidate}"?)` : '';
      return { path: formatPath([...path, key]), message: `unknown key "${key}" is ignored${hint}`, value: object[key] };
    });
}

function excessDigits(value: Json | undefined, path: readonly PathSegment[]): Issue[] {
  if (typeof value !== 'number' && typeof value !== 'string') return [];
  try {
    const parsed = parseUnitsDetailed(value);
    if (!parsed.excessDigits) return [];
    return [{ path: formatPath(path), message: `has more than 4 decimals; money keeps 4, so it is rounded to ${formatRate(parsed.units)}`, value }];
  } catch {
    return []; // not money at all: the schema reports it
  }
}

function moneyWarnings(object: JsonObject, path: readonly PathSegment[], moneyFields: readonly string[], tableFields: readonly string[]): Issue[] {
  const issues = moneyFields.flatMap((field) => excessDigits(object[field], [...path, field]));
  for (const field of tableFields) {
    const table = object[field];
    if (isJsonObject(table)) for (const [key, rate] of Object.entries(table)) issues.push(...excessDigits(rate, [...path, field, key]));
  }
  return issues;
}

function discountWarnings(discounts: Json | undefined, path: readonly PathSegment[]): Issue[] {
  if (!isJsonObject(discounts)) return [];
  const issues = unknownKeys(discounts, KNOWN_KEYS.discounts, path);
  const { single, cumulative } = discounts;
  if (isJsonObject(single)) issues.push(...unknownKeys(single, KNOWN_KEYS.single, [...path, 'single']), ...moneyWarnings(single, [...path, 'single'], ['rate'], []));
  if (isJsonObject(cumulative)) {
    issues.push(...unknownKeys(cumulative, KNOWN_KEYS.cumulative, [...path, 'cumulative']), ...moneyWarnings(cumulative, [...path, 'cumulative'], ['rate'], ['rates']));
  }
  return issues;
}

function exceptionWarnings(category: string, key: string, exceptions: Json | undefined, items: JsonObject, path: readonly PathSegment[]): Issue[] {
  if (!Array.isArray(exceptions) || exceptions.length === 0) return [];
  if (key !== ALL_ITEMS) return [{ path: formatPath(path), message: 'exceptions only apply to _all; they are ignored here', value: exceptions }];
  return (exceptions as readonly Json[]).flatMap((name, index) =>
    typeof name === 'string' && !Object.prototype.hasOwnProperty.call(items, name) && !isPlatformItem(category, name)
      ? [{ path: formatPath([...path, index]), message: `"${name}" is neither an item of ${category} in this plan nor one the platform counts, so it excludes nothing`, value: name }]
      : [],
  );
}

/** Warnings that need only the JSON, so they are reported even when the schema fails elsewhere. */
function documentWarnings(json: JsonObject, root: readonly PathSegment[]): Issue[] {
  const issues = unknownKeys(json, KNOWN_KEYS.document, root, isMetadata);
  if (isJsonObject(json.merge)) issues.push(...unknownKeys(json.merge, KNOWN_KEYS.merge, [...root, 'merge']));
  if (!isJsonObject(json.plan)) return issues;
  for (const [category, items] of Object.entries(json.plan)) {
    const categoryPath = [...root, 'plan', category];
    if (!isPlatformCategory(category)) {
      issues.push({ path: formatPath(categoryPath), message: `"${category}" is not a category the platform counts; its items only get manual quantities` });
    }
    if (!isJsonObject(items)) continue;
    for (const [key, item] of Object.entries(items)) {
      if (!isJsonObject(item)) continue;
      const itemPath = [...categoryPath, key];
      issues.push(
        ...unknownKeys(item, KNOWN_KEYS.item, itemPath),
        ...moneyWarnings(item, itemPath, MONEY_FIELDS, TABLE_FIELDS),
        ...discountWarnings(item.discounts, [...itemPath, 'discounts']),
        ...exceptionWarnings(category, key, item.exceptions, items, [...itemPath, 'exceptions']),
      );
    }
  }
  return issues;
}

/** Rule 6's gap: above the highest tier key, with no `rate` (and no positive flat_rate), KAZOO bills 0. */
function freeAboveTopTier(item: PlanItem, path: readonly PathSegment[]): Issue[] {
  if (item.rate !== undefined || (item.flatRate !== undefined && item.flatRate > 0)) return [];
  const tops = [topKey(item.rates), topKey(item.flatRates)].filter((key) => key !== undefined);
  if (tops.length === 0) return [];
  const top = Math.max(...tops);
  if (priceItem(item, top + 1).rateSource.kind !== 'above_top_tier') return []; // a maximum keeps billable at or below the top
  const table = item.rates !== undefined ? 'rates' : 'flat_rates';
  return [{ path: formatPath([...path, table]), message: `any quantity above the highest tier key ${top} is billed free: there is no "rate" for it` }];
}

/**
 * The line total is linear in the billable count between tier keys, minimums, maximums and the discount maximum,
 * so probing around each of those (and one step either side) finds a negative total if one exists.
 */
function probeQuantities(item: PlanItem): number[] {
  const marks = [
    0,
    1,
    ...(item.rates?.keys ?? []),
    ...(item.flatRates?.keys ?? []),
    ...(item.cumulativeDiscount?.rates?.keys ?? []),
    item.minimum,
    item.maximum,
    item.singleDiscount?.minimum,
    item.cumulativeDiscount?.minimum,
    item.cumulativeDiscount?.maximum,
  ].filter((mark) => mark !== undefined);
  const probes = marks.flatMap((mark) => [mark - item.step, mark - 1, mark, mark + 1, mark + item.step]);
  return [...new Set(probes.filter((q) => q >= 0 && Number.isSafeInteger(q + item.step)))].sort((a, b) => a - b);
}

function negativeLine(item: PlanItem, path: readonly PathSegment[]): Issue[] {
  if (item.singleDiscount === undefined && item.cumulativeDiscount === undefined) return [];
  for (const quantity of probeQuantities(item)) {
    const { total } = priceItem(item, quantity);
    if (total < 0) {
      return [{ path: formatPath([...path, 'discounts']), message: `discounts can make this line negative: at quantity ${quantity} the total is ${formatRate(total)}` }];
    }
  }
  return [];
}

function pricingWarnings(plan: Plan, root: readonly PathSegment[]): Issue[] {
  return plan.items.flatMap((item) => {
    const path = [...root, 'plan', item.category, item.key];
    return [...freeAboveTopTier(item, path), ...negativeLine(item, path)];
  });
}

/** The report together with the parse it was made from, for callers that go on to price the document. */
export function inspectPlanDocument(json: unknown, root: readonly PathSegment[] = []): ValidationReport & { readonly parsed: PlanParseResult } {
  const parsed = parsePlanDocument(json, root);
  const warnings = isJsonObject(json) ? documentWarnings(json, root) : [];
  if (parsed.ok) warnings.push(...pricingWarnings(parsed.plan, root));
  return { errors: parsed.errors, warnings, parsed };
}

/** Checks one KAZOO plan document; paths start at `root` (e.g. ['plans', 0] inside a scenario). */
export function validatePlanDocument(json: unknown, root: readonly PathSegment[] = []): ValidationReport {
  const { errors, warnings } = inspectPlanDocument(json, root);
  return { errors, warnings };
}
