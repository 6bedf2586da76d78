import Table from 'cli-table3';
import { formatRate } from '../money';
import type { Evaluation } from './types';

/** Plain-text invoice preview: one row per line, the totals, then each line's explanation (no colours, no I/O). */
export function renderEvaluationTable(evaluation: Evaluation): string {
  const table = new Table({
    head: ['Category', 'Item', 'Name', 'Qty', 'Billable', 'Rate', 'Single disc.', 'Cumulative disc.', 'Total', 'Activation'],
    colAligns: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
  });
  for (const line of evaluation.items) {
    const { single, cumulative } = line.discounts;
    table.push([
      line.category,
      line.item,
      line.name,
      line.quantity,
      line.billable,
      formatRate(line.rate),
      single === 0 ? '' : formatRate(single),
      cumulative.quantity === 0 ? '' : `${cumulative.quantity} x ${formatRate(cumulative.rate)}`,
      formatRate(line.total),
      line.activation === undefined ? '' : formatRate(line.activation),
    ]);
  }
  table.push([
    { content: 'Recurring total', colSpan: 8 },
    formatRate(evaluation.recurring),
    formatRate(evaluation.activation),
  ]);
  const notes = evaluation.items.map((line, index) => `${index + 1}. ${line.name}: ${line.explanation}`);
  return [table.toString(), '', ...notes].join('\n');
}
