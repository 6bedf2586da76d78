import { mul, sum } from '../money';
import type { ActivationTrace } from './explain';
import { explainLine } from './explain';
import { priceItem } from './price';
import { countFor } from './quantities';
import type { EvaluatedLine, Evaluation, Plan, PlanItem, QuantityLayers } from './types';

function activationOf(item: PlanItem, billable: number, previous: QuantityLayers | undefined): ActivationTrace | undefined {
  if (item.activationCharge === undefined) return undefined;
  // Rule 9: without previous quantities the plan is newly assigned, so every billable unit is new (KAZOO resets to 0).
  const previousBillable = previous === undefined ? 0 : priceItem(item, countFor(item, previous).quantity).billable;
  const added = Math.max(0, billable - previousBillable);
  return { previousBillable, charge: item.activationCharge, amount: mul(added, item.activationCharge) };
}

function evaluateItem(item: PlanItem, quantities: QuantityLayers, previous: QuantityLayers | undefined): EvaluatedLine {
  const count = countFor(item, quantities);
  const priced = priceItem(item, count.quantity);
  const activation = activationOf(item, priced.billable, previous);
  return {
    category: item.category,
    item: item.item,
    name: item.name,
    quantity: priced.quantity,
    billable: priced.billable,
    rate: priced.rate,
    discounts: { single: priced.single, cumulative: { quantity: priced.cumulative.quantity, rate: priced.cumulative.rate } },
    total: priced.total,
    ...(activation === undefined ? {} : { activation: activation.amount }),
    explanation: explainLine(item, count, priced, activation),
  };
}

/**
 * Prices every item of a merged plan (rule 1: all of them, `_all` included, zero quantities too).
 * `previous`: the quantities last billed, for activation charges; omit it for a newly assigned plan.
 */
export function evaluate(plan: Plan, quantities: QuantityLayers, previous?: QuantityLayers): Evaluation {
  const items = plan.items.map((item) => evaluateItem(item, quantities, previous));
  return {
    items,
    recurring: sum(items.map((line) => line.total)),
    activation: sum(items.map((line) => line.activation ?? 0)),
  };
}
