import { isIP } from 'node:net';
import { z } from 'zod';
import { CronExpressionParser } from 'cron-parser';
import { IANAZone } from 'luxon';
import type { BookkeeperConfig } from '../bookkeeper';
import { parseRetryDays } from '../domain/renewal/dunning';
import { SCHEDULES } from '../queues/catalog';

/** A configuration problem, reported as one line naming the variable, the value and what is expected. */
export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const urlWithScheme = (schemes: string[]) =>
  z.string().refine((value) => {
    try {
      return schemes.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}`);

const positiveInt = (what: string) =>
  z.coerce.number({ error: what }).int(what).positive(what);

const cron = z.string().refine((value) => {
  if (value === 'off') return true;
  try {
    CronExpressionParser.parse(value);
    return true;
  } catch {
    return false;
  }
}, 'a cron expression such as "*/5 * * * *", or "off"');

/** 127.0.0.0/8, ::1 and "localhost": nothing off this machine can reach a server bound there. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || /^::ffff:127\./.test(bare);
}

/** Why the dashboard may not listen on `host` with this auth, or undefined when it may. */
export function dashboardBindProblem(host: string, auth: DashboardAuth | undefined): string | undefined {
  if (auth || isLoopbackHost(host)) return undefined;
  return 'a loopback address (127.0.0.1, ::1, localhost) unless DASHBOARD_TOKEN or DASHBOARD_USER and DASHBOARD_PASSWORD are set';
}

const scheduleShape = Object.fromEntries(
  SCHEDULES.map((s) => [s.envVar, cron.default(s.cron)]),
) as Record<string, z.ZodDefault<typeof cron>>;

const envSchema = z.object({
  REDIS_URL: urlWithScheme(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  MONGODB_URI: urlWithScheme(['mongodb:', 'mongodb+srv:']).default('mongodb://127.0.0.1:27017/tollkeeper'),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'a database name of letters, digits, _ or -').optional(),
  SMTP_URL: urlWithScheme(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().regex(/@/, 'a sender address such as "Billing <billing@example.com>"').default('Tollkeeper Billing <billing@tollkeeper.local>'),
  MAIL_OUTBOX_DIR: z.string().min(1, 'a folder path').default('.data/outbox'),
  REPORT_WORK_DIR: z.string().min(1, 'a folder path').default('.data/reports'),
  REPORT_ZIP_THRESHOLD_BYTES: z.coerce.number({ error: 'a whole number of bytes >= 0' }).int('a whole number of bytes >= 0').min(0, 'a whole number of bytes >= 0').default(10 * 1024 * 1024),
  PAYMENT_GATEWAY: z.enum(['simulated'], 'one of: simulated').default('simulated'),
  PAYMENT_TIMEOUT_MS: positiveInt('a whole number of milliseconds >= 1').default(30_000),
  PAYMENT_MAX_CALLS: positiveInt('a whole number >= 1').default(8),
  LOG_LEVEL: z.enum(LOG_LEVELS, `one of: ${LOG_LEVELS.join(', ')}`).default('info'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ or - (no ":")').default('tollkeeper'),
  WORKER_CONCURRENCY: positiveInt('a whole number >= 1').default(4),
  DRAIN_TIMEOUT_MS: positiveInt('a whole number of milliseconds >= 1').default(30_000),
  HEALTH_CHECK_TIMEOUT_MS: positiveInt('a whole number of milliseconds >= 1').default(2_000),
  DASHBOARD_HOST: z.string().regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or IP address').default('127.0.0.1'),
  DASHBOARD_PORT: z.coerce.number({ error: 'a port number 0-65535' }).int('a port number 0-65535').min(0, 'a port number 0-65535').max(65_535, 'a port number 0-65535').default(8480),
  DASHBOARD_TOKEN: z.string().min(16, 'a token of at least 16 characters').optional(),
  DASHBOARD_USER: z.string().regex(/^[^:]+$/, 'a user name without ":"').optional(),
  DASHBOARD_PASSWORD: z.string().min(8, 'a password of at least 8 characters').optional(),
  SCHEDULE_TIMEZONE: z.string().refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone such as UTC or America/New_York').default('UTC'),
  BOOKKEEPER: z.enum(['local', 'http'], 'one of: local, http').default('local'),
  BOOKKEEPER_URL: urlWithScheme(['http:', 'https:']).optional(),
  BOOKKEEPER_SECRET: z.string().min(16, 'a secret of at least 16 characters').optional(),
  BOOKKEEPER_TIMEOUT_MS: positiveInt('a whole number of milliseconds >= 1').default(10_000),
  RECONCILE_SETTLE_SECONDS: z.coerce.number({ error: 'a whole number of seconds >= 0' }).int('a whole number of seconds >= 0').min(0, 'a whole number of seconds >= 0').default(60),
  DUNNING_RETRY_DAYS: z
    .string()
    .refine((text) => {
      try {
        parseRetryDays(text);
        return true;
      } catch {
        return false;
      }
    }, 'whole days 1-365 in increasing order, comma-separated, such as "1,3,7"')
    .default('1,3,7'),
  ...scheduleShape,
});

/** Who may use the dashboard: a bearer token, a user and password (basic auth), or both. */
export interface DashboardAuth {
  token?: string;
  user?: string;
  password?: string;
}

export interface Config {
  redisUrl: string;
  mongoUri: string;
  /** The database name: MONGODB_DB, else the URI's path, else "tollkeeper". */
  mongoDb: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  mailOutboxDir: string;
  /** Where reports are built, a folder per request, removed once the report is mailed. */
  reportWorkDir: string;
  /** Attachments adding up to more than this are mailed as one zip archive. */
  reportZipThresholdBytes: number;
  paymentGateway: 'simulated';
  /** How long one gateway call may take before its outcome counts as unknown and the charge stays pending. */
  paymentTimeoutMs: number;
  /** Gateway calls per attempt of a charge before it is given up as failed (once the gateway confirms it holds nothing). */
  paymentMaxCalls: number;
  logLevel: (typeof LOG_LEVELS)[number];
  queuePrefix: string;
  workerConcurrency: number;
  drainTimeoutMs: number;
  /** How long `/healthz` waits for Redis and MongoDB to answer a ping before it counts them down. */
  healthCheckTimeoutMs: number;
  scheduleTimezone: string;
  dashboardHost: string;
  dashboardPort: number;
  /** Undefined when none is configured: the dashboard then only listens on loopback. */
  dashboardAuth: DashboardAuth | undefined;
  /** Who is handed each reconciled account's billable items (BOOKKEEPER, BOOKKEEPER_URL, BOOKKEEPER_SECRET). */
  bookkeeper: BookkeeperConfig;
  /** A dirty account is reconciled once its last change is at least this old, so a burst of changes is billed once. */
  reconcileSettleSeconds: number;
  /** Days after a renewal payment's first failure to retry it (DUNNING_RETRY_DAYS); one more failure is final. */
  dunningRetryDays: number[];
  /** Cron per schedule id; a schedule set to "off" is absent. */
  schedules: Record<string, string>;
}

function databaseFromUri(uri: string): string | undefined {
  const path = new URL(uri).pathname.replace(/^\//, '');
  return path.length > 0 ? decodeURIComponent(path) : undefined;
}

/** A user without a password (or the reverse) is a half-done set-up, refused rather than silently ignored. */
function dashboardAuthOf(e: { DASHBOARD_TOKEN?: string; DASHBOARD_USER?: string; DASHBOARD_PASSWORD?: string }): DashboardAuth | undefined {
  if ((e.DASHBOARD_USER === undefined) !== (e.DASHBOARD_PASSWORD === undefined)) {
    const [missing, given] = e.DASHBOARD_USER === undefined ? ['DASHBOARD_USER', 'DASHBOARD_PASSWORD'] : ['DASHBOARD_PASSWORD', 'DASHBOARD_USER'];
    throw new ConfigError(`Invalid configuration: ${missing}="": expected a value, since ${given} is set`);
  }
  if (e.DASHBOARD_TOKEN === undefined && e.DASHBOARD_USER === undefined) return undefined;
  return {
    ...(e.DASHBOARD_TOKEN !== undefined ? { token: e.DASHBOARD_TOKEN } : {}),
    ...(e.DASHBOARD_USER !== undefined ? { user: e.DASHBOARD_USER, password: e.DASHBOARD_PASSWORD } : {}),
  };
}

/** The http bookkeeper cannot run without somewhere to send to and a secret to sign with. */
function bookkeeperOf(e: { BOOKKEEPER: 'local' | 'http'; BOOKKEEPER_URL?: string; BOOKKEEPER_SECRET?: string; BOOKKEEPER_TIMEOUT_MS: number }): BookkeeperConfig {
  if (e.BOOKKEEPER === 'local') return { kind: 'local' };
  if (e.BOOKKEEPER_URL === undefined) throw new ConfigError('Invalid configuration: BOOKKEEPER_URL="": expected a URL starting with http:// or https://, since BOOKKEEPER=http');
  if (e.BOOKKEEPER_SECRET === undefined) throw new ConfigError('Invalid configuration: BOOKKEEPER_SECRET="": expected a secret of at least 16 characters, since BOOKKEEPER=http');
  return { kind: 'http', url: e.BOOKKEEPER_URL, secret: e.BOOKKEEPER_SECRET, timeoutMs: e.BOOKKEEPER_TIMEOUT_MS };
}

/** Reads the configuration from environment variables; the first problem becomes a ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? '?');
    throw new ConfigError(`Invalid configuration: ${name}=${JSON.stringify(env[name] ?? '')}: expected ${issue?.message ?? 'a valid value'}`);
  }
  const e = parsed.data;
  const dashboardAuth = dashboardAuthOf(e);
  const bindProblem = dashboardBindProblem(e.DASHBOARD_HOST, dashboardAuth);
  if (bindProblem) throw new ConfigError(`Invalid configuration: DASHBOARD_HOST=${JSON.stringify(e.DASHBOARD_HOST)}: expected ${bindProblem}`);
  const schedules: Record<string, string> = {};
  for (const s of SCHEDULES) {
    const value = (e as Record<string, unknown>)[s.envVar];
    if (typeof value === 'string' && value !== 'off') schedules[s.id] = value;
  }
  return {
    redisUrl: e.REDIS_URL,
    mongoUri: e.MONGODB_URI,
    mongoDb: e.MONGODB_DB ?? databaseFromUri(e.MONGODB_URI) ?? 'tollkeeper',
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailOutboxDir: e.MAIL_OUTBOX_DIR,
    reportWorkDir: e.REPORT_WORK_DIR,
    reportZipThresholdBytes: e.REPORT_ZIP_THRESHOLD_BYTES,
    paymentGateway: e.PAYMENT_GATEWAY,
    paymentTimeoutMs: e.PAYMENT_TIMEOUT_MS,
    paymentMaxCalls: e.PAYMENT_MAX_CALLS,
    logLevel: e.LOG_LEVEL,
    queuePrefix: e.QUEUE_PREFIX,
    workerConcurrency: e.WORKER_CONCURRENCY,
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    healthCheckTimeoutMs: e.HEALTH_CHECK_TIMEOUT_MS,
    scheduleTimezone: e.SCHEDULE_TIMEZONE,
    dashboardHost: e.DASHBOARD_HOST,
    dashboardPort: e.DASHBOARD_PORT,
    dashboardAuth,
    bookkeeper: bookkeeperOf(e),
    reconcileSettleSeconds: e.RECONCILE_SETTLE_SECONDS,
    dunningRetryDays: parseRetryDays(e.DUNNING_RETRY_DAYS),
    schedules,
  };
}
