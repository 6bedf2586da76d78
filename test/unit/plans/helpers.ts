import { evaluate, mergePlans, parsePlanDocument } from '../../../src/domain/plans';
import type { EvaluatedLine, Evaluation, Plan, PlanDocument, QuantityLayers } from '../../../src/domain/plans';

/** Parses a plan document that the test expects to be valid. */
export function documentOf(json: unknown): PlanDocument {
  const parsed = parsePlanDocument(json);
  if (!parsed.ok) throw new Error(`test plan is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.document;
}

export function planOf(body: unknown): Plan {
  return mergePlans([documentOf({ plan: body })]);
}

export function evaluateBody(body: unknown, quantities: QuantityLayers, previous?: QuantityLayers): Evaluation {
  return evaluate(planOf(body), quantities, previous);
}

/** The single line for `category`/`item` (the reported item name). */
export function lineOf(evaluation: Evaluation, category: string, item: string): EvaluatedLine {
  const found = evaluation.items.filter((line) => line.category === category && line.item === item);
  if (found.length !== 1) throw new Error(`expected one line ${category}/${item}, found ${found.length}`);
  return found[0]!;
}

/** One-item plan priced at an account quantity. */
export function priceOne(item: Record<string, unknown>, quantity: number, previous?: number): EvaluatedLine {
  const evaluation = evaluateBody(
    { devices: { sip_device: item } },
    { account: { devices: { sip_device: quantity } } },
    previous === undefined ? undefined : { account: { devices: { sip_device: previous } } },
  );
  return lineOf(evaluation, 'devices', typeof item.as === 'string' ? item.as : 'sip_device');
}
