import { issueToText, mergePlans, parsePlanDocument, parsePlanOverrides } from '../domain/plans';
import type { AssignedPlan, Plan } from '../domain/plans';
import { ReconcileError } from '../domain/reconcile';
import type { PlanAssignmentDoc, ServicePlanDoc } from '../store/documents';

/**
 * The merged plan of each account, from its assignments. Accounts of one reseller mostly share a plan set, so each
 * distinct set (plans in assignment order, with their overrides) is parsed and merged once per batch.
 */
export class PlanSets {
  private readonly merged = new Map<string, Plan>();

  constructor(private readonly plans: ReadonlyMap<string, ServicePlanDoc>) {}

  /** `assignments` in the order they were made: between plans of equal priority, the first assigned wins (rule 11). */
  planFor(assignments: readonly PlanAssignmentDoc[]): Plan {
    const signature = JSON.stringify(assignments.map((a) => [a.planId, a.overrides ?? null]));
    let plan = this.merged.get(signature);
    if (plan === undefined) {
      plan = mergePlans(assignments.map((a) => this.assigned(a)));
      this.merged.set(signature, plan);
    }
    return plan;
  }

  private assigned(assignment: PlanAssignmentDoc): AssignedPlan {
    const doc = this.plans.get(assignment.planId);
    if (doc === undefined) throw new ReconcileError(`assignment ${assignment._id}: planId: no service plan ${JSON.stringify(assignment.planId)}`);
    const parsed = parsePlanDocument(doc.document, ['plan', assignment.planId]);
    if (!parsed.ok) throw new ReconcileError(`service plan ${JSON.stringify(doc._id)} is invalid: ${parsed.errors.map(issueToText).join('; ')}`);
    if (assignment.overrides === null || assignment.overrides === undefined) return parsed.document;
    const overrides = parsePlanOverrides(assignment.overrides, ['assignment', assignment._id, 'overrides']);
    if (!overrides.ok) throw new ReconcileError(`assignment ${assignment._id}: overrides are invalid: ${overrides.errors.map(issueToText).join('; ')}`);
    return { document: parsed.document, overrides: overrides.overrides };
  }
}
