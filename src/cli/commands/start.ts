import type { Command } from 'commander';
import { QUEUES } from '../../queues/catalog';
import type { QueueName } from '../../queues/catalog';
import { assertNoEviction } from '../../queues/redis';
import { registerSchedules } from '../../queues/schedules';
import { startWorkers } from '../../worker/worker-host';
import { UsageError } from '../io';
import type { CliIO } from '../io';
import { withApp } from '../session';

function parseQueues(list: string | undefined): readonly QueueName[] {
  if (list === undefined) return QUEUES;
  const names = list.split(',').map((q) => q.trim());
  for (const name of names) {
    if (!(QUEUES as readonly string[]).includes(name)) throw new UsageError(`--queues: unknown queue "${name}" (queues: ${QUEUES.join(', ')})`);
  }
  return names as QueueName[];
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export function registerStart(program: Command, io: CliIO): void {
  program
    .command('start')
    .description('Run the workers and register the schedules until SIGTERM/SIGINT, then drain gracefully.')
    .option('--queues <names>', `only these queues, comma-separated (${QUEUES.join(', ')})`)
    .option('--no-schedules', 'do not register the schedules (for extra worker hosts)')
    .action((opts: { queues?: string; schedules: boolean }) => {
      const queues = parseQueues(opts.queues);
      return withApp(io, async (app) => {
        const { config, logger } = app.deps;
        await assertNoEviction(app.redis);
        if (opts.schedules) await registerSchedules(app.producer, config.schedules, config.scheduleTimezone);
        const host = startWorkers(app.deps, app.redis, { queues, concurrency: config.workerConcurrency });
        logger.info({ queues, schedules: opts.schedules ? Object.keys(config.schedules) : [] }, 'tollkeeper started');
        await untilAborted(io.signal);
        logger.info({ drainTimeoutMs: config.drainTimeoutMs }, 'stopping: draining running jobs');
        const { drained } = await host.close(config.drainTimeoutMs);
        logger.info({ drained }, drained ? 'stopped' : 'stopped; unfinished jobs return to the queue');
      });
    });
}
