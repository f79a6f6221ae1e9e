/** A throwaway redis-server (Debian's `redis-server`) on a free loopback port, no persistence. */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { freePort } from './processes.ts';

export interface RunningRedis {
  url: string;
  client(): Redis;
  stop(): Promise<void>;
}

export async function startRedis(binary = process.env['REDIS_SERVER_BIN'] ?? '/usr/bin/redis-server'): Promise<RunningRedis> {
  try {
    await access(binary, constants.X_OK);
  } catch {
    throw new Error(`redis-server is not installed at ${binary}: install it with \`apt-get install -y redis-server\` (CI does so in .ci/run)`);
  }
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const clients: Redis[] = [];
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited before it was ready:\n${output}`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') {
        probe.disconnect();
        break;
      }
    } catch {
      probe.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`redis-server was not ready on ${url}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    client() {
      const client = new Redis(url);
      // Clients of a stopped server report ECONNREFUSED; tests do not care.
      client.on('error', () => {});
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.disconnect();
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
