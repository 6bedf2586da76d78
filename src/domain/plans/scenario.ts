import { z } from 'zod';
import { formatRate } from '../money';
import { evaluate } from './evaluate';
import type { Issue, PathSegment } from './issues';
import { isJsonObject } from './json';
import type { AssignedPlan } from './merge';
import { hasAssignmentShape } from './merge';
import { mergePlans, parsePlanOverrides } from './parse';
import { checkSchema, countSchema } from './schema';
import type { PlanBody } from './schema';
import type { Evaluation } from './types';
import { inspectPlanDocument } from './validate';

/*
 * A what-if for the CLI: plans (as assigned to one account), optional account-wide overrides, quantities and,
 * optionally, proposed quantities. Each `plans` entry is a KAZOO plan document, or `{document, overrides}` for a
 * plan carrying per-plan overrides. With `proposed`, items are priced at the proposed quantities and activation
 * is the step from `quantities` to `proposed`; without it, the plan is newly assigned and activation counts from 0.
 */

const quantitiesSchema = z.record(z.string(), z.record(z.string(), countSchema, { error: 'must be an object of item counts' }), {
  error: 'must be an object of categories',
});

const layersSchema = z.strictObject({
  account: quantitiesSchema.optional(),
  cascade: quantitiesSchema.optional(),
  manual: quantitiesSchema.optional(),
});

const scenarioSchema = z.strictObject({
  plans: z.array(z.unknown(), { error: 'must be a list of plan documents' }),
  overrides: z.unknown().optional(),
  quantities: layersSchema,
  proposed: layersSchema.optional(),
});

export type ScenarioResult =
  | { readonly ok: true; readonly evaluation: Evaluation; readonly warnings: readonly Issue[] }
  | { readonly ok: false; readonly errors: readonly Issue[]; readonly warnings: readonly Issue[] };

interface Collected {
  readonly errors: Issue[];
  readonly warnings: Issue[];
}

function documentAt(json: unknown, root: readonly PathSegment[], found: Collected) {
  const report = inspectPlanDocument(json, root);
  found.errors.push(...report.errors);
  found.warnings.push(...report.warnings);
  return report.parsed.document;
}

function overridesAt(json: unknown, root: readonly PathSegment[], found: Collected): PlanBody | undefined {
  if (json === undefined) return undefined;
  const parsed = parsePlanOverrides(json, root);
  found.errors.push(...parsed.errors);
  return parsed.overrides;
}

function assignedPlan(entry: unknown, index: number, found: Collected): AssignedPlan | undefined {
  if (isJsonObject(entry) && hasAssignmentShape(entry)) {
    const document = documentAt(entry.document, ['plans', index, 'document'], found);
    const overrides = overridesAt(entry.overrides, ['plans', index, 'overrides'], found);
    return document === undefined ? undefined : { document, ...(overrides === undefined ? {} : { overrides }) };
  }
  return documentAt(entry, ['plans', index], found);
}

/** Checks the whole scenario before pricing anything, so one run reports every problem in it. */
export function evaluateScenario(json: unknown): ScenarioResult {
  const checked = checkSchema(scenarioSchema, json);
  const found: Collected = { errors: checked.ok ? [] : [...checked.errors], warnings: [] };
  const raw = isJsonObject(json) ? json : {};
  const plans = (Array.isArray(raw.plans) ? (raw.plans as readonly unknown[]) : []).map((entry, index) => assignedPlan(entry, index, found));
  const overrides = overridesAt(raw.overrides, ['overrides'], found);
  if (!checked.ok || found.errors.length > 0) return { ok: false, ...found };
  const plan = mergePlans(
    plans.filter((p) => p !== undefined),
    overrides,
  );
  const { quantities, proposed } = checked.value;
  const evaluation = proposed === undefined ? evaluate(plan, quantities) : evaluate(plan, proposed, quantities);
  return { ok: true, evaluation, warnings: found.warnings };
}

export interface ScenarioJsonLine {
  readonly category: string;
  readonly item: string;
  readonly name: string;
  readonly quantity: number;
  readonly billable: number;
  readonly rate: string;
  readonly discounts: { readonly single: string; readonly cumulative: { readonly quantity: number; readonly rate: string } };
  readonly total: string;
  readonly activation?: string;
  readonly explanation: string;
}

export interface ScenarioJson {
  readonly items: readonly ScenarioJsonLine[];
  readonly recurring: string;
  readonly activation: string;
}

/** Money as decimal text via formatRate: 2 decimals, or 4 when the amount has sub-cent digits, so nothing is rounded away. */
export function scenarioToJson(evaluation: Evaluation): ScenarioJson {
  return {
    items: evaluation.items.map((line) => ({
      category: line.category,
      item: line.item,
      name: line.name,
      quantity: line.quantity,
      billable: line.billable,
      rate: formatRate(line.rate),
      discounts: {
        single: formatRate(line.discounts.single),
        cumulative: { quantity: line.discounts.cumulative.quantity, rate: formatRate(line.discounts.cumulative.rate) },
      },
      total: formatRate(line.total),
      ...(line.activation === undefined ? {} : { activation: formatRate(line.activation) }),
      explanation: line.explanation,
    })),
    recurring: formatRate(evaluation.recurring),
    activation: formatRate(evaluation.activation),
  };
}
