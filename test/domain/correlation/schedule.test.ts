import { describe, expect, it } from 'vitest';
import { jobRecencyWeight, recencyWeight, timing } from '../../../src/domain/correlation/features.ts';
import { rankSuspects } from '../../../src/domain/correlation/rankSuspects.ts';
import { cronPeriodMs, lookBackMs, scheduledJob } from '../../../src/domain/correlation/schedule.ts';
import { context, deployed, facts, pull } from './support.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const said = (text: string, labels: Record<string, string> = {}) => ({ labels, annotations: {}, statements: [{ source: 'summary' as const, text }] });

describe('scheduledJob: what says an alert is about scheduled work, and how often it runs', () => {
  it('reads cadence words in the name, summary and labels', () => {
    expect(scheduledJob(said('CronJob nightly-invoice-export failed'))).toEqual({ periodMs: DAY, cadenceKnown: true, said: 'nightly' });
    expect(scheduledJob(said('Export failed', { job: 'nightly-invoice-export' }))).toEqual({ periodMs: DAY, cadenceKnown: true, said: 'label job=nightly-invoice-export' });
    expect(scheduledJob(said('The weekly payout report did not complete'))?.periodMs).toBe(7 * DAY);
    expect(scheduledJob(said('hourly rollup failed'))?.periodMs).toBe(HOUR);
  });

  it('reads a cron expression the alert carries, and labels only scheduled work has', () => {
    expect(scheduledJob(said('Backup failed', { schedule: '0 2 * * *' }))).toEqual({ periodMs: DAY, cadenceKnown: true, said: 'label schedule 0 2 * * *' });
    expect(scheduledJob(said('Import failing', { schedule: '*/5 * * * *' }))?.periodMs).toBe(5 * 60_000);
    expect(scheduledJob(said('Job failed to complete.', { job_name: 'sitemap-29354700' }))).toEqual({ periodMs: DAY, cadenceKnown: false, said: 'label job_name=sitemap-29354700' });
    expect(scheduledJob(said('DAG settlement_rollup failed', { dag_id: 'settlement_rollup' }))?.cadenceKnown).toBe(false);
    expect(scheduledJob(said('x', { alertname: 'KubeCronJobFailed' }))).toMatchObject({ cadenceKnown: false, periodMs: DAY });
    expect(scheduledJob(said('ReservationReleaseJobFailing'))).toMatchObject({ cadenceKnown: false });
  });

  it('is not fooled by what every alert says: a Prometheus scrape job, a job queue, scheduled maintenance', () => {
    expect(scheduledJob(said('CheckoutHighErrorRate', { job: 'checkout' }))).toBeUndefined();
    expect(scheduledJob(said('JobQueueBacklog: 12k jobs waiting'))).toBeUndefined();
    expect(scheduledJob(said('Database unavailable during scheduled maintenance'))).toBeUndefined();
    expect(scheduledJob(said('every 5 minutes the error rate doubles'))).toBeUndefined();
    expect(scheduledJob(said('Daily active users down 30%'))).toBeUndefined();
    expect(scheduledJob(said('Campaigns exhaust their daily budget by 09:00'))).toBeUndefined();
    // An allowance, a node's pods, a platform's upgrade: none is a job of the service.
    expect(scheduledJob(said('Provider refuses every send: the daily credits were used by 10:12'))).toBeUndefined();
    expect(scheduledJob(said('monthly request limit reached for the geocoding API'))).toBeUndefined();
    expect(scheduledJob(said('Pods scheduled there: auth-1, auth-2 and 14 others'))).toBeUndefined();
    expect(scheduledJob(said('Failover started for the scheduled operating system upgrade'))).toBeUndefined();
    // How data is laid out is no cadence of work.
    expect(scheduledJob(said('orders has no TTL; daily partitions back to March are still on disk'))).toBeUndefined();
    expect(scheduledJob(said('monthly tables of events_raw fill the volume'))).toBeUndefined();
    expect(scheduledJob(said('the scheduled export failed'))?.said).toBe('scheduled');
  });

  it('turns cron expressions into periods', () => {
    expect(cronPeriodMs('*/15 * * * *')).toBe(15 * 60_000);
    expect(cronPeriodMs('30 * * * *')).toBe(HOUR);
    expect(cronPeriodMs('0 */6 * * *')).toBe(6 * HOUR);
    expect(cronPeriodMs('15 16 * * 1-5')).toBe(DAY);
    expect(cronPeriodMs('0 3 * * 0')).toBe(7 * DAY);
    expect(cronPeriodMs('not a cron')).toBeUndefined();
  });

  it('looks back to before the last run of a job that runs less often than the window, not further', () => {
    expect(lookBackMs(said('The weekly digest failed'), DAY)).toBe(7 * DAY + 6 * HOUR);
    expect(lookBackMs(said('The nightly export failed'), DAY)).toBe(DAY + 6 * HOUR);
    expect(lookBackMs(said('The hourly rollup failed'), DAY)).toBe(DAY);
    expect(lookBackMs(said('Job failed to complete.', { job_name: 'x-1' }), DAY)).toBe(DAY);
    expect(lookBackMs(said('CheckoutErrors'), DAY)).toBe(DAY);
  });
});

describe('timing of a change for an alert about a scheduled job', () => {
  it('does not hold it against a change that it shipped hours before the nightly run', () => {
    const nightly = { periodMs: DAY, cadenceKnown: true, said: 'nightly' };
    // 19 h before: as likely as any change since the last run, not "19 h is long after a deploy".
    expect(recencyWeight(19 * 60, 60, 1800)).toBeLessThan(-2.5);
    expect(jobRecencyWeight(19 * 60, 60, 1800, nightly)).toBeGreaterThan(-0.5);
    // A change older than the period had a run to fail at: only the tail speaks for it.
    expect(jobRecencyWeight(40 * 60, 60, 1800, nightly)).toBeLessThan(-3);
    // A job that runs every few minutes fails right after its change, like any code.
    const frequent = { periodMs: 5 * 60_000, cadenceKnown: true, said: 'every 5 minutes' };
    expect(jobRecencyWeight(19 * 60, 60, 1440, frequent)).toBe(recencyWeight(19 * 60, 60, 1440));
  });

  it('says why in the evidence', () => {
    const ctx = context({ statements: [{ source: 'name', text: 'Nightly ledger close aborted' }] });
    expect(timing(pull(1, { deployments: [deployed(16 * 60)] }), ctx)?.reason).toBe(
      'deployed to production 16 h before the first alert; the alert is about a scheduled job (nightly), which fails at its first run after a change',
    );
  });

  it('ranks the change to the job that shipped four days before a weekly run, with the window reaching it', () => {
    const weekly = facts({ servicePaths: [], statements: [{ source: 'name', text: 'Weekly digest CronJob failed' }, { source: 'description', text: 'permission denied for table subscription' }] });
    const culprit = pull(1, { title: 'Digest: join subscriptions for paying plans', paths: ['newsletter/digest/recipients.py'], mergedAt: new Date(Date.parse(weekly.firstAlertAt) - 4 * DAY - HOUR).toISOString(), deployments: [{ environment: 'production', at: new Date(Date.parse(weekly.firstAlertAt) - 4 * DAY).toISOString(), state: 'success' }] });
    const bystander = pull(2, { title: 'Footer: new address', paths: ['newsletter/templates/footer.html'], deployments: [deployed(21 * 60)] });
    const ranking = rankSuspects(weekly, [culprit, bystander]);
    expect(ranking.considered).toBe(2);
    expect(ranking.suspects[0]?.candidate).toMatchObject({ number: 1 });
    expect(ranking.verdict).toBe('suspects');
  });
});
