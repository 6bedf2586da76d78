import type { QueueEvents } from 'bullmq';

const BAR_WIDTH = 30;

export function renderBar(percent: number, width = BAR_WIDTH): string {
  const clamped = Math.min(100, Math.max(0, percent));
  const filled = Math.round((clamped / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(clamped)).padStart(3)}%`;
}

export interface ProgressFollower {
  /** Stops listening; on a terminal also clears the bar so the caller's next line starts clean. */
  stop(): void;
}

/**
 * Shows the progress a job reports (ctx.progress) while someone waits for it: a bar redrawn in place on a terminal,
 * one plain line per new percentage otherwise (logs and pipes get no carriage returns).
 */
export function followProgress(events: QueueEvents, jobId: string, out: NodeJS.WritableStream, label: string): ProgressFollower {
  const terminal = (out as NodeJS.WriteStream).isTTY === true;
  let last: number | undefined;
  const onProgress = ({ jobId: id, data }: { jobId: string; data: unknown }) => {
    if (id !== jobId || typeof data !== 'number' || data === last) return;
    last = data;
    out.write(terminal ? `\r\x1b[2K${label} ${renderBar(data)}` : `${label}: ${Math.round(data)}%\n`);
  };
  events.on('progress', onProgress);
  return {
    stop() {
      events.off('progress', onProgress);
      if (terminal && last !== undefined) out.write('\r\x1b[2K');
    },
  };
}
