import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { warmUpIntake } from '../../src/runtimes/server/warmUp.ts';

const SECRET = 'warm-up-secret';
let running: Sandboxed;

beforeAll(async () => {
  running = await startSandboxed({ port: 0, sandboxPort: 0, intake: { token: 'sandbox-alerts', secret: SECRET }, logLevel: 'error' });
});

afterAll(async () => {
  await running.close();
});

async function incidentIssues(): Promise<{ title: string }[]> {
  const response = await fetch(`${running.sandbox.apiUrl}/repos/acme/shop/issues?state=all&labels=incident&per_page=100`, { headers: { authorization: 'token sandbox-alice' } });
  return (await response.json()) as { title: string }[];
}

async function alertsTotal(): Promise<string> {
  return (await running.server.metrics.registry.getSingleMetricAsString('firewatch_alerts_total')).split('\n').filter((line) => !line.startsWith('#')).join('\n');
}

describe('warming up the alert route at start-up', () => {
  it('sends dry runs the route answers 200, and files, queues and counts nothing', async () => {
    await fetch(`${running.sandbox.url}/_sandbox/stats`, { method: 'DELETE' });
    const before = await incidentIssues();

    const result = await warmUpIntake({ url: running.server.url, auth: { token: 'sandbox-alerts' }, requests: 40, concurrency: 4 });

    expect(result).toMatchObject({ answered: 40, failed: 0 });
    expect(result.skipped).toBeUndefined();
    expect(await running.server.alertQueue.depth()).toBe(0);
    expect(await alertsTotal()).toBe('');
    expect(await incidentIssues()).toEqual(before);
    const stats = (await (await fetch(`${running.sandbox.url}/_sandbox/stats`)).json()) as { total: number; contentCreating: number };
    expect(stats.contentCreating).toBe(0);
  });

  it('signs its requests when only the HMAC secret is configured', async () => {
    const result = await warmUpIntake({ url: running.server.url, auth: { secret: SECRET }, requests: 10, concurrency: 2 });
    expect(result).toMatchObject({ answered: 10, failed: 0 });
  });

  it('gives up after 16 refusals instead of sending every request to a route that refuses them', async () => {
    const result = await warmUpIntake({ url: running.server.url, auth: { token: 'not-the-token' }, requests: 500, concurrency: 4 });
    expect(result.answered).toBe(0);
    // Senders already in flight when the 16th refusal came back finish their request.
    expect(result.failed).toBeGreaterThanOrEqual(16);
    expect(result.failed).toBeLessThan(16 + 4);
    expect(await alertsTotal()).toContain('firewatch_alerts_total{source="generic",outcome="unauthorized"}');
  });

  it('sends nothing when the intake is closed or the warm-up is off', async () => {
    expect(await warmUpIntake({ url: running.server.url, auth: {}, requests: 100 })).toMatchObject({ answered: 0, failed: 0, skipped: 'alert intake is closed' });
    expect(await warmUpIntake({ url: running.server.url, auth: { token: 'sandbox-alerts' }, requests: 0 })).toMatchObject({ answered: 0, failed: 0, skipped: 'disabled' });
  });

  it('stops at its time limit', async () => {
    const result = await warmUpIntake({ url: running.server.url, auth: { token: 'sandbox-alerts' }, requests: 100_000, maxMs: 150 });
    expect(result.answered).toBeGreaterThan(0);
    expect(result.answered).toBeLessThan(100_000);
    expect(result.ms).toBeLessThan(2_000);
  });
});
