/**
 * One case of the report-workbook benchmark, alone in its process so that its peak memory is its own:
 * `node report-workbook-child.js <streaming|in-memory> <rows> <path>`. Prints one JSON line: the peak RSS the kernel
 * recorded for this process, and the time spent writing.
 */
import ExcelJS from 'exceljs';
import { CDR_SHEET_COLUMNS, cdrCellsIn } from '../src/domain/reports/cdr-cells';
import { NUMBER_FORMATS, workbookValue } from '../src/domain/reports/columns';
import { SUMMARY_QUANTITIES } from '../src/domain/reports/summary';
import { writeAccountWorkbook } from '../src/reports/account-workbook';
import type { WorkbookCall } from '../src/reports/account-workbook';

const COUNTRIES = ['US', 'DE', 'MX', 'GB', 'FR', 'CA', 'IN', 'BR'];

/** The same calls for both cases, made as they are consumed: the input itself takes no memory. */
function* syntheticCalls(rows: number): Generator<WorkbookCall> {
  const start = Date.UTC(2026, 2, 1);
  for (let i = 0; i < rows; i++) {
    yield {
      _id: `call-${i}-7f3a9c2e@pbx.example.net`,
      startedAt: new Date(start + i * 2_000),
      callerId: `+1212555${String(i % 10_000).padStart(4, '0')}`,
      toNumber: `+4930${String(i % 1_000_000).padStart(7, '0')}`,
      billingSeconds: (i * 37) % 3_600,
      rate: [125, 4_500, 20_000][i % 3]!,
      rateName: ['US-local', 'DE-fixed', 'MX-mobile'][i % 3]!,
      resellerCallType: i % 4 === 0 ? 'flat_rate' : 'per_minute',
      resellerCost: (i * 7) % 50_000,
      customerCallType: i % 5 === 0 ? 'flat_rate' : 'per_minute',
      customerCost: (i * 11) % 80_000,
      resellerCostBreakdown: i % 3 === 0 ? 'base 0.0125/min; surcharge 0.01' : null,
      country: COUNTRIES[i % COUNTRIES.length]!,
    };
  }
}

async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

async function streaming(rows: number, path: string): Promise<void> {
  await writeAccountWorkbook(path, {
    facts: { accountId: 'bench', name: 'Bench Account', timezone: 'America/New_York', quantities: SUMMARY_QUANTITIES.map(() => 1), quantitiesAt: null },
    period: { from: '2026-03-01', to: '2026-03-31' },
    calls: asAsync(syntheticCalls(rows)),
  });
}

/** What the parent reports if this process dies (out of memory): how far it got, and its RSS then. */
function progress(where: string): void {
  process.stderr.write(`progress: ${where}, RSS ${process.memoryUsage().rss}\n`);
}

/** exceljs's in-memory Workbook: every row is held until the file is written at the end. */
async function inMemory(rows: number, path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('CDRs', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = CDR_SHEET_COLUMNS.map((c) => ({ header: c.header, width: c.width, ...(NUMBER_FORMATS[c.kind] ? { style: { numFmt: NUMBER_FORMATS[c.kind] } } : {}) }));
  const cells = cdrCellsIn('America/New_York');
  let added = 0;
  for (const call of syntheticCalls(rows)) {
    sheet.addRow(cells(call).map((v, i) => workbookValue(CDR_SHEET_COLUMNS[i]!.kind, v)));
    if (++added % 50_000 === 0) progress(`${added} rows added`);
  }
  progress(`all ${added} rows added, writing the file`);
  await workbook.xlsx.writeFile(path);
}

async function main(): Promise<void> {
  const [mode, rowsText, path] = process.argv.slice(2);
  const rows = Number(rowsText);
  if ((mode !== 'streaming' && mode !== 'in-memory') || !Number.isSafeInteger(rows) || !path) throw new Error('usage: <streaming|in-memory> <rows> <path>');
  const started = process.hrtime.bigint();
  await (mode === 'streaming' ? streaming(rows, path) : inMemory(rows, path));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // maxRSS is the kernel's high-water mark, in kilobytes: no sampling can miss a peak.
  process.stdout.write(`${JSON.stringify({ peakRssBytes: process.resourceUsage().maxRSS * 1024, ms })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exitCode = 1;
});
