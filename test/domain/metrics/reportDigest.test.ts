import { describe, expect, it } from 'vitest';
import { metricsReport } from '../../../src/domain/metrics/metricsReport.ts';
import { reportDigest } from '../../../src/domain/metrics/reportDigest.ts';
import { resolvedRecord } from './fixtures.ts';

const period = { from: new Date('2026-03-02T09:00:00Z'), to: new Date('2026-03-16T09:00:00Z') };
const report = metricsReport([resolvedRecord({ number: 1, triggeredAt: '2026-03-03T10:00:00Z', ack: 40, resolve: 120 }), resolvedRecord({ number: 2, triggeredAt: '2026-03-05T09:00:00Z', ack: 5, resolve: 210, severity: 'P1', service: 'payments' })], period);

describe('reportDigest', () => {
  it('gives the summary and the per-service and per-severity tables of the report', () => {
    const digest = reportDigest(report);
    expect(digest).toContain('- MTTA **23m** (p90 37m), MTTR **2h 45m** (p90 3h 21m)');
    expect(digest).toContain('| payments | 1 | 5m | 5m | 3h 30m | 3h 30m |');
    expect(digest).toContain('| P1 | 1 | 5m |');
    // The issue lists incidents itself; the month table is the report's.
    expect(digest).not.toContain('| Month |');
    expect(digest).not.toContain('![');
  });

  it('embeds charts and links with escaped text, and drops anything that is not http(s)', () => {
    const digest = reportDigest(report, {
      report: 'https://github.test/acme/post_mortems/blob/main/reports/x/report.md',
      files: [{ name: 'incidents.csv', url: 'javascript:alert(1)' }],
      charts: [
        { alt: 'Bars [a](b) @alice', url: 'https://github.test/raw/main/charts/a b.svg' },
        { alt: 'evil', url: 'data:image/svg+xml,<svg/>' },
      ],
    });
    expect(digest).toContain('![Bars \\[a\\](b) `@alice`](https://github.test/raw/main/charts/a%20b.svg)');
    expect(digest).not.toContain('data:');
    expect(digest).not.toContain('javascript:');
    expect(digest).toContain('[report](https://github.test/acme/post_mortems/blob/main/reports/x/report.md) · incidents.csv');
  });

  it('is empty for a period without incidents', () => {
    expect(reportDigest(metricsReport([], period))).toBe('');
  });
});
