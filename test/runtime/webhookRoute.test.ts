import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'probot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookRoute, type VerifiedDelivery } from '../../src/runtimes/server/webhookRoute.ts';

const SECRET = 'route-secret';
const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
const log = {
  warn: (fields: Record<string, unknown>, msg: string) => lines.push({ level: 'warn', fields, msg }),
} as unknown as Logger;

let received: VerifiedDelivery[] = [];
let behaviour: 'ok' | 'slow' | 'fail' = 'ok';
let release: () => void = () => {};
const route = createWebhookRoute({
  secret: SECRET,
  log,
  maxBytes: 1024,
  answerWithinMs: 100,
  receive: async (delivery) => {
    received.push(delivery);
    if (behaviour === 'fail') throw new Error('handler broke');
    if (behaviour === 'slow') await new Promise<void>((resolve) => (release = resolve));
  },
});
const unconfigured = createWebhookRoute({ secret: undefined, log, receive: async () => {} });

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((request, response) => void (request.url === '/unconfigured' ? unconfigured : route).handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
  lines.length = 0;
  behaviour = 'ok';
});

function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function deliver(body: string, headers: Record<string, string | undefined> = {}, path = '/') {
  const all: Record<string, string | undefined> = { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': 'd-1', 'x-hub-signature-256': sign(body), ...headers };
  return fetch(`${url}${path}`, { method: 'POST', headers: Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined)), body });
}

const payload = JSON.stringify({ action: 'opened', issue: { number: 1 } });

describe('createWebhookRoute', () => {
  it('hands a correctly signed delivery to the app and answers 200', async () => {
    const response = await deliver(payload);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'handled' });
    expect(received).toEqual([{ id: 'd-1', name: 'issues', payload: { action: 'opened', issue: { number: 1 } } }]);
    expect(lines).toEqual([]);
  });

  const refusals: { name: string; send: () => Promise<Response>; status: number; error: RegExp; hint: RegExp }[] = [
    { name: 'GET', send: () => fetch(url), status: 405, error: /GET is not allowed/, hint: /POST/ },
    { name: 'a declared size over the cap', send: () => deliver('x'.repeat(2048)), status: 413, error: /larger than/, hint: /did not come from GitHub/ },
    { name: 'no event header', send: () => deliver(payload, { 'x-github-event': undefined }), status: 400, error: /X-GitHub-Event/, hint: /GitHub webhook deliveries/ },
    { name: 'no signature', send: () => deliver(payload, { 'x-hub-signature-256': undefined }), status: 401, error: /missing X-Hub-Signature-256/, hint: /WEBHOOK_SECRET/ },
    { name: 'a legacy sha1 signature only', send: () => deliver(payload, { 'x-hub-signature-256': `sha1=${'0'.repeat(40)}` }), status: 401, error: /malformed X-Hub-Signature-256/, hint: /WEBHOOK_SECRET/ },
    { name: 'a signature made with another secret', send: () => deliver(payload, { 'x-hub-signature-256': sign(payload, 'other') }), status: 401, error: /signature does not match/, hint: /WEBHOOK_SECRET/ },
    { name: 'a form-encoded body', send: () => deliver(payload, { 'content-type': 'application/x-www-form-urlencoded' }), status: 415, error: /application\/json/, hint: /Content type/ },
    { name: 'signed malformed JSON', send: () => deliver('{"action":'), status: 400, error: /malformed JSON/, hint: /one JSON document/ },
    { name: 'a signed JSON array', send: () => deliver('[1]'), status: 400, error: /JSON object/, hint: /GitHub webhook deliveries/ },
    { name: 'a server without WEBHOOK_SECRET', send: () => deliver(payload, {}, '/unconfigured'), status: 401, error: /WEBHOOK_SECRET is not set/, hint: /WEBHOOK_SECRET/ },
  ];
  for (const refusal of refusals) {
    it(`refuses ${refusal.name} with ${refusal.status}, JSON error and hint, one log line, the app untouched`, async () => {
      const response = await refusal.send();
      expect(response.status).toBe(refusal.status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: string; hint: string };
      expect(body.error).toMatch(refusal.error);
      expect(body.hint).toMatch(refusal.hint);
      expect(received).toEqual([]);
      expect(lines).toHaveLength(1);
      expect(lines[0]?.msg).toBe(`webhook refused: ${body.error}`);
      expect(lines[0]?.fields).toMatchObject({ status: refusal.status });
    });
  }

  it('cuts off a chunked body over the cap with 413, without handing anything on', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(512)));
        controller.close();
      },
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': 'd-2', 'x-hub-signature-256': sign('') },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(received).toEqual([]);
  });

  it('answers 202 when the handlers outlast the answer deadline, and tracks the delivery until done', async () => {
    behaviour = 'slow';
    const response = await deliver(payload, { 'x-github-delivery': 'slow-1' });
    expect(response.status).toBe(202);
    expect(route.inFlight()).toEqual([{ id: 'slow-1', event: 'issues' }]);
    expect(await route.idle(20)).toBe(false);
    release();
    expect(await route.idle(1_000)).toBe(true);
    expect(route.inFlight()).toEqual([]);
  });

  it('answers 500 with a hint naming the delivery when a handler fails', async () => {
    behaviour = 'fail';
    const response = await deliver(payload, { 'x-github-delivery': 'broken-1' });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'handling the issues delivery failed', hint: expect.stringContaining('delivery broken-1') });
  });
});
