import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'probot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { createMetrics, type Metrics } from '../../src/adapters/telemetry/metrics.ts';
import type { AlertJob, EnqueueResult } from '../../src/adapters/queue/alertQueue.ts';
import { createAlertRoute, isDryRun } from '../../src/runtimes/server/alertRoute.ts';

interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

function recordingLogger(lines: LogLine[], bound: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (fields: Record<string, unknown> | string, message?: string) => {
    if (typeof fields === 'string') lines.push({ level, fields: bound, message: fields });
    else lines.push({ level, fields: { ...bound, ...fields }, message: message ?? '' });
  };
  const logger = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), child: (more: Record<string, unknown>) => recordingLogger(lines, { ...bound, ...more }) };
  return logger as unknown as Logger;
}

let server: Server;
let url: string;
let metrics: Metrics;
let lines: LogLine[];
let processed: NormalizedAlert[];
let jobs: AlertJob[];
let behaviour: () => Promise<EnqueueResult>;

beforeAll(async () => {
  const queue = {
    enqueue: async (given: AlertJob[]) => {
      const result = await behaviour();
      if (result.ok) {
        jobs.push(...given);
        processed.push(...given.flatMap((job) => job.alerts));
      }
      return result;
    },
  };
  server = createServer((req, res) => {
    const source = new URL(req.url ?? '/', 'http://firewatch.invalid').pathname.split('/')[2] ?? '';
    const handle = createAlertRoute({ auth: { token: 'tok' }, queue, metrics, log: recordingLogger(lines), clock: () => new Date('2026-05-01T00:00:00Z') });
    void handle(req, res, source);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  metrics = createMetrics();
  lines = [];
  processed = [];
  jobs = [];
  behaviour = async () => ({ ok: true });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (body: string, headers: Record<string, string> = { authorization: 'Bearer tok' }, path = '/alerts/generic') =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('alert route', () => {
  it('queues the normalized alert and answers 202 at once, counted as accepted', async () => {
    const response = await post(JSON.stringify({ title: 'HighErrorRate', service: 'checkout', severity: 'critical' }));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ outcome: 'accepted', alerts: 1 });
    expect(processed).toEqual([expect.objectContaining({ title: 'HighErrorRate', severity: 'P1', startsAt: '2026-05-01T00:00:00.000Z' })]);
    expect(jobs).toEqual([{ key: `generic:fp:${processed[0]?.fingerprint}`, alerts: processed, acceptedAt: '2026-05-01T00:00:00.000Z', attempts: 0 }]);
    expect(await metrics.registry.getSingleMetricAsString('firewatch_alerts_total')).toContain('firewatch_alerts_total{source="generic",outcome="accepted"} 1');
  });

  it('answers 503 with retry-after when the queue is full, and counts the alerts as rejected', async () => {
    behaviour = async () => ({ ok: false, reason: 'full', message: 'the alert queue is full (10000 alerts waiting, limit 10000)' });
    const response = await post(JSON.stringify({ title: 'HighErrorRate' }));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('queue is full'), hint: expect.stringContaining('retry') });
    expect(await metrics.registry.getSingleMetricAsString('firewatch_alerts_total')).toContain('firewatch_alerts_total{source="generic",outcome="rejected"} 1');
  });

  it('answers 503 when the queue cannot be reached (Redis down), recording nothing', async () => {
    behaviour = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    const response = await post(JSON.stringify({ title: 'HighErrorRate' }));
    expect(response.status).toBe(503);
    expect(((await response.json()) as { hint: string }).hint).toMatch(/Redis/);
    expect(processed).toEqual([]);
    expect(lines.some((line) => line.level === 'error' && line.message.includes('queue is unavailable'))).toBe(true);
  });

  it('refuses without a token before reading the body', async () => {
    const response = await post('not even json', {});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(processed).toEqual([]);
  });

  describe('dry runs (?dry_run=1)', () => {
    it('answers 200 with what firewatch understood, and queues and counts nothing', async () => {
      const response = await post(JSON.stringify({ title: 'HighErrorRate', service: 'checkout', severity: 'critical' }), undefined, '/alerts/generic?dry_run=1');
      expect(response.status).toBe(200);
      const body = (await response.json()) as { outcome: string; alerts: { fingerprint: string }[] };
      expect(body).toEqual({
        outcome: 'dry_run',
        alerts: [
          {
            key: `generic:fp:${body.alerts[0]?.fingerprint}`,
            source: 'generic',
            fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
            status: 'firing',
            title: 'HighErrorRate',
            severity: 'P1',
            service: 'checkout',
            startsAt: '2026-05-01T00:00:00.000Z',
          },
        ],
      });
      expect(processed).toEqual([]);
      expect(await metrics.registry.getSingleMetricAsString('firewatch_alerts_total')).not.toContain('firewatch_alerts_total{');
    });

    it('gives the fingerprint a real notification would get, so a test finds the same problem', async () => {
      const payload = JSON.stringify({ title: 'DiskFull', service: 'db' });
      const dry = (await (await post(payload, undefined, '/alerts/generic?dry_run=true')).json()) as { alerts: { key: string }[] };
      expect((await post(payload)).status).toBe(202);
      expect(jobs.map((job) => job.key)).toEqual([dry.alerts[0]?.key]);
    });

    it('checks credentials and shape as a real notification is checked', async () => {
      const unauthorized = await post(JSON.stringify({ title: 'HighErrorRate' }), {}, '/alerts/generic?dry_run=1');
      expect(unauthorized.status).toBe(401);
      const wrongShape = await post(JSON.stringify({ title: 42 }), undefined, '/alerts/generic?dry_run=1');
      expect(wrongShape.status).toBe(422);
      expect(((await wrongShape.json()) as { hint: string }).hint).toContain('title');
      expect(processed).toEqual([]);
    });

    it('treats dry_run=0, false and no as a real notification', async () => {
      const response = await post(JSON.stringify({ title: 'HighErrorRate' }), undefined, '/alerts/generic?dry_run=0');
      expect(response.status).toBe(202);
      expect(processed).toHaveLength(1);
    });

    it('reads the flag from the query only', () => {
      expect(isDryRun('/alerts/generic?dry_run=1')).toBe(true);
      expect(isDryRun('/alerts/generic?dry_run')).toBe(true);
      expect(isDryRun('/alerts/generic?x=1&dry_run=TRUE')).toBe(true);
      expect(isDryRun('/alerts/generic?dry_run=No')).toBe(false);
      expect(isDryRun('/alerts/generic?dry_run=false')).toBe(false);
      expect(isDryRun('/alerts/generic')).toBe(false);
      expect(isDryRun('/alerts/dry_run=1')).toBe(false);
      expect(isDryRun(undefined)).toBe(false);
    });
  });
});
