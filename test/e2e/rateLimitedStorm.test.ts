/**
 * Storms against a sandbox that refuses like GitHub (the limits preset, or smaller explicit
 * limits), through real HTTP and the production Octokit stack: firewatch paces itself under the
 * limits, so no request is refused, every incident is filed, and when the budget binds a P1 is
 * filed before the P4s that were waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';

let running: Sandboxed | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

interface Issue {
  number: number;
  title: string;
  labels: { name: string }[];
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function sendAlert(title: string, severity: string): Promise<void> {
  const response = await post(`${running?.server.url}/alerts/generic`, { title, severity, service: 'checkout', summary: `${title} is failing` }, { authorization: 'Bearer sandbox-alerts' });
  expect(response.status).toBe(202);
}

async function incidents(): Promise<Issue[]> {
  const issues: Issue[] = [];
  for (let page = 1; ; page++) {
    const response = await fetch(`${running?.sandbox.apiUrl}/repos/acme/shop/issues?labels=incident&state=all&per_page=100&page=${page}`, { headers: { authorization: 'token sandbox-alice' } });
    const batch = (await response.json()) as Issue[];
    issues.push(...batch);
    if (batch.length < 100) return issues.sort((a, b) => a.number - b.number);
  }
}

async function stats(): Promise<{ limited: number; contentCreating: number; byStatus: Record<string, number> }> {
  return (await (await fetch(`${running?.sandbox.url}/_sandbox/stats`)).json()) as { limited: number; contentCreating: number; byStatus: Record<string, number> };
}

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a storm under GitHub rate limits', () => {
  it("with GitHub's preset: 12 problems, five notifications each, all filed once, none refused by a limit", async () => {
    running = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'error', limits: { preset: 'github' }, queue: { coalesceMs: 100 } });
    const limits = (await (await fetch(`${running.sandbox.url}/_sandbox/limits`)).json()) as { preset: string };
    expect(limits.preset).toBe('github');
    const problems = Array.from({ length: 12 }, (_, i) => ({ title: `Storm problem ${i + 1}`, severity: i < 3 ? 'P1' : 'P4' }));
    await Promise.all(problems.flatMap((problem) => Array.from({ length: 5 }, () => sendAlert(problem.title, problem.severity))));
    expect(await running.server.alertQueue.idle({ timeoutMs: 30_000 })).toBe(true);

    const filed = await incidents();
    expect(filed.map((issue) => issue.title.replace(/^.*(Storm problem \d+).*$/, '$1')).sort()).toEqual(problems.map((problem) => problem.title).sort());
    const counted = await stats();
    expect(counted.limited).toBe(0);
    expect(counted.byStatus['403'] ?? 0).toBe(0);
    expect(counted.byStatus['429'] ?? 0).toBe(0);
    const metrics = await (await fetch(`${running.server.url}/metrics`)).text();
    expect(metrics).not.toMatch(/^firewatch_github_rate_limit_refusals_total\{/m);
  }, 60_000);

  it('when the content budget binds, a P1 arriving behind 40 P4s is the next issue created, and nothing is refused', async () => {
    // A standing clock: the budget refills only when the test moves it, so the order is decided by the pacer alone.
    running = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'error', now: new Date('2026-03-02T09:00:00Z'), queue: { coalesceMs: 100 } });
    const { server, sandbox } = running;
    // A first incident creates the labels; then the limit: ten content-creating requests a minute.
    await sendAlert('Minor problem 0', 'P4');
    expect(await server.alertQueue.idle({ timeoutMs: 10_000 })).toBe(true);
    expect((await post(`${sandbox.url}/_sandbox/limits`, { contentCreatingPerMinute: 10 })).status).toBe(200);
    await Promise.all(Array.from({ length: 40 }, (_, i) => sendAlert(`Minor problem ${i + 1}`, 'P4')));
    // Every batch being filed (the queue's four workers) waits for its turn.
    await until('the budget to bind', () => server.pacer.waiting() >= 4);
    const waitingBefore = server.pacer.waiting();
    const filedBefore = (await incidents()).length;

    await sendAlert('Checkout is down', 'P1');
    await until('the P1 to wait for its turn', () => server.pacer.waiting() > waitingBefore);
    for (let minute = 0; minute < 40 && (await server.alertQueue.depth()) > 0; minute++) {
      const before = (await stats()).contentCreating;
      // Not awaited: the sandbox answers once the sweep it runs at the new time is done, and the sweep's writes wait behind the incidents.
      // The last ones may still be waiting when the test ends and the servers close: their answer does not matter.
      post(`${sandbox.url}/_sandbox/clock`, { advance: 61_000 }).catch(() => {});
      await until('the next minute to be spent', async () => (await server.alertQueue.depth()) === 0 || (server.pacer.waiting() > 0 && (await stats()).contentCreating >= before + 10));
    }
    expect(await server.alertQueue.idle({ timeoutMs: 10_000 })).toBe(true);

    const filed = await incidents();
    expect(filed).toHaveLength(42);
    const p1 = filed.findIndex((issue) => issue.title.includes('Checkout is down'));
    // Issues are numbered in the order they were created: the P1 right after those filed before it came.
    expect(p1).toBe(filedBefore);
    expect(filed[p1]?.labels.map((label) => label.name)).toContain('sev:P1');
    expect((await stats()).limited).toBe(0);
  }, 120_000);
});
