import type { Worker } from 'bullmq';
import type { Command } from 'commander';
import { dashboardBindProblem } from '../../config/config';
import type { Config } from '../../config/config';
import { BOARD_PATH, startOpsServer } from '../../ops/ops-server';
import type { OpsServer } from '../../ops/ops-server';
import type { App } from '../../runtime/app';
import { UsageError, println, untilAborted } from '../io';
import type { CliIO } from '../io';
import { configFrom, withApp } from '../session';

export interface DashboardAddress {
  host: string;
  port: number;
}

/** The flags override DASHBOARD_HOST/DASHBOARD_PORT and are held to the same rule: no open port without credentials. */
export function dashboardAddress(
  config: Config,
  given: { host?: string | undefined; port?: string | undefined },
  flags: { host: string; port: string },
): DashboardAddress {
  const host = given.host ?? config.dashboardHost;
  const problem = dashboardBindProblem(host, config.dashboardAuth);
  if (problem) throw new UsageError(`${flags.host} ${JSON.stringify(host)}: expected ${problem}`);
  if (given.port === undefined) return { host, port: config.dashboardPort };
  const port = Number(given.port);
  if (!/^\d+$/.test(given.port) || port > 65_535) throw new UsageError(`${flags.port} ${JSON.stringify(given.port)}: expected a port number 0-65535`);
  return { host, port };
}

/** Starts the dashboard server and tells the operator where it is. */
export async function openDashboard(app: App, address: DashboardAddress, io: CliIO, workers?: readonly Worker[]): Promise<OpsServer> {
  const server = await startOpsServer(app, { ...address, auth: app.deps.config.dashboardAuth, ...(workers ? { workers } : {}) });
  const { origin } = server;
  println(io.stdout, `dashboard on ${origin}${BOARD_PATH} (health ${origin}/healthz, metrics ${origin}/metrics)`);
  app.deps.logger.info({ origin, auth: app.deps.config.dashboardAuth !== undefined }, 'dashboard listening');
  return server;
}

export function registerDashboard(program: Command, io: CliIO): void {
  program
    .command('dashboard')
    .description('Serve the queue dashboard (Bull Board: inspect, retry, promote, clean), /healthz and /metrics until SIGTERM/SIGINT.')
    .option('--host <host>', 'address to listen on; beyond loopback only with DASHBOARD_TOKEN or DASHBOARD_USER/DASHBOARD_PASSWORD (default: DASHBOARD_HOST)')
    .option('--port <port>', 'port to listen on, 0 for any free one (default: DASHBOARD_PORT)')
    .action(async (opts: { host?: string; port?: string }) => {
      const address = dashboardAddress(configFrom(io), opts, { host: '--host', port: '--port' });
      await withApp(io, async (app) => {
        const server = await openDashboard(app, address, io);
        try {
          await untilAborted(io.signal);
        } finally {
          await server.close();
        }
      });
    });
}
