import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { validateConfig } from '../../src/domain/config/config.ts';
import { parseDuration } from '../../src/domain/alerts/intakeConfig.ts';
import { renderLabelTemplate, routeAlert } from '../../src/domain/alerts/routeAlert.ts';

const alert: NormalizedAlert = {
  source: 'alertmanager',
  fingerprint: 'f1',
  status: 'firing',
  title: 'HighErrorRate',
  severity: 'P3',
  service: 'checkout',
  labels: { severity: 'warning', team: 'payments', env: 'production' },
  annotations: {},
  startsAt: '2026-01-01T00:00:00Z',
  links: { other: [] },
};

function settingsFrom(input: unknown) {
  const { config, problems } = validateConfig(input);
  expect(problems).toEqual([]);
  return { routing: config.routing, alerts: config.alerts, defaultSeverity: config.incidents.defaultSeverity, defaultRepo: 'acme/shop' };
}

describe('routeAlert', () => {
  it('sends unrouted alerts to the default repository unchanged', () => {
    expect(routeAlert(alert, settingsFrom({}))).toEqual({ ok: true, repo: 'acme/shop', alert, labels: [], autoResolve: false });
  });

  it('takes the first service whose matchers all match: name, repo, severity override, labels', () => {
    const settings = settingsFrom({
      routing: {
        services: [
          { name: 'staging-catchall', match: { env: 'staging' }, repo: 'acme/staging' },
          { name: 'payments', match: { team: 'payments', env: { regex: 'prod(uction)?' } }, repo: 'acme/payments', severity: { warning: 'P2' }, labels: ['svc:payments'] },
        ],
        labels: ['team:{{labels.team}}', 'oncall:{{labels.rotation}}'],
      },
    });
    const routed = routeAlert(alert, settings);
    expect(routed).toMatchObject({ ok: true, repo: 'acme/payments', route: 'payments', labels: ['team:payments', 'svc:payments'], alert: { service: 'payments', severity: 'P2' } });
  });

  it('maps source levels through routing.severity, with per-service overrides winning', () => {
    const settings = settingsFrom({ routing: { severity: { warning: 'P4', critical: 'P1' }, services: [{ name: 'db', match: { service: 'db' }, severity: { warning: 'P2' } }] } });
    expect(routeAlert(alert, settings)).toMatchObject({ alert: { severity: 'P4' } });
    expect(routeAlert({ ...alert, service: 'db' }, settings)).toMatchObject({ alert: { service: 'db', severity: 'P2' } });
    expect(routeAlert({ ...alert, labels: {} }, settings)).toMatchObject({ alert: { severity: 'P3' } });
  });

  it('gives alerts without a level incidents.defaultSeverity', () => {
    const settings = settingsFrom({ incidents: { defaultSeverity: 'P5' } });
    const routed = routeAlert({ ...alert, labels: {}, severityDefaulted: true }, settings);
    expect(routed).toMatchObject({ alert: { severity: 'P5' } });
    expect(routed.ok && 'severityDefaulted' in routed.alert).toBe(false);
  });

  it('drops alerts matched by an ignore rule and says which rule', () => {
    const routed = routeAlert({ ...alert, labels: { env: 'staging' } }, settingsFrom({ routing: { ignore: [{ match: { env: 'staging' }, reason: 'staging never pages' }] } }));
    expect(routed).toEqual({ ok: false, reason: 'ignored', message: 'staging never pages (ignore rule {env=staging})' });
  });

  it('auto-resolves per config and severity, unless the alert opts out by annotation', () => {
    const bySeverity = settingsFrom({ alerts: { autoResolve: ['P4', 'P5'] } });
    expect(routeAlert({ ...alert, labels: { severity: 'info' }, severity: 'P4' }, bySeverity)).toMatchObject({ autoResolve: true });
    expect(routeAlert(alert, bySeverity)).toMatchObject({ autoResolve: false });
    const always = settingsFrom({ alerts: { autoResolve: true }, routing: { services: [{ name: 'db', match: { service: 'db' }, autoResolve: false }] } });
    expect(routeAlert(alert, always)).toMatchObject({ autoResolve: true });
    expect(routeAlert({ ...alert, service: 'db' }, always)).toMatchObject({ autoResolve: false });
    expect(routeAlert({ ...alert, annotations: { firewatch_auto_resolve: 'false' } }, always)).toMatchObject({ autoResolve: false });
  });

  it('reports bad routing config with paths, keeping the rest', () => {
    const { problems } = validateConfig({ routing: { services: [{ name: 'x', match: { env: { regex: '(' } } }], labels: ['team:{{labels.team}', 'ok'] }, alerts: { reopenWindow: 'soon' } });
    expect(problems.map((p) => p.path).sort()).toEqual(['alerts.reopenWindow', 'routing.labels[0]', 'routing.services[0].match.env.regex']);
  });

  it('renders label templates only when every value is there, within GitHub limits', () => {
    expect(renderLabelTemplate('team:{{labels.team}}', alert)).toBe('team:payments');
    expect(renderLabelTemplate('team:{{labels.nope}}', alert)).toBeUndefined();
    expect(renderLabelTemplate('{{service}}/{{severity}}', alert)).toBe('checkout/P3');
    expect(renderLabelTemplate('x:{{labels.team}}', { ...alert, labels: { team: 'a,b' + 'c'.repeat(80) } })?.length).toBe(50);
  });

  it('never throws and always yields a repo and a known severity for any labels (fuzzed)', () => {
    const settings = settingsFrom({
      routing: { services: [{ name: 'svc', match: { team: { regex: '[a-z]+' } }, severity: { boom: 'P1' } }], labels: ['team:{{labels.team}}'], severity: { warning: 'P2' } },
    });
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 8 }), (labels) => {
        const routed = routeAlert({ ...alert, labels }, settings);
        expect(routed.ok).toBe(true);
        if (!routed.ok) return;
        expect(['P1', 'P2', 'P3', 'P4', 'P5']).toContain(routed.alert.severity);
        for (const label of routed.labels) expect(label.length).toBeLessThanOrEqual(50);
      }),
    );
  });

  it('parses durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1 hour')).toBeUndefined();
  });
});
