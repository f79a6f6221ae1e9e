import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBody } from '../../src/adapters/intake/readBody.ts';

const LIMIT = 1024;
let server: Server;
let port: number;
const seen: { ok: boolean; bytes: number }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req, LIMIT).then((result) => {
      seen.push({ ok: result.ok, bytes: result.ok ? result.body.length : 0 });
      if (result.ok) res.writeHead(200).end(result.body);
      else res.writeHead(413, { connection: 'close' }).end('too large');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function send(chunks: Buffer[], headers: Record<string, string> = {}, delayMs = 0): Promise<{ status: number; body: string; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/', headers }, (res) => {
      answered = true;
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sentBytes }));
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    void (async () => {
      for (const chunk of chunks) {
        if (answered) break;
        req.write(chunk);
        sentBytes += chunk.length;
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      }
      req.end();
    })();
  });
}

describe('readBody', () => {
  it('returns a body up to the limit byte for byte', async () => {
    const body = Buffer.alloc(LIMIT, 'a');
    const response = await send([body.subarray(0, 100), body.subarray(100)]);
    expect(response).toMatchObject({ status: 200, body: body.toString() });
  });

  it('refuses a declared Content-Length over the limit without reading it', async () => {
    const response = await send([Buffer.alloc(LIMIT + 1, 'a')], { 'content-length': String(LIMIT + 1) });
    expect(response.status).toBe(413);
    expect(seen.at(-1)).toEqual({ ok: false, bytes: 0 });
  });

  it('answers 413 as soon as a streamed body crosses the limit, before the sender is done', async () => {
    const chunks = Array.from({ length: 40 }, () => Buffer.alloc(256, 'b'));
    const response = await send(chunks, { 'transfer-encoding': 'chunked' }, 10);
    expect(response.status).toBe(413);
    expect(response.sentBytes).toBeLessThan(40 * 256);
  });
});
