import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENERIC_DEFAULT_SEVERITY, genericFingerprint, normalizeGeneric } from '../../src/adapters/intake/generic.ts';

const context = { receivedAt: new Date('2026-03-01T12:00:00Z') };

function normalizeOne(payload: unknown) {
  const result = normalizeGeneric(payload, context);
  if (!result.ok) throw new Error(`expected an alert, got ${JSON.stringify(result.problems)}`);
  expect(result.alerts).toHaveLength(1);
  return result.alerts[0]!;
}

function problemsOf(payload: unknown) {
  const result = normalizeGeneric(payload, context);
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.alerts)}`);
  return result.problems;
}

describe('normalizeGeneric', () => {
  it('turns the README example into a firing P2 alert for checkout', () => {
    const alert = normalizeOne({ title: 'HighErrorRate', severity: 'P2', service: 'checkout' });
    expect(alert).toEqual({
      source: 'generic',
      fingerprint: genericFingerprint('checkout', 'HighErrorRate'),
      status: 'firing',
      title: 'HighErrorRate',
      severity: 'P2',
      service: 'checkout',
      labels: {},
      annotations: {},
      startsAt: '2026-03-01T12:00:00.000Z',
      links: { other: [] },
    });
  });

  it.each([
    ['critical', 'P1'],
    ['error', 'P2'],
    ['warning', 'P3'],
    ['info', 'P4'],
    ['P5', 'P5'],
    ['p1', 'P1'],
    [' Critical ', 'P1'],
  ])('maps severity %j to %s', (given, expected) => {
    expect(normalizeOne({ title: 'x', severity: given }).severity).toBe(expected);
  });

  it('marks a missing severity as defaulted (config decides later) and defaults a missing service to the service label, else "unknown"', () => {
    expect(normalizeOne({ title: 'x' })).toMatchObject({ severity: GENERIC_DEFAULT_SEVERITY, severityDefaulted: true, service: 'unknown' });
    expect(normalizeOne({ title: 'x', severity: 'P3' })).not.toHaveProperty('severityDefaulted');
    expect(normalizeOne({ title: 'x', labels: { service: 'payments' } }).service).toBe('payments');
  });

  it('keeps every documented field', () => {
    const alert = normalizeOne({
      title: 'DiskFull',
      severity: 'warning',
      service: 'db',
      fingerprint: 'db-disk-1',
      status: 'resolved',
      summary: 'Disk at 95%',
      description: 'The primary volume is nearly full.',
      runbook_url: 'https://runbooks.example.com/disk',
      dashboard_url: 'http://grafana.local/d/abc',
      links: [{ title: 'Logs', url: 'https://logs.example.com/q?x=1' }],
      labels: { env: 'prod', team: 'storage' },
      started_at: '2026-03-01T13:30:00+01:00',
    });
    expect(alert).toEqual({
      source: 'generic',
      fingerprint: 'db-disk-1',
      status: 'resolved',
      title: 'DiskFull',
      severity: 'P3',
      service: 'db',
      summary: 'Disk at 95%',
      description: 'The primary volume is nearly full.',
      labels: { env: 'prod', team: 'storage' },
      annotations: {},
      startsAt: '2026-03-01T12:30:00.000Z',
      endsAt: '2026-03-01T12:00:00.000Z',
      links: {
        runbook: 'https://runbooks.example.com/disk',
        dashboard: 'http://grafana.local/d/abc',
        other: [{ title: 'Logs', url: 'https://logs.example.com/q?x=1' }],
      },
    });
  });

  it('ignores unknown keys', () => {
    expect(normalizeOne({ title: 'x', service: 'api', region: 'eu-west-1', nested: { a: [1] } })).not.toHaveProperty('region');
  });

  it('gives the same fingerprint to the same service and title, and different ones otherwise', () => {
    const a = normalizeOne({ title: 'HighErrorRate', service: 'checkout', severity: 'P1' });
    const b = normalizeOne({ title: 'HighErrorRate', service: 'checkout', severity: 'P3', summary: 'again' });
    const c = normalizeOne({ title: 'HighErrorRate', service: 'payments' });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('reports every wrong field with its path', () => {
    const problems = problemsOf({
      title: 42,
      severity: 'sev1',
      status: 'firing!',
      runbook_url: 'javascript:alert(1)',
      links: [{ title: 'ok', url: 'https://x.example' }, { title: 'bad', url: 'not a url' }],
      labels: { team: 7 },
      started_at: 'yesterday',
    });
    expect(problems.map((problem) => problem.path).sort()).toEqual(
      ['labels.team', 'links[1].url', 'runbook_url', 'severity', 'started_at', 'status', 'title'].sort(),
    );
    expect(problems.find((problem) => problem.path === 'severity')?.message).toContain('critical');
  });

  it('requires a non-blank title', () => {
    expect(problemsOf({ severity: 'P1' }).map((p) => p.path)).toEqual(['title']);
    expect(problemsOf({ title: '   ' }).map((p) => p.path)).toEqual(['title']);
  });

  it.each([[null], [[]], ['HighErrorRate'], [42], [true]])('refuses a non-object body %j at the root', (payload) => {
    expect(problemsOf(payload)).toEqual([{ path: '(root)', message: expect.stringContaining('expected object') }]);
  });

  it('quotes label names that are not identifiers in paths', () => {
    expect(problemsOf({ title: 'x', labels: { 'app.kubernetes.io/name': false } })[0]?.path).toBe('labels["app.kubernetes.io/name"]');
  });

  it('refuses more than 64 labels', () => {
    const labels = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`l${i}`, 'v']));
    expect(problemsOf({ title: 'x', labels })).toEqual([{ path: 'labels', message: expect.stringContaining('64') }]);
  });
});

describe('normalizeGeneric on arbitrary input', () => {
  it('never throws, and only yields an alert for an object with a non-blank string title', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (payload) => {
        const result = normalizeGeneric(payload, context);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const problem of result.problems) {
            expect(typeof problem.path).toBe('string');
            expect(typeof problem.message).toBe('string');
          }
          return;
        }
        expect(typeof payload).toBe('object');
        const title = (payload as { title?: unknown }).title;
        expect(typeof title).toBe('string');
        expect(result.alerts[0]?.title).toBe((title as string).trim());
        expect(result.alerts[0]?.title).not.toBe('');
      }),
      { numRuns: 2000 },
    );
  });

  it('never yields an alert from JSON text that is not an alert object', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const payload: unknown = JSON.parse(text);
        const result = normalizeGeneric(payload, context);
        const looksLikeAlert = typeof payload === 'object' && payload !== null && !Array.isArray(payload) && typeof (payload as { title?: unknown }).title === 'string';
        if (!looksLikeAlert) expect(result.ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts every well-formed alert and keeps its title, service and labels', () => {
    const word = fc.stringMatching(/^[A-Za-z][\w-]{0,30}$/);
    fc.assert(
      fc.property(
        fc.record(
          {
            title: word,
            severity: fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5', 'critical', 'error', 'warning', 'info'),
            service: word,
            status: fc.constantFrom('firing', 'resolved'),
            labels: fc.dictionary(word, fc.string({ maxLength: 40 }), { maxKeys: 10 }),
            started_at: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
          },
          { requiredKeys: ['title'] },
        ),
        (payload) => {
          const alert = normalizeOne(payload);
          expect(alert.title).toBe(payload.title);
          if (payload.service) expect(alert.service).toBe(payload.service);
          expect(alert.labels).toEqual(payload.labels ?? {});
          expect(alert.severity).toMatch(/^P[1-5]$/);
          if (payload.started_at) expect(alert.startsAt).toBe(payload.started_at);
        },
      ),
      { numRuns: 300 },
    );
  });
});
