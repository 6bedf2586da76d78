/**
 * The by-unit report as files. The CSV shows money with 2 decimals, rounded so that its columns add up (see
 * roundedToCents); the workbook keeps every amount exact (to 1/10,000) as a number, shown with 2 decimals, with the
 * total as sums Excel computes.
 */
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { roundedToCents, UNIT_REPORT_COLUMNS, unitReport } from '../domain/billing-units';
import type { UnitReport, UnitReportColumn, UnitReportRow } from '../domain/billing-units';
import { formatUnits, UNITS_PER_DOLLAR } from '../domain/money';
import { writeCsvFile } from '../usage/csv-file';
import type { AccountUnitCharges } from './billing-unit-report';

/** Cells as text with money in 2 decimals: for the CSV and the terminal table. */
export function unitReportText(charges: AccountUnitCharges): { header: string[]; rows: string[][]; total: string[] } {
  const report = roundedToCents(unitReport(charges.allocation));
  const cells = (row: UnitReportRow) => UNIT_REPORT_COLUMNS.map((c) => (c.kind === 'money' ? formatUnits(row[c.key] as number, 2) : String(row[c.key])));
  return { header: UNIT_REPORT_COLUMNS.map((c) => c.heading), rows: report.rows.map(cells), total: cells(report.total) };
}

/** One line per unit and one for "Unassigned"; no total line, so that summing a column gives the total. */
export async function writeUnitReportCsv(path: string, charges: AccountUnitCharges): Promise<number> {
  const { header, rows } = unitReportText(charges);
  return writeCsvFile(path, header, Readable.from(rows));
}

const WIDTHS: Partial<Record<keyof UnitReportRow, number>> = { label: 28, unitId: 22 };
const NUMBER_FORMATS = { text: undefined, count: '#,##0', money: '#,##0.00' } as const;

function cellValue(row: UnitReportRow, column: UnitReportColumn): string | number {
  const value = row[column.key];
  return column.kind === 'money' ? (value as number) / UNITS_PER_DOLLAR : value;
}

export async function writeUnitReportXlsx(path: string, charges: AccountUnitCharges): Promise<void> {
  const report: UnitReport = unitReport(charges.allocation);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Tollkeeper';
  const sheet = workbook.addWorksheet('By billing unit', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = UNIT_REPORT_COLUMNS.map((c) => ({
    header: c.heading,
    key: c.key,
    width: WIDTHS[c.key] ?? 16,
    ...(NUMBER_FORMATS[c.kind] === undefined ? {} : { style: { numFmt: NUMBER_FORMATS[c.kind] } }),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of report.rows) sheet.addRow(Object.fromEntries(UNIT_REPORT_COLUMNS.map((c) => [c.key, cellValue(row, c)])));
  const last = report.rows.length + 1;
  const total = sheet.addRow(
    Object.fromEntries(
      UNIT_REPORT_COLUMNS.map((c, i) => {
        const result = cellValue(report.total, c);
        if (!c.adds) return [c.key, result];
        const letter = sheet.getColumn(i + 1).letter;
        return [c.key, { formula: `SUM(${letter}2:${letter}${last})`, result }];
      }),
    ),
  );
  total.font = { bold: true };
  sheet.addRow([]);
  const { account, from, to } = charges;
  sheet.addRow([`Account: ${account.name} (${account._id})`]);
  sheet.addRow([`Usage: calls from ${from} to ${to}, both included, in ${account.timezone}`]);
  sheet.addRow(['Recurring: one month of the account’s plans as its renewal charges them']);
  const temporary = `${path}.${process.pid}.partial`;
  try {
    await workbook.xlsx.writeFile(temporary);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
