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
const readClock = async (): Promise<number> => {
  const response = await fetch(`${sandboxUrl}/_sandbox/clock`);
  const { now } = (await response.json()) as { now: string };
  return Date.parse(now) - Date.now();
};
let offset = await readClock();
const server = await startServer({
  mode: 'github',
  credentials: { kind: 'app', appId: Number(env['APP_ID']), privateKey: env['PRIVATE_KEY'] ?? '', webhookSecret: env['WEBHOOK_SECRET'] ?? '', baseUrl: env['SANDBOX_API'] ?? '' },
  port: Number(env['PORT'] ?? 0),
  intake: { token: env['FIREWATCH_ALERT_TOKEN'] ?? 'replica-token' },
  defaultRepo: { owner: 'acme', repo: 'shop' },
  logLevel: 'warn',
  throttle: false,
  clock: () => new Date(Date.now() + offset),
  // Sweeps run when the sandbox clock moves (below), never on their own.
  sweepTickMs: 3_600_000,
});
process.stdout.write(`replica ready ${server.url}\n`);
const sweep = async () => {
  await server.sweeps.runNow();
  process.stdout.write(`swept ${new Date(Date.now() + offset).toISOString()}\n`);
};
await sweep();
let busy = false;
setInterval(() => {
  if (busy) return;
  busy = true;
  void readClock()
    .then(async (next) => {
      if (Math.abs(next - offset) < 1000) return;
      offset = next;
      await sweep();
    })
    .catch(() => {})
    .finally(() => (busy = false));
}, 50);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
