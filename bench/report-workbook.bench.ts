import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchCase, BenchSuite, ChildRun } from './harness';

/*
 * One account's workbook of 1,000,000 CDRs (the "CDRs" sheet, then "Summary" and "By country").
 * Baseline: exceljs's in-memory Workbook, every row added and the file written at the end.
 * Candidate: the report's streaming writer (exceljs's WorkbookWriter, styles on, shared strings off) with the
 * backpressure of src/reports/sheet-writer.ts.
 * Each run is a child process of its own, so each case's peak RSS is its own and not the previous case's garbage;
 * the table's peak RSS is the children's (the kernel's maxRSS), not this process's. REPORT_BENCH_ROWS overrides the row count.
 */
const ROWS = Number(process.env.REPORT_BENCH_ROWS ?? 1_000_000);
const run = promisify(execFile);

function childCase(name: string, mode: 'streaming' | 'in-memory', dir: string): BenchCase {
  return {
    name,
    run: async (): Promise<ChildRun> => {
      const path = join(dir, `${mode}.xlsx`);
      const { stdout } = await run(process.execPath, [join(__dirname, 'report-workbook-child.js'), mode, String(ROWS), path], { maxBuffer: 1024 * 1024 });
      const measured = JSON.parse(stdout.trim()) as { peakRssBytes: number };
      rmSync(path, { force: true });
      return { childPeakRssBytes: measured.peakRssBytes };
    },
  };
}

export const reportWorkbook: BenchSuite = {
  name: 'report-workbook',
  description: `one account's report workbook of ${ROWS.toLocaleString('en-US')} CDRs: in-memory Workbook vs the streaming writer, each in a child process`,
  iterations: 1,
  warmup: 0,
  prepare: () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-bench-report-'));
    return {
      units: [{ label: 'rows', perRun: ROWS }],
      baseline: childCase('exceljs in-memory Workbook', 'in-memory', dir),
      candidates: [childCase('streaming WorkbookWriter + backpressure', 'streaming', dir)],
    };
  },
};
