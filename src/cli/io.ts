/** Where a command writes and what it reads, so tests can run the CLI in-process. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Aborted to stop a long-running command (`start`); main() wires SIGTERM/SIGINT to it. */
  signal?: AbortSignal;
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {}

/** A failure whose details the command already printed: exit code 1, nothing more to say. */
export class AlreadyReported extends Error {}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export function println(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}

/** Resolves when a long-running command is told to stop; never, when nothing can tell it. */
export function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
