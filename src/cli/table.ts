import Table from 'cli-table3';

/** Plain tables (no colour codes) so the output reads the same in a terminal, a log and a test. */
export function renderTable(head: string[], rows: (string | number)[][], align?: ('left' | 'right')[]): string {
  const table = new Table({ head, style: { head: [], border: [] }, ...(align ? { colAligns: align } : {}) });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}
