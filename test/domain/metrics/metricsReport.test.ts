import { describe, expect, it } from 'vitest';
import { aggregatesCsv, incidentsCsv } from '../../../src/domain/metrics/metricsCsv.ts';
import { metricsReport, reportCharts, reportMarkdown } from '../../../src/domain/metrics/metricsReport.ts';
import { parseSince } from '../../../src/domain/metrics/parseSince.ts';
import { recordOf, resolvedRecord, stateOf } from './fixtures.ts';

const now = new Date('2026-03-01T00:00:00Z');
const period = { from: new Date('2026-01-01T00:00:00Z'), to: now };
const records = [
  resolvedRecord({ number: 1, triggeredAt: '2025-12-20T10:00:00Z', ack: 1, resolve: 5 }),
  resolvedRecord({ number: 2, triggeredAt: '2026-01-05T10:00:00Z', ack: 3, resolve: 30, severity: 'P1', labels: ['slo:breached'] }),
  recordOf(stateOf({ id: 'x', title: '=HYPERLINK("evil"), "quoted"', service: 'search', status: 'investigating', triggeredAt: '2026-02-10T10:00:00Z', acknowledgedAt: '2026-02-10T10:06:00Z' }), { number: 7 }),
];

describe('parseSince', () => {
  it('reads lengths back from now and dates; refuses the rest with a hint', () => {
    expect(parseSince('90d', now)).toEqual({ ok: true, since: new Date('2025-12-01T00:00:00Z') });
    expect(parseSince('2w', now)).toEqual({ ok: true, since: new Date('2026-02-15T00:00:00Z') });
    expect(parseSince('2026-01-01', now)).toEqual({ ok: true, since: new Date('2026-01-01T00:00:00Z') });
    expect(parseSince('soon', now)).toMatchObject({ ok: false, message: expect.stringContaining('90d') });
    expect(parseSince('2027-01-01', now)).toMatchObject({ ok: false, message: expect.stringContaining('future') });
  });
});

describe('metricsReport', () => {
  const report = metricsReport(records, period);

  it('keeps only incidents triggered in the period, oldest first', () => {
    expect(report.incidents.map((incident) => incident.number)).toEqual([2, 7]);
    expect(report.all).toMatchObject({ count: 2, resolved: 1, sloBreachRate: 0.5 });
  });

  it('writes a Markdown report with summary, tables, linked charts and escaped titles', () => {
    const charts = reportCharts(report);
    expect(charts.map((chart) => chart.name)).toEqual(['incidents-by-month', 'response-times-by-month', 'time-to-resolve-by-service']);
    const markdown = reportMarkdown(report, charts, { csv: 'incidents.csv' });
    expect(markdown).toContain('# Incident report 2026-01-01 – 2026-03-01');
    expect(markdown).toContain('- **2** incidents (1 resolved)');
    expect(markdown).toContain('MTTA **5m** (p90 6m), MTTR **30m** (p90 30m)');
    expect(markdown).toMatch(/!\[Bar chart: incidents per month[^\]]*2026-01: 1, 2026-02: 1[^\]]*\]\(charts\/incidents-by-month\.svg\)/);
    expect(markdown).toContain('| checkout | 1 | 3m | 3m | 30m | 30m | 100% | 0% | 0% | 0% |');
    expect(markdown).toContain('| P1 | 1 |');
    expect(markdown).toContain('SLO breached, no postmortem');
    expect(markdown).toContain('[incidents.csv](incidents.csv)');
  });

  it('says so when nothing happened, without charts', () => {
    const empty = metricsReport([], period);
    expect(reportCharts(empty)).toEqual([]);
    expect(reportMarkdown(empty, [])).toContain('No incidents were triggered in this period.');
  });

  it('writes CSV with durations in seconds, quoted fields and spreadsheet formulas defused', () => {
    const csv = incidentsCsv(report.incidents).split('\r\n');
    expect(csv[0]).toBe('repo,number,id,title,service,severity,status,triggered_at,month,tta_seconds,ttm_seconds,ttr_seconds,reopened,slo_breached,postmortem,change_related,rolled_back,url');
    expect(csv[1]).toBe('acme/shop,2,inc-2,Incident 2,checkout,P1,resolved,2026-01-05T10:00:00Z,2026-01,180,1800,1800,0,true,missing,false,false,https://github.example/acme/shop/issues/2');
    expect(csv[2]).toContain(`,"'=HYPERLINK(""evil""), ""quoted""",search,P2,investigating,`);
    expect(csv[2]).toContain(',360,,,0,false,,false,false,');
    const summary = aggregatesCsv([{ dimension: 'all', rows: [report.all] }]).split('\r\n');
    expect(summary[1]).toBe('all,all,2,0,1,270,342,1800,1800,0.500,0.000,0.000,0.000');
  });
});
