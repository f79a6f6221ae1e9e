/**
 * `HOST` beyond loopback in sandbox mode (issue 16, item 14): `firewatch serve` refuses to start
 * while the well-known alert token would be accepted from the network; with a token of one's own
 * it starts, warns loudly, and only the app is reachable: the sandbox GitHub (its user tokens and
 * `/_sandbox/` control endpoints) stays on 127.0.0.1. 127.0.0.2 stands in for "another address of
 * this machine": a server bound to 127.0.0.1 does not answer there, one bound to 0.0.0.0 does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, freePort, startFirewatch, type RunningFirewatch } from '../support/processes.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
let running: RunningFirewatch | undefined;
let refused: ChildProcess | undefined;

afterAll(async () => {
  // Should have exited on its own; a firewatch that started after all must not outlive the test.
  if (refused && refused.exitCode === null) refused.kill('SIGKILL');
  await running?.stop();
});

describe('the sandbox app beyond loopback', () => {
  it('refuses HOST=0.0.0.0 with the well-known alert token: exit 2, nothing listening', async () => {
    const port = await freePort();
    const sandboxPort = await freePort();
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/firewatch.js', 'serve'], { cwd: root, env: { PATH: process.env['PATH'] ?? '', HOME: '/tmp', HOST: '0.0.0.0', PORT: String(port), SANDBOX_PORT: String(sandboxPort) } });
      refused = child;
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HOST');
    expect(result.stderr).toContain('well-known token "sandbox-alerts"');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 30_000);

  it('with a token of its own: starts with a warning; the app answers beyond loopback, the sandbox does not', async () => {
    running = await startFirewatch({ HOST: '0.0.0.0', FIREWATCH_ALERT_TOKEN: 'a-token-of-our-own' });
    const started = running;
    // On stderr, which may reach us after stdout's "firewatch ready".
    await eventually(async () => (started.output().includes('WARNING: the sandbox app listens on 0.0.0.0') ? true : undefined), 'the start-up warning');
    const elsewhere = running.appUrl.replace('127.0.0.1', '127.0.0.2');
    expect((await fetch(`${elsewhere}/healthz`)).status).toBe(200);
    const wellKnown = await fetch(`${elsewhere}/alerts/generic`, { method: 'POST', headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x' }) });
    expect(wellKnown.status).toBe(401);
    expect((await fetch(`${running.sandboxUrl}/_sandbox/stats`)).status).toBe(200);
    await expect(fetch(`${running.sandboxUrl.replace('127.0.0.1', '127.0.0.2')}/_sandbox/stats`)).rejects.toThrow();
  }, 60_000);
});
