/**
 * Fixtures: Sentry's published integration-platform webhook examples
 * (test/fixtures/alerts/sentry/README.md cites the docs pages and commits).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { normalizerFor } from '../../src/adapters/intake/normalizers.ts';
import { normalizeSentry, projectSlugFromApiUrl } from '../../src/adapters/intake/sentry.ts';
import { alertFixture, extraKeys, withExtraKeys } from '../support/alertFixtures.ts';

const context = { receivedAt: new Date('2026-03-01T12:00:00Z') };
type Payload = { action: string; data: Record<string, Record<string, unknown>>; [key: string]: unknown };
const fixture = (name: string) => alertFixture<Payload>('sentry', name);
const FIXTURES = ['event-alert', 'issue-created'];
const MAP_KEYS = new Set(['tags', 'contexts']);

function only(payload: unknown): NormalizedAlert {
  const result = normalizeSentry(payload, context);
  if (!result.ok) throw new Error(`expected an alert, got ${JSON.stringify(result.problems)}`);
  expect(result.alerts).toHaveLength(1);
  return result.alerts[0]!;
}
function problemsOf(payload: unknown) {
  const result = normalizeSentry(payload, context);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.alerts)}`);
  return result.problems;
}
function issueWith(action: string, changes: Record<string, unknown> = {}): Payload {
  const payload = fixture('issue-created');
  payload.action = action;
  Object.assign(payload.data['issue']!, changes);
  return payload;
}

describe('normalizeSentry on an issue alert (Sentry-Hook-Resource: event_alert)', () => {
  it('is the registered normalizer for POST /alerts/sentry', () => {
    expect(normalizerFor('sentry')).toBe(normalizeSentry);
  });

  it('turns the documented example into a firing alert: error title, level → P2, project → service, issue and event links', () => {
    expect(only(fixture('event-alert'))).toEqual({
      source: 'sentry',
      fingerprint: '1117540176',
      status: 'firing',
      title: 'ReferenceError: heck is not defined',
      severity: 'P2',
      service: 'front-end',
      summary: 'Sentry alert rule "Very Important Alert Rule!" fired',
      description: 'ReferenceError: heck is not defined\nCulprit: ?(<anonymous>)',
      labels: {
        browser: 'Chrome 75.0.3770',
        'browser.name': 'Chrome',
        handled: 'no',
        level: 'error',
        mechanism: 'onerror',
        os: 'Mac OS X 10.14.0',
        'os.name': 'Mac OS X',
        user: 'ip:162.217.75.90',
        url: 'https://null.jsbin.com/runner',
        project: 'front-end',
      },
      annotations: {
        rule: 'Very Important Alert Rule!',
        culprit: '?(<anonymous>)',
        level: 'error',
        platform: 'javascript',
        issue_id: '1117540176',
        event_id: 'e4874d664c3540c1a32eab185f12c5ab',
      },
      startsAt: '2019-08-19T21:06:17.677Z',
      links: {
        generator: 'https://sentry.io/organizations/test-org/issues/1117540176/',
        other: [{ title: 'Sentry event', url: 'https://sentry.io/organizations/test-org/issues/1117540176/events/e4874d664c3540c1a32eab185f12c5ab/' }],
      },
    });
  });

  it.each([
    ['fatal', 'P1'],
    ['error', 'P2'],
    ['warning', 'P3'],
    ['info', 'P4'],
    ['debug', 'P5'],
  ])('maps level %s to %s', (level, severity) => {
    const payload = fixture('event-alert');
    payload.data['event']!['level'] = level;
    expect(only(payload).severity).toBe(severity);
  });

  it('prefers a service tag over the project, and falls back to the project id', () => {
    const tagged = fixture('event-alert');
    (tagged.data['event']!['tags'] as string[][]).push(['service', 'checkout']);
    expect(only(tagged).service).toBe('checkout');
    const noUrl = fixture('event-alert');
    delete noUrl.data['event']!['url'];
    expect(only(noUrl).service).toBe('1');
  });

  it("keeps the file the error was raised in (metadata.filename), which the culprit may not name, and not Sentry's placeholders", () => {
    const payload = fixture('event-alert');
    payload.data['event']!['culprit'] = 'Array.map(<anonymous>)';
    payload.data['event']!['metadata'] = { type: 'TypeError', value: "Cannot read properties of undefined (reading 'percent')", filename: '/app/src/pricing/tierDiscount.ts' };
    expect(only(payload).annotations).toMatchObject({ culprit: 'Array.map(<anonymous>)', filename: '/app/src/pricing/tierDiscount.ts' });
    // The published example's `<anonymous>` names no file.
    expect(only(fixture('event-alert')).annotations['filename']).toBeUndefined();
    const issue = issueWith('created', { metadata: { type: 'KeyError', value: "'tiers'", filename: 'pricing/tiers.py' } });
    expect(only(issue).annotations['filename']).toBe('pricing/tiers.py');
  });

  it('refuses an event without an issue id: nothing could resolve it later', () => {
    const payload = fixture('event-alert');
    delete payload.data['event']!['issue_id'];
    expect(problemsOf(payload).map((problem) => problem.path)).toEqual(['data.event.issue_id']);
  });
});

describe('normalizeSentry on issue webhooks (Sentry-Hook-Resource: issue)', () => {
  it('opens a firing alert for a created issue, keyed by the issue id', () => {
    expect(only(fixture('issue-created'))).toMatchObject({
      source: 'sentry',
      fingerprint: '1170820242',
      status: 'firing',
      title: 'ReferenceError: blooopy is not defined',
      severity: 'P2',
      service: 'front-end',
      summary: 'Sentry issue FRONT-END-9 created',
      value: '1 event, 1 user',
      startsAt: '2019-08-19T20:58:37.391Z',
      labels: { level: 'error', platform: 'javascript', project: 'front-end' },
    });
  });

  it.each([
    ['resolved', 'resolved'],
    ['archived', 'resolved'],
    ['ignored', 'resolved'],
    ['unresolved', 'firing'],
  ])('maps action %s to %s, on the same fingerprint as the issue alert', (action, status) => {
    const alert = only(issueWith(action, { id: '1117540176', web_url: 'https://sentry.io/organizations/test-org/issues/1117540176/' }));
    expect(alert.status).toBe(status);
    expect(alert.fingerprint).toBe(only(fixture('event-alert')).fingerprint);
    expect(alert.links.generator).toBe('https://sentry.io/organizations/test-org/issues/1117540176/');
    if (status === 'resolved') expect(alert.endsAt).toBe('2026-03-01T12:00:00.000Z');
  });

  it('files nothing for an assignment, and says so', () => {
    const result = normalizeSentry(issueWith('assigned'), context);
    expect(result).toEqual({ ok: true, alerts: [], notes: [expect.stringContaining('assigned')] });
  });

  it('refuses an unknown action with the list of known ones', () => {
    expect(problemsOf(issueWith('exploded'))).toEqual([{ path: 'action', message: expect.stringContaining('created, unresolved, resolved') }]);
  });
});

describe('normalizeSentry on other bodies', () => {
  it('explains that metric alerts are not supported yet', () => {
    expect(problemsOf({ action: 'critical', data: { metric_alert: {} } })).toEqual([{ path: 'data.metric_alert', message: expect.stringContaining('issue alert rule') }]);
  });

  it.each([[null], [{}], [{ data: [] }], [{ action: 'triggered', data: { comment: 'hi' } }], ['event_alert']])('refuses %j, naming both accepted shapes', (payload) => {
    expect(problemsOf(payload)).toEqual([{ path: 'data', message: expect.stringContaining('event_alert') }]);
  });

  it('reads the project slug from an event API URL', () => {
    expect(projectSlugFromApiUrl('https://sentry.io/api/0/projects/acme/checkout-web/events/abc/')).toBe('checkout-web');
    expect(projectSlugFromApiUrl('https://sentry.io/api/0/issues/1/')).toBeUndefined();
  });
});

describe('normalizeSentry on arbitrary input', () => {
  it('never throws, and never makes an alert without a titled event or issue with an id', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.anything(), fc.record({ action: fc.constantFrom('triggered', 'created', 'resolved'), data: fc.oneof(fc.jsonValue(), fc.record({ event: fc.jsonValue() }), fc.record({ issue: fc.jsonValue() })) })),
        (payload) => {
          const result = normalizeSentry(payload, context);
          if (!result.ok) {
            expect(result.problems.length).toBeGreaterThan(0);
            return;
          }
          for (const alert of result.alerts) {
            expect(alert.fingerprint.length).toBeGreaterThan(0);
            expect(alert.title.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('normalizes the published payloads the same way with random unknown keys added', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIXTURES), extraKeys, (name, extras) => {
        const payload = fixture(name);
        expect(normalizeSentry(withExtraKeys(payload, extras, MAP_KEYS), context)).toEqual(normalizeSentry(payload, context));
      }),
      { numRuns: 300 },
    );
  });

  it('keys every notification about one issue by that issue id, whatever else changes', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{0,12}$/), fc.string({ minLength: 1, maxLength: 40 }).filter((t) => t.trim() !== ''), fc.constantFrom('created', 'unresolved', 'resolved'), (issueId, title, action) => {
        const alert = fixture('event-alert');
        Object.assign(alert.data['event']!, { issue_id: issueId, title });
        const issue = issueWith(action, { id: Number(issueId) });
        expect(only(alert).fingerprint).toBe(issueId);
        expect(only(issue).fingerprint).toBe(issueId);
      }),
      { numRuns: 200 },
    );
  });
});
