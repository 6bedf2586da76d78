import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/program';
import { until } from './until';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs the real CLI in-process against the given environment, capturing what it prints. */
export async function runTollkeeper(argv: string[], env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<CliOutcome> {
  const out = collect();
  const err = collect();
  const code = await runCli(argv, { stdout: out.stream, stderr: err.stream, env, ...(signal ? { signal } : {}) });
  return { code, stdout: out.text(), stderr: err.text() };
}

export interface RunningCli {
  /** What it printed so far. */
  stdout(): string;
  stderr(): string;
  /** Aborts it like SIGTERM and returns how it ended. */
  stop(): Promise<CliOutcome>;
}

/** Starts a long-running command (`start`, `dashboard`) in-process, to be stopped by the test. */
export function startTollkeeper(argv: string[], env: NodeJS.ProcessEnv): RunningCli {
  const controller = new AbortController();
  const out = collect();
  const err = collect();
  const done = runCli(argv, { stdout: out.stream, stderr: err.stream, env, signal: controller.signal }).then((code) => ({
    code,
    stdout: out.text(),
    stderr: err.text(),
  }));
  return {
    stdout: out.text,
    stderr: err.text,
    stop() {
      controller.abort();
      return done;
    },
  };
}

/** Waits for the line `dashboard` (or `start --dashboard`) prints once listening, and returns the origin it names. */
export function dashboardOrigin(cli: RunningCli): Promise<string> {
  return until(() => Promise.resolve(/dashboard on (http:\/\/\S+?)\/queues /.exec(cli.stdout())?.[1]), 'the dashboard to listen');
}
