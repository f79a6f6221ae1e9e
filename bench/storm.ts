/**
 * Alert storm: 5,000 notifications for 50 distinct problems, sent concurrently to the firewatch
 * server (GitHub mode) backed by the sandbox in a second process, then the same doubled. Prints
 * incidents created, GitHub requests (total, content-creating, per notification; from
 * /_sandbox/stats), accept latency p50/p99, end-to-end time until every issue shows every
 * notification, and the server's peak RSS. `npm run bench:storm` (STORM_NOTIFICATIONS, STORM_PROBLEMS
 * and STORM_CONCURRENCY change the size).
 *
 * Memory: after each run the server is asked (SIGUSR2) for its heap after a full garbage collection;
 * that, not RSS, tells whether something grows per notification (V8 keeps collected heap mapped for a
 * while, so RSS alone rises with a longer run). The peak-RSS high-water mark is reset between runs, so
 * each run's peak is its own. The full GC after A means B starts from a collected heap, which costs
 * B a few ms of p99. CPU: each process's CPU time, and the CPU other processes used during each run,
 * are printed, since latency on a shared 2-core machine is mostly waiting for a core.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { Agent, createServer as createHttpServer, request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseStateBlock } from '../src/domain/incident/incidentState.ts';

const NOTIFICATIONS = Number(process.env['STORM_NOTIFICATIONS'] ?? 5_000);
const PROBLEMS = Number(process.env['STORM_PROBLEMS'] ?? 50);
const CONCURRENCY = Number(process.env['STORM_CONCURRENCY'] ?? 32);
/**
 * By default the first notification of every problem is sent, and the rest once those 50 incidents
 * are filed, so the GitHub requests after the first notification of each problem can be counted.
 * STORM_PAUSE=0 sends all of them without that pause, as a real storm comes: new incidents are then
 * filed while the rest keep arriving, and only the overall request figures are printed.
 */
const PAUSE = process.env['STORM_PAUSE'] !== '0';
const TOKEN = 'sandbox-alerts';
const cpus = availableParallelism();

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

/** Starts a new peak-RSS measurement (Linux: writing 5 to clear_refs resets VmHWM to the current RSS). */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Busy jiffies of the whole machine, and of the given processes (user + system), each and together. */
function cpuTicks(pids: number[]): { all: number; ours: number; each: number[] } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const all = fields.slice(0, 8).reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
  const each = pids.map((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(after[11]) + Number(after[12]);
    } catch {
      return 0;
    }
  });
  return { all, ours: each.reduce((a, b) => a + b, 0), each };
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

// However the benchmark ends (a failed target, an exception, Ctrl-C), its server and sandbox end with it.
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

async function started(command: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, command, { cwd: root, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
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
const serverSpawned = performance.now();
const server = await started(
  [...(process.env['STORM_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['STORM_PROF']}`] : []), '--expose-gc', '--import', 'tsx', 'test/support/replica.ts'],
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
const serverStartMs = performance.now() - serverSpawned;

interface HeapReport {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** The server's memory after a full garbage collection (test/support/replica.ts answers SIGUSR2). */
async function heapAfterGc(): Promise<HeapReport> {
  const seen = server.output().length;
  child.kill('SIGUSR2');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = /replica memory (\{.*\})/.exec(server.output().slice(seen))?.[1];
    if (line) return JSON.parse(line) as HeapReport;
    if (Date.now() > deadline) throw new Error(`the server did not report its memory:\n${server.output().slice(seen)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

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

interface Target {
  base: string;
  agent: Agent;
}

function postAlert(target: Target, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${target.base}/alerts/generic`,
      { method: 'POST', agent: target.agent, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
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

async function send(bodies: string[], target: Target = { base: app, agent }): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as string;
      const started = performance.now();
      const status = await postAlert(target, body);
      latencies.push(performance.now() - started);
      if (status !== 202) throw new Error(`alert refused: ${status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return latencies.sort((a, b) => a - b);
}

/**
 * The load generator is a Node process too, and its own HTTP client runs slowly until V8 has
 * optimized it: measured, its first requests took up to 30 ms before they even reached the server.
 * So it first sends the same kind of requests to a stub in its own process, and run A measures a
 * cold firewatch server, not a cold load generator.
 */
async function warmLoadGenerator(requests: number): Promise<number> {
  const stub = createHttpServer((incoming, outgoing) => {
    incoming.resume();
    incoming.on('end', () => {
      outgoing.writeHead(202, { 'content-type': 'application/json; charset=utf-8' });
      outgoing.end('{"outcome":"accepted","alerts":1}\n');
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  const stubAgent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const started = performance.now();
  try {
    const port = (stub.address() as { port: number }).port;
    await send(
      Array.from({ length: requests }, (_, i) => JSON.stringify({ title: `Warm${i % PROBLEMS}`, service: 'checkout', severity: 'critical', summary: 'storm' })),
      { base: `http://127.0.0.1:${port}`, agent: stubAgent },
    );
  } finally {
    stubAgent.destroy();
    stub.close();
  }
  return performance.now() - started;
}

async function storm(label: string, notifications: number): Promise<boolean> {
  const prefix = `Storm${label}`;
  const bodies = Array.from({ length: notifications }, (_, i) =>
    JSON.stringify({ title: `${prefix}Problem${i % PROBLEMS}`, service: 'checkout', severity: i % 2 ? 'critical' : 'critical', summary: 'storm' }),
  );
  await fetch(`${sandbox}/_sandbox/stats`, { method: 'DELETE' });
  const pids = [process.pid, child.pid ?? 0, github.child.pid ?? 0];
  const cpuBefore = cpuTicks(pids);
  const started = performance.now();
  // First notification of every problem, then the rest, all at full concurrency: the split only
  // lets us count what the first notifications cost separately (see PAUSE).
  const firstLatencies = await send(bodies.slice(0, PROBLEMS));
  const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  while (PAUSE && total(await incidentCounts(prefix)) < PROBLEMS) await new Promise((resolve) => setTimeout(resolve, 50));
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
  const cpuAfter = cpuTicks(pids);
  // Jiffies are 1/100 s on Linux.
  const otherCores = (cpuAfter.all - cpuBefore.all - (cpuAfter.ours - cpuBefore.ours)) / 100 / (endToEnd / 1000);
  const cpuSeconds = (i: number) => ((cpuAfter.each[i] ?? 0) - (cpuBefore.each[i] ?? 0)) / 100;
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
  if (PAUSE) {
    console.log(`  first notification/problem   ${afterFirst.total} requests (${(afterFirst.total / PROBLEMS).toFixed(1)} each, incl. labels and config)`);
    console.log(`  after the first              ${laterRequests} requests for ${rest} notifications = ${perLater.toFixed(3)} per notification (target ≤ 0.1)`);
  } else {
    console.log('  after the first              not counted: sent without a pause (STORM_PAUSE=0)');
  }
  console.log(`  accept latency               p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (target p99 < 50 ms)`);
  console.log(`    first of each problem      p50 ${percentile(firstLatencies, 50).toFixed(1)} ms, max ${percentile(firstLatencies, 100).toFixed(1)} ms (${firstLatencies.length} requests, cold server in run A)`);
  console.log(`    the rest                   p50 ${percentile(restLatencies, 50).toFixed(1)} ms, p99 ${percentile(restLatencies, 99).toFixed(1)} ms, max ${percentile(restLatencies, 100).toFixed(1)} ms`);
  console.log(`  all accepted after           ${(accepted / 1000).toFixed(2)} s`);
  console.log(`  every issue up to date after ${(endToEnd / 1000).toFixed(2)} s`);
  console.log(`  server RSS                   ${memory.rssMb.toFixed(0)} MB now, peak ${memory.peakMb.toFixed(0)} MB`);
  console.log(`  CPU used                     firewatch ${cpuSeconds(1).toFixed(1)} s (${((cpuSeconds(1) * 1000) / notifications).toFixed(2)} ms per notification), sandbox ${cpuSeconds(2).toFixed(1)} s, load generator ${cpuSeconds(0).toFixed(1)} s`);
  console.log(`  other processes' CPU         ${otherCores.toFixed(2)} of ${cpus} cores during the run (load average ${loadavg()[0]?.toFixed(2)})`);
  console.log(`  requests by route            ${JSON.stringify(stats.byRoute)}`);
  return counts.size === PROBLEMS && (!PAUSE || perLater <= 0.1) && percentile(latencies, 99) < 50;
}

let ok: boolean;
try {
  const warmedIn = await warmLoadGenerator(2_000);
  console.log(`firewatch server started in ${(serverStartMs / 1000).toFixed(2)} s`);
  console.log(`load generator warmed on a local stub: 2,000 requests in ${warmedIn.toFixed(0)} ms`);
  const single = await storm('A', NOTIFICATIONS);
  const peakAfterSingle = memoryOf(child.pid ?? 0).peakMb;
  const afterSingle = await heapAfterGc();
  const peakReset = resetPeak(child.pid ?? 0);
  const doubled = await storm('B', NOTIFICATIONS * 2);
  const peakAfterDoubled = memoryOf(child.pid ?? 0).peakMb;
  const afterDoubled = await heapAfterGc();
  const growth = peakAfterDoubled - peakAfterSingle;
  const heapGrowth = afterDoubled.heapUsed - afterSingle.heapUsed;
  const signed = (text: string, value: number) => `${value >= 0 ? '+' : '−'}${text.replace('-', '')}`;
  console.log(`\nserver memory                  after A (${NOTIFICATIONS})   after B (${NOTIFICATIONS * 2})`);
  console.log(`  heap used after full GC      ${mb(afterSingle.heapUsed).padEnd(16)} ${mb(afterDoubled.heapUsed)} (${signed(mb(heapGrowth), heapGrowth)} in B)`);
  console.log(`  external + array buffers     ${mb(afterSingle.external).padEnd(16)} ${mb(afterDoubled.external)}`);
  console.log(`  RSS after full GC            ${mb(afterSingle.rss).padEnd(16)} ${mb(afterDoubled.rss)}`);
  // Each run's own peak when the kernel lets us reset the high-water mark between them.
  console.log(`  peak RSS${peakReset ? ' of each run    ' : ' so far         '}    ${`${peakAfterSingle.toFixed(0)} MB`.padEnd(16)} ${peakAfterDoubled.toFixed(0)} MB (${signed(`${growth.toFixed(0)} MB`, growth)})`);
  // Flat: the doubled run leaves no more live heap behind than the single one, within 5 MB (50
  // more open incidents are remembered, a few kB).
  const flat = heapGrowth < 5 * 1024 * 1024;
  console.log(`  live heap ${flat ? 'flat' : 'GREW'} across the doubled run (target: within 5 MB)`);
  ok = single && doubled && flat;
  console.log(ok ? 'targets met' : 'targets NOT met');
} finally {
  agent.destroy();
  child.kill('SIGTERM');
  github.child.kill('SIGTERM');
}
process.exitCode = ok ? 0 : 1;
