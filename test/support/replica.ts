/**
 * One firewatch replica in GitHub mode against an external GitHub (the sandbox), for tests that
 * need several processes: `tsx test/support/replica.ts` with SANDBOX_API, APP_ID, PRIVATE_KEY,
 * WEBHOOK_SECRET (or PRIVATE_KEY_PATH), PORT, FIREWATCH_ALERT_TOKEN and REDIS_URL in the environment.
 * Prints `replica ready <url>`. Also the firewatch process of `npm run bench:storm`, which sends
 * SIGUSR2 to read the process's memory: the replica answers with a line `replica memory {json}`
 * (after a full garbage collection when node runs with --expose-gc), so live memory is told apart
 * from heap the process merely has not returned yet.
 */
import { readFileSync } from 'node:fs';
import { startServer } from '../../src/runtimes/server/startServer.ts';
import { parseQueueEnv } from '../../src/runtimes/env.ts';
import { NO_PACE } from '../../src/adapters/octokit/githubPacer.ts';

const env = process.env;
const server = await startServer({
  mode: 'github',
  credentials: { kind: 'app', appId: Number(env['APP_ID']), privateKey: env['PRIVATE_KEY'] ?? readFileSync(env['PRIVATE_KEY_PATH'] ?? '', 'utf8'), webhookSecret: env['WEBHOOK_SECRET'] ?? '', baseUrl: env['SANDBOX_API'] ?? '' },
  port: Number(env['PORT'] ?? 0),
  intake: { token: env['FIREWATCH_ALERT_TOKEN'] ?? 'replica-token' },
  defaultRepo: { owner: 'acme', repo: 'shop' },
  logLevel: 'warn',
  // The same policy as production; paced under GitHub's limits with PACE=github (the tests' sandboxes enforce none unless they say so).
  ...(env['PACE'] === 'github' ? {} : { pace: NO_PACE }),
  queue: parseQueueEnv(env),
});
process.stdout.write(`replica ready ${server.url}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('SIGUSR2', () => {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  collect?.();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  process.stdout.write(`replica memory ${JSON.stringify({ collected: Boolean(collect), rss, heapUsed, heapTotal, external, arrayBuffers })}\n`);
});
