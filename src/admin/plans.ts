import { resellerOf } from '../domain/account-tree';
import { issueToText, parsePlanOverrides, validatePlanDocument } from '../domain/plans';
import type { Issue } from '../domain/plans';
import { ancestorsOf, getAccount } from '../store/accounts';
import { assignPlan, getPlan, savePlan, unassignPlan } from '../store/plans';
import type { Store } from '../store/store';

/** A refused plan operation: the message says what and why; `issues` lists plan problems when there are any. */
export class PlanAdminError extends Error {
  constructor(
    message: string,
    readonly issues: readonly Issue[] = [],
  ) {
    super(issues.length === 0 ? message : `${message}:\n${issues.map((i) => `  ${issueToText(i)}`).join('\n')}`);
  }
}

const PLAN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

async function resellerIdOf(store: Store, accountId: string): Promise<string | null> {
  const account = await getAccount(store, accountId);
  const ancestors = await ancestorsOf(store, account);
  return resellerOf(account, new Map(ancestors.map((a) => [a._id, a])));
}

/**
 * Plans live with a reseller (or the master, the default reseller), as in KAZOO.
 * Returns the warnings the validator found, for the operator to read.
 */
export async function importPlan(
  store: Store,
  input: { id: string; ownerId: string; name: string; document: unknown },
  now: Date,
): Promise<readonly Issue[]> {
  if (!PLAN_ID.test(input.id)) throw new PlanAdminError(`plan id "${input.id}" must be 1-64 letters, digits, _ or -, starting with a letter or digit`);
  const owner = await getAccount(store, input.ownerId);
  if (!owner.isReseller && owner.parentId !== null) {
    throw new PlanAdminError(`account "${owner._id}" is not a reseller or the master, so it cannot own service plans`);
  }
  const report = validatePlanDocument(input.document);
  if (report.errors.length > 0) throw new PlanAdminError(`plan "${input.id}" is not valid`, report.errors);
  await savePlan(store, { _id: input.id, ownerId: owner._id, name: input.name, document: input.document as Record<string, unknown> }, now);
  return report.warnings;
}

/** An account may hold only plans of its own reseller: another reseller's prices are not its to use. */
export async function assignPlanToAccount(
  store: Store,
  accountId: string,
  planId: string,
  overrides: unknown,
  now: Date,
): Promise<void> {
  const plan = await getPlan(store, planId);
  if (!plan) throw new PlanAdminError(`no service plan "${planId}"`);
  const reseller = await resellerIdOf(store, accountId);
  if (plan.ownerId !== reseller) {
    throw new PlanAdminError(`plan "${planId}" belongs to "${plan.ownerId}", but account "${accountId}" is billed by "${reseller ?? '(none: it is the master)'}"`);
  }
  if (overrides !== undefined) {
    const parsed = parsePlanOverrides(overrides);
    if (parsed.errors.length > 0) throw new PlanAdminError('the overrides are not valid', parsed.errors);
  }
  await assignPlan(store, accountId, planId, (overrides as Record<string, unknown> | undefined) ?? null, now);
}

export async function unassignPlanFromAccount(store: Store, accountId: string, planId: string, now: Date): Promise<void> {
  await getAccount(store, accountId);
  if (!(await unassignPlan(store, accountId, planId, now))) throw new PlanAdminError(`account "${accountId}" does not hold plan "${planId}"`);
}
