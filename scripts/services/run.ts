import { startLocalServices } from './index';

/**
 * `npm run services`: Redis and a persistent MongoDB for working by hand (CLI, demo) without Docker. The export
 * lines go to stdout so they can be pasted into another shell; everything else goes to stderr.
 */
async function main(): Promise<void> {
  const log = (line: string): void => console.error(line);
  const services = await startLocalServices({ persistent: true, log });
  console.log(`export REDIS_URL=${services.redisUrl}`);
  console.log(`export MONGODB_URI=${services.mongoUrl}`);
  log('# local services are running (MongoDB data in .data/mongo); press Ctrl-C to stop them');
  // The signal handlers installed by startLocalServices stop the services and exit; until then only this timer
  // (and the children's pipes) keep the process alive.
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
