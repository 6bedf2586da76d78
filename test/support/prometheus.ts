import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { MetricFamily, Sample } from 'parse-prometheus-text-format';

/**
 * A scrape read with a real Prometheus text-format parser, which throws on any malformed line. The parser folds the
 * series of a labelled histogram into one (it was written for unlabelled ones), so values are read from a second
 * parse without the TYPE lines, where every series (`x_bucket`, `x_count`, `x_sum`, ...) stands alone with its labels.
 */
export class Scraped {
  private constructor(
    readonly families: MetricFamily[],
    private readonly series: MetricFamily[],
  ) {}

  static parse(text: string): Scraped {
    return new Scraped(parsePrometheusTextFormat(text), parsePrometheusTextFormat(text.replace(/^# TYPE .*\n/gm, '')));
  }

  family(name: string): MetricFamily {
    const found = this.families.find((f) => f.name === name);
    if (!found) throw new Error(`metric ${name} is not in the scrape (have: ${this.families.map((f) => f.name).join(', ')})`);
    return found;
  }

  /** The first sample of series `name` whose labels include `labels`. */
  sample(name: string, labels: Record<string, string> = {}): Sample | undefined {
    // Without TYPE lines the series of a histogram interleave, so one name can head several families.
    const samples = this.series.filter((f) => f.name === name).flatMap((f) => f.metrics);
    return samples.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  }

  /** The value of a series (a histogram's count is series `<name>_count`); 0 for a series not (yet) there. */
  value(name: string, labels: Record<string, string> = {}): number {
    return Number(this.sample(name, labels)?.value ?? 0);
  }
}

export async function scrapeMetrics(origin: string, headers: Record<string, string> = {}): Promise<Scraped> {
  const response = await fetch(`${origin}/metrics`, { headers });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${await response.text()}`);
  return Scraped.parse(await response.text());
}
