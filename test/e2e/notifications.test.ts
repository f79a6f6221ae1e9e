/**
 * Notifications from a running firewatch (sandbox): a signed webhook receiver gets incident events
 * and can verify them; a broken receiver delays nothing and its failure shows in /metrics and on
 * the incident.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventMarker } from '../../src/domain/text/eventMarker.ts';
import { signBody } from '../../src/features/notifications/deliverNotification.ts';
import { startChatops, type Chatops } from './chatopsHarness.ts';

const SECRET_ENV = 'FIREWATCH_TEST_NOTIFY_SECRET';
let chat: Chatops;
let receiver: Server;
const received: { path: string; body: string; signature: string | undefined }[] = [];

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  process.env[SECRET_ENV] = 'notify-secret';
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body, signature: req.headers['x-firewatch-signature'] as string | undefined });
      res.writeHead(req.url === '/broken' ? 500 : 204).end();
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  chat = await startChatops(new Date('2026-03-01T10:00:00.000Z'));
  await chat.writeConfig(
    [
      'notifications:',
      '  retries: 1',
      '  timeoutSeconds: 2',
      '  targets:',
      `    - { name: ops-hook, type: webhook, url: "${base}/ok", secretEnv: ${SECRET_ENV}, minSeverity: P2 }`,
      `    - { name: broken-hook, type: webhook, url: "${base}/broken", events: [severity] }`,
      '',
    ].join('\n'),
  );
}, 60_000);
afterAll(async () => {
  delete process.env[SECRET_ENV];
  await chat?.close();
  receiver?.closeAllConnections();
  await new Promise((done) => receiver?.close(done));
});

describe('incident notifications', () => {
  it('delivers signed events and records a broken receiver without blocking the incident', async () => {
    const number = await chat.incident('Checkout fails', 'P2');
    const opened = await waitFor('the opened event', () => received.find((r) => r.path === '/ok' && r.body.includes('"event":"opened"')));
    expect(opened.signature).toBe(signBody(opened.body, 'notify-secret'));
    expect(JSON.parse(opened.body)).toMatchObject({ version: 1, event: 'opened', incident: { service: 'checkout', severity: 'P2', url: expect.stringContaining(`/issues/${number}`) } });

    const started = Date.now();
    const result = await chat.say('bob', number, '/sev P1 all payments fail');
    expect(result.reactions).toEqual(['eyes', 'rocket']);
    // The broken receiver is retried after 0.5 s; the command did not wait for it.
    expect(Date.now() - started).toBeLessThan(2000);

    const severity = await waitFor('the severity event', () => received.find((r) => r.path === '/ok' && r.body.includes('"event":"severity"')));
    expect(JSON.parse(severity.body)).toMatchObject({ event: 'severity', text: 'Severity P2 → P1: Checkout fails' });
    const failure = await waitFor('the failure on the timeline', async () => (await chat.comments(number)).find((c) => parseEventMarker(c.body)?.type === 'notification-failed'));
    expect(failure.body).toContain('Notification "severity" to broken-hook failed after 2 attempts (HTTP 500)');
    expect(received.filter((r) => r.path === '/broken')).toHaveLength(2);

    const metrics = await (await fetch(`${chat.running.server.url}/metrics`)).text();
    expect(metrics).toMatch(/firewatch_notifications_total\{type="webhook",outcome="failed"\} 1/);
    expect(metrics).toMatch(/firewatch_notifications_total\{type="webhook",outcome="delivered"\} [2-9]/);
  }, 60_000);
});
