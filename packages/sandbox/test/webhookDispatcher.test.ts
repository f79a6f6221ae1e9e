import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signPayload, WebhookDispatcher } from '../src/webhooks.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
}

describe('webhook deliveries', () => {
  it('are signed, in order, over one kept-alive connection', async () => {
    const seen: { event: string; signature: string; body: string; socket: unknown }[] = [];
    const url = await listen((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ event: String(request.headers['x-github-event']), signature: String(request.headers['x-hub-signature-256']), body, socket: request.socket });
        response.writeHead(202).end();
      });
    });
    const dispatcher = new WebhookDispatcher('s3cret', url, () => new Date('2026-01-01T00:00:00Z'));
    dispatcher.enqueue('issues', { action: 'opened', n: 1 });
    dispatcher.enqueue('issue_comment', { action: 'created', n: 2 });
    await dispatcher.idle();
    dispatcher.close();
    expect(seen.map((s) => s.event)).toEqual(['issues', 'issue_comment']);
    expect(seen[0]?.signature).toBe(signPayload('s3cret', seen[0]?.body ?? ''));
    expect(seen[0]?.socket).toBe(seen[1]?.socket);
    expect(dispatcher.deliveries().map((d) => d.status)).toEqual([202, 202]);
  });

  it('sends again on a new connection when the receiver closed the kept-alive one as it was reused', async () => {
    const requestsPerSocket = new Map<unknown, number>();
    let dropped = 0;
    const url = await listen((request, response) => {
      const count = (requestsPerSocket.get(request.socket) ?? 0) + 1;
      requestsPerSocket.set(request.socket, count);
      request.resume();
      request.on('end', () => {
        if (count === 2) {
          dropped++;
          request.socket.destroy();
          return;
        }
        response.writeHead(200).end();
      });
    });
    const dispatcher = new WebhookDispatcher('s3cret', url, () => new Date());
    dispatcher.enqueue('issues', { action: 'opened' });
    dispatcher.enqueue('issues', { action: 'edited' });
    await dispatcher.idle();
    dispatcher.close();
    expect(dropped).toBe(1);
    expect(dispatcher.deliveries().map((d) => d.status)).toEqual([200, 200]);
  });

  it('records a receiver that never answers a fresh connection as an error, without sending twice', async () => {
    let received = 0;
    const url = await listen((request) => {
      received++;
      request.resume();
      request.on('end', () => request.socket.destroy());
    });
    const dispatcher = new WebhookDispatcher('s3cret', url, () => new Date());
    dispatcher.enqueue('issues', { action: 'opened' });
    await dispatcher.idle();
    dispatcher.close();
    expect(received).toBe(1);
    expect(dispatcher.deliveries()[0]).toMatchObject({ status: 'error', error: 'socket hang up' });
  });
});
