/**
 * Exactly once across processes. firewatch is killed (SIGKILL, no shutdown) between a page and
 * its re-page; a fresh process, knowing only what is on GitHub, re-pages once and on time. Two
 * paging runs racing over the same incident (a redelivered webhook, a second replica) send it once.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { identityOf } from '../../src/services/identity.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/domain/config/config.ts';
import { createKeyLock } from '../../src/services/keyLock.ts';
import { createPager } from '../../src/features/paging/pager.ts';
import { parsePagingEnv, pagingServices } from '../../src/runtimes/server/pagingEnv.ts';
import { Sandbox } from '@firewatch/sandbox';
import { openIncident } from '../../src/domain/incident/openIncident.ts';
import { renderIncidentBody } from '../../src/features/incidents/renderIncidentBody.ts';
import { stateScope } from '../../src/domain/incident/stateSeal.ts';
import { stateSealFrom } from '../../src/runtimes/stateKey.ts';
import { startCaptureServer, type CaptureServer } from '../support/captureServer.ts';
import { eventually, freePort } from '../support/processes.ts';
import { writeRepoConfig } from '../support/repoConfig.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const repo = { owner: 'acme', repo: 'shop' };
const CONFIG = `
oncall:
  layers:
    - name: primary
      participants: [bob]
      handoff: { weekday: monday, time: '09:00' }
      start: '2026-03-02'
paging:
  policies:
    P1: { channels: [ntfy], repeatMinutes: 5 }
    P2: { channels: [ntfy] }
`;
const CONTACTS = 'people:\n  bob:\n    channels:\n      - ntfy: bob-pages\n';

let sandbox: Sandbox;
let ntfy: CaptureServer;
let alice: Octokit;
const children: ChildProcessWithoutNullStreams[] = [];

interface Replica {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

async function startReplica(): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/pagingReplica.ts'], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      PORT: String(port),
      APP_ID: String(sandbox.appId),
      PRIVATE_KEY: sandbox.privateKey,
      WEBHOOK_SECRET: sandbox.webhookSecret,
      SANDBOX_API: sandbox.apiUrl,
      SANDBOX_URL: sandbox.url,
      FIREWATCH_ALERT_TOKEN: 'replica-token',
      FIREWATCH_NTFY_URL: ntfy.url,
      FIREWATCH_CONTACTS: CONTACTS,
      FIREWATCH_PUBLIC_URL: 'https://firewatch.example.com',
      FIREWATCH_ACK_KEY: 'restart-test-key',
    },
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await eventually(async () => /replica ready (\S+)/.exec(output)?.[1], `paging replica on ${port}`, 30_000);
  return { child, url, output: () => output };
}

/** Sets the sandbox clock and waits until the replica swept at that time (or later). */
async function moveClockAndSweep(replica: Replica, iso: string): Promise<void> {
  await sandbox.setNow(new Date(iso));
  await eventually(async () => ([...replica.output().matchAll(/swept (\S+)/g)].some((match) => (match[1] ?? '') >= iso) ? true : undefined), `a sweep at ${iso}:\n${replica.output()}`);
}

const pagesToBob = () => ntfy.requests.filter((request) => (request.json as { topic?: string } | undefined)?.topic === 'bob-pages');

beforeAll(async () => {
  ntfy = await startCaptureServer();
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'paging-restart', now: new Date('2026-03-03T02:50:00Z') });
  alice = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-alice' });
  await writeRepoConfig(alice, repo, CONFIG, 'paging');
}, 60_000);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
  await sandbox?.close();
  await ntfy?.close();
});

describe('paging across a real restart', () => {
  it('a killed server is replaced by a fresh one that re-pages once, on time', async () => {
    const first = await startReplica();
    await moveClockAndSweep(first, '2026-03-03T03:00:00.000Z');
    const response = await fetch(`${first.url}/alerts/generic`, { method: 'POST', headers: { authorization: 'Bearer replica-token', 'content-type': 'application/json' }, body: JSON.stringify({ title: 'PaymentsDown', severity: 'P1', service: 'payments' }) });
    expect(response.status).toBe(202);
    await eventually(async () => (pagesToBob().length === 1 ? true : undefined), 'the first page');
    // Until the outcome is written back, the run is not over; kill only after GitHub has the record.
    await eventually(async () => {
      const { data } = await alice.rest.issues.listForRepo({ ...repo, labels: 'incident' });
      const number = data[0]?.number;
      if (!number) return undefined;
      const { data: comments } = await alice.rest.issues.listComments({ ...repo, issue_number: number });
      return comments.some((comment) => comment.body?.includes('delivered')) ? true : undefined;
    }, 'the page recorded on the incident');

    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    await sandbox.setNow(new Date('2026-03-03T03:02:00.000Z'));
    const second = await startReplica();
    await moveClockAndSweep(second, '2026-03-03T03:02:00.000Z');
    expect(pagesToBob()).toHaveLength(1);
    // The sandbox clock stands still where it is set: the first page went out at 03:00:00 sharp, so the re-page is due at 03:05:00.
    await moveClockAndSweep(second, '2026-03-03T03:04:59.000Z');
    expect(pagesToBob()).toHaveLength(1);
    await moveClockAndSweep(second, '2026-03-03T03:05:00.000Z');
    expect(pagesToBob()).toHaveLength(2);
    expect((pagesToBob()[1]?.json as { message: string }).message).toContain('(page 2, still not acknowledged)');
    await moveClockAndSweep(second, '2026-03-03T03:06:30.000Z');
    await moveClockAndSweep(second, '2026-03-03T03:08:00.000Z');
    expect(pagesToBob()).toHaveLength(2);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  }, 120_000);

  it('two paging runs racing over one incident send its page once', async () => {
    await sandbox.setNow(new Date('2026-03-03T04:00:00.000Z'));
    // An incident as the app files it, written here so no running app pages it first.
    const state = openIncident({ source: 'generic', fingerprint: 'race', status: 'firing', title: 'QueueStuck', severity: 'P1', service: 'jobs', labels: {}, annotations: {}, startsAt: sandbox.now().toISOString(), links: { other: [] } }, sandbox.now());
    // Sealed with the key the replicas derive from the webhook secret: what they would have written.
    const stateSeal = stateSealFrom({}, { kind: 'app', appId: sandbox.appId, privateKey: sandbox.privateKey, webhookSecret: sandbox.webhookSecret });
    const { data: issue } = await alice.rest.issues.create({ ...repo, title: `[P1] ${state.title}`, body: renderIncidentBody(state, { timezone: 'UTC', scope: stateScope(stateSeal, repo) }), labels: ['incident', 'sev:P1', 'status:triggered'] });
    const number = issue.number;
    const before = pagesToBob().length;
    const { config } = parseConfigText(CONFIG);
    const octokit = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-alice' });
    // Two processes: separate locks, so only the claim on GitHub keeps them apart.
    const pagers = [0, 1].map(() => createPager(pagingServices(parsePagingEnv({ FIREWATCH_NTFY_URL: ntfy.url, FIREWATCH_CONTACTS: CONTACTS }), { clock: () => sandbox.now(), lock: createKeyLock(), stateSeal, log: console, identity: { resolve: async () => identityOf('alice', ['firewatch[bot]']) } })));
    const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const results = await Promise.all(pagers.map((pager) => pager.pageIssue(octokit, repo, number, config, log)));
    expect(results.map((result) => result?.outcome).sort()).toEqual(['paged', 'taken']);
    expect(pagesToBob().length - before).toBe(1);
  });
});
