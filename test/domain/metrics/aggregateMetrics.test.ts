import { describe, expect, it } from 'vitest';
import { aggregate, aggregateBy } from '../../../src/domain/metrics/aggregateMetrics.ts';
import { incidentMetrics } from '../../../src/domain/metrics/incidentMetrics.ts';
import { percentile } from '../../../src/domain/metrics/percentile.ts';
import { minutes, recordOf, resolvedRecord, stateOf } from './fixtures.ts';

const incidents = [
  resolvedRecord({ number: 1, triggeredAt: '2026-01-05T10:00:00Z', ack: 2, resolve: 30, service: 'checkout', severity: 'P1', labels: ['slo:breached'], hasSuspects: true, timeline: [{ at: '2026-01-05T12:00:00Z', type: 'postmortem', text: 'draft' }] }),
  resolvedRecord({ number: 2, triggeredAt: '2026-01-20T10:00:00Z', ack: 4, resolve: 60, service: 'checkout', severity: 'P2', timeline: [{ at: '2026-01-20T10:20:00Z', type: 'rollback', text: 'Rollback opened' }] }),
  resolvedRecord({ number: 3, triggeredAt: '2026-02-02T10:00:00Z', ack: 10, resolve: 120, service: 'search', severity: 'P2', timeline: [{ at: '2026-02-02T13:00:00Z', type: 'postmortem-skipped', text: 'No postmortem' }] }),
  recordOf(stateOf({ id: 'open', service: 'search', severity: 'P3', status: 'investigating', triggeredAt: '2026-02-10T10:00:00Z', acknowledgedAt: '2026-02-10T10:06:00Z' }), { number: 4 }),
  recordOf(stateOf({ id: 'noise', service: 'search', severity: 'P4', status: 'canceled', triggeredAt: '2026-02-11T10:00:00Z', acknowledgedAt: '2026-02-11T11:00:00Z' }), { number: 5, labels: ['incident', 'slo:breached'] }),
].map(incidentMetrics);

describe('percentile', () => {
  it('interpolates between closest ranks and is null without values', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBeCloseTo(91);
  });
});

describe('aggregate', () => {
  it('counts real incidents and keeps canceled ones out of every figure', () => {
    const all = aggregate('all', incidents);
    expect(all).toMatchObject({ key: 'all', count: 4, canceled: 1, resolved: 3 });
    // Acks of 2, 4, 6 and 10 minutes (the canceled one's hour does not count).
    expect(all.mttaMedian).toBe(minutes(5));
    expect(all.mttaP90).toBeCloseTo(minutes(8.8));
    // Resolutions of 30, 60 and 120 minutes; the open incident has none yet.
    expect(all.mttrMedian).toBe(minutes(60));
    expect(all.mttrP90).toBe(minutes(108));
    expect(all.sloBreachRate).toBe(1 / 4);
    expect(all.postmortemCompletionRate).toBe(2 / 3);
    expect(all.changeRelatedShare).toBe(2 / 4);
    expect(all.rollbackShare).toBe(1 / 4);
  });

  it('has no rates for an empty group', () => {
    expect(aggregate('none', [])).toMatchObject({ count: 0, mttaMedian: null, mttrP90: null, sloBreachRate: null, postmortemCompletionRate: null });
  });

  it('groups by service, severity (P1 first) and month', () => {
    expect(aggregateBy(incidents, 'service').map((row) => [row.key, row.count, row.canceled])).toEqual([
      ['checkout', 2, 0],
      ['search', 2, 1],
    ]);
    expect(aggregateBy(incidents, 'severity').map((row) => row.key)).toEqual(['P1', 'P2', 'P3', 'P4']);
    const months = aggregateBy(incidents, 'month');
    expect(months.map((row) => [row.key, row.count, row.mttrMedian])).toEqual([
      ['2026-01', 2, minutes(45)],
      ['2026-02', 2, minutes(120)],
    ]);
  });
});
