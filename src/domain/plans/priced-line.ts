import type { PricedLine } from './types';

/** The billed fields of a line, and nothing else (an evaluated line's discounts and explanation are left behind). */
export function pricedLine(line: PricedLine): PricedLine {
  return { category: line.category, item: line.item, name: line.name, quantity: line.quantity, billable: line.billable, rate: line.rate, total: line.total };
}
