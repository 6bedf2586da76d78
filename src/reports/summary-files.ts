/** The summary of every selected account, as the seed's CSV and as the same table in a workbook. */
import { Readable } from 'node:stream';
import { csvText } from '../domain/reports/columns';
import type { Table } from '../domain/reports/summary';
import { writeCsvFile } from '../usage/csv-file';
import { buildFile } from './built-file';
import { openWorkbook, writeTableSheet } from './sheet-writer';

export async function writeSummaryCsv(path: string, table: Table): Promise<void> {
  const rows = table.rows.map((row) => row.map((value, i) => csvText(table.columns[i]?.kind ?? 'text', value)));
  await writeCsvFile(path, table.columns.map((c) => c.header), Readable.from(rows));
}

export function writeSummaryWorkbook(path: string, table: Table): Promise<void> {
  return buildFile(path, async (temporary) => {
    const workbook = openWorkbook(temporary);
    await writeTableSheet(workbook, 'Summary', table);
    await workbook.commit();
  });
}
