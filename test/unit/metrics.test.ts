import { metrics, metricsScraper } from '../../src/ops/metrics';
import { Scraped } from '../support/prometheus';

async function scrape(): Promise<Scraped> {
  return Scraped.parse((await metricsScraper([], { status: 'end' })()).body);
}

describe('metrics', () => {
  it('every catalog job and charge outcome reads 0 before anything happened, in valid Prometheus text', async () => {
    const s = await scrape();
    expect(s.value('tollkeeper_jobs_completed_total', { queue: 'maintenance', job: 'housekeeping' })).toBe(0);
    expect(s.sample('tollkeeper_card_charges_total', { outcome: 'declined' })?.value).toBe('0');
    expect(s.sample('tollkeeper_mails_sent_total', { transport: 'outbox' })?.value).toBe('0');
    expect(s.family('process_cpu_user_seconds_total').type).toBe('COUNTER');
  });

  it('money counts debits and credits apart, as positive units', async () => {
    metrics.moneyPosted('per_minute', -1_250);
    metrics.moneyPosted('per_minute', -750);
    metrics.moneyPosted('topup', 500_000);
    const s = await scrape();
    expect(s.value('tollkeeper_money_posted_units_total', { kind: 'per_minute', direction: 'debit' })).toBe(2_000);
    expect(s.value('tollkeeper_money_posted_units_total', { kind: 'topup', direction: 'credit' })).toBe(500_000);
  });

  it('a finished attempt counts once and lands in the duration histogram', async () => {
    metrics.jobFinished('payments', 'charge-recovery', 'rejected', 0.3);
    const s = await scrape();
    const labels = { queue: 'payments', job: 'charge-recovery' };
    expect(s.value('tollkeeper_jobs_failed_total', labels)).toBe(1);
    expect(s.value('tollkeeper_job_duration_seconds_count', { ...labels, outcome: 'rejected' })).toBe(1);
    expect(s.value('tollkeeper_job_duration_seconds_bucket', { ...labels, outcome: 'rejected', le: '0.25' })).toBe(0);
    expect(s.value('tollkeeper_job_duration_seconds_bucket', { ...labels, outcome: 'rejected', le: '0.5' })).toBe(1);
  });
});
