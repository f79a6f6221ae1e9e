/**
 * Stopping the server (SIGTERM, a deploy) while a notification is on its way: `close()` waits for
 * the delivery to finish, but only up to `drainMs`, so a receiver that never answers cannot hold
 * the shutdown.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixture } from '@firewatch/sandbox';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';

let receiver: Server;
let base = '';
const arrived: string[] = [];
const answered: string[] = [];
const held: ServerResponse[] = [];

beforeAll(async () => {
  receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      arrived.push(req.url ?? '');
      if (req.url === '/slow') {
        setTimeout(() => {
          answered.push('/slow');
          res.writeHead(204).end();
        }, 1500);
      } else held.push(res); // `/silent`: never answers
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of held) res.destroy();
  receiver.closeAllConnections();
  await new Promise((done) => receiver.close(done));
});

async function firewatchNotifying(path: string, drainMs: number): Promise<Sandboxed> {
  const config = ['notifications:', '  retries: 0', '  timeoutSeconds: 30', '  targets:', `    - { name: receiver, type: webhook, url: "${base}${path}" }`, ''].join('\n');
  const fixture = seedFixture();
  const repos = (fixture.repos ?? []).map((repo) => (repo.name === 'shop' ? { ...repo, files: { ...repo.files, '.github/firewatch.yml': config } } : repo));
  return startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'fatal', now: new Date('2026-03-01T10:00:00Z'), fixture: { ...fixture, repos }, drainMs });
}

/** Fires an alert and waits until its "opened" notification reached the receiver. */
async function notificationInFlight(firewatch: Sandboxed, path: string): Promise<void> {
  const response = await fetch(`${firewatch.server.url}/alerts/generic`, {
    method: 'POST',
    headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
    body: JSON.stringify({ title: `Checkout down (${path})`, severity: 'P1', service: 'checkout' }),
  });
  expect(response.status).toBe(202);
  for (let attempt = 0; attempt < 400 && !arrived.includes(path); attempt++) await new Promise((done) => setTimeout(done, 10));
  expect(arrived).toContain(path);
}

async function delivered(firewatch: Sandboxed): Promise<string> {
  const text = await firewatch.server.metrics.registry.metrics();
  return /firewatch_notifications_total\{type="webhook",outcome="delivered"\} (\d+)/.exec(text)?.[1] ?? '0';
}

describe('shutting down with notifications in flight', () => {
  it('waits for a slow receiver to take the delivery before close() resolves', async () => {
    const firewatch = await firewatchNotifying('/slow', 10_000);
    await notificationInFlight(firewatch, '/slow');
    expect(answered).toEqual([]);
    await firewatch.close();
    expect(answered).toEqual(['/slow']);
    expect(await delivered(firewatch)).toBe('1');
  }, 30_000);

  it('gives up on a receiver that never answers after drainMs', async () => {
    const firewatch = await firewatchNotifying('/silent', 300);
    await notificationInFlight(firewatch, '/silent');
    const started = Date.now();
    await firewatch.close();
    // Bounded by drainMs (plus the server's own socket grace), not by the 30 s delivery timeout.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await delivered(firewatch)).toBe('0');
  }, 30_000);
});
