/**
 * Shared by the sandbox tests: a started sandbox, an Octokit per seeded user, and a local
 * webhook receiver that records what the sandbox delivers.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Octokit } from '@octokit/rest';
import { Sandbox, type SandboxOptions } from '../src/index.ts';

export const WEBHOOK_SECRET = 'sandbox-test-secret';

export async function startSandbox(options: Pick<SandboxOptions, 'now' | 'webhookUrl' | 'onClockChange' | 'limits' | 'fixture'> = {}): Promise<Sandbox> {
  return Sandbox.start({ port: 0, webhookSecret: WEBHOOK_SECRET, ...options });
}

export function octokitFor(sandbox: Sandbox, token: string | undefined): Octokit {
  return new Octokit({ baseUrl: sandbox.apiUrl, ...(token ? { auth: token } : {}), request: { retries: 0 }, log: { debug() {}, info() {}, warn() {}, error() {} } });
}

/** Resolves with the HTTP status of an Octokit call that is expected to fail. */
export async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status !== 'number') throw error;
    return status;
  }
}

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  raw: string;
  payload: Record<string, unknown>;
}

export async function startReceiver(status = 200): Promise<{ url: string; received: ReceivedHook[]; close(): Promise<void> }> {
  const received: ReceivedHook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, raw, payload: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
