import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routingConfigSchema } from '../../src/domain/alerts/intakeConfig.ts';
import { routeAlert } from '../../src/domain/alerts/routeAlert.ts';
import { normalizePagerDuty, normalizePagerDutyChange, pagerDutyTime, routingKeyOf } from '../../src/adapters/intake/pagerduty.ts';
import { pagingFixture } from '../support/pagingFixtures.ts';

const integration = { name: 'checkout-prod', service: 'checkout' };
const receivedAt = new Date('2026-03-02T10:00:00Z');
const context = { integration, receivedAt, newDedupKey: () => 'generated0000000000000000000000' };

describe('normalizePagerDuty', () => {
  it("turns Alertmanager's trigger into one alert per alert of the group, as the webhook source would", () => {
    const result = normalizePagerDuty(pagingFixture('pagerduty-v2', 'trigger-2-alerts').body, context);
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.dedupKey).toBe('73818545e9251aff39c7c0024aa13a3c5490815438079b64fed78418865168eb');
    expect(result.alerts).toHaveLength(2);
    const [first, second] = result.alerts;
    expect(first).toMatchObject({
      source: 'pagerduty',
      status: 'firing',
      title: 'CheckoutHighErrorRate',
      severity: 'P1',
      service: 'checkout',
      summary: 'Checkout error rate 41.41% on 127.0.0.1:33843',
      description: 'More than 5% of checkout requests on 127.0.0.1:33843 fail with 5xx (rate over 5s).',
      groupKey: 'checkout-prod/73818545e9251aff39c7c0024aa13a3c5490815438079b64fed78418865168eb',
      labels: { alertname: 'CheckoutHighErrorRate', instance: '127.0.0.1:33843', job: 'checkout', service: 'checkout', severity: 'critical' },
      links: { runbook: 'https://runbooks.example.com/checkout/high-error-rate' },
      vendor: { integration: 'checkout-prod' },
    });
    expect(first?.links.generator).toMatch(/^http:\/\/127\.0\.0\.1:33079\/graph\?/);
    expect(first?.links.silence).toMatch(/^http:\/\/127\.0\.0\.1:46293\/#\/silences\/new\?filter=/);
    expect(second?.fingerprint).not.toBe(first?.fingerprint);
    expect(second?.groupKey).toBe(first?.groupKey);
  });

  it("makes Alertmanager's resolve an act on the group, routed by the group's common labels", () => {
    const result = normalizePagerDuty(pagingFixture('pagerduty-v2', 'resolve').body, context);
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.alerts).toHaveLength(1);
    expect(result.alerts[0]).toMatchObject({
      groupKey: 'checkout-prod/73818545e9251aff39c7c0024aa13a3c5490815438079b64fed78418865168eb',
      service: 'checkout',
      labels: { alertname: 'CheckoutHighErrorRate', service: 'checkout' },
      vendor: { action: { type: 'resolve', by: 'the PagerDuty integration "checkout-prod"' } },
    });
  });

  it('maps a plain trigger field by field, and generates the dedup key it lacks', () => {
    const result = normalizePagerDuty(
      {
        routing_key: 'x',
        event_action: 'trigger',
        payload: { summary: 'Disk full on db-1', source: 'db-1.example.com', severity: 'warning', timestamp: '2015-07-17T08:42:58.315+0000', component: 'postgres', group: 'prod-datapipe', class: 'disk', custom_details: { 'free space': '1%', inodes: 12 } },
        links: [{ href: 'https://example.com/graph', text: 'Graph' }, { href: 'javascript:alert(1)' }],
        images: [{ src: 'https://example.com/chart.png', href: 'https://example.com/chart', alt: 'Chart' }],
        client: 'Nagios',
        client_url: 'https://nagios.example.com/host/db-1',
      },
      context,
    );
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.dedupKey).toBe('generated0000000000000000000000');
    expect(result.alerts[0]).toMatchObject({
      title: 'Disk full on db-1',
      summary: 'Disk full on db-1',
      severity: 'P3',
      service: 'checkout',
      startsAt: '2015-07-17T08:42:58.315Z',
      labels: { severity: 'warning', instance: 'db-1.example.com', component: 'postgres', group: 'prod-datapipe', class: 'disk' },
      annotations: { 'free space': '1%', inodes: '12' },
      links: {
        generator: 'https://nagios.example.com/host/db-1',
        other: [
          { title: 'Nagios', url: 'https://nagios.example.com/host/db-1' },
          { title: 'Graph', url: 'https://example.com/graph' },
          { title: 'Chart', url: 'https://example.com/chart' },
        ],
      },
    });
  });

  it.each([
    ['missing summary', { event_action: 'trigger', payload: { source: 'h', severity: 'error' } }, ["'payload.summary' is missing or blank"]],
    ['a wrong event_action', { event_action: 'explode', dedup_key: 'k' }, ["'event_action' is invalid (must be one of trigger, acknowledge, resolve)"]],
    ['no event_action', { payload: { summary: 's', source: 'h', severity: 'error' } }, ["'event_action' is missing or blank"]],
    ['a long dedup_key', { event_action: 'trigger', dedup_key: 'k'.repeat(256), payload: { summary: 's', source: 'h', severity: 'error' } }, ["Length of 'dedup_key' is incorrect (should be at most 255 characters)"]],
    ['a long summary', { event_action: 'trigger', payload: { summary: 's'.repeat(1025), source: 'h', severity: 'error' } }, ["Length of 'payload.summary' is incorrect (should be at most 1024 characters)"]],
    ['an unknown severity', { event_action: 'trigger', payload: { summary: 's', source: 'h', severity: 'high' } }, ["'payload.severity' is invalid (must be one of critical, error, warning, info)"]],
    ['acknowledge without dedup_key', { event_action: 'acknowledge' }, ["'dedup_key' is missing or blank"]],
    ['a bad timestamp', { event_action: 'trigger', payload: { summary: 's', source: 'h', severity: 'info', timestamp: 'yesterday' } }, ["'payload.timestamp' is invalid (must be an ISO 8601 timestamp)"]],
  ])('refuses %s in PagerDuty words', (_name, body, errors) => {
    expect(normalizePagerDuty({ routing_key: 'x', ...body }, context)).toEqual({ ok: false, errors });
  });

  it("lets routing.severity override PagerDuty's level, and a key's route take the alert whatever its labels", () => {
    const result = normalizePagerDuty({ routing_key: 'x', event_action: 'trigger', payload: { summary: 'Slow checkout', source: 'web-1', severity: 'error' } }, { ...context, integration: { name: 'checkout-prod', route: 'checkout' } });
    if (!result.ok || !result.alerts[0]) throw new Error('expected an alert');
    const routing = routingConfigSchema.parse({ severity: { error: 'P1' }, services: [{ name: 'search', match: { service: 'unknown' }, repo: 'acme/search' }, { name: 'checkout', repo: 'acme/checkout' }] });
    const decision = routeAlert(result.alerts[0], { routing, alerts: { autoResolve: false }, defaultSeverity: 'P3', defaultRepo: 'acme/shop' });
    expect(decision).toMatchObject({ ok: true, repo: 'acme/checkout', route: 'checkout', alert: { severity: 'P1', service: 'checkout' } });
  });

  it('reads routing keys and PagerDuty timestamps', () => {
    expect(routingKeyOf({ routing_key: ' abc ' })).toBe('abc');
    expect(routingKeyOf({ routing_key: 5 })).toBeUndefined();
    expect(pagerDutyTime('2015-07-17T08:42:58.315+0000')).toBe('2015-07-17T08:42:58.315Z');
    expect(pagerDutyTime('2026-01-01T10:00:00+02:00')).toBe('2026-01-01T08:00:00.000Z');
    expect(pagerDutyTime('12:00')).toBeUndefined();
  });

  it('answers every JSON value with alerts or errors, never a throw (fuzzed)', () => {
    const event = fc.record(
      {
        event_action: fc.oneof(fc.constantFrom('trigger', 'acknowledge', 'resolve', 'TRIGGER', ''), fc.jsonValue()),
        dedup_key: fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue()),
        payload: fc.oneof(
          fc.record({ summary: fc.oneof(fc.string({ maxLength: 1100 }), fc.jsonValue()), source: fc.oneof(fc.string(), fc.integer()), severity: fc.constantFrom('critical', 'error', 'warning', 'info', 'x'), custom_details: fc.jsonValue() }, { requiredKeys: [] }),
          fc.jsonValue(),
        ),
        links: fc.oneof(fc.array(fc.record({ href: fc.oneof(fc.webUrl(), fc.string()), text: fc.string() }, { requiredKeys: [] })), fc.jsonValue()),
        images: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(event, fc.jsonValue()), (body) => {
        const result = normalizePagerDuty(body, context);
        if (result.ok) {
          expect(result.alerts.length).toBeGreaterThan(0);
          expect(result.dedupKey.length).toBeGreaterThan(0);
          expect(result.dedupKey.length).toBeLessThanOrEqual(255);
          for (const alert of result.alerts) expect(alert.title.length).toBeLessThanOrEqual(256);
        } else expect(result.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts every well-formed trigger (fuzzed)', () => {
    const trigger = fc.record({
      routing_key: fc.constant('k'),
      event_action: fc.constant('trigger'),
      payload: fc.record({ summary: fc.string({ minLength: 1, maxLength: 1024 }).filter((s) => s.trim() !== ''), source: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''), severity: fc.constantFrom('critical', 'error', 'warning', 'info'), custom_details: fc.jsonValue() }),
    });
    fc.assert(
      fc.property(trigger, (body) => {
        expect(normalizePagerDuty(body, context).ok).toBe(true);
      }),
    );
  });
});

describe('normalizePagerDutyChange', () => {
  it('keeps summary, source, time, details and links', () => {
    const result = normalizePagerDutyChange(
      { routing_key: 'x', payload: { summary: 'Build Success: Increase snapshot create timeout', timestamp: '2020-07-17T08:42:58.315+0000', source: 'acme-build', custom_details: { build_number: '2', commit: 'abc1234' } }, links: [{ href: 'https://ci.example.com/2', text: 'Build 2' }] },
      { receivedAt },
    );
    expect(result).toEqual({
      ok: true,
      change: { summary: 'Build Success: Increase snapshot create timeout', source: 'acme-build', at: '2020-07-17T08:42:58.315Z', details: { build_number: '2', commit: 'abc1234' }, links: [{ title: 'Build 2', url: 'https://ci.example.com/2' }] },
    });
  });

  it('needs a summary', () => {
    expect(normalizePagerDutyChange({ routing_key: 'x', payload: {} }, { receivedAt })).toEqual({ ok: false, errors: ["'payload.summary' is missing or blank"] });
    expect(normalizePagerDutyChange({ routing_key: 'x' }, { receivedAt })).toEqual({ ok: false, errors: ["'payload' is missing or blank"] });
  });
});
