/**
 * Sheets written through exceljs's streaming workbook writer, with what it lacks: backpressure, and formats fixed
 * per column. A sheet's XML goes to an internal pass-through stream that the zip compressor reads at its own pace;
 * exceljs writes to it without ever looking at the return value, so a fast producer fills memory with XML waiting
 * to be deflated (measured: ~700 MB RSS for a million CDR rows). Each sheet therefore waits, every few rows, until
 * that stream has drained once it holds more than a few megabytes; memory then stays flat whatever the row count.
 */
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { NUMBER_FORMATS, workbookValue } from '../domain/reports/columns';
import type { CellKind, ColumnSpec, RowValue } from '../domain/reports/columns';
import type { Table } from '../domain/reports/summary';

/** How much sheet XML may wait for the compressor before the writer pauses. */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** Looking at the stream costs little, but not nothing: every this many rows. */
const CHECK_EVERY_ROWS = 500;

/** The parts of exceljs's stream writer the types do not show: the sheet's stream and what it is piped into. */
interface SheetInternals {
  stream: { pipes?: { _writableState?: { length: number } ; once(event: 'drain', fn: () => void): unknown }[] };
}

export function openWorkbook(path: string): ExcelJS.stream.xlsx.WorkbookWriter {
  // Shared strings would be held in memory for the whole workbook; styles are needed for number formats.
  return new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
}

const HEADER_STYLE: Partial<ExcelJS.Style> = { font: { bold: true } };

/** One style object per kind, shared by every cell of that kind: exceljs caches style ids by object identity. */
const STYLES = new Map<CellKind, Partial<ExcelJS.Style>>(
  (Object.entries(NUMBER_FORMATS) as [CellKind, string | undefined][]).map(([kind, numFmt]) => [kind, numFmt ? { numFmt } : {}]),
);

function styleFor(kind: CellKind): Partial<ExcelJS.Style> {
  return STYLES.get(kind) ?? {};
}

export class SheetWriter {
  private readonly sheet: ExcelJS.Worksheet;
  private readonly styles: Partial<ExcelJS.Style>[];
  private rows = 0;

  constructor(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    name: string,
    private readonly columns: readonly ColumnSpec[],
  ) {
    this.sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    // Widths are fixed when the first row is committed: set before it.
    this.sheet.columns = columns.map((c) => ({ width: c.width }));
    this.styles = columns.map((c) => styleFor(c.kind));
    const header = this.sheet.addRow(columns.map((c) => c.header));
    header.eachCell((cell) => (cell.style = HEADER_STYLE));
    header.commit();
  }

  /** Data rows written so far (the header not counted). */
  get rowCount(): number {
    return this.rows;
  }

  async addRow(values: readonly RowValue[]): Promise<void> {
    this.writeRow(values.map((v, i) => workbookValue(this.columns[i]?.kind ?? 'text', v)), this.styles);
    if (this.rows % CHECK_EVERY_ROWS === 0) await this.drained();
  }

  /** A row whose cells each have a kind of their own (a label/value list). */
  async addMixedRow(cells: readonly { kind: CellKind; value: RowValue }[]): Promise<void> {
    this.writeRow(cells.map((c) => workbookValue(c.kind, c.value)), cells.map((c) => styleFor(c.kind)));
    await this.drained();
  }

  /** Ends the sheet with an auto-filter over the header and every data row. */
  async close(): Promise<void> {
    this.sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: this.rows + 1, column: this.columns.length } };
    this.sheet.commit();
    await this.drained();
  }

  private writeRow(values: readonly RowValue[], styles: readonly Partial<ExcelJS.Style>[]): void {
    const row = this.sheet.addRow(values.map((v) => v ?? undefined));
    for (let i = 0; i < values.length; i++) row.getCell(i + 1).style = styles[i] ?? {};
    row.commit();
    this.rows++;
  }

  private async drained(): Promise<void> {
    const pipe = (this.sheet as unknown as SheetInternals).stream.pipes?.[0];
    if (pipe && (pipe._writableState?.length ?? 0) > HIGH_WATER_BYTES) await once(pipe as never, 'drain');
  }
}

/** A whole table as a sheet of its own: the summaries, "By country", "By billing unit". */
export async function writeTableSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, table: Table): Promise<void> {
  const sheet = new SheetWriter(workbook, name, table.columns);
  for (const row of table.rows) await sheet.addRow(row);
  await sheet.close();
}
