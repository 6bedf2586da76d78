import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { QueueEvents } from 'bullmq';
import { percentReporter } from '../../jobs/progress';
import { followProgress, renderBar } from '../../src/cli/progress';

function output(isTTY: boolean): { stream: PassThrough; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY });
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function follow(isTTY: boolean, events: Array<{ jobId: string; data: unknown }>): string {
  const queueEvents = new EventEmitter();
  const out = output(isTTY);
  const follower = followProgress(queueEvents as unknown as QueueEvents, '7', out.stream, 'sweep (job 7)');
  for (const e of events) queueEvents.emit('progress', e);
  follower.stop();
  queueEvents.emit('progress', { jobId: '7', data: 99 });
  return out.text();
}

describe('progress', () => {
  it('renders a bar of fixed width, clamped to 0-100', () => {
    expect(renderBar(0, 10)).toBe('[..........]   0%');
    expect(renderBar(42, 10)).toBe('[####......]  42%');
    expect(renderBar(100, 10)).toBe('[##########] 100%');
    expect(renderBar(140, 10)).toBe('[##########] 100%');
  });

  const events = [
    { jobId: '7', data: 10 },
    { jobId: '8', data: 50 },
    { jobId: '7', data: 10 },
    { jobId: '7', data: { stage: 'x' } },
    { jobId: '7', data: 60 },
  ];

  it('prints one plain line per new percentage of its own job when not on a terminal, and nothing after stop', () => {
    expect(follow(false, events)).toBe('sweep (job 7): 10%\nsweep (job 7): 60%\n');
  });

  it('redraws one line in place on a terminal and clears it on stop', () => {
    const text = follow(true, events);
    expect(text).toBe(`\r\x1b[2Ksweep (job 7) ${renderBar(10)}\r\x1b[2Ksweep (job 7) ${renderBar(60)}\r\x1b[2K`);
  });

  it('a job reports whole percentages only when they change', async () => {
    const reported: number[] = [];
    const report = percentReporter((p) => Promise.resolve(void reported.push(p)));
    for (let done = 1; done <= 300; done++) await report(done, 300);
    expect(reported).toEqual(Array.from({ length: 101 }, (_, i) => i));
    const empty: number[] = [];
    await percentReporter((p) => Promise.resolve(void empty.push(p)))(0, 0);
    expect(empty).toEqual([100]);
  });
});
