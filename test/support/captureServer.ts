/** A loopback HTTP server that records every request it gets, for tools that push webhooks at us. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface CaptureServer {
  /** `http://127.0.0.1:<port>`; send to any path under it. */
  url: string;
  /** Everything received so far, oldest first. */
  requests: CapturedRequest[];
  /**
   * Resolves with the first request received after `sinceCount` requests (default: the requests
   * seen so far) that matches `accept`; rejects after `timeoutMs` with what did arrive.
   */
  waitFor: (accept?: (request: CapturedRequest) => boolean, options?: { sinceCount?: number; timeoutMs?: number }) => Promise<CapturedRequest>;
  close: () => Promise<void>;
}

export async function startCaptureServer(status = 200, reply: unknown = {}): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const listeners = new Set<() => void>();

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
      requests.push({ method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers, body, json });
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      for (const listener of [...listeners]) listener();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitFor: (accept = () => true, options = {}) => {
      const start = options.sinceCount ?? requests.length;
      const timeoutMs = options.timeoutMs ?? 15_000;
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = requests.slice(start).find(accept);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          const seen = requests.slice(start).map((r) => `${r.method} ${r.path} ${r.body.toString('utf8').slice(0, 300)}`);
          reject(new Error(`no matching request within ${timeoutMs} ms; received ${seen.length}:\n${seen.join('\n')}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
