import type { Producer } from './producer';
import { JOBS, SCHEDULES } from './catalog';
import type { QueueName } from './catalog';

export interface RegisteredSchedule {
  id: string;
  job: string;
  queue: QueueName;
  cron: string;
  timezone: string;
  next: Date | null;
}

/**
 * Upserts every enabled schedule and removes the ones turned off, so registering again (every `start`, on every
 * worker host) converges on one scheduler per schedule id.
 */
export async function registerSchedules(
  producer: Producer,
  enabled: Record<string, string>,
  timezone: string,
): Promise<void> {
  for (const s of SCHEDULES) {
    const queue = producer.queue(JOBS[s.job].queue);
    const cron = enabled[s.id];
    if (cron === undefined) {
      await queue.removeJobScheduler(s.id);
      continue;
    }
    await queue.upsertJobScheduler(s.id, { pattern: cron, tz: timezone }, { name: s.job, data: s.payload });
  }
}

export async function listSchedules(producer: Producer): Promise<RegisteredSchedule[]> {
  const found: RegisteredSchedule[] = [];
  for (const queue of producer.allQueues()) {
    for (const s of await queue.getJobSchedulers()) {
      found.push({
        id: s.key,
        job: s.name,
        queue: queue.name as QueueName,
        cron: s.pattern ?? `every ${s.every ?? '?'} ms`,
        timezone: s.tz ?? 'UTC',
        next: s.next ? new Date(s.next) : null,
      });
    }
  }
  return found;
}
