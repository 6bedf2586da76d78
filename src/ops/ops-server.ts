import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { createAdaptorServer } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Worker } from 'bullmq';
import { Hono } from 'hono';
import type { DashboardAuth } from '../config/config';
import { JOBS, JOB_NAMES } from '../queues/catalog';
import type { App } from '../runtime/app';
import { requireAuth } from './dashboard-auth';
import { checkHealth } from './health';
import { metricsScraper } from './metrics';

export const BOARD_PATH = '/queues';

export interface OpsServerOptions {
  host: string;
  port: number;
  auth: DashboardAuth | undefined;
  /** The workers of this process, when it runs them: `/healthz` then also reports whether each is running. */
  workers?: readonly Worker[];
}

export interface OpsServer {
  /** `http://host:port`, with the port actually bound (port 0 picks a free one); the board is at BOARD_PATH. */
  origin: string;
  close(): Promise<void>;
}

function queueDescription(queue: string): string {
  return `Jobs: ${JOB_NAMES.filter((n) => JOBS[n].queue === queue).join(', ')}`;
}

function boardRoutes(app: App): Hono {
  const board = new HonoAdapter(serveStatic).setBasePath(BOARD_PATH);
  createBullBoard({
    queues: app.producer.allQueues().map((q) => new BullMQAdapter(q, { description: queueDescription(q.name) })),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Tollkeeper' } },
  });
  return board.registerPlugin();
}

function routes(app: App, options: OpsServerOptions): Hono {
  const web = new Hono();
  // Everything is behind the credentials when there are any: /metrics tells how much money moves, /healthz names hosts.
  if (options.auth) web.use('*', requireAuth(options.auth));
  web.get('/healthz', async (c) => {
    const sources = { redis: app.redis, store: app.store, ...(options.workers ? { workers: options.workers } : {}) };
    const report = await checkHealth(sources, app.deps.config.healthCheckTimeoutMs);
    return c.json(report, report.status === 'ok' ? 200 : 503);
  });
  const scrape = metricsScraper(app.producer.allQueues(), app.redis);
  web.get('/metrics', async (c) => {
    const { contentType, body } = await scrape();
    return c.body(body, 200, { 'Content-Type': contentType });
  });
  web.get('/', (c) => c.redirect(BOARD_PATH));
  web.route(BOARD_PATH, boardRoutes(app));
  return web;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The Bull Board UI over every queue of the catalog, `/healthz` and `/metrics`, on one HTTP server. */
export async function startOpsServer(app: App, options: OpsServerOptions): Promise<OpsServer> {
  // Hono's Node adapter would otherwise replace the global Request/Response for the whole process.
  const server = createAdaptorServer({ fetch: routes(app, options).fetch, overrideGlobalObjects: false }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => app.deps.logger.error({ err }, 'dashboard server error'));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${hostForUrl(options.host)}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Browsers keep connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
