import type { Command } from 'commander';
import { QUEUES } from '../../queues/catalog';
import type { QueueName } from '../../queues/catalog';
import { assertNoEviction } from '../../queues/redis';
import { registerSchedules } from '../../queues/schedules';
import { startWorkers } from '../../worker/worker-host';
import { UsageError, untilAborted } from '../io';
import type { CliIO } from '../io';
import { configFrom, withApp } from '../session';
import { dashboardAddress, openDashboard } from './dashboard';

function parseQueues(list: string | undefined): readonly QueueName[] {
  if (list === undefined) return QUEUES;
  const names = list.split(',').map((q) => q.trim());
  for (const name of names) {
    if (!(QUEUES as readonly string[]).includes(name)) throw new UsageError(`--queues: unknown queue "${name}" (queues: ${QUEUES.join(', ')})`);
  }
  return names as QueueName[];
}

export function registerStart(program: Command, io: CliIO): void {
  program
    .command('start')
    .description('Run the workers and register the schedules until SIGTERM/SIGINT, then drain gracefully.')
    .option('--queues <names>', `only these queues, comma-separated (${QUEUES.join(', ')})`)
    .option('--no-schedules', 'do not register the schedules (for extra worker hosts)')
    .option('--dashboard', 'also serve the queue dashboard, /healthz (including these workers) and /metrics')
    .option('--dashboard-host <host>', 'with --dashboard: address to listen on (default: DASHBOARD_HOST)')
    .option('--dashboard-port <port>', 'with --dashboard: port to listen on (default: DASHBOARD_PORT)')
    .action((opts: { queues?: string; schedules: boolean; dashboard?: boolean; dashboardHost?: string; dashboardPort?: string }) => {
      const queues = parseQueues(opts.queues);
      if (!opts.dashboard && (opts.dashboardHost !== undefined || opts.dashboardPort !== undefined)) {
        throw new UsageError('--dashboard-host and --dashboard-port need --dashboard');
      }
      const address = opts.dashboard
        ? dashboardAddress(configFrom(io), { host: opts.dashboardHost, port: opts.dashboardPort }, { host: '--dashboard-host', port: '--dashboard-port' })
        : undefined;
      return withApp(io, async (app) => {
        const { config, logger } = app.deps;
        await assertNoEviction(app.redis);
        if (opts.schedules) await registerSchedules(app.producer, config.schedules, config.scheduleTimezone);
        const host = startWorkers(app.deps, app.redis, { queues, concurrency: config.workerConcurrency });
        // A dashboard that cannot listen (port taken) stops the start, and with it the workers just started.
        const dashboard = address
          ? await openDashboard(app, address, io, host.workers).catch(async (error: unknown) => {
              await host.close(0);
              throw error;
            })
          : undefined;
        logger.info({ queues, schedules: opts.schedules ? Object.keys(config.schedules) : [] }, 'tollkeeper started');
        await untilAborted(io.signal);
        logger.info({ drainTimeoutMs: config.drainTimeoutMs }, 'stopping: draining running jobs');
        const { drained } = await host.close(config.drainTimeoutMs);
        await dashboard?.close();
        logger.info({ drained }, drained ? 'stopped' : 'stopped; unfinished jobs return to the queue');
      });
    });
}
