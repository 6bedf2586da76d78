import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureDebianExecutable, findExecutable } from './debian';
import { freePort } from './free-port';

export interface RedisHandle {
  url: string;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Working directory of redis-server; nothing is persisted, it only matters if someone runs SAVE by hand. */
  dataDir?: string;
  log?: (line: string) => void;
}

const READY_TIMEOUT_MS = 15_000;
const BIND_ATTEMPTS = 4;

/**
 * Starts a private redis-server on a free loopback port. It never touches 6379, so a system Redis (or another
 * engineer's instance) cannot collide with it. Three independent mechanisms make sure it dies with us: stop(), a
 * synchronous kill in process 'exit', and the kernel's parent-death signal (setpriv --pdeathsig) for deaths that
 * run no JavaScript at all (SIGKILL, OOM, a fatal signal). A pidfile is the last resort for anything that slips
 * through: the next start kills redis-servers whose owning Node process is gone.
 */
export async function startRedis(opts: StartRedisOptions = {}): Promise<RedisHandle> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const redisServer = ensureRedisServer(log);
  const runDir = join(projectRoot(), '.cache', 'services');
  mkdirSync(runDir, { recursive: true });
  killOrphanedRedis(runDir, log);
  const dataDir = opts.dataDir ?? tmpdir();
  mkdirSync(dataDir, { recursive: true });

  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      return await launch(redisServer, port, dataDir, runDir);
    } catch (err) {
      lastError = err as Error;
      // Only a lost race for the probed port is worth another try; anything else would fail the same way again.
      if (!/address already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('redis-server could not bind a port');
}

async function launch(redisServer: string, port: number, dataDir: string, runDir: string): Promise<RedisHandle> {
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', 'no',
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
    '--dir', dataDir,
    '--loglevel', 'warning',
    '--logfile', '',
  ];
  const setpriv = findExecutable('setpriv');
  const child = setpriv
    ? spawn(setpriv, ['--pdeathsig', 'KILL', '--', redisServer, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    : spawn(redisServer, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output = captureOutput(child);
  const exited = exitPromise(child);

  const pid = child.pid;
  if (pid === undefined) {
    await exited;
    throw new Error(`could not spawn ${redisServer}: ${output()}`);
  }
  const pidFile = join(runDir, `redis-${pid}.json`);
  writeFileSync(pidFile, JSON.stringify({ pid, ownerPid: process.pid, ownerStart: processStartTime(process.pid), port }));
  // Ctrl-C in a terminal must reach only Node, which then stops redis in order, so it runs in its own process
  // group (detached); this handler covers every exit of Node that still runs JavaScript.
  const killOnExit = (): void => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    rmSync(pidFile, { force: true });
  };
  process.on('exit', killOnExit);
  const cleanup = (): void => {
    process.off('exit', killOnExit);
    rmSync(pidFile, { force: true });
  };

  let exitCode: number | string | undefined;
  void exited.then((code) => (exitCode = code));
  try {
    await waitForPong(port, READY_TIMEOUT_MS, () =>
      exitCode === undefined ? undefined : `redis-server exited (${exitCode}) before answering PING on port ${port}`,
    );
  } catch (err) {
    killOnExit();
    await exited;
    cleanup();
    throw new Error(`${(err as Error).message}\nredis-server output: ${output()}`, { cause: err });
  }

  let stopping: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    stop(): Promise<void> {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          // Nothing is persisted, so SIGTERM only has to close sockets; SIGKILL backs it up in case it hangs.
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        cleanup();
      })();
      return stopping;
    },
  };
}

/** Polls with PING until +PONG; `failure` reports a dead child so we stop polling at once instead of timing out. */
function waitForPong(port: number, timeoutMs: number, failure: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const socket = connect({ host: '127.0.0.1', port });
      let reply = '';
      let settled = false;
      const retry = (why: string): void => {
        if (settled) return;
        settled = true;
        socket.destroy();
        const dead = failure();
        if (dead) reject(new Error(dead));
        else if (Date.now() > deadline) reject(new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms (${why})`));
        else setTimeout(attempt, 50);
      };
      socket.setTimeout(1_000, () => retry('timeout'));
      socket.once('error', (err) => retry(err.message));
      socket.on('data', (chunk) => {
        reply += chunk.toString('latin1');
        if (reply.startsWith('+PONG\r\n')) {
          settled = true;
          socket.destroy();
          resolve();
        } else if (reply.includes('\r\n')) {
          // -LOADING and friends: the server is up but not ready yet.
          retry(reply.trim());
        }
      });
      socket.once('connect', () => socket.write('PING\r\n'));
    };
    attempt();
  });
}

/** Returns the path of redis-server, installing Debian's package first when we are root and it is missing. */
function ensureRedisServer(log: (line: string) => void): string {
  const found = findExecutable('redis-server');
  if (found) return found;
  const hadService = existsSync('/etc/init.d/redis-server');
  const installed = ensureDebianExecutable('redis-server', ['redis-server'], log);
  if (!hadService) stopSystemRedis();
  return installed;
}

/**
 * The package's maintainer script may start a system redis on 6379. We never use it, so it is only stopped to
 * avoid a forgotten daemon; failure here is harmless.
 */
function stopSystemRedis(): void {
  for (const [cmd, args] of [
    ['systemctl', ['disable', '--now', 'redis-server']],
    ['service', ['redis-server', 'stop']],
  ] as const) {
    if (findExecutable(cmd)) spawnSync(cmd, [...args], { stdio: 'ignore' });
  }
}

function killOrphanedRedis(runDir: string, log: (line: string) => void): void {
  for (const name of readdirSync(runDir)) {
    if (!/^redis-\d+\.json$/.test(name)) continue;
    const file = join(runDir, name);
    let entry: { pid: number; ownerPid: number; ownerStart: string | null };
    try {
      entry = JSON.parse(readFileSync(file, 'utf8')) as typeof entry;
    } catch {
      continue;
    }
    // Another live run (a second jest, `npm run services`) owns its redis; only owners that are gone count.
    if (isAlive(entry.ownerPid) && processStartTime(entry.ownerPid) === entry.ownerStart) continue;
    if (isAlive(entry.pid) && commandLine(entry.pid).includes('redis-server')) {
      log(`killing redis-server ${entry.pid} left behind by a previous run`);
      try {
        process.kill(entry.pid, 'SIGKILL');
      } catch {
        // Raced with its own exit.
      }
    }
    rmSync(file, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/PID/stat; with the pid it identifies a process even after pid reuse. */
function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Keeps the last few KB of a child's stdout+stderr for error messages, and keeps the pipes drained. */
function captureOutput(child: ChildProcess): () => string {
  let tail = '';
  const append = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => tail.trim() || '(no output)';
}

function exitPromise(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => {
    child.once('error', (err) => resolve(err.message));
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
}

/** The repository root, found from this file whether it runs from source (jest) or from dist/. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'scripts', 'mongo', 'pom.xml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the project root (scripts/mongo/pom.xml) above ${__dirname}`);
    dir = parent;
  }
}
