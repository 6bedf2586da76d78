import { QueueEvents } from 'bullmq';
import type { Command } from 'commander';
import { JOBS, JOB_NAMES, isJobName } from '../../queues/catalog';
import { validatePayload } from '../../queues/producer';
import { ValidationError } from '../../validation/format-issues';
import { payloadFromArgs } from '../payload-args';
import { UsageError, println } from '../io';
import type { CliIO } from '../io';
import { followProgress } from '../progress';
import { withApp } from '../session';

interface EnqueueOptions {
  wait?: boolean;
  timeout: string;
  payload?: string;
  jobId?: string;
}

function jobList(): string {
  return JOB_NAMES.map((n) => `  ${n.padEnd(22)} ${JOBS[n].summary}`).join('\n');
}

export function registerEnqueue(program: Command, io: CliIO): void {
  program
    .command('enqueue')
    .description('Add one job to its queue by hand, printing the job id.')
    .argument('<job>', 'the job name (see below)')
    .option('--wait', 'wait for the job to finish and print its result')
    .option('--timeout <seconds>', 'how long --wait waits', '600')
    .option('--payload <json>', 'the whole payload as a JSON object')
    .option('--job-id <id>', 'a job id of your own (a second enqueue with the same id adds nothing)')
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText('after', `\nPayload fields can also be given one by one: --older-than-days 30\n\nJobs:\n${jobList()}`)
    .action(async (job: string, opts: EnqueueOptions, command: Command) => {
      if (!isJobName(job)) throw new UsageError(`unknown job "${job}". Jobs:\n${jobList()}`);
      const extra = command.args.slice(1);
      let payload: unknown;
      try {
        payload = validatePayload(job, payloadFromArgs(extra, opts.payload));
      } catch (error) {
        if (error instanceof ValidationError) throw new UsageError(error.message);
        throw error;
      }
      const timeoutSeconds = Number(opts.timeout);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout: expected seconds > 0, got "${opts.timeout}"`);
      await withApp(io, async (app) => {
        const queue = app.producer.queue(JOBS[job].queue);
        // BullMQ leaves a connection it was handed open, so the duplicate is closed here.
        const eventsConnection = opts.wait ? app.redis.duplicate() : undefined;
        const events = eventsConnection ? new QueueEvents(queue.name, { connection: eventsConnection, prefix: app.producer.prefix }) : undefined;
        try {
          await events?.waitUntilReady();
          const added = await app.producer.enqueue(job, payload, opts.jobId ? { jobId: opts.jobId } : {});
          println(io.stdout, `${job} enqueued as job ${added.id ?? '?'} on queue ${queue.name}`);
          if (!events) return;
          const progress = followProgress(events, added.id ?? '', io.stdout, `${job} (job ${added.id ?? '?'})`);
          const result: unknown = await added.waitUntilFinished(events, timeoutSeconds * 1000).finally(() => progress.stop());
          println(io.stdout, JSON.stringify(result, null, 2));
        } finally {
          await events?.close();
          eventsConnection?.disconnect();
        }
      });
    });
}
