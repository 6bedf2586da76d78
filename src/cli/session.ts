import { loadConfig } from '../config/config';
import type { Config } from '../config/config';
import { openApp } from '../runtime/app';
import type { App } from '../runtime/app';
import { createLogger } from '../runtime/logger';
import type { Logger } from '../runtime/logger';
import type { CliIO } from './io';

export function configFrom(io: CliIO): Config {
  return loadConfig(io.env);
}

export function loggerFor(io: CliIO, config: Config): Logger {
  return createLogger(config.logLevel, io.stderr);
}

/** Opens the store and Redis for one command and always closes them. */
export async function withApp<T>(io: CliIO, fn: (app: App) => Promise<T>): Promise<T> {
  const config = configFrom(io);
  const app = await openApp(config, loggerFor(io, config));
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
