import { compilePlan } from './compile';
import type { Issue, PathSegment } from './issues';
import type { AssignedPlan } from './merge';
import { mergePlanBodies } from './merge';
import { checkSchema, planBodySchema, planDocumentSchema } from './schema';
import type { PlanBody, PlanDocument } from './schema';
import type { Plan } from './types';

/** From plan JSON to priceable plans: check at the edge, merge as JSON, turn money into units last. */

export type PlanParseResult =
  | { readonly ok: true; readonly plan: Plan; readonly document: PlanDocument; readonly errors: readonly Issue[] }
  | { readonly ok: false; readonly plan?: undefined; readonly document?: undefined; readonly errors: readonly Issue[] };

export type OverridesParseResult =
  | { readonly ok: true; readonly overrides: PlanBody; readonly errors: readonly Issue[] }
  | { readonly ok: false; readonly overrides?: undefined; readonly errors: readonly Issue[] };

/**
 * One KAZOO plan document `{plan, merge?}`: `plan` is that document priced on its own; `document` is the checked JSON
 * (tier keys canonical) to hand to mergePlans. Error paths start at `root`.
 */
export function parsePlanDocument(json: unknown, root: readonly PathSegment[] = []): PlanParseResult {
  const checked = checkSchema(planDocumentSchema, json, root);
  if (!checked.ok) return { ok: false, errors: checked.errors };
  return { ok: true, plan: mergePlans([checked.value]), document: checked.value, errors: [] };
}

/** Overrides are shaped like `plan`: `{CATEGORY: {ITEM: {...}}}`. */
export function parsePlanOverrides(json: unknown, root: readonly PathSegment[] = ['overrides']): OverridesParseResult {
  const checked = checkSchema(planBodySchema, json, root);
  return checked.ok ? { ok: true, overrides: checked.value, errors: [] } : { ok: false, errors: checked.errors };
}

/**
 * The plans assigned to one account, merged (rules 10 and 11) and compiled. Throws PlanError only if merging made
 * something unpriceable (a summed minimum beyond the exact integer range); merge once per plan set, then evaluate
 * as many accounts as share it.
 */
export function mergePlans(plans: readonly AssignedPlan[], accountOverrides?: PlanBody): Plan {
  return compilePlan(mergePlanBodies(plans, accountOverrides));
}

