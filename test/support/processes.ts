/** Starting firewatch the way a user does (`firewatch serve`) from tests, on free loopback ports. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningFirewatch {
  /** The process id, e.g. to read its memory from /proc. */
  pid: number;
  appUrl: string;
  sandboxUrl: string;
  apiUrl: string;
  output: () => string;
  stop: () => Promise<void>;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Spawns `node bin/firewatch.js serve` with no GitHub credentials (sandbox mode) and waits for `firewatch ready`. */
export async function startFirewatch(env: Record<string, string> = {}, timeoutMs = 30_000): Promise<RunningFirewatch> {
  const port = await freePort();
  const sandboxPort = await freePort();
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['bin/firewatch.js', 'serve'], {
    cwd: repoRoot,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      PORT: String(port),
      SANDBOX_PORT: String(sandboxPort),
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`firewatch did not print "firewatch ready" within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = (): void => {
      if (output.includes('firewatch ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`firewatch exited with ${code} before it was ready:\n${output}`));
    });
  });

  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  return {
    pid: child.pid ?? 0,
    appUrl: `http://127.0.0.1:${port}`,
    sandboxUrl,
    apiUrl: `${sandboxUrl}/api/v3`,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
