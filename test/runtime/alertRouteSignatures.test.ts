import { readFileSync } from 'node:fs';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGrafanaBody, signSentryBody } from '../../src/adapters/intake/sourceSignatures.ts';
import { signAlertBody } from '../../src/adapters/intake/verify.ts';
import { Sandbox } from '@firewatch/sandbox';
import { startServer, type RunningServer } from '../../src/server.ts';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';

const GRAFANA_SECRET = 'grafana-contact-point-secret';
const SENTRY_SECRET = 'sentry-client-secret';
const grafanaBody = readFileSync(new URL('../fixtures/alerts/grafana/firing-values.json', import.meta.url), 'utf8');
const sentryBody = readFileSync(new URL('../fixtures/alerts/sentry/event-alert.json', import.meta.url), 'utf8');

const unixNow = (offsetSeconds = 0) => String(Math.floor(Date.now() / 1000) + offsetSeconds);

async function post(url: string, body: string, headers: Record<string, string>) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe('source-native signatures next to the bearer token', () => {
  let running: Sandboxed;
  let alice: Octokit;

  beforeAll(async () => {
    running = await startSandboxed({
      port: 0,
      sandboxPort: 0,
      intake: { token: 'sandbox-alerts', grafanaSecret: GRAFANA_SECRET, sentrySecret: SENTRY_SECRET },
      logLevel: 'error',
      queue: { coalesceMs: 50 },
    });
    alice = new Octokit({ baseUrl: running.sandbox.apiUrl, auth: 'sandbox-alice' });
  });

  afterAll(async () => {
    await running?.close();
  });

  const issueTitles = async () => {
    const { data } = await alice.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', state: 'all', per_page: 100 });
    return data.filter((issue) => !issue.pull_request).map((issue) => issue.title);
  };

  async function expectRefused(response: Response, error: RegExp) {
    const createdBefore = running.sandbox.stats().contentCreating;
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: string; hint: string };
    expect(body.error).toMatch(error);
    expect(body.hint).toMatch(/Alert sources/);
    expect(await running.server.alertQueue.idle()).toBe(true);
    expect(running.sandbox.stats().contentCreating).toBe(createdBefore);
  }

  it('refuses a Grafana request whose signature was made with another secret, even with a valid token', async () => {
    const before = await issueTitles();
    const response = await post(`${running.server.url}/alerts/grafana`, grafanaBody, {
      authorization: 'Bearer sandbox-alerts',
      'x-grafana-alerting-signature': signGrafanaBody('another-secret', grafanaBody),
    });
    await expectRefused(response, /X-Grafana-Alerting-Signature does not match the body/i);
    expect(await issueTitles()).toEqual(before);
  });

  it('refuses a correctly signed Grafana request replayed outside the 5-minute window', async () => {
    const timestamp = unixNow(-10 * 60);
    const response = await post(`${running.server.url}/alerts/grafana`, grafanaBody, {
      'x-grafana-alerting-signature': signGrafanaBody(GRAFANA_SECRET, grafanaBody, timestamp),
      'x-grafana-alerting-signature-timestamp': timestamp,
    });
    await expectRefused(response, /signed timestamp is 60[01] s away from now \(allowed: 300 s\)/);
  });

  it('refuses a Grafana signature over the body when the timestamp header says it covers timestamp:body', async () => {
    const response = await post(`${running.server.url}/alerts/grafana`, grafanaBody, {
      'x-grafana-alerting-signature': signGrafanaBody(GRAFANA_SECRET, grafanaBody),
      'x-grafana-alerting-signature-timestamp': unixNow(),
    });
    await expectRefused(response, /does not match the body/);
  });

  it('files a Grafana notification authenticated by its signature over timestamp:body alone', async () => {
    const timestamp = unixNow();
    const response = await post(`${running.server.url}/alerts/grafana`, grafanaBody, {
      'x-grafana-alerting-signature': signGrafanaBody(GRAFANA_SECRET, grafanaBody, timestamp),
      'x-grafana-alerting-signature-timestamp': timestamp,
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ outcome: 'accepted', alerts: 2 });
    await running.server.alertQueue.idle();
    const titles = await issueTitles();
    expect(titles.some((title) => title.includes('High memory usage'))).toBe(true);
  });

  it('still accepts the bearer token from a Grafana contact point that does not sign', async () => {
    const response = await post(`${running.server.url}/alerts/grafana`, grafanaBody, { authorization: 'Bearer sandbox-alerts' });
    expect(response.status).toBe(202);
    expect(await running.server.alertQueue.idle()).toBe(true);
  });

  it('refuses a Sentry request with a forged Sentry-Hook-Signature and files one with a valid one', async () => {
    const forged = await post(`${running.server.url}/alerts/sentry`, sentryBody, { 'sentry-hook-signature': signSentryBody('not-the-client-secret', sentryBody) });
    await expectRefused(forged, /Sentry-Hook-Signature does not match the body/i);

    const before = await issueTitles();
    const signed = await post(`${running.server.url}/alerts/sentry`, sentryBody, {
      'sentry-hook-resource': 'event_alert',
      'sentry-hook-signature': signSentryBody(SENTRY_SECRET, sentryBody),
    });
    expect(signed.status).toBe(202);
    await running.server.alertQueue.idle();
    expect(await issueTitles()).toHaveLength(before.length + 1);
  });

  it('does not let a Grafana signature authenticate another source', async () => {
    const generic = JSON.stringify({ title: 'NotGrafana', service: 'api' });
    const response = await post(`${running.server.url}/alerts/generic`, generic, { 'x-grafana-alerting-signature': signGrafanaBody(GRAFANA_SECRET, generic) });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: expect.stringMatching(/missing credentials/) });
  });

  it('counts every refused signature as unauthorized in /metrics', async () => {
    const text = await (await fetch(`${running.server.url}/metrics`)).text();
    expect(text).toMatch(/^firewatch_alerts_total\{source="grafana",outcome="unauthorized"\} 3$/m);
    expect(text).toMatch(/^firewatch_alerts_total\{source="sentry",outcome="unauthorized"\} 1$/m);
  });
});

describe('source-native secrets without the contract token (GitHub mode)', () => {
  let sandbox: Sandbox;
  let server: RunningServer;

  beforeAll(async () => {
    sandbox = await Sandbox.start({ port: 0, webhookSecret: 'whsec' });
    server = await startServer({
      mode: 'github',
      credentials: { kind: 'token', token: 'sandbox-alice', baseUrl: sandbox.apiUrl },
      port: 0,
      intake: { sentrySecret: SENTRY_SECRET },
      defaultRepo: { owner: 'acme', repo: 'shop' },
      logLevel: 'fatal',
    });
  });

  afterAll(async () => {
    await server?.close();
    await sandbox?.close();
  });

  it('refuses an unsigned Sentry request, naming the missing header', async () => {
    const response = await post(`${server.url}/alerts/sentry`, sentryBody, { authorization: 'Bearer anything' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'missing sentry-hook-signature header',
      hint: expect.stringContaining('FIREWATCH_SENTRY_SECRET'),
    });
    expect(sandbox.stats().contentCreating).toBe(0);
  });

  it('keeps every other source closed, even to a request signed for firewatch', async () => {
    const generic = JSON.stringify({ title: 'Closed', service: 'api' });
    const response = await post(`${server.url}/alerts/generic`, generic, { 'x-firewatch-signature': `sha256=${signAlertBody(SENTRY_SECRET, generic)}` });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('intake is closed') });
    expect(sandbox.stats().contentCreating).toBe(0);
  });

  it('files a Sentry issue alert authenticated by its signature alone', async () => {
    const response = await post(`${server.url}/alerts/sentry`, sentryBody, { 'sentry-hook-signature': signSentryBody(SENTRY_SECRET, sentryBody) });
    expect(response.status).toBe(202);
    await server.alertQueue.idle();
    const alice = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-alice' });
    const { data: issues } = await alice.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', state: 'open', labels: 'incident' });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.labels.map((label) => (typeof label === 'string' ? label : label.name))).toContain('incident');
  });
});
