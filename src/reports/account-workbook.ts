/**
 * One account's workbook: its calls on "CDRs" (continued on "CDRs (2)", ... past a sheet's rows), then "Summary",
 * "By country" and, when the account has billing units, "By billing unit". exceljs's streaming writer writes sheets
 * one after another, so the calls go first and the other sheets are written from tallies kept while they stream.
 */
import { CDR_SHEET_COLUMNS, EXCEL_MAX_ROWS, cdrCellsIn, cdrSheetName } from '../domain/reports/cdr-cells';
import type { ReportedCdr } from '../domain/reports/cdr-cells';
import type { ColumnSpec } from '../domain/reports/columns';
import type { ReportPeriod } from '../domain/reports/period';
import { accountSummary, countryTable } from '../domain/reports/summary';
import type { AccountFacts, Table } from '../domain/reports/summary';
import { UsageByCountry } from '../domain/reports/usage-by-country';
import type { ReportedCall } from '../domain/reports/usage-by-country';
import { buildFile } from './built-file';
import { SheetWriter, openWorkbook, writeTableSheet } from './sheet-writer';

export type WorkbookCall = ReportedCdr & ReportedCall;

export interface AccountWorkbookInput<C extends WorkbookCall> {
  facts: AccountFacts;
  period: Pick<ReportPeriod, 'from' | 'to'>;
  /** The account's calls of the period, oldest first. */
  calls: AsyncIterable<C>;
  /** The "By billing unit" sheet; absent or null when the account has no billing units. */
  billingUnits?: Table | null;
  /** Data rows per CDR sheet; Excel's limit unless a test needs smaller sheets. */
  rowsPerSheet?: number;
  /** Called every `PROGRESS_EVERY` calls with the calls written so far. */
  onProgress?: (calls: number) => Promise<void> | void;
}

export interface AccountWorkbookResult {
  calls: number;
  usage: UsageByCountry;
  sheets: string[];
}

export const PROGRESS_EVERY = 10_000;

export function writeAccountWorkbook<C extends WorkbookCall>(path: string, input: AccountWorkbookInput<C>): Promise<AccountWorkbookResult> {
  return buildFile(path, async (temporary) => {
    const workbook = openWorkbook(temporary);
    const sheets: string[] = [];
    const open = (name: string, columns: readonly ColumnSpec[]) => {
      sheets.push(name);
      return new SheetWriter(workbook, name, columns);
    };
    const { calls, usage } = await writeCalls(input, (index) => open(cdrSheetName(index), CDR_SHEET_COLUMNS));

    const summary = open('Summary', [
      { header: 'Item', width: 28, kind: 'text' },
      { header: 'Value', width: 34, kind: 'text' },
    ]);
    for (const item of accountSummary(input.facts, input.period, usage)) {
      await summary.addMixedRow([
        { kind: 'text', value: item.label },
        { kind: item.kind, value: item.value },
      ]);
    }
    await summary.close();
    const tables = [['By country', countryTable(usage)] as const, ['By billing unit', input.billingUnits] as const];
    for (const [name, table] of tables) {
      if (!table) continue;
      sheets.push(name);
      await writeTableSheet(workbook, name, table);
    }
    await workbook.commit();
    return { calls, usage, sheets };
  });
}

async function writeCalls<C extends WorkbookCall>(input: AccountWorkbookInput<C>, openSheet: (index: number) => SheetWriter): Promise<{ calls: number; usage: UsageByCountry }> {
  const rowsPerSheet = input.rowsPerSheet ?? EXCEL_MAX_ROWS - 1;
  if (!Number.isSafeInteger(rowsPerSheet) || rowsPerSheet < 1 || rowsPerSheet > EXCEL_MAX_ROWS - 1) {
    throw new RangeError(`rowsPerSheet must be 1-${EXCEL_MAX_ROWS - 1}: ${rowsPerSheet}`);
  }
  const cells = cdrCellsIn(input.facts.timezone);
  const usage = new UsageByCountry();
  let index = 0;
  let sheet = openSheet(index);
  let calls = 0;
  for await (const call of input.calls) {
    if (sheet.rowCount === rowsPerSheet) {
      await sheet.close();
      sheet = openSheet(++index);
    }
    await sheet.addRow(cells(call));
    usage.addCall(call);
    calls++;
    if (calls % PROGRESS_EVERY === 0) await input.onProgress?.(calls);
  }
  await sheet.close();
  return { calls, usage };
}

