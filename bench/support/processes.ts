/**
 * What the storm benchmarks share: free ports, child processes that end with the benchmark, the
 * sandbox GitHub and a firewatch replica each in its own process, JSON requests, percentiles, and
 * each process's CPU and memory from /proc.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const baseEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', LOG_LEVEL: 'warn' as const };

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

// However the benchmark ends (a failed target, an exception, Ctrl-C), its server and sandbox end with it.
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

/**
 * STORM_PIN=1 on a machine of two cores or more: the servers measured (firewatch, the bare server)
 * run on core 0, and what stands in for the network and for GitHub (this load generator, the
 * sandbox; with an intake-only replica, the replica that files and Redis) on core 1, so a server's latency is its own work's, not the sandbox's competing for its
 * core. `taskset` (util-linux) does the pinning; without it nothing is pinned.
 */
const PIN = process.env['STORM_PIN'] === '1';
export const SERVER_CPU = '0';
const OTHER_CPU = '1';
if (PIN) execFileSync('taskset', ['-p', '-c', OTHER_CPU, String(process.pid)], { stdio: 'ignore' });

export interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Spawns `node command…` in the project and waits until its output matches `ready`. */
export async function started(command: string[], env: Record<string, string>, ready: RegExp, cpu?: string): Promise<Started> {
  const [file, args] = PIN && cpu !== undefined ? ['taskset', ['-c', cpu, process.execPath, ...command]] : [process.execPath, command];
  const child = spawn(file, args, { cwd: root, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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

export interface Deployment {
  sandbox: Started;
  server: Started;
  /** The sandbox's base URL (`/api/v3`, `/_sandbox/…` below it). */
  sandboxUrl: string;
  /** firewatch's base URL (the intake-only replica's, when there is one). */
  appUrl: string;
  /** With `intakeOnly`: the replica that accepts alerts and files none (`FIREWATCH_QUEUE_CONCURRENCY=0`). */
  intake?: Started;
  /** How long the firewatch process took to start, the sandbox already up. */
  serverStartMs: number;
  stop(): void;
}

/**
 * GitHub (the sandbox) in its own process, as GitHub is not in firewatch's process either, and a
 * firewatch server in GitHub mode against it (`test/support/replica.ts`): the server's CPU and
 * memory figures are then firewatch's own. `env` goes to the server (PACE=github paces it under
 * GitHub's limits; REDIS_URL; …); `serverArgs` to node before the script (profiling).
 */
export async function deploy(options: { alertToken: string; env?: Record<string, string>; serverArgs?: string[]; intakeOnly?: boolean }): Promise<Deployment> {
  const port = await freePort();
  const sandboxPort = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const sandbox = await started(['bin/firewatch.js', 'sandbox', '--webhook-url', `${appUrl}/api/github/webhooks`], { SANDBOX_PORT: String(sandboxPort) }, /firewatch ready/);
  const credentials = /APP_ID=(\d+) PRIVATE_KEY_PATH=(\S+) WEBHOOK_SECRET=(\w+)/.exec(sandbox.output());
  if (!credentials) throw new Error(`cannot read the sandbox app's credentials:\n${sandbox.output()}`);
  const spawned = performance.now();
  const replicaEnv = (replicaPort: number): Record<string, string> => ({
    PORT: String(replicaPort),
    APP_ID: credentials[1] ?? '',
    PRIVATE_KEY_PATH: credentials[2] ?? '',
    WEBHOOK_SECRET: credentials[3] ?? '',
    SANDBOX_API: `${sandboxUrl}/api/v3`,
    FIREWATCH_ALERT_TOKEN: options.alertToken,
    // Paging goes to the sandbox's inbox, as under `npm start` (else every new incident says its page failed).
    FIREWATCH_SANDBOX_INBOX_URL: `${sandboxUrl}/_sandbox/notifications`,
    ...(process.env['REDIS_URL'] ? { REDIS_URL: process.env['REDIS_URL'] } : {}),
    ...options.env,
  });
  // With an intake-only replica, that one is the server measured (core 0); the filing one stands with GitHub's side.
  const server = await started([...(options.serverArgs ?? []), '--import', 'tsx', 'test/support/replica.ts'], replicaEnv(port), /replica ready/, options.intakeOnly ? OTHER_CPU : SERVER_CPU);
  const serverStartMs = performance.now() - spawned;
  // GitHub's webhooks go to the filing replica (the sandbox was told its URL); alerts to the intake one.
  const intakePort = options.intakeOnly ? await freePort() : undefined;
  const intake = intakePort ? await started([...(options.serverArgs ?? []), '--import', 'tsx', 'test/support/replica.ts'], { ...replicaEnv(intakePort), FIREWATCH_QUEUE_CONCURRENCY: '0' }, /replica ready/, SERVER_CPU) : undefined;
  return {
    sandbox,
    server,
    ...(intake ? { intake } : {}),
    sandboxUrl,
    appUrl: intakePort ? `http://127.0.0.1:${intakePort}` : appUrl,
    serverStartMs,
    stop() {
      intake?.child.kill('SIGTERM');
      server.child.kill('SIGTERM');
      sandbox.child.kill('SIGTERM');
    },
  };
}

export async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Starts a new peak-RSS measurement (Linux: writing 5 to clear_refs resets VmHWM to the current RSS). */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Busy jiffies of the whole machine, and of the given processes (user + system), each and together. */
export function cpuTicks(pids: number[]): { all: number; ours: number; each: number[] } {
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
