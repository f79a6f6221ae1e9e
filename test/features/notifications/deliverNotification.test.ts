import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverNotification, signBody } from '../../../src/features/notifications/deliverNotification.ts';

interface Received {
  body: string;
  signature: string | undefined;
}

let server: Server;
let base = '';
const received: Received[] = [];
let failuresLeft = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ body, signature: req.headers['x-firewatch-signature'] as string | undefined });
      if (req.url === '/gone') return void res.writeHead(410).end();
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end(), 500);
      if (req.url === '/down' || failuresLeft-- > 0) return void res.writeHead(503).end();
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

describe('deliverNotification', () => {
  it('signs the exact body so the receiver can verify it', async () => {
    received.length = 0;
    const body = JSON.stringify({ version: 1, event: 'opened', text: 'P1 incident opened' });
    const result = await deliverNotification({ url: `${base}/ok`, body, secret: 's3cret', retries: 0, timeoutMs: 2000 });
    expect(result).toEqual({ ok: true, attempts: 1, status: 200 });
    expect(received).toEqual([{ body, signature: signBody(body, 's3cret') }]);
    expect(received[0]?.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('retries a 503 with growing waits and succeeds', async () => {
    received.length = 0;
    failuresLeft = 2;
    const waits: number[] = [];
    const result = await deliverNotification({ url: `${base}/ok`, body: '{}', retries: 3, timeoutMs: 2000 }, { sleep: async (ms) => void waits.push(ms) });
    expect(result).toEqual({ ok: true, attempts: 3, status: 200 });
    expect(waits).toEqual([500, 1000]);
    expect(received).toHaveLength(3);
  });

  it('gives up after the retries and reports why, without throwing', async () => {
    const result = await deliverNotification({ url: `${base}/down`, body: '{}', retries: 2, timeoutMs: 2000 }, { sleep: async () => {} });
    expect(result).toEqual({ ok: false, attempts: 3, error: 'HTTP 503' });
  });

  it('does not retry a refusal and times out a receiver that does not answer', async () => {
    expect(await deliverNotification({ url: `${base}/gone`, body: '{}', retries: 3, timeoutMs: 2000 }, { sleep: async () => {} })).toEqual({ ok: false, attempts: 1, error: 'HTTP 410' });
    expect(await deliverNotification({ url: `${base}/slow`, body: '{}', retries: 0, timeoutMs: 100 })).toEqual({ ok: false, attempts: 1, error: 'no answer within 100 ms' });
    expect(await deliverNotification({ url: 'http://127.0.0.1:1/nothing', body: '{}', retries: 0, timeoutMs: 1000 })).toMatchObject({ ok: false, attempts: 1 });
  });
});
