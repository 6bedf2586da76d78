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
      try {
        const { stdout } = await run(process.execPath, [join(__dirname, 'report-workbook-child.js'), mode, String(ROWS), path], { maxBuffer: 1024 * 1024 });
        return { childPeakRssBytes: (JSON.parse(stdout.trim()) as { peakRssBytes: number }).peakRssBytes };
      } catch (error) {
        // A child that dies (the in-memory Workbook runs out of heap) cannot report its peak: its last progress
        // line gives how far it got and a lower bound of its RSS.
        const { stderr = '' } = error as { stderr?: string };
        const last = [...stderr.matchAll(/progress: (.*), RSS (\d+)/g)].at(-1);
        const reason = /heap out of memory/i.test(stderr) ? 'JavaScript heap out of memory' : `exit ${String((error as { code?: unknown }).code)}`;
        return { childPeakRssBytes: Number(last?.[2] ?? 0), failure: `${reason} after "${last?.[1] ?? 'no progress'}" (peak RSS at least the one shown)` };
      } finally {
        rmSync(path, { force: true });
      }
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
