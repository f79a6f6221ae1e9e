import { describe, expect, it } from 'vitest';
import { shutdownReport, type ShutdownFacts } from '../../src/runtimes/server/shutdownReport.ts';

const clean: ShutdownFacts = {
  ms: 120,
  boundMs: 10_000,
  redis: false,
  queue: { queued: 0, queuedKeys: [], inFlight: [] },
  webhooksInFlight: [],
  notificationsAbandoned: false,
  sweepInterrupted: false,
};

describe('shutdownReport', () => {
  it('says so in one short info line when nothing was left', () => {
    expect(shutdownReport(clean)).toEqual({ level: 'info', message: 'shut down in 120 ms: every accepted alert was filed, nothing was cut short', fields: { ms: 120 } });
  });

  it('tells alerts never started (lost in memory) from alerts cut short, by key, and counts the keys not listed', () => {
    const report = shutdownReport({
      ...clean,
      ms: 9_500,
      queue: { queued: 5, queuedKeys: [{ key: 'generic:fp:a', alerts: 1 }, { key: 'alertmanager:group:g', alerts: 2 }], inFlight: [{ key: 'generic:fp:b', alerts: 1 }] },
    });
    expect(report.level).toBe('warn');
    expect(report.message).toBe(
      'shut down after 9500 ms (limit 10000 ms) with work left: 5 accepted alert(s) were NOT filed and are lost (the queue is in memory; set REDIS_URL for one that survives restarts): generic:fp:a (1), alertmanager:group:g (2), … and 2 more; 1 alert(s) were being filed when time ran out and may be only partly in GitHub: generic:fp:b (1)',
    );
    expect(report.fields).toMatchObject({ queued: 5, inFlight: 1, inFlightKeys: [{ key: 'generic:fp:b', alerts: 1 }] });
  });

  it('with Redis, says the queued alerts are still there for another replica', () => {
    const report = shutdownReport({ ...clean, redis: true, queue: { queued: 1, queuedKeys: [{ key: 'generic:fp:a', alerts: 1 }], inFlight: [{ key: 'generic:fp:b', alerts: 3 }] } });
    expect(report.message).toContain('1 accepted alert(s) are still in Redis, queued or being filed by another replica; another replica or the next start files them: generic:fp:a (1)');
    expect(report.message).toContain('3 alert(s) were being filed when time ran out and may be only partly in GitHub (another replica takes them over when their 30 s claim expires)');
    expect(report.message).not.toContain('lost');
  });

  it('names webhook deliveries still being handled, abandoned notifications and a cut sweep', () => {
    const report = shutdownReport({ ...clean, webhooksInFlight: [{ id: 'd-1', event: 'issue_comment' }], notificationsAbandoned: true, sweepInterrupted: true });
    expect(report.message).toContain('1 webhook delivery(ies) were still being handled: issue_comment d-1 (GitHub can redeliver them)');
    expect(report.message).toContain('notification deliveries still running were abandoned');
    expect(report.message).toContain('a sweep was still running and was cut short');
  });
});
