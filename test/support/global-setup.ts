import { startLocalServices } from '../../scripts/services';
import type { LocalServices } from '../../scripts/services';

declare global {
  // Only the global set-up and teardown share this: they run in the same (main) jest process.
  var __tollkeeperServices: LocalServices | undefined;
}

/**
 * Starts one in-memory Redis and one mongo-java-server for the whole run; test files isolate themselves by database
 * name and queue prefix (test/support/services.ts). Workers inherit the URLs through the environment because they are
 * forked after this runs.
 */
export default async function globalSetup(): Promise<void> {
  if (!integrationSelected(process.argv)) return;

  const services = await startLocalServices({
    persistent: false,
    log: (line) => console.error(`[services] ${line}`),
  });
  process.env.REDIS_URL = services.redisUrl;
  process.env.MONGODB_URI = services.mongoUrl;
  globalThis.__tollkeeperServices = services;
}

/**
 * Unit tests need no services, and `npm run test:unit` should not pay for a JVM start. Jest hands the hook neither
 * the selected projects nor the list of tests, so the command line is read instead; anything unrecognised errs on
 * the side of starting the services.
 */
function integrationSelected(argv: string[]): boolean {
  const select = projectsAfter(argv, '--selectProjects');
  const ignore = projectsAfter(argv, '--ignoreProjects');
  if (select && !select.includes('integration')) return false;
  return !ignore?.includes('integration');
}

function projectsAfter(argv: string[], flag: string): string[] | undefined {
  let names: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith(`${flag}=`)) {
      (names ??= []).push(arg.slice(flag.length + 1));
    } else if (arg === flag) {
      names ??= [];
      // Jest's option is variadic: it takes every following word up to the next flag.
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) names.push(argv[++i]!);
    }
  }
  return names;
}
