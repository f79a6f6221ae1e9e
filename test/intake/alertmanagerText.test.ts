import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertmanagerExternalUrl, commonLabels, isAlertmanagerText, parseAlertmanagerText } from '../../src/adapters/intake/alertmanagerText.ts';
import { pagingFixture } from '../support/pagingFixtures.ts';

/** Alertmanager's `__text_alert_list` template, as Go renders it (sorted pairs, one `Source:` line per alert). */
function render(alerts: { labels: Record<string, string>; annotations: Record<string, string>; source: string }[]): string {
  const sorted = (map: Record<string, string>) => Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return alerts
    .map((alert) => `Labels:\n${sorted(alert.labels).map(([k, v]) => ` - ${k} = ${v}\n`).join('')}Annotations:\n${sorted(alert.annotations).map(([k, v]) => ` - ${k} = ${v}\n`).join('')}Source: ${alert.source}\n`)
    .join('');
}

describe('parseAlertmanagerText', () => {
  it("reads back both alerts of the captured PagerDuty trigger's custom_details.firing", () => {
    const details = (pagingFixture('pagerduty-v2', 'trigger-2-alerts').body['payload'] as { custom_details: { firing: string } }).custom_details;
    const alerts = parseAlertmanagerText(details.firing);
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toEqual({
      status: 'firing',
      labels: { alertname: 'CheckoutHighErrorRate', instance: '127.0.0.1:33843', job: 'checkout', service: 'checkout', severity: 'critical' },
      annotations: {
        description: 'More than 5% of checkout requests on 127.0.0.1:33843 fail with 5xx (rate over 5s).',
        runbook_url: 'https://runbooks.example.com/checkout/high-error-rate',
        summary: 'Checkout error rate 41.41% on 127.0.0.1:33843',
      },
      generatorURL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:33079\/graph\?g0\.expr=.*&g0\.tab=1$/),
    });
    expect(alerts[1]?.labels['instance']).toBe('127.0.0.1:34389');
    expect(commonLabels(alerts)).toEqual({ alertname: 'CheckoutHighErrorRate', job: 'checkout', service: 'checkout', severity: 'critical' });
  });

  it("reads the Opsgenie description's sections, skipping the common annotations line before them", () => {
    const description = pagingFixture('opsgenie', 'create-1-alert').body['description'] as string;
    expect(isAlertmanagerText(description)).toBe(true);
    const alerts = parseAlertmanagerText(description);
    expect(alerts.map((alert) => [alert.status, alert.labels['instance'], alert.annotations['summary']])).toEqual([['firing', '127.0.0.1:34389', 'Checkout error rate 31.96% on 127.0.0.1:34389']]);
    const mixed = `x\nAlerts Firing:\n${render([{ labels: { a: '1' }, annotations: {}, source: '' }])}\nAlerts Resolved:\n${render([{ labels: { a: '2' }, annotations: {}, source: '' }])}`;
    expect(parseAlertmanagerText(mixed).map((alert) => [alert.status, alert.labels['a']])).toEqual([
      ['firing', '1'],
      ['resolved', '2'],
    ]);
  });

  it("reads Grafana's rendering of the same list: bold headings, Value, Silence and Dashboard lines", () => {
    const text = '**Firing**\n\nValue: B=12\nLabels:\n - alertname = DiskFull\n - instance = db-1\nAnnotations:\n - summary = Disk 95% full\nSilence: http://grafana/alerting/silence/new\nDashboard: http://grafana/d/abc\n\n**Resolved**\n\nValue: B=3\nLabels:\n - alertname = DiskFull\n - instance = db-2\nAnnotations:\n - summary = Disk fine\nSource: http://grafana/alerting/grafana/x/view\n';
    expect(parseAlertmanagerText(text)).toEqual([
      { status: 'firing', labels: { alertname: 'DiskFull', instance: 'db-1' }, annotations: { summary: 'Disk 95% full' } },
      { status: 'resolved', labels: { alertname: 'DiskFull', instance: 'db-2' }, annotations: { summary: 'Disk fine' }, generatorURL: 'http://grafana/alerting/grafana/x/view' },
    ]);
  });

  it('keeps multi-line annotation values whole', () => {
    const text = render([{ labels: { alertname: 'X' }, annotations: { description: 'line one\nline two\n\nline four', summary: 's' }, source: 'http://p/graph' }]);
    expect(parseAlertmanagerText(text)[0]?.annotations).toEqual({ description: 'line one\nline two\n\nline four', summary: 's' });
  });

  it('finds the external URL in client_url and Opsgenie source', () => {
    expect(alertmanagerExternalUrl('http://127.0.0.1:46293/#/alerts?receiver=pagerduty-mock')).toBe('http://127.0.0.1:46293');
    expect(alertmanagerExternalUrl('https://am.example.com/prefix/#/alerts?receiver=x')).toBe('https://am.example.com/prefix');
    expect(alertmanagerExternalUrl('https://monitoring.example.com')).toBeUndefined();
  });

  it('reads back whatever Alertmanager renders (fuzzed label and annotation sets)', () => {
    const name = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,20}$/);
    // Values as Prometheus carries them; a line of a value may not itself look like a template line.
    const value = fc.string({ maxLength: 40 }).filter((v) => !/\r/.test(v) && v.split('\n').every((line, i) => i === 0 || !/^( - .+? = |Labels:$|Annotations:$|Source:|Alerts (Firing|Resolved):|\*\*(Firing|Resolved)\*\*|(Silence|Dashboard|Panel|Value): )/.test(line)) && !/\n$/.test(v));
    const labelValue = fc.string({ maxLength: 30 }).filter((v) => !/[\n\r]/.test(v));
    const alert = fc.record({ labels: fc.dictionary(name, labelValue, { minKeys: 1, maxKeys: 6 }), annotations: fc.dictionary(name, value, { maxKeys: 4 }), source: fc.webUrl() });
    fc.assert(
      fc.property(fc.array(alert, { minLength: 1, maxLength: 5 }), (alerts) => {
        const parsed = parseAlertmanagerText(render(alerts));
        expect(parsed.map((p) => ({ labels: p.labels, annotations: p.annotations, source: p.generatorURL ?? '' }))).toEqual(alerts.map((a) => ({ ...a, source: a.source.trim() })));
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        for (const alert of parseAlertmanagerText(`Labels:\n${text}`)) expect(Object.keys(alert.labels).length).toBeGreaterThan(0);
      }),
    );
  });
});
