import { startLocalServices } from '../scripts/services';
import type { LocalServices } from '../scripts/services';

/**
 * Redis and MongoDB for a benchmark (a given REDIS_URL / MONGODB_URI is used as it is). mongo-java-server keeps every
 * document as Java objects on its heap: a million accounts and their ledger entries need about 6 GB, and the JVM's
 * default ceiling (a quarter of the RAM) then leaves it collecting garbage instead of answering. BENCH_MONGO_HEAP
 * sets the ceiling (default 16g of this 24 GiB machine); the parallel collector uses both cores.
 */
export function startBenchServices(): Promise<LocalServices> {
  const heap = process.env.BENCH_MONGO_HEAP ?? '16g';
  return startLocalServices({ persistent: false, handleSignals: false, log: () => undefined, mongoJavaOptions: [`-Xmx${heap}`, '-XX:+UseParallelGC'] });
}
