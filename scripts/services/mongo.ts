import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './redis';

export interface MongoHandle {
  url: string;
  stop(): Promise<void>;
}

export interface StartMongoOptions {
  /** Persist to this H2 MVStore file; without it the in-memory backend is used and everything is lost on stop. */
  h2File?: string;
  log?: (line: string) => void;
  /**
   * JVM options in place of the default (the serial collector, the JVM's default heap of a quarter of the RAM).
   * Benchmarks holding millions of documents in the in-memory backend need a bigger heap and a parallel collector.
   */
  javaOptions?: readonly string[];
}

// A cold JVM on a busy 2-core CI machine can take several seconds; a real hang shows up well before this.
const READY_TIMEOUT_MS = 60_000;
// Generous: H2 flushes its store on the way out, and a loaded 2-core machine can take seconds to do it.
const STDIN_EOF_GRACE_MS = 20_000;
const SIGTERM_GRACE_MS = 10_000;

/**
 * Starts mongo-java-server (see scripts/mongo/MongoLauncher.java) on a loopback port chosen by the OS. The child lives
 * only as long as the pipe to its stdin, so it cannot outlive this process however this process ends.
 */
export async function startMongo(opts: StartMongoOptions = {}): Promise<MongoHandle> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const root = projectRoot();
  const libDir = ensureJars(root, log);
  const classDir = ensureCompiled(root, libDir);

  const args = [...(opts.javaOptions ?? ['-XX:+UseSerialGC']), '-cp', `${classDir}:${libDir}/*`, 'MongoLauncher', '--port', '0'];
  if (opts.h2File) args.push('--h2', opts.h2File);
  // Own process group: Ctrl-C reaches only Node, which then closes stdin so H2 is flushed in an orderly way.
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  // An EPIPE on our side of stdin just means the launcher already exited; the exit handling below deals with it.
  child.stdin?.on('error', () => undefined);
  const stderr = captureStderr(child);
  const exited = exitPromise(child);
  // Signals that stop Node without running 'exit' handlers still close the pipe; this covers process.exit(),
  // where the pipe would close too, but SIGTERM lets the JVM's shutdown hook close the H2 file first.
  const termOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.on('exit', termOnExit);

  let port: number;
  try {
    port = await waitForReady(child, exited, stderr);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    process.off('exit', termOnExit);
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    url: `mongodb://127.0.0.1:${port}`,
    stop(): Promise<void> {
      stopping ??= (async () => {
        child.stdin?.end();
        const term = setTimeout(() => child.kill('SIGTERM'), STDIN_EOF_GRACE_MS);
        const kill = setTimeout(() => child.kill('SIGKILL'), STDIN_EOF_GRACE_MS + SIGTERM_GRACE_MS);
        await exited;
        clearTimeout(term);
        clearTimeout(kill);
        process.off('exit', termOnExit);
      })();
      return stopping;
    },
  };
}

function waitForReady(child: ChildProcess, exited: Promise<number | string>, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      reject(new Error(`mongo-java-server did not print READY within ${READY_TIMEOUT_MS} ms.\nlauncher stderr: ${stderr()}`));
    }, READY_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      stdout += chunk.toString('utf8');
      const match = /^READY (\d+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        // Nothing else is expected on stdout, but it must stay drained so the JVM can never block on it.
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`mongo-java-server exited (${code}) before it was ready.\nlauncher stdout: ${stdout.trim()}\nlauncher stderr: ${stderr()}`));
    });
  });
}

/**
 * Copies mongo-java-server and its dependencies into .cache once. The stamp is the pom's hash, so editing the pom
 * (a version bump) refetches. Maven writes to a private directory that is renamed into place, so two runs racing
 * on a fresh checkout (jest and `npm run services`) never see a half-filled lib folder.
 */
function ensureJars(root: string, log: (line: string) => void): string {
  const pom = join(root, 'scripts', 'mongo', 'pom.xml');
  const cacheDir = join(root, '.cache', 'mongo-java-server');
  const libDir = join(cacheDir, 'lib');
  const stampFile = join(libDir, '.pom-sha256');
  const stamp = sha256(readFileSync(pom));
  if (readIfExists(stampFile) === stamp) return libDir;

  requireTool('mvn', 'maven');
  log('fetching mongo-java-server 1.47.0 with Maven into .cache/mongo-java-server/lib (first use only)');
  mkdirSync(cacheDir, { recursive: true });
  const staging = join(cacheDir, `lib.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const result = spawnSync(
    'mvn',
    [
      '-q', '-B',
      '-f', pom,
      // Keeps the project independent of (and from polluting) ~/.m2.
      `-Dmaven.repo.local=${join(root, '.cache', 'm2')}`,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${staging}`,
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Maven could not fetch mongo-java-server (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
  writeFileSync(join(staging, '.pom-sha256'), stamp);
  publish(staging, libDir, stampFile, stamp);
  return libDir;
}

/**
 * Compiles the launcher once per source/jar combination: starting from a class file takes about 0.3 s, against
 * about 1.2 s for the single-file source launcher, which compiles on every start.
 */
function ensureCompiled(root: string, libDir: string): string {
  const source = join(root, 'scripts', 'mongo', 'MongoLauncher.java');
  const key = sha256(Buffer.concat([readFileSync(source), readFileSync(join(libDir, '.pom-sha256'))])).slice(0, 16);
  const classDir = join(root, '.cache', 'mongo-java-server', `classes-${key}`);
  const stampFile = join(classDir, '.ok');
  if (existsSync(stampFile)) return classDir;

  requireTool('javac', 'openjdk-17-jdk-headless');
  const staging = `${classDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const result = spawnSync('javac', ['-nowarn', '-d', staging, '-cp', `${libDir}/*`, source], { encoding: 'utf8' });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`javac failed on ${source}:\n${result.stdout}${result.stderr}`);
  }
  writeFileSync(join(staging, '.ok'), key);
  publish(staging, classDir, stampFile, key);
  return classDir;
}

/** Moves a finished staging directory into place; if a concurrent run already published the same content, keeps theirs. */
function publish(staging: string, target: string, stampFile: string, stamp: string): void {
  if (readIfExists(stampFile) !== stamp) rmSync(target, { recursive: true, force: true });
  try {
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (readIfExists(stampFile) !== stamp) throw err;
  }
}

function requireTool(command: string, debianPackage: string): void {
  const probe = spawnSync(command, ['-version'], { stdio: 'ignore' });
  if (probe.error) {
    throw new Error(`${command} is needed to run mongo-java-server locally; install it with: apt-get install -y ${debianPackage}`);
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function captureStderr(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-8_000);
  });
  return () => tail.trim() || '(empty)';
}

function exitPromise(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => {
    child.once('error', (err) => resolve(err.message));
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
}
