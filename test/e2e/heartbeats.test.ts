/**
 * Heartbeats (dead man's switches) with the clock pinned: the sandbox's clock is moved and each
 * move runs the sweep, as in `npm start`. A heartbeat that stops pinging opens one incident ("no
 * heartbeat from prometheus-prod for 11 minutes"); a ping after that says so on it and resolves
 * it (`alerts.autoResolve`). The real Alertmanager's always-firing Watchdog pings through a
 * webhook receiver. Across restarts: with Redis the pings survive (a second process sees the
 * first one's), and without Redis the missed state is read back from GitHub.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { Sandbox, fixtureSchema } from '@firewatch/sandbox';
import { startServer, type RunningServer } from '../../src/server.ts';
import { startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.ts';
import { eventually } from '../support/processes.ts';
import { startRedis, type RunningRedis } from '../support/redis.ts';

const shop = { owner: 'acme', repo: 'shop' };
const START = Date.parse('2026-03-02T10:00:00Z');
const CONFIG = `
alerts:
  autoResolve: true
heartbeats:
  - name: prometheus-prod
    interval: 10m
    service: monitoring
  - name: alertmanager-watchdog
    interval: 5m
    service: monitoring
    severity: P1
  - name: nightly-backup
    interval: 10m
`;
const fixture = fixtureSchema.parse({ now: new Date(START).toISOString(), repos: [{ owner: 'acme', name: 'shop', files: { '.github/firewatch.yml': CONFIG, 'README.md': '# shop\n' } }] });
const minutes = (n: number) => new Date(START + n * 60_000);

async function heartbeatIncidents(alice: Octokit, name: string) {
  const { data } = await alice.rest.issues.listForRepo({ ...shop, labels: 'incident', state: 'all', per_page: 100 });
  return data.filter((issue) => issue.title.endsWith(`: No heartbeat from ${name}`));
}

/** The comments alert intake wrote (not correlation's "Suspected changes"). */
async function commentsOf(alice: Octokit, issue: number): Promise<string[]> {
  const { data } = await alice.rest.issues.listComments({ ...shop, issue_number: issue, per_page: 100 });
  return data.map((comment) => comment.body ?? '').filter((body) => body.includes('<!-- firewatch:event {"type":"alert-'));
}

describe('heartbeats, clock pinned (sandbox)', () => {
  let firewatch: Sandboxed;
  let alice: Octokit;
  let alertmanager: RunningAlertmanager | undefined;

  const ping = (name: string, init: RequestInit = {}) => fetch(`${firewatch.server.url}/alerts/heartbeats/${name}/ping`, { headers: { authorization: 'Bearer sandbox-alerts' }, ...init });
  /** Moves the sandbox clock; the sandbox runs the sweep at the new time, as `npm start` does. */
  const at = async (when: Date) => {
    const response = await fetch(`${firewatch.sandbox.url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: when.toISOString() }) });
    expect(response.status).toBe(200);
    await firewatch.server.alertQueue.idle();
    await firewatch.sandbox.idle();
  };

  beforeAll(async () => {
    firewatch = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'error', fixture, queue: { coalesceMs: 100 } });
    alice = new Octokit({ baseUrl: firewatch.sandbox.apiUrl, auth: 'sandbox-alice' });
  }, 30_000);

  afterAll(async () => {
    await alertmanager?.stop();
    await firewatch?.close();
  });

  it('answers pings, and refuses strangers', async () => {
    const response = await ping('prometheus-prod');
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ outcome: 'pong', heartbeat: 'prometheus-prod', at: expect.any(String) });
    expect((await ping('prometheus-prod', { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await ping('not a name')).status).toBe(404);
  });

  it('opens no incident while pings keep coming within the interval', async () => {
    await at(minutes(8));
    expect((await ping('prometheus-prod', { method: 'POST' })).status).toBe(202);
    await at(minutes(16));
    expect(await heartbeatIncidents(alice, 'prometheus-prod')).toHaveLength(0);
  });

  it('opens one incident once the pings stop for longer than the interval, and only one', async () => {
    await at(minutes(19));
    const [incident] = await heartbeatIncidents(alice, 'prometheus-prod');
    expect(incident?.title).toBe('[P2] monitoring: No heartbeat from prometheus-prod');
    expect(incident?.body).toContain('No heartbeat from prometheus-prod for 11 minutes: one is expected at least every 10 minutes, and the last one arrived at 2026-03-02 10:08 UTC.');
    await at(minutes(25));
    await at(minutes(40));
    expect(await heartbeatIncidents(alice, 'prometheus-prod')).toHaveLength(1);
    expect(await commentsOf(alice, incident?.number ?? 0)).toHaveLength(0);
  });

  it('says so on the incident when the pings come back, and resolves it', async () => {
    expect((await ping('prometheus-prod')).status).toBe(202);
    await at(minutes(41));
    const [incident] = await heartbeatIncidents(alice, 'prometheus-prod');
    expect(incident?.state).toBe('closed');
    const comments = await commentsOf(alice, incident?.number ?? 0);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatch(/^> 💓 Heartbeat prometheus-prod is back: a ping arrived at 2026-03-02 10:40 UTC, after about 32 minutes without one\.\n\n✅ All alerts have resolved: \*\*No heartbeat from prometheus-prod\*\*\. Resolving the incident \(autoResolve\)\./);
    expect(parseStateBlock(incident?.body)?.status).toBe('resolved');
  });

  it("counts Alertmanager's always-firing Watchdog, sent to the ping URL, as the heartbeat", async () => {
    // Never pinged since firewatch started watching at 10:00: missed once the 5 minutes are over.
    const [missed] = await heartbeatIncidents(alice, 'alertmanager-watchdog');
    expect(missed?.title).toBe('[P1] monitoring: No heartbeat from alertmanager-watchdog');
    alertmanager = await startAlertmanager({ webhookUrl: `${firewatch.server.url}/alerts/heartbeats/alertmanager-watchdog/ping`, bearerToken: 'sandbox-alerts', groupBy: ['alertname'], repeatInterval: '1m' });
    await alertmanager.postAlerts([{ labels: { alertname: 'Watchdog', severity: 'none' }, annotations: { summary: 'An alert that should always be firing.' } }]);
    let step = 42;
    const back = await eventually(
      async () => {
        await at(minutes(step++));
        const [incident] = await heartbeatIncidents(alice, 'alertmanager-watchdog');
        return incident?.state === 'closed' ? incident : undefined;
      },
      'the Watchdog ping to resolve the missed heartbeat',
      20_000,
    );
    expect((await commentsOf(alice, back.number))[0]).toMatch(/^> 💓 Heartbeat alertmanager-watchdog is back/);
  }, 40_000);
});

describe('heartbeats across restarts', () => {
  let sandbox: Sandbox;
  let redis: RunningRedis;
  let alice: Octokit;
  const running: RunningServer[] = [];

  async function start(withRedis: boolean): Promise<RunningServer> {
    const server = await startServer({
      mode: 'github',
      credentials: { kind: 'app', appId: sandbox.appId, privateKey: sandbox.privateKey, webhookSecret: sandbox.webhookSecret, baseUrl: sandbox.apiUrl },
      port: 0,
      intake: { token: 'restart-token' },
      defaultRepo: shop,
      clock: () => sandbox.now(),
      logLevel: 'error',
      queue: withRedis ? { redisUrl: redis.url, redisPrefix: 'heartbeat-test:', coalesceMs: 100 } : { coalesceMs: 100 },
      sweepTickMs: 3_600_000,
    });
    running.push(server);
    return server;
  }
  const ping = (server: RunningServer, name: string) => fetch(`${server.url}/alerts/heartbeats/${name}/ping`, { method: 'POST', headers: { authorization: 'Bearer restart-token' } });
  const sweepAt = async (server: RunningServer, when: Date) => {
    await sandbox.setNow(when);
    await server.sweeps.runNow();
    await server.alertQueue.idle();
  };

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await Sandbox.start({ port: 0, webhookSecret: 'heartbeat-restarts', fixture });
    alice = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-alice' });
  }, 30_000);

  afterAll(async () => {
    for (const server of running) await server.close();
    await sandbox?.close();
    await redis?.stop();
  });

  it('with Redis, a restarted process knows the last ping: the miss is timed from it, not from the restart', async () => {
    const first = await start(true);
    await sweepAt(first, minutes(0));
    expect((await ping(first, 'nightly-backup')).status).toBe(202);
    await first.close();
    const second = await start(true);
    await sweepAt(second, minutes(6));
    expect(await heartbeatIncidents(alice, 'nightly-backup')).toHaveLength(0);
    // 11 minutes after the ping the first process saw: only 5 after this one started.
    await sweepAt(second, minutes(11));
    const [incident] = await heartbeatIncidents(alice, 'nightly-backup');
    expect(incident?.title).toBe('[P2] nightly-backup: No heartbeat from nightly-backup');
    expect(incident?.body).toContain('the last one arrived at 2026-03-02 10:00 UTC');
    await second.close();
  }, 40_000);

  it('without Redis, the open incident on GitHub is the missed state: no second incident, and the next ping resolves it', async () => {
    const third = await start(false);
    await sweepAt(third, minutes(30));
    expect(await heartbeatIncidents(alice, 'nightly-backup')).toHaveLength(1);
    expect((await ping(third, 'nightly-backup')).status).toBe(202);
    await sweepAt(third, minutes(31));
    const [incident] = await heartbeatIncidents(alice, 'nightly-backup');
    expect(incident?.state).toBe('closed');
    expect((await commentsOf(alice, incident?.number ?? 0))[0]).toMatch(/^> 💓 Heartbeat nightly-backup is back: a ping arrived at 2026-03-02 10:30 UTC/);
    expect(await heartbeatIncidents(alice, 'nightly-backup')).toHaveLength(1);
  }, 40_000);
});
