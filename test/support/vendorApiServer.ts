import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: IncomingHttpHeaders;
}

interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Answers a request, or returns undefined for "no such route" (a 404 the test will notice). */
export type Route = (request: RecordedRequest) => Reply | undefined;

/**
 * A stand-in for a vendor's REST API on loopback: it records every request (path, query, headers)
 * so a test asserts the exact request shape, and answers from the route function.
 */
export async function startVendorApi(route: Route): Promise<{ url: string; requests: RecordedRequest[]; close: () => Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query: Record<string, string[]> = {};
    for (const [name, value] of url.searchParams) (query[name] ??= []).push(value);
    const request = { method: req.method ?? 'GET', path: url.pathname, query, headers: req.headers };
    requests.push(request);
    const reply = route(request) ?? { status: 404, body: { error: { message: 'Not Found', code: 2100 } } };
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
