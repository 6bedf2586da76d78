import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import { fanOutForAccounts } from '../../recharge/sweep';
import { importCdrFile } from '../../usage/cdr-import';
import type { CdrImportReport } from '../../usage/cdr-import';
import type { CdrFormat } from '../../usage/cdr-source';
import { AlreadyReported, UsageError, println } from '../io';
import type { CliIO } from '../io';
import { withApp } from '../session';

const count = (n: number) => n.toLocaleString('en-US');

export function summary(file: string, r: CdrImportReport): string[] {
  return [
    `${file}: ${count(r.rows)} rows: ${count(r.imported)} imported, ${count(r.alreadyImported)} already imported, ` +
      `${count(r.rejected)} rejected, ${count(r.conflicts)} conflicting; ${count(r.rated)} rated from their rate.`,
    `Per-minute debits: ${count(r.debitsPosted)} posted, ${count(r.debitsAlreadyPosted)} already posted.`,
  ];
}

export function registerCdrs(program: Command, io: CliIO): void {
  const cdrs = program.command('cdrs').description('Call detail records: import usage and charge it per minute.');
  cdrs
    .command('import')
    .description('Import a CDR file (CSV with a header, or NDJSON); rows with problems are reported by line and skipped. Importing again adds nothing.')
    .argument('<file>', '.csv, .ndjson or .jsonl')
    .option('--format <format>', 'csv or ndjson, when the extension does not tell')
    .option('--batch-size <rows>', 'rows per bulk write', '1000')
    .action(async (file: string, opts: { format?: string; batchSize: string }) => {
      if (opts.format !== undefined && opts.format !== 'csv' && opts.format !== 'ndjson') throw new UsageError(`--format: expected csv or ndjson, got "${opts.format}"`);
      const batchSize = Number(opts.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000) throw new UsageError(`--batch-size: expected a whole number 1-50000, got "${opts.batchSize}"`);
      await access(file).catch(() => {
        throw new UsageError(`${file}: no such file, or not readable`);
      });
      const debited = new Set<string>();
      const { report, jobs } = await withApp(io, async (app) => {
        const imported = await importCdrFile(app.deps, file, {
          batchSize,
          ...(opts.format ? { format: opts.format as CdrFormat } : {}),
          onProblem: (line, problem) => println(io.stderr, `${file}:${line}: ${problem}`),
          onDebited: (ids) => ids.forEach((id) => debited.add(id)),
        });
        // Calls lower balances: a recharge or a low-balance alert they make due goes out now, not at the next sweep.
        return { report: imported, jobs: await fanOutForAccounts(app.deps, [...debited]) };
      });
      for (const line of summary(file, report)) println(io.stdout, line);
      println(io.stdout, `Funds checked for ${count(debited.size)} debited account(s): ${count(jobs.rechargeJobs)} auto-recharge and ${count(jobs.alertJobs)} low-balance alert job(s) due (each queued once).`);
      if (report.rejected > 0 || report.conflicts > 0) throw new AlreadyReported();
    });
}
