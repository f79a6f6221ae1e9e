/**
 * Alert storm: 5,000 notifications for 50 distinct problems, sent concurrently to the firewatch
 * server (GitHub mode) backed by the sandbox in a second process, then the same doubled. Prints
 * incidents created, GitHub requests (total, content-creating, per notification; from
 * /_sandbox/stats), accept latency p50/p99, end-to-end time until every issue shows every
 * notification, and the server's peak RSS. `npm run bench:storm` (STORM_NOTIFICATIONS, STORM_PROBLEMS
 * and STORM_CONCURRENCY change the size).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseStateBlock } from '../src/domain/incidentState.ts';

const NOTIFICATIONS = Number(process.env['STORM_NOTIFICATIONS'] ?? 5_000);
const PROBLEMS = Number(process.env['STORM_PROBLEMS'] ?? 50);
const CONCURRENCY = Number(process.env['STORM_CONCURRENCY'] ?? 32);
const TOKEN = 'sandbox-alerts';

interface Stats {
  total: number;
  contentCreating: number;
  byRoute: Record<string, number>;
}

const root = fileURLToPath(new URL('../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const port = await freePort();
const sandboxPort = await freePort();
const app = `http://127.0.0.1:${port}`;
const sandbox = `http://127.0.0.1:${sandboxPort}`;
const baseEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', LOG_LEVEL: 'warn' as const };

async function started(command: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, command, { cwd: root, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!ready.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${command.join(' ')} did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output };
}

// GitHub (the sandbox) in its own process, as GitHub is not in firewatch's process either: the
// server's CPU and memory figures are then firewatch's own.
const github = await started(['bin/firewatch.js', 'sandbox', '--webhook-url', `${app}/api/github/webhooks`], { SANDBOX_PORT: String(sandboxPort) }, /firewatch ready/);
const credentials = /APP_ID=(\d+) PRIVATE_KEY_PATH=(\S+) WEBHOOK_SECRET=(\w+)/.exec(github.output());
if (!credentials) throw new Error(`cannot read the sandbox app's credentials:\n${github.output()}`);
const server = await started(
  [...(process.env['STORM_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['STORM_PROF']}`] : []), '--import', 'tsx', 'test/support/replica.ts'],
  {
    PORT: String(port),
    APP_ID: credentials[1] ?? '',
    PRIVATE_KEY_PATH: credentials[2] ?? '',
    WEBHOOK_SECRET: credentials[3] ?? '',
    SANDBOX_API: `${sandbox}/api/v3`,
    FIREWATCH_ALERT_TOKEN: TOKEN,
    ...(process.env['REDIS_URL'] ? { REDIS_URL: process.env['REDIS_URL'] } : {}),
  },
  /replica ready/,
);
const child = server.child;

async function incidentCounts(prefix: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let page = 1; ; page++) {
    const issues = await json<{ title: string; body: string | null }[]>(`${sandbox}/api/v3/repos/acme/shop/issues?labels=incident&state=all&per_page=100&page=${page}`, {
      headers: { authorization: 'token sandbox-alice' },
    });
    for (const issue of issues) {
      if (!issue.title.includes(prefix)) continue;
      const state = parseStateBlock(issue.body);
      counts.set(issue.title, (counts.get(issue.title) ?? 0) + (state?.alerts.reduce((sum, alert) => sum + alert.count, 0) ?? 0));
    }
    if (issues.length < 100) break;
  }
  return counts;
}

// One keep-alive connection per sender, like Alertmanager's HTTP client: no connection set-up per
// notification, and plain `http` rather than fetch, so the load generator spends as little of the
// shared CPU as it can.
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function postAlert(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${app}/alerts/generic`,
      { method: 'POST', agent, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function send(bodies: string[]): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as string;
      const started = performance.now();
      const status = await postAlert(body);
      latencies.push(performance.now() - started);
      if (status !== 202) throw new Error(`alert refused: ${status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return latencies.sort((a, b) => a - b);
}

async function storm(label: string, notifications: number): Promise<boolean> {
  const prefix = `Storm${label}`;
  const bodies = Array.from({ length: notifications }, (_, i) =>
    JSON.stringify({ title: `${prefix}Problem${i % PROBLEMS}`, service: 'checkout', severity: i % 2 ? 'critical' : 'critical', summary: 'storm' }),
  );
  await fetch(`${sandbox}/_sandbox/stats`, { method: 'DELETE' });
  const started = performance.now();
  // First notification of every problem, then the rest, all at full concurrency: the split only
  // lets us count what the first notifications cost separately.
  const firstLatencies = await send(bodies.slice(0, PROBLEMS));
  const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  while (total(await incidentCounts(prefix)) < PROBLEMS) await new Promise((resolve) => setTimeout(resolve, 50));
  const afterFirst = await json<Stats>(`${sandbox}/_sandbox/stats`);
  const restLatencies = await send(bodies.slice(PROBLEMS));
  const accepted = performance.now() - started;
  let counts: Map<string, number>;
  for (;;) {
    counts = await incidentCounts(prefix);
    if (total(counts) >= notifications) break;
    if (performance.now() - started > 300_000) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const endToEnd = performance.now() - started;
  const stats = await json<Stats>(`${sandbox}/_sandbox/stats`);
  const latencies = [...firstLatencies, ...restLatencies].sort((a, b) => a - b);
  const memory = memoryOf(child.pid ?? 0);
  const rest = notifications - PROBLEMS;
  const laterRequests = stats.total - afterFirst.total;
  const perLater = laterRequests / rest;
  console.log(`\n${label}: ${notifications} notifications for ${PROBLEMS} problems, ${CONCURRENCY} in flight`);
  console.log(`  incidents created            ${counts.size} (must be ${PROBLEMS})`);
  console.log(`  notifications counted        ${[...counts.values()].reduce((a, b) => a + b, 0)}`);
  console.log(`  GitHub requests              ${stats.total} total, ${(stats.total / notifications).toFixed(3)} per notification`);
  console.log(`  content-creating requests    ${stats.contentCreating} total, ${(stats.contentCreating / notifications).toFixed(4)} per notification`);
  console.log(`  first notification/problem   ${afterFirst.total} requests (${(afterFirst.total / PROBLEMS).toFixed(1)} each, incl. labels and config)`);
  console.log(`  after the first              ${laterRequests} requests for ${rest} notifications = ${perLater.toFixed(3)} per notification (target ≤ 0.1)`);
  console.log(`  accept latency               p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (target p99 < 50 ms)`);
  console.log(`  all accepted after           ${(accepted / 1000).toFixed(2)} s`);
  console.log(`  every issue up to date after ${(endToEnd / 1000).toFixed(2)} s`);
  console.log(`  server RSS                   ${memory.rssMb.toFixed(0)} MB now, peak ${memory.peakMb.toFixed(0)} MB`);
  console.log(`  requests by route            ${JSON.stringify(stats.byRoute)}`);
  return counts.size === PROBLEMS && perLater <= 0.1 && percentile(latencies, 99) < 50;
}

let ok: boolean;
try {
  const single = await storm('A', NOTIFICATIONS);
  const peakAfterSingle = memoryOf(child.pid ?? 0).peakMb;
  const doubled = await storm('B', NOTIFICATIONS * 2);
  const peakAfterDoubled = memoryOf(child.pid ?? 0).peakMb;
  const growth = peakAfterDoubled - peakAfterSingle;
  console.log(`\npeak RSS after ${NOTIFICATIONS}: ${peakAfterSingle.toFixed(0)} MB; after another ${NOTIFICATIONS * 2}: ${peakAfterDoubled.toFixed(0)} MB (+${growth.toFixed(0)} MB)`);
  ok = single && doubled;
  console.log(ok ? 'targets met' : 'targets NOT met');
} finally {
  agent.destroy();
  child.kill('SIGTERM');
  github.child.kill('SIGTERM');
}
process.exitCode = ok ? 0 : 1;
