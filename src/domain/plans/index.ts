/** The service-plan engine, KAZOO 4.3 compatible: parse, validate, merge, price, explain. */
export type { Evaluation, EvaluatedLine, Plan, PlanItem, PricedLine, Quantities, QuantityLayers, TierTable } from './types';
export { pricedLine } from './priced-line';
export { ALL_ITEMS } from './types';
export type { Issue } from './issues';
export { formatPath, issueToText, PlanError } from './issues';
export type { MergeStrategy, PlanBody, PlanDocument } from './schema';
export type { AssignedPlan, PlanAssignment } from './merge';
export type { OverridesParseResult, PlanParseResult } from './parse';
export { mergePlans, parsePlanDocument, parsePlanOverrides } from './parse';
export type { ValidationReport } from './validate';
export { validatePlanDocument } from './validate';
export { evaluate } from './evaluate';
export type { ScenarioJson, ScenarioJsonLine, ScenarioResult } from './scenario';
export { evaluateScenario, scenarioToJson } from './scenario';
export { renderEvaluationTable } from './render';
