import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'probot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alert.ts';
import { createMetrics, type Metrics } from '../../src/metrics.ts';
import { NoIncidentRepoError, type AlertProcessor, type ProcessedAlert } from '../../src/runtime/alertProcessor.ts';
import { createAlertRoute } from '../../src/runtime/alertRoute.ts';
import { NotInstalledError } from '../../src/runtime/installationOctokit.ts';

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
let behaviour: () => Promise<ProcessedAlert>;

beforeAll(async () => {
  const process: AlertProcessor = async (alert) => {
    processed.push(alert);
    return behaviour();
  };
  server = createServer((req, res) => {
    const source = (req.url ?? '').split('/')[2] ?? '';
    const handle = createAlertRoute({ auth: { token: 'tok' }, process, metrics, log: recordingLogger(lines), clock: () => new Date('2026-05-01T00:00:00Z') });
    void handle(req, res, source);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  metrics = createMetrics();
  lines = [];
  processed = [];
  behaviour = async () => ({ repo: { owner: 'acme', repo: 'shop' }, outcome: 'created', issue: { number: 7, html_url: 'http://x/acme/shop/issues/7' }, incident: '20260501-checkout-ab12' });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (body: string, headers: Record<string, string> = { authorization: 'Bearer tok' }) =>
  fetch(`${url}/alerts/generic`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('alert route', () => {
  it('passes the normalized alert on and logs one line with source, fingerprint, outcome and incident', async () => {
    const response = await post(JSON.stringify({ title: 'HighErrorRate', service: 'checkout', severity: 'critical' }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ outcome: 'created', incident: { repo: 'acme/shop', number: 7, url: 'http://x/acme/shop/issues/7' } });
    expect(processed).toEqual([expect.objectContaining({ title: 'HighErrorRate', severity: 'P1', startsAt: '2026-05-01T00:00:00.000Z' })]);
    const line = lines.find((candidate) => candidate.fields['issue'] === 7);
    expect(line).toMatchObject({
      level: 'info',
      message: 'alert opened incident #7',
      fields: { source: 'generic', fingerprint: processed[0]?.fingerprint, outcome: 'created', repo: 'acme/shop', incident: '20260501-checkout-ab12' },
    });
  });

  it('answers 200 when the alert updated an open incident', async () => {
    behaviour = async () => ({ repo: { owner: 'acme', repo: 'shop' }, outcome: 'updated', issue: { number: 7, html_url: 'u' } });
    const response = await post(JSON.stringify({ title: 'HighErrorRate' }));
    expect(response.status).toBe(200);
    expect(await metrics.registry.getSingleMetricAsString('firewatch_alerts_total')).toContain('firewatch_alerts_total{source="generic",outcome="updated"} 1');
  });

  it('refuses without a token before reading the body', async () => {
    const response = await post('not even json', {});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(processed).toEqual([]);
  });

  it.each([
    ['no incident repository', () => new NoIncidentRepoError(), 503, /FIREWATCH_REPO/],
    ['an app that is not installed', () => new NotInstalledError({ owner: 'acme', repo: 'ops' }), 503, /install the app on acme\/ops/],
    ['a GitHub error', () => Object.assign(new Error('Server Error'), { status: 500 }), 502, /retry/],
  ])('maps %s to %i with a hint, counted as failed', async (_name, makeError, status, hint) => {
    behaviour = () => Promise.reject(makeError());
    const response = await post(JSON.stringify({ title: 'x' }));
    expect(response.status).toBe(status);
    expect(((await response.json()) as { hint: string }).hint).toMatch(hint);
    expect(await metrics.registry.getSingleMetricAsString('firewatch_alerts_total')).toContain('firewatch_alerts_total{source="generic",outcome="failed"} 1');
    expect(lines.some((line) => line.level === 'error')).toBe(true);
  });
});
