import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { fingerprintToken, groupToken } from '../../src/domain/alerts/fingerprintToken.ts';
import { incidentTitle } from '../../src/domain/incident/incidentTitle.ts';
import { firstSteps, formatTime, incidentView } from '../../src/domain/incident/incidentView.ts';
import { incidentId, openIncident } from '../../src/domain/incident/openIncident.ts';
import { recordAlert } from '../../src/domain/alerts/recordAlert.ts';

const alert: NormalizedAlert = {
  source: 'alertmanager',
  fingerprint: 'c0ffee',
  groupKey: '{}:{alertname="HighErrorRate"}',
  status: 'firing',
  title: 'HighErrorRate',
  severity: 'P2',
  service: 'checkout',
  summary: 'Error rate above 5% for @acme/everyone <b>now</b>',
  labels: { alertname: 'HighErrorRate', service: 'checkout', env: 'production', instance: 'web-1', zone: 'eu' },
  annotations: {},
  startsAt: '2026-01-14T09:00:00Z',
  value: '7.5%',
  links: { generator: 'http://prom/graph?g0.expr=x', runbook: 'https://wiki/runbooks/errors', silence: 'javascript:alert(1)', other: [] },
};
const now = new Date('2026-01-14T09:03:00Z');

describe('openIncident', () => {
  it('starts a triggered incident with the alert tracked and a searchable token', () => {
    const state = openIncident(alert, now);
    expect(state).toMatchObject({
      version: 1,
      source: 'alertmanager',
      service: 'checkout',
      severity: 'P2',
      status: 'triggered',
      fingerprints: ['c0ffee'],
      fingerprintTokens: [fingerprintToken('alertmanager', 'c0ffee'), groupToken('alertmanager', alert.groupKey ?? '')],
      groupKeys: [alert.groupKey],
      triggeredAt: '2026-01-14T09:00:00.000Z',
    });
    expect(state.id).toMatch(/^20260114-checkout-[0-9a-f]{4}$/);
    expect(state.alerts).toEqual([
      expect.objectContaining({ fingerprint: 'c0ffee', count: 1, firstSeen: '2026-01-14T09:00:00.000Z', lastSeen: '2026-01-14T09:03:00.000Z', labels: { env: 'production', instance: 'web-1', zone: 'eu' } }),
    ]);
    expect(state.timeline).toEqual([{ at: '2026-01-14T09:03:00.000Z', type: 'triggered', text: 'Triggered by alertmanager alert HighErrorRate' }]);
  });

  it('gives ids that are stable for the same input and differ by fingerprint', () => {
    const a = incidentId({ service: 'Check Out!', triggeredAt: '2026-01-14T09:00:00.000Z', seed: 'x' });
    expect(a).toBe(incidentId({ service: 'Check Out!', triggeredAt: '2026-01-14T09:00:00.000Z', seed: 'x' }));
    expect(a).toMatch(/^20260114-check-out-/);
    expect(a).not.toBe(incidentId({ service: 'Check Out!', triggeredAt: '2026-01-14T09:00:00.000Z', seed: 'y' }));
  });

  it('makes tokens single words, scoped by source', () => {
    expect(fingerprintToken('generic', 'a/b:c d')).toMatch(/^fwfp[0-9a-f]{24}$/);
    expect(fingerprintToken('generic', 'x')).not.toBe(fingerprintToken('grafana', 'x'));
  });
});

describe('recordAlert', () => {
  it('updates last seen and count of a known alert without touching severity or status', () => {
    const state = { ...openIncident(alert, now), status: 'acknowledged' as const, severity: 'P1' as const };
    const later = new Date('2026-01-14T09:10:00Z');
    const next = recordAlert(state, { ...alert, value: '9%' }, later);
    expect(next.alerts).toHaveLength(1);
    expect(next.alerts[0]).toMatchObject({ count: 2, lastSeen: '2026-01-14T09:10:00.000Z', value: '9%', firstSeen: '2026-01-14T09:00:00.000Z' });
    expect(next).toMatchObject({ status: 'acknowledged', severity: 'P1', id: state.id });
  });

  it('adds a new alert of the same incident', () => {
    const next = recordAlert(openIncident(alert, now), { ...alert, fingerprint: 'beef', title: 'HighLatency' }, now);
    expect(next.fingerprints).toEqual(['c0ffee', 'beef']);
    // One token per fingerprint, plus the group's.
    expect(next.fingerprintTokens).toHaveLength(3);
    expect(next.alerts.map((a) => a.title)).toEqual(['HighErrorRate', 'HighLatency']);
  });
});

describe('incidentTitle', () => {
  it('reads [P2] service: alert', () => {
    expect(incidentTitle(openIncident(alert, now))).toBe('[P2] checkout: HighErrorRate');
    expect(incidentTitle({ severity: 'P1', service: 's', title: 'x'.repeat(400) })).toHaveLength(256);
  });
});

describe('incidentView', () => {
  it('escapes user text and neutralizes mentions', () => {
    const view = incidentView(openIncident(alert, now), { timezone: 'UTC' });
    expect(view.summary).toBe('Error rate above 5% for `@acme/everyone` &lt;b&gt;now&lt;/b&gt;');
    expect(view.alerts[0]?.links).toBe('[source](http://prom/graph?g0.expr=x) · [runbook](https://wiki/runbooks/errors) · silence');
    expect(view.alerts[0]?.labels).toBe('`env=production` `instance=web-1` `zone=eu`');
  });

  it('shows times in UTC and in the team zone', () => {
    expect(formatTime('2026-01-14T09:03:00Z', 'UTC')).toBe('2026-01-14 09:03 UTC');
    expect(formatTime('2026-01-14T09:03:00Z', 'Europe/Berlin')).toBe('2026-01-14 09:03 UTC (10:03 GMT+1)');
    expect(formatTime('2026-01-14T23:30:00Z', 'Asia/Tokyo')).toBe('2026-01-14 23:30 UTC (Jan 15 08:30 GMT+9)');
  });

  it('only names commands that exist in its first steps', () => {
    const steps = firstSteps()
      .map((step) => step.text)
      .join('\n');
    expect(steps).toMatch(/Acknowledge/);
    expect(steps).toMatch(/Assess severity/);
    expect(steps).toMatch(/Communicate/);
    expect(steps).toContain('`/ack`');
    expect(steps).toContain('`/severity P1..P5`');
    expect(steps).toContain('`/status`');
  });
});
