/**
 * Fixtures: Grafana's published example payloads (test/fixtures/alerts/grafana/README.md cites
 * the docs pages and commits).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatValues, normalizeGrafana } from '../../src/adapters/intake/grafana.ts';
import type { NormalizeResult } from '../../src/adapters/intake/normalizer.ts';
import { normalizerFor } from '../../src/adapters/intake/normalizers.ts';
import { alertFixture, extraKeys, withExtraKeys } from '../support/alertFixtures.ts';

const context = { receivedAt: new Date('2026-03-01T12:00:00Z') };
type Payload = { alerts: Record<string, unknown>[]; [key: string]: unknown };
const fixture = (name: string) => alertFixture<Payload>('grafana', name);
const FIXTURES = ['firing-values', 'firing-valuestring'];
const MAP_KEYS = new Set(['labels', 'annotations', 'groupLabels', 'commonLabels', 'commonAnnotations', 'values']);

function normalized(payload: unknown): Extract<NormalizeResult, { ok: true }> {
  const result = normalizeGrafana(payload, context);
  if (!result.ok) throw new Error(`expected alerts, got ${JSON.stringify(result.problems)}`);
  return result;
}

/** Grafana publishes no resolved example: the published one, resolved as Grafana would send it. */
function resolvedFixture(): Payload {
  const payload = fixture('firing-values');
  payload['status'] = 'resolved';
  for (const alert of payload.alerts) {
    alert['status'] = 'resolved';
    alert['endsAt'] = '2021-10-12T10:06:03.157076+02:00';
  }
  return payload;
}

describe('normalizeGrafana on Grafana’s published payloads', () => {
  it('is the registered normalizer for POST /alerts/grafana', () => {
    expect(normalizerFor('grafana')).toBe(normalizeGrafana);
  });

  it('turns the documented example into two firing alerts with Grafana’s links and values', () => {
    const result = normalized(fixture('firing-values'));
    expect(result.group).toEqual({ key: '{}:{}', status: 'firing', truncatedAlerts: 0 });
    expect(result.alerts).toHaveLength(2);
    expect(result.alerts[0]).toEqual({
      source: 'grafana',
      fingerprint: 'c6eadffa33fcdf37',
      groupKey: '{}:{}',
      status: 'firing',
      title: 'High memory usage',
      severity: 'P3',
      severityDefaulted: true,
      service: 'unknown',
      summary: 'This alert was triggered for zone us-1',
      description: 'The system has high memory usage',
      value: 'B=44.2394, C=1',
      labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
      annotations: {
        description: 'The system has high memory usage',
        runbook_url: 'https://myrunbook.com/runbook/1234',
        summary: 'This alert was triggered for zone us-1',
      },
      startsAt: '2021-10-12T07:51:03.157Z',
      links: {
        generator: 'https://play.grafana.org/alerting/1afz29v7z/edit',
        runbook: 'https://myrunbook.com/runbook/1234',
        silence: 'https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1',
        other: [],
      },
    });
    expect(result.alerts[1]).toMatchObject({ fingerprint: 'bc97ff14869b13e3', title: 'High CPU usage', startsAt: '2021-10-12T07:56:03.157Z' });
  });

  it('shows the older valueString as the value', () => {
    const [first, second] = normalized(fixture('firing-valuestring')).alerts;
    expect(first?.value).toBe("[ metric='' labels={} value=14151.331895396988 ]");
    expect(second?.value).toBe("[ metric='' labels={} value=47043.702386305304 ]");
  });

  it('resolves every alert with its end time when Grafana sends the resolved notification', () => {
    const result = normalized(resolvedFixture());
    expect(result.group?.status).toBe('resolved');
    expect(result.alerts.map((alert) => [alert.fingerprint, alert.status, alert.endsAt])).toEqual([
      ['c6eadffa33fcdf37', 'resolved', '2021-10-12T08:06:03.157Z'],
      ['bc97ff14869b13e3', 'resolved', '2021-10-12T08:06:03.157Z'],
    ]);
  });

  it('uses dashboardURL, panelURL and imageURL when Grafana fills them, and labels for service and severity', () => {
    const payload = fixture('firing-values');
    Object.assign(payload.alerts[0]!, {
      labels: { alertname: 'High memory usage', service: 'checkout', severity: 'critical' },
      dashboardURL: 'https://play.grafana.org/d/abc',
      panelURL: 'https://play.grafana.org/d/abc?viewPanel=2',
      imageURL: 'https://play.grafana.org/render/abc.png',
    });
    const [alert] = normalized(payload).alerts;
    expect(alert).toMatchObject({ service: 'checkout', severity: 'P1' });
    expect(alert).not.toHaveProperty('severityDefaulted');
    expect(alert?.links).toMatchObject({
      dashboard: 'https://play.grafana.org/d/abc',
      other: [
        { title: 'Panel', url: 'https://play.grafana.org/d/abc?viewPanel=2' },
        { title: 'Screenshot', url: 'https://play.grafana.org/render/abc.png' },
      ],
    });
  });

  it('prefers a value annotation, and formats values compactly', () => {
    const payload = fixture('firing-values');
    (payload.alerts[0]!['annotations'] as Record<string, string>)['value'] = '44%';
    expect(normalized(payload).alerts[0]?.value).toBe('44%');
    expect(formatValues({ A: 0.0000456789, B: 1234567.891, C: null, D: -0.5 })).toBe('A=0.00004568, B=1234567.891, C=none, D=-0.5');
    expect(formatValues({})).toBeUndefined();
  });

  it('refuses values that are not numbers, with the path', () => {
    const payload = fixture('firing-values');
    payload.alerts[1]!['values'] = { B: 'high' };
    const result = normalizeGrafana(payload, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((problem) => problem.path)).toEqual(['alerts[1].values.B']);
  });
});

describe('normalizeGrafana on arbitrary input', () => {
  it('never throws and never makes an alert out of garbage', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (payload) => {
        const result = normalizeGrafana(payload, context);
        if (result.ok) {
          const alerts = (payload as { alerts?: unknown }).alerts;
          expect(Array.isArray(alerts) && alerts.length > 0).toBe(true);
        } else {
          expect(result.problems.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('normalizes the published payloads the same way with random unknown keys added', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIXTURES), extraKeys, (name, extras) => {
        const payload = fixture(name);
        expect(normalizeGrafana(withExtraKeys(payload, extras, MAP_KEYS), context)).toEqual(normalizeGrafana(payload, context));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same alert the same fingerprint every time, with or without Grafana’s own', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z][a-z_]{0,8}$/), fc.string({ maxLength: 16 }), { minKeys: 1, maxKeys: 6 }), (labels) => {
        const payload = { alerts: [{ status: 'firing', labels }] };
        const first = normalized(payload).alerts[0]?.fingerprint;
        expect(normalized(JSON.parse(JSON.stringify(payload))).alerts[0]?.fingerprint).toBe(first);
        expect(first).toMatch(/^[0-9a-f]{16}$/);
      }),
      { numRuns: 200 },
    );
  });
});
