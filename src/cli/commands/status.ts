import type { Command } from 'commander';
import { listSchedules } from '../../queues/schedules';
import { recentRuns } from '../../store/job-runs';
import type { JobRunDoc } from '../../store/documents';
import { println } from '../io';
import type { CliIO } from '../io';
import { withApp } from '../session';
import { renderTable } from '../table';

const COUNT_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;

function duration(run: JobRunDoc): string {
  if (!run.finishedAt) return '';
  return `${((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000).toFixed(1)}s`;
}

function countsText(counts: Record<string, number> | null | undefined): string {
  return Object.entries(counts ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

export function registerStatus(program: Command, io: CliIO): void {
  program
    .command('status')
    .description('Queue counts, schedules with their next run, and the last job runs.')
    .option('--runs <n>', 'how many recent runs to show', '15')
    .option('--json', 'print one JSON document instead of tables')
    .action((opts: { runs: string; json?: boolean }) =>
      withApp(io, async (app) => {
        const queues = await Promise.all(
          app.producer.allQueues().map(async (q) => ({ queue: q.name, counts: await q.getJobCounts(...COUNT_STATES) })),
        );
        const schedules = await listSchedules(app.producer);
        const runs = await recentRuns(app.store, Math.max(1, Number(opts.runs) || 15));
        if (opts.json) {
          println(io.stdout, JSON.stringify({ queues, schedules, runs }, null, 2));
          return;
        }
        println(io.stdout, 'Queues');
        println(io.stdout, renderTable(['queue', ...COUNT_STATES], queues.map((q) => [q.queue, ...COUNT_STATES.map((s) => q.counts[s] ?? 0)])));
        println(io.stdout, '\nSchedules');
        println(
          io.stdout,
          schedules.length === 0
            ? '(none registered: `tollkeeper start` registers them)'
            : renderTable(['schedule', 'job', 'cron', 'zone', 'next run'], schedules.map((s) => [s.id, s.job, s.cron, s.timezone, s.next?.toISOString() ?? '-'])),
        );
        println(io.stdout, '\nLast runs');
        println(
          io.stdout,
          runs.length === 0
            ? '(no runs yet)'
            : renderTable(
                ['started', 'job', 'job id', 'try', 'outcome', 'took', 'counts / error'],
                runs.map((r) => [r.startedAt.toISOString(), r.job, r.jobId, r.attempt, r.outcome, duration(r), r.error ?? countsText(r.counts)]),
              ),
        );
      }),
    );
}
