import Table from 'cli-table3';

/*
 * A small in-process benchmark harness. Each suite times a baseline and its candidates in the same process, one
 * after the other, with warm-up runs first and a GC between cases (when node runs with --expose-gc), so the
 * ratios compare like with like. Wall time comes from process.hrtime.bigint; memory is sampled after every run
 * (while its result is still alive) and by a timer during asynchronous runs.
 */

/**
 * What a run that does its work in a child process returns: the child's peak RSS, since this process's own memory says
 * nothing about it. The case's peak RSS is then the highest of its children's.
 */
export interface ChildRun {
  readonly childPeakRssBytes: number;
  /** Set when the child died (out of memory, say): the run's time is then the time to the failure. */
  readonly failure?: string;
}

function isChildRun(result: unknown): result is ChildRun {
  return typeof result === 'object' && result !== null && typeof (result as ChildRun).childPeakRssBytes === 'number';
}

export interface BenchCase {
  readonly name: string;
  /** One run of the workload; its result is kept until memory is sampled, so it cannot be optimised away. */
  readonly run: () => unknown;
  /**
   * What this case's run processes, when not the suite's: a baseline too slow to run at full size processes a part
   * of the same data. Its ratio is then of the time per unit (of the first label).
   */
  readonly units?: readonly BenchUnit[];
}

/** What one run processes, for throughput: e.g. { label: 'accounts', perRun: 10_000 }. */
export interface BenchUnit {
  readonly label: string;
  readonly perRun: number;
}

export interface BenchCases {
  readonly units: readonly BenchUnit[];
  readonly baseline: BenchCase;
  readonly candidates: readonly BenchCase[];
  /** Releases what `prepare` started (servers, connections) once every case has run, so the process can exit. */
  readonly dispose?: () => Promise<void>;
}

export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  readonly iterations?: number;
  readonly warmup?: number;
  /** Builds the inputs (outside any timing) and returns the cases to time. */
  readonly prepare: () => BenchCases | Promise<BenchCases>;
}

export interface CaseResult {
  readonly name: string;
  readonly isBaseline: boolean;
  readonly iterations: number;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** What one run processed. */
  readonly units: readonly BenchUnit[];
  /** Per unit label: units processed per second at the mean time. */
  readonly perSecond: ReadonlyMap<string, number>;
  readonly peakRssBytes: number;
  /** Whether peakRssBytes is of child processes (see ChildRun) rather than of this process. */
  readonly rssOfChildren: boolean;
  readonly failures: readonly string[];
  readonly peakHeapBytes: number;
  /** Mean time per unit (of the first label) relative to the baseline's (below 1 is faster). */
  readonly timeRatio: number;
}

export interface SuiteResult {
  readonly suite: string;
  readonly description: string;
  readonly units: readonly BenchUnit[];
  readonly cases: readonly CaseResult[];
}

const DEFAULT_ITERATIONS = 5;
const DEFAULT_WARMUP = 1;
const SAMPLE_EVERY_MS = 10;

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

class MemoryPeak {
  rss = 0;
  heap = 0;
  childRss: number | undefined;
  failures: string[] = [];

  /** `_alive` keeps a run's result reachable while memory is read, so the peak includes what the run built. */
  sample(_alive?: unknown): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.rss = Math.max(this.rss, rss);
    this.heap = Math.max(this.heap, heapUsed);
  }
}

async function timeCase(bench: BenchCase, iterations: number, warmup: number): Promise<{ times: number[]; peak: MemoryPeak }> {
  for (let i = 0; i < warmup; i++) await bench.run();
  collectGarbage();
  const peak = new MemoryPeak();
  peak.sample();
  const timer = setInterval(() => peak.sample(), SAMPLE_EVERY_MS);
  timer.unref();
  const times: number[] = [];
  try {
    for (let i = 0; i < iterations; i++) {
      const start = process.hrtime.bigint();
      const result: unknown = await bench.run();
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      peak.sample(result);
      if (isChildRun(result)) {
        peak.childRss = Math.max(peak.childRss ?? 0, result.childPeakRssBytes);
        if (result.failure) peak.failures.push(result.failure);
      }
    }
  } finally {
    clearInterval(timer);
  }
  return { times, peak };
}

async function measureCase(bench: BenchCase, isBaseline: boolean, units: readonly BenchUnit[], iterations: number, warmup: number): Promise<Omit<CaseResult, 'timeRatio'>> {
  collectGarbage();
  const { times, peak } = await timeCase(bench, iterations, warmup);
  const sorted = [...times].sort((a, b) => a - b);
  const meanMs = times.reduce((total, t) => total + t, 0) / times.length;
  return {
    name: bench.name,
    isBaseline,
    iterations,
    meanMs,
    medianMs: sorted[Math.floor(sorted.length / 2)]!,
    minMs: sorted[0]!,
    maxMs: sorted.at(-1)!,
    units,
    perSecond: new Map(units.map((unit) => [unit.label, (unit.perRun * 1000) / meanMs])),
    peakRssBytes: peak.childRss ?? peak.rss,
    rssOfChildren: peak.childRss !== undefined,
    failures: peak.failures,
    peakHeapBytes: peak.heap,
  };
}

/** Mean time per unit of the first label; the mean time itself for a suite that counts nothing. */
function meanPerUnit(c: Omit<CaseResult, 'timeRatio'>): number {
  return c.meanMs / (c.units[0]?.perRun ?? 1);
}

export async function runSuite(suite: BenchSuite, log: (line: string) => void = () => {}): Promise<SuiteResult> {
  const iterations = suite.iterations ?? DEFAULT_ITERATIONS;
  const warmup = suite.warmup ?? DEFAULT_WARMUP;
  log(`${suite.name}: preparing`);
  const { units, baseline, candidates, dispose } = await suite.prepare();
  const measured: Omit<CaseResult, 'timeRatio'>[] = [];
  try {
    for (const bench of [baseline, ...candidates]) {
      log(`${suite.name}: ${bench.name} (${warmup} warm-up, ${iterations} timed)`);
      measured.push(await measureCase(bench, bench === baseline, bench.units ?? units, iterations, warmup));
    }
  } finally {
    await dispose?.();
  }
  const baselinePerUnit = meanPerUnit(measured[0]!);
  return { suite: suite.name, description: suite.description, units, cases: measured.map((c) => ({ ...c, timeRatio: meanPerUnit(c) / baselinePerUnit })) };
}

const decimal = (value: number, digits: number) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const megabytes = (bytes: number) => decimal(bytes / 2 ** 20, 1);

const perRunText = (units: readonly BenchUnit[]) => units.map((unit) => `${unit.perRun.toLocaleString('en-US')} ${unit.label}`).join(', ');

export function renderSuite(result: SuiteResult): string {
  const perRun = perRunText(result.units);
  const ownCounts = result.cases.filter((c) => perRunText(c.units) !== perRun);
  const unitHeads = result.units.map((unit) => `${unit.label}/s`);
  const ratioHead = ownCounts.length > 0 ? 'Time per unit vs baseline' : 'Time vs baseline';
  const table = new Table({
    head: ['Case', 'Mean ms', 'Median ms', 'Min ms', 'Max ms', ...unitHeads, 'Peak RSS MB', 'Peak heap MB', ratioHead, 'Speed-up'],
    colAligns: ['left', 'right', 'right', 'right', 'right', ...result.units.map(() => 'right' as const), 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
  });
  for (const c of result.cases) {
    table.push([
      `${c.name}${c.isBaseline ? ' (baseline)' : ''}${c.failures.length > 0 ? ' FAILED' : ''}`,
      decimal(c.meanMs, 1),
      decimal(c.medianMs, 1),
      decimal(c.minMs, 1),
      decimal(c.maxMs, 1),
      ...result.units.map((unit) => decimal(c.perSecond.get(unit.label) ?? 0, 0)),
      `${megabytes(c.peakRssBytes)}${c.rssOfChildren ? ' (child)' : ''}`,
      c.rssOfChildren ? '-' : megabytes(c.peakHeapBytes),
      `${decimal(c.timeRatio, 2)}x`,
      `${decimal(1 / c.timeRatio, 2)}x`,
    ]);
  }
  const notes = ownCounts.map((c) => `${c.name}: ${perRunText(c.units)} per run`);
  const failures = result.cases.flatMap((c) => c.failures.map((f) => `FAILED ${c.name}: ${f}`));
  return [`${result.suite}: ${result.description}`, `per run: ${perRun}; ${result.cases[0]?.iterations ?? 0} timed runs per case`, table.toString(), ...notes, ...failures].join('\n');
}
