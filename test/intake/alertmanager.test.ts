/**
 * Fixtures in test/fixtures/alerts/alertmanager/ were captured from the real Alertmanager 0.25
 * (see its README: `npx tsx test/support/captureAlertmanagerFixtures.ts`); the last block here
 * captures a fresh notification live with the same helper and normalizes it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { alertmanagerSilenceLink, normalizeAlertmanager } from '../../src/adapters/intake/alertmanager.ts';
import type { NormalizeResult } from '../../src/adapters/intake/normalizer.ts';
import { normalizerFor } from '../../src/adapters/intake/normalizers.ts';
import { alertFixture, extraKeys, withExtraKeys } from '../support/alertFixtures.ts';
import { AlertmanagerNotInstalledError, type RunningAlertmanager, startAlertmanager } from '../support/alertmanager.ts';
import { type CaptureServer, startCaptureServer } from '../support/captureServer.ts';
import { needs } from '../support/components.ts';

const context = { receivedAt: new Date('2026-03-01T12:00:00Z') };
type Payload = { alerts: Record<string, unknown>[]; [key: string]: unknown };
const fixture = (name: string) => alertFixture<Payload>('alertmanager', name);
const FIXTURES = ['firing-group', 'firing-single', 'partially-resolved', 'resolved', 'truncated'];
const MAP_KEYS = new Set(['labels', 'annotations', 'groupLabels', 'commonLabels', 'commonAnnotations']);

function normalized(payload: unknown): Extract<NormalizeResult, { ok: true }> {
  const result = normalizeAlertmanager(payload, context);
  if (!result.ok) throw new Error(`expected alerts, got ${JSON.stringify(result.problems)}`);
  return result;
}
const alertsOf = (payload: unknown) => normalized(payload).alerts;
const only = (payload: unknown): NormalizedAlert => {
  const alerts = alertsOf(payload);
  expect(alerts).toHaveLength(1);
  return alerts[0]!;
};
function problemsOf(payload: unknown) {
  const result = normalizeAlertmanager(payload, context);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.alerts)}`);
  return result.problems;
}
function oneAlert(alert: Record<string, unknown>, rest: Record<string, unknown> = {}) {
  return { version: '4', status: 'firing', alerts: [{ status: 'firing', ...alert }], ...rest };
}
const filterOf = (silence: string | undefined) => decodeURIComponent(new URL(silence ?? 'http://x').hash.replace(/^#\/silences\/new\?filter=/, ''));

describe('normalizeAlertmanager on captured notifications', () => {
  it('is the registered normalizer for POST /alerts/alertmanager', () => {
    expect(normalizerFor('alertmanager')).toBe(normalizeAlertmanager);
  });

  it('turns a firing group of two into two alerts, each with its own fingerprint and the group key', () => {
    const payload = fixture('firing-group');
    const result = normalized(payload);
    expect(result.alerts.map((alert) => alert.fingerprint)).toEqual(['011ed620c076b498', 'aaeadf10961ccb71']);
    expect(result.group).toEqual({ key: '{}:{alertname="HighErrorRate"}', status: 'firing', truncatedAlerts: 0 });
    expect(result.notes).toBeUndefined();
    const [first] = result.alerts;
    expect(first).toEqual({
      source: 'alertmanager',
      fingerprint: '011ed620c076b498',
      groupKey: '{}:{alertname="HighErrorRate"}',
      status: 'firing',
      title: 'HighErrorRate',
      severity: 'P1',
      service: 'checkout',
      summary: 'Checkout error rate is 7.3% on checkout-7d9f8-abcde',
      description: 'More than 5% of checkout requests failed over the last 5 minutes.',
      value: '7.3%',
      labels: payload.alerts[0]!['labels'],
      annotations: payload.alerts[0]!['annotations'],
      startsAt: new Date(payload.alerts[0]!['startsAt'] as string).toISOString(),
      links: {
        generator: payload.alerts[0]!['generatorURL'],
        runbook: 'https://runbooks.example.com/checkout/high-error-rate',
        dashboard: 'https://grafana.example.com/d/checkout/checkout-overview',
        silence: expect.stringMatching(new RegExp(`^${payload['externalURL']}/#/silences/new\\?filter=`)),
        other: [],
      },
    });
    // Go's zero time in endsAt means "still firing", not year 1.
    expect(first).not.toHaveProperty('endsAt');
  });

  it('builds the silence link Alertmanager UI uses, with every label of that alert', () => {
    const [first] = alertsOf(fixture('firing-group'));
    expect(filterOf(first?.links.silence)).toBe(
      '{alertname="HighErrorRate", job="checkout-api", namespace="shop", pod="checkout-7d9f8-abcde", service="checkout", severity="critical", team="payments"}',
    );
  });

  it('reads a warning without a service label: service from job, runbook and dashboard from the short annotations', () => {
    const alert = only(fixture('firing-single'));
    expect(alert).toMatchObject({
      title: 'DiskSpaceLow',
      severity: 'P3',
      service: 'node-exporter',
      summary: 'Disk space below 10% on db-1',
      links: { runbook: 'https://runbooks.example.com/disk', dashboard: 'https://grafana.example.com/d/node/node-exporter?var-instance=db-1' },
    });
    expect(alert).not.toHaveProperty('severityDefaulted');
    expect(alert.groupKey).toBe('{}:{alertname="DiskSpaceLow"}');
  });

  it('reports a partially resolved group: the resolved alert with its end, the other still firing, the group firing', () => {
    const payload = fixture('partially-resolved');
    const result = normalized(payload);
    const [resolved, firing] = result.alerts;
    expect(resolved).toMatchObject({ fingerprint: '011ed620c076b498', status: 'resolved', endsAt: new Date(payload.alerts[0]!['endsAt'] as string).toISOString() });
    expect(firing).toMatchObject({ fingerprint: 'aaeadf10961ccb71', status: 'firing' });
    expect(firing).not.toHaveProperty('endsAt');
    expect(result.group?.status).toBe('firing');
  });

  it('reports the resolved notification: the last alert resolved and the group resolved', () => {
    const result = normalized(fixture('resolved'));
    expect(result.alerts.map((alert) => [alert.fingerprint, alert.status, alert.title])).toEqual([['aaeadf10961ccb71', 'resolved', 'HighErrorRate']]);
    expect(result.alerts[0]?.endsAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(result.group).toMatchObject({ status: 'resolved', truncatedAlerts: 0 });
  });

  it('keeps truncatedAlerts visible: in the group and as a note', () => {
    const result = normalized(fixture('truncated'));
    expect(result.alerts).toHaveLength(2);
    expect(result.group?.truncatedAlerts).toBe(1);
    expect(result.notes).toEqual([expect.stringContaining('left 1 more alert of this group out')]);
  });

  it('gives every alert of every captured notification the same fingerprint Alertmanager gave it', () => {
    for (const name of FIXTURES) {
      const payload = fixture(name);
      expect(alertsOf(payload).map((alert) => alert.fingerprint)).toEqual(payload.alerts.map((alert) => alert['fingerprint']));
    }
  });
});

describe('normalizeAlertmanager field rules', () => {
  it.each([
    [{ service: 'checkout', job: 'api', app: 'shop', namespace: 'prod' }, 'checkout'],
    [{ service_name: 'cart', job: 'api' }, 'cart'],
    [{ job: 'api', app: 'shop', namespace: 'prod' }, 'api'],
    [{ app: 'shop', namespace: 'prod' }, 'shop'],
    [{ namespace: 'prod' }, 'prod'],
    [{ service: '  ', job: 'api' }, 'api'],
    [{ instance: 'x:9100' }, 'unknown'],
  ])('takes the service from labels %j → %s', (labels, service) => {
    expect(only(oneAlert({ labels: { alertname: 'A', ...labels } })).service).toBe(service);
  });

  it.each([
    [{ severity: 'critical' }, 'P1'],
    [{ severity: 'page' }, 'P1'],
    [{ severity: 'error' }, 'P2'],
    [{ severity: 'Warning' }, 'P3'],
    [{ severity: 'info' }, 'P4'],
    [{ severity: 'none' }, 'P5'],
    [{ severity: 'P2' }, 'P2'],
    [{ priority: 'P1' }, 'P1'],
    [{ severity: 'warning', priority: 'P1' }, 'P3'],
  ])('rates labels %j as %s', (labels, severity) => {
    const alert = only(oneAlert({ labels: { alertname: 'A', ...labels } }));
    expect(alert.severity).toBe(severity);
    expect(alert).not.toHaveProperty('severityDefaulted');
  });

  it('defaults an unknown or missing severity to P3 and flags it for the config default', () => {
    expect(only(oneAlert({ labels: { alertname: 'A', severity: 'sev-banana' } }))).toMatchObject({ severity: 'P3', severityDefaulted: true });
    expect(only(oneAlert({ labels: { alertname: 'A' } }))).toMatchObject({ severity: 'P3', severityDefaulted: true });
  });

  it('titles an alert without alertname after the group, else its summary, else its fingerprint', () => {
    expect(only(oneAlert({ labels: { job: 'a' } }, { groupLabels: { alertname: 'FromGroup' } })).title).toBe('FromGroup');
    expect(only(oneAlert({ labels: { job: 'a' }, annotations: { summary: 'Queue is stuck' } })).title).toBe('Queue is stuck');
    expect(only(oneAlert({ labels: { job: 'a' }, fingerprint: 'abc123' })).title).toBe('Alert abc123');
  });

  it('takes links only when they are web links, and never fails the group over a prose annotation', () => {
    const alert = only(
      oneAlert({
        labels: { alertname: 'A' },
        annotations: { runbook_url: 'see the wiki', runbook: 'https://wiki.example.com/a', dashboard_url: 'javascript:alert(1)', logs_url: 'https://logs.example.com/q', trace_url: 'ftp://x' },
        generatorURL: 'javascript:alert(1)',
      }, { externalURL: 'not a url' }),
    );
    expect(alert.links).toEqual({ runbook: 'https://wiki.example.com/a', other: [{ title: 'logs', url: 'https://logs.example.com/q' }] });
  });

  it('quotes label values in the silence filter as matchers require', () => {
    const link = alertmanagerSilenceLink('http://am.example:9093/', { alertname: 'A', path: 'say "hi"\\now' });
    expect(link.startsWith('http://am.example:9093/#/silences/new?filter=')).toBe(true);
    expect(filterOf(link)).toBe('{alertname="A", path="say \\"hi\\"\\\\now"}');
  });

  it('reads the value from the value annotation and the start from startsAt, defaulting to the arrival time', () => {
    const alert = only(oneAlert({ labels: { alertname: 'A' }, annotations: { value: '  97%  ' } }));
    expect(alert.value).toBe('97%');
    expect(alert.startsAt).toBe('2026-03-01T12:00:00.000Z');
    expect(only(oneAlert({ labels: { alertname: 'A' }, startsAt: '0001-01-01T00:00:00Z' })).startsAt).toBe('2026-03-01T12:00:00.000Z');
  });

  it('dates a resolved alert without endsAt at its arrival', () => {
    expect(only(oneAlert({ status: 'resolved', labels: { alertname: 'A' } })).endsAt).toBe('2026-03-01T12:00:00.000Z');
  });

  it('fingerprints an alert without one by its label set, whatever the label order', () => {
    const a = only(oneAlert({ labels: { alertname: 'A', job: 'x', pod: '1' } }));
    const b = only(oneAlert({ labels: { pod: '1', job: 'x', alertname: 'A' } }));
    const c = only(oneAlert({ labels: { alertname: 'A', job: 'x', pod: '2' } }));
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
  });

  it('derives the group status when the sender leaves it out: resolved only when every alert is', () => {
    const both = (first: string, second: string) => ({
      alerts: [
        { status: first, labels: { alertname: 'A', pod: '1' } },
        { status: second, labels: { alertname: 'A', pod: '2' } },
      ],
    });
    expect(normalized(both('resolved', 'firing')).group?.status).toBe('firing');
    expect(normalized(both('resolved', 'resolved')).group?.status).toBe('resolved');
  });

  it('reports every wrong field with its path', () => {
    const problems = problemsOf({
      status: 'burning',
      truncatedAlerts: -1,
      alerts: [{ status: 'firing', labels: { alertname: 7 }, startsAt: 'yesterday' }, { labels: {} }],
    });
    expect(problems.map((problem) => problem.path).sort()).toEqual(
      ['alerts[0].labels.alertname', 'alerts[0].startsAt', 'alerts[1].status', 'status', 'truncatedAlerts'].sort(),
    );
  });

  it.each([[null], [[]], ['alerts'], [{}], [{ alerts: [] }], [{ alerts: {} }]])('refuses %j', (payload) => {
    expect(problemsOf(payload).length).toBeGreaterThan(0);
  });
});

describe('normalizeAlertmanager on arbitrary input', () => {
  it('never throws, and yields alerts only for an alerts array of firing/resolved alerts with labels', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything(), fc.record({ alerts: fc.array(fc.jsonValue(), { maxLength: 3 }) })), (payload) => {
        const result = normalizeAlertmanager(payload, context);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          return;
        }
        const alerts = (payload as { alerts: { status: unknown; labels: unknown }[] }).alerts;
        expect(alerts.length).toBe(result.alerts.length);
        for (const alert of alerts) {
          expect(['firing', 'resolved']).toContain(alert.status);
          expect(typeof alert.labels).toBe('object');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('normalizes every captured notification the same way with random unknown keys added', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIXTURES), extraKeys, (name, extras) => {
        const payload = fixture(name);
        expect(normalizeAlertmanager(withExtraKeys(payload, extras, MAP_KEYS), context)).toEqual(normalizeAlertmanager(payload, context));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same input the same fingerprints, and label order does not matter', () => {
    const labelSet = fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/), fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 8 });
    fc.assert(
      fc.property(labelSet, (labels) => {
        const reversed = Object.fromEntries(Object.entries(labels).reverse());
        const first = only(oneAlert({ labels }));
        expect(only(oneAlert({ labels })).fingerprint).toBe(first.fingerprint);
        expect(only(oneAlert({ labels: reversed })).fingerprint).toBe(first.fingerprint);
        expect(first.title.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('a live Alertmanager notification (test/support/alertmanager.ts)', () => {
  let capture: CaptureServer;

  beforeAll(async () => {
    capture = await startCaptureServer();
  });

  afterAll(async () => {
    await capture?.close();
  });

  it('explains how to install Alertmanager when the binary is missing', async () => {
    const start = startAlertmanager({ webhookUrl: `${capture.url}/x`, binary: '/nonexistent/prometheus-alertmanager' });
    await expect(start).rejects.toBeInstanceOf(AlertmanagerNotInstalledError);
    await expect(start).rejects.toThrow(/apt-get install -y prometheus-alertmanager/);
  });
});

needs('alertmanager', 'a live Alertmanager notification, with the real Alertmanager', () => {
  let capture: CaptureServer;
  let alertmanager: RunningAlertmanager | undefined;

  beforeAll(async () => {
    capture = await startCaptureServer();
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await capture?.close();
  });

  it('posts alerts to the real Alertmanager, receives its webhook with the bearer token, and normalizes it, firing then resolved', async () => {
    alertmanager = await startAlertmanager({ webhookUrl: `${capture.url}/alerts/alertmanager`, bearerToken: 'live-token' });
    const alert = {
      labels: { alertname: 'LiveCheck', service: 'payments', severity: 'error', instance: 'pay-1' },
      annotations: { summary: 'Payments are slow', runbook_url: 'https://runbooks.example.com/payments' },
      generatorURL: 'http://prometheus.internal:9090/graph?g0.expr=up',
    };

    let since = capture.requests.length;
    await alertmanager.postAlerts([alert]);
    const firing = await capture.waitFor((request) => request.path === '/alerts/alertmanager', { sinceCount: since });
    expect(firing.headers['authorization']).toBe('Bearer live-token');
    expect(firing.headers['user-agent']).toMatch(/^Alertmanager\//);
    const [opened] = alertsOf(firing.json);
    expect(opened).toMatchObject({
      status: 'firing',
      title: 'LiveCheck',
      severity: 'P2',
      service: 'payments',
      summary: 'Payments are slow',
      groupKey: '{}:{alertname="LiveCheck"}',
      links: { runbook: 'https://runbooks.example.com/payments', generator: alert.generatorURL },
    });
    expect(opened?.links.silence?.startsWith(`${alertmanager.url}/#/silences/new?filter=`)).toBe(true);

    since = capture.requests.length;
    await alertmanager.resolveAlerts([alert]);
    const resolved = await capture.waitFor((request) => (request.json as { status?: string }).status === 'resolved', { sinceCount: since });
    const result = normalized(resolved.json);
    expect(result.group?.status).toBe('resolved');
    expect(result.alerts.map((a) => [a.fingerprint, a.status])).toEqual([[opened?.fingerprint, 'resolved']]);
  });
});
