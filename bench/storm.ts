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
import { availableParallelism, loadavg } from 'node:os';
import { parseStateBlock } from '../src/domain/incident/incidentState.ts';
import { cpuTicks, deploy, json, memoryOf, percentile, resetPeak } from './support/processes.ts';
import { send as sendWith, target, warmLoadGenerator } from './support/load.ts';

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

const deployment = await deploy({ alertToken: TOKEN, ...(process.env['STORM_PROF'] ? { serverArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env['STORM_PROF']}`, '--expose-gc'] } : { serverArgs: ['--expose-gc'] }) });
const { server, sandbox: github, sandboxUrl: sandbox, appUrl: app, serverStartMs } = deployment;
const child = server.child;

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

const appTarget = target(app, CONCURRENCY);
const send = (bodies: string[]) => sendWith(appTarget, TOKEN, bodies, CONCURRENCY);

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
  const warmedIn = await warmLoadGenerator(
    Array.from({ length: 2_000 }, (_, i) => JSON.stringify({ title: `Warm${i % PROBLEMS}`, service: 'checkout', severity: 'critical', summary: 'storm' })),
    CONCURRENCY,
  );
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
  appTarget.agent.destroy();
  deployment.stop();
}
process.exitCode = ok ? 0 : 1;
