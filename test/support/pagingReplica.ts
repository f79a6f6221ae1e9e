/**
 * firewatch in GitHub mode against the sandbox in another process, on the sandbox's clock: as
 * `startSandboxed` does in-process, every move of that clock runs the sweep (and so paging) at
 * the new time. For tests that kill firewatch for real and start a fresh one. Environment:
 * SANDBOX_API, SANDBOX_URL, APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, PORT, FIREWATCH_ALERT_TOKEN, and
 * the paging variables (FIREWATCH_NTFY_URL, FIREWATCH_CONTACTS, ...). Prints `replica ready <url>`,
 * then `swept <iso>` after each sweep.
 */
import { startServer } from '../../src/server.ts';

const env = process.env;
const sandboxUrl = env['SANDBOX_URL'] ?? '';
const readClock = async (): Promise<{ now: Date; running: boolean }> => {
  const response = await fetch(`${sandboxUrl}/_sandbox/clock`);
  const { now, running } = (await response.json()) as { now: string; running: boolean };
  return { now: new Date(now), running };
};
// The sandbox's time as last read (a set clock stands still there), moved on with real time only while it runs.
let reading = await readClock();
let readAt = Date.now();
const clock = () => new Date(reading.now.getTime() + (reading.running ? Date.now() - readAt : 0));
const server = await startServer({
  mode: 'github',
  credentials: { kind: 'app', appId: Number(env['APP_ID']), privateKey: env['PRIVATE_KEY'] ?? '', webhookSecret: env['WEBHOOK_SECRET'] ?? '', baseUrl: env['SANDBOX_API'] ?? '' },
  port: Number(env['PORT'] ?? 0),
  intake: { token: env['FIREWATCH_ALERT_TOKEN'] ?? 'replica-token' },
  defaultRepo: { owner: 'acme', repo: 'shop' },
  logLevel: 'warn',
  clock,
  // Sweeps run when the sandbox clock moves (below), never on their own.
  sweepTickMs: 3_600_000,
});
process.stdout.write(`replica ready ${server.url}\n`);
const sweep = async () => {
  await server.sweeps.runNow();
  process.stdout.write(`swept ${clock().toISOString()}\n`);
};
await sweep();
let busy = false;
setInterval(() => {
  if (busy) return;
  busy = true;
  void readClock()
    .then(async (next) => {
      // Moved by the test? A clock standing still moved if it reads anything else; a running one drifting from our estimate by under a second did not.
      const drift = Math.abs(next.now.getTime() - clock().getTime());
      if (next.running === reading.running && (next.running ? drift < 1000 : drift === 0)) return;
      reading = next;
      readAt = Date.now();
      await sweep();
    })
    .catch(() => {})
    .finally(() => (busy = false));
}, 50);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
