/**
 * Fixtures: firewatch's Datadog payload template filled with the example values from Datadog's
 * webhook variable reference (test/fixtures/alerts/datadog/README.md).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATADOG_PAYLOAD_TEMPLATE, datadogTitle, normalizeDatadog, parseTags } from '../../src/adapters/intake/datadog.ts';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { normalizerFor } from '../../src/adapters/intake/normalizers.ts';
import { alertFixture, extraKeys, withExtraKeys } from '../support/alertFixtures.ts';

const context = { receivedAt: new Date('2026-03-01T12:00:00Z') };
const fixture = (name: string) => alertFixture<Record<string, string>>('datadog', name);
const FIXTURES = ['triggered', 'recovered'];

function only(payload: unknown): NormalizedAlert {
  const result = normalizeDatadog(payload, context);
  if (!result.ok) throw new Error(`expected an alert, got ${JSON.stringify(result.problems)}`);
  expect(result.alerts).toHaveLength(1);
  return result.alerts[0]!;
}
function problemsOf(payload: unknown) {
  const result = normalizeDatadog(payload, context);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.alerts)}`);
  return result.problems;
}

describe('the Datadog payload template', () => {
  it('is valid JSON naming one Datadog variable per key', () => {
    const template = JSON.parse(DATADOG_PAYLOAD_TEMPLATE) as Record<string, string>;
    for (const value of Object.values(template)) expect(value).toMatch(/^\$[A-Z_]+$/);
    expect(template).toMatchObject({ alert_id: '$ALERT_ID', alert_transition: '$ALERT_TRANSITION', tags: '$TAGS', date: '$DATE', aggreg_key: '$AGGREG_KEY' });
  });

  it('the fixtures are the documented template, filled in', () => {
    const keys = Object.keys(JSON.parse(DATADOG_PAYLOAD_TEMPLATE) as object).sort();
    for (const name of FIXTURES) expect(Object.keys(fixture(name)).sort()).toEqual(keys);
  });

  it('as sent before Datadog fills it in, it is refused with a pointer to the missing fields', () => {
    const problems = problemsOf(JSON.parse(DATADOG_PAYLOAD_TEMPLATE));
    expect(problems.map((problem) => problem.path).sort()).toEqual(['alert_id', 'alert_title']);
    expect(problems[0]?.message).toContain('README "Datadog"');
  });
});

describe('normalizeDatadog', () => {
  it('is the registered normalizer for POST /alerts/datadog', () => {
    expect(normalizerFor('datadog')).toBe(normalizeDatadog);
  });

  it('turns a Triggered P1 monitor notification into a firing alert with the monitor’s title, tags and links', () => {
    const alert = only(fixture('triggered'));
    expect(alert).toEqual({
      source: 'datadog',
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      status: 'firing',
      title: 'Host is Down',
      severity: 'P1',
      service: 'checkout',
      summary: 'system.load.1 over host:my-host was > 0 at least once during the last 1m',
      description: '@webhook-url Sending to the webhook',
      labels: {
        monitor: '',
        name: 'myService',
        role: 'computing-node',
        service: 'checkout',
        env: 'prod',
        'availability-zone': 'us-east-1a',
      },
      annotations: {
        transition: 'Triggered',
        alert_type: 'error',
        priority: 'P1',
        metric: 'system.load.1',
        query: 'avg(last_1m):avg:system.load.1{role:computing-node} by {host} > 0',
        scope: 'availability-zone:us-east-1a, role:computing-node',
        hostname: 'ip-012345',
        monitor_id: '1234',
        event_id: '1234567',
        aggreg_key: '9bd4ac313a4d1e8fae2482df7b77628',
        alert_cycle_key: '6910783346353409042',
        org_id: '11023',
      },
      startsAt: '2014-07-29T19:37:52.000Z',
      links: {
        generator: 'https://app.datadoghq.com/event/jump_to?event_id=1234567',
        other: [
          { title: 'Monitor', url: 'https://app.datadoghq.com/monitors/1234' },
          { title: 'Snapshot', url: 'https://p.datadoghq.com/path-to-snapshot' },
        ],
      },
    });
  });

  it('resolves the same alert (same fingerprint and title) on Recovered', () => {
    const triggered = only(fixture('triggered'));
    const recovered = only(fixture('recovered'));
    expect(recovered).toMatchObject({ status: 'resolved', title: triggered.title, fingerprint: triggered.fingerprint, endsAt: '2014-07-29T19:47:52.000Z' });
    expect(recovered.links.other).toEqual([{ title: 'Monitor', url: 'https://app.datadoghq.com/monitors/1234' }]);
  });

  it('keeps one fingerprint per monitor group: another scope is another alert, another event of the same group is not', () => {
    const base = fixture('triggered');
    const sameGroup = only({ ...base, id: '999', aggreg_key: 'other', alert_scope: 'role:computing-node,availability-zone:us-east-1a' });
    const otherGroup = only({ ...base, alert_scope: 'availability-zone:us-east-1b, role:computing-node' });
    const otherMonitor = only({ ...base, alert_id: '5678' });
    const fingerprint = only(base).fingerprint;
    expect(sameGroup.fingerprint).toBe(fingerprint);
    expect(otherGroup.fingerprint).not.toBe(fingerprint);
    expect(otherMonitor.fingerprint).not.toBe(fingerprint);
    const withoutScope = { ...base, alert_scope: '' };
    expect(only(withoutScope).fingerprint).not.toBe(only({ ...withoutScope, aggreg_key: 'another-key' }).fingerprint);
  });

  it.each([
    ['Triggered', 'firing'],
    ['Re-Triggered', 'firing'],
    ['Warn', 'firing'],
    ['No Data', 'firing'],
    ['Renotify', 'firing'],
    ['Recovered', 'resolved'],
  ])('maps transition %s to %s', (transition, status) => {
    expect(only({ ...fixture('triggered'), alert_transition: transition }).status).toBe(status);
  });

  it.each([
    [{ alert_priority: 'P4' }, 'P4'],
    [{ alert_priority: '', alert_type: 'error' }, 'P2'],
    [{ alert_priority: '', alert_type: 'warning' }, 'P3'],
    [{ alert_priority: '$ALERT_PRIORITY', alert_type: 'info' }, 'P4'],
  ])('rates %j as %s', (fields, severity) => {
    expect(only({ ...fixture('triggered'), ...fields }).severity).toBe(severity);
  });

  it('treats blank and unexpanded variables as not set: severity defaulted, service unknown, time of arrival', () => {
    const alert = only({ alert_id: '42', alert_title: '[Warn on {host:a}] Disk filling', alert_priority: '$ALERT_PRIORITY', alert_type: '', tags: '$TAGS', date: '', link: '$LINK' });
    expect(alert).toMatchObject({ title: 'Disk filling', severity: 'P3', severityDefaulted: true, service: 'unknown', startsAt: '2026-03-01T12:00:00.000Z', labels: {}, links: { other: [] } });
  });

  it('accepts numbers where a template leaves $ALERT_ID or $DATE unquoted, and epoch seconds', () => {
    expect(only({ alert_id: 42, title: 'x', date: 1406662672000 }).startsAt).toBe('2014-07-29T19:37:52.000Z');
    expect(only({ alert_id: 42, title: 'x', date: '1406662672' }).startsAt).toBe('2014-07-29T19:37:52.000Z');
  });

  it.each([
    ['[Triggered on {host:ip-012345}] Host is Down', 'Host is Down'],
    ['[P1] [Re-Triggered on {env:prod}] Checkout errors', 'Checkout errors'],
    ['[Triggered] [Memory Alert]', 'Memory Alert'],
    ['[No Data on {host:a}] Agent silent', 'Agent silent'],
    ['Plain title', 'Plain title'],
    ['[Triggered]', '[Triggered]'],
  ])('titles %j as %j', (raw, title) => {
    expect(datadogTitle(raw)).toBe(title);
  });

  it('reads $TAGS as labels: key:value pairs, bare tags, values with colons, repeated keys', () => {
    expect(parseTags('env:prod, monitor,url:https://x.example/a, team:a,team:b,team:a, ,:x')).toEqual({ env: 'prod', monitor: '', url: 'https://x.example/a', team: 'a,b' });
    expect(Object.getPrototypeOf(parseTags('__proto__:polluted'))).toBe(Object.prototype);
    expect(parseTags('__proto__:x')).toEqual(JSON.parse('{"__proto__":"x"}'));
  });

  it('does not link to a non-web $LINK', () => {
    expect(only({ ...fixture('triggered'), link: 'javascript:alert(1)' }).links).toEqual({ other: [{ title: 'Snapshot', url: 'https://p.datadoghq.com/path-to-snapshot' }] });
  });

  it('reports what is wrong with its path', () => {
    expect(problemsOf({ alert_id: ['1'], title: 'x' }).map((problem) => problem.path)).toEqual(['alert_id']);
    expect(problemsOf({ alert_id: '1', title: 'x', date: 'yesterday' }).map((problem) => problem.path)).toEqual(['date']);
    expect(problemsOf({ alert_id: '1' }).map((problem) => problem.path)).toEqual(['alert_title']);
  });

  it('refuses Datadog’s own default payload (no monitor id) and says which template to use', () => {
    const defaultPayload = { body: 'text', last_updated: '1406662672000', event_type: 'metric_alert_monitor', title: '[Triggered] x', date: '1406662672000', org: { id: '1', name: 'acme' }, id: '1' };
    expect(problemsOf(defaultPayload)).toEqual([{ path: 'alert_id', message: expect.stringContaining('payload template') }]);
  });
});

describe('normalizeDatadog on arbitrary input', () => {
  it('never throws, and only makes an alert when a title and a monitor id are present', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything(), fc.dictionary(fc.constantFrom('alert_id', 'title', 'alert_title', 'tags', 'date', 'alert_transition'), fc.oneof(fc.string(), fc.integer()))), (payload) => {
        const result = normalizeDatadog(payload, context);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          return;
        }
        const fields = payload as Record<string, unknown>;
        expect(fields['alert_id'] ?? fields['aggreg_key']).toBeDefined();
        expect(fields['alert_title'] ?? fields['title']).toBeDefined();
        expect(result.alerts[0]?.title.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('normalizes the fixtures the same way with random unknown keys added', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIXTURES), extraKeys, (name, extras) => {
        const payload = fixture(name);
        expect(normalizeDatadog(withExtraKeys(payload, extras, new Set()), context)).toEqual(normalizeDatadog(payload, context));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same monitor and scope the same fingerprint, whatever the tag order and event', () => {
    const tag = fc.tuple(fc.stringMatching(/^[a-z][a-z-]{0,8}$/), fc.stringMatching(/^[a-z0-9-]{1,8}$/)).map(([k, v]) => `${k}:${v}`);
    fc.assert(
      fc.property(fc.uniqueArray(tag, { minLength: 1, maxLength: 5, selector: (t) => t.split(':')[0] }), fc.integer({ min: 1, max: 1e9 }), fc.string({ maxLength: 10 }), (tags, id, event) => {
        const first = only({ alert_id: String(id), title: 'x', alert_scope: tags.join(', '), id: event });
        const reordered = only({ alert_id: String(id), title: 'x', alert_scope: [...tags].reverse().join(','), id: `${event}!` });
        expect(reordered.fingerprint).toBe(first.fingerprint);
      }),
      { numRuns: 300 },
    );
  });
});
