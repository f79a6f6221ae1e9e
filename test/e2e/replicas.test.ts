/**
 * Two firewatch processes share one redis-server and one GitHub (the sandbox); an alert storm split
 * across both still yields exactly one incident per problem, with every notification counted. A
 * third, intake-only replica (`FIREWATCH_QUEUE_CONCURRENCY=0`) accepts alerts that the others file.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { Sandbox } from '@firewatch/sandbox';
import { eventually, freePort } from '../support/processes.ts';
import { startRedis, type RunningRedis } from '../support/redis.ts';
import { needs } from '../support/components.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
let sandbox: Sandbox;
let redis: RunningRedis;
type Replica = { child: ChildProcessWithoutNullStreams; url: string; output: () => string };
const replicas: Replica[] = [];
let intake: Replica | undefined;

async function startReplica(env: Record<string, string> = {}): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/replica.ts'], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/tmp',
      PORT: String(port),
      APP_ID: String(sandbox.appId),
      PRIVATE_KEY: sandbox.privateKey,
      WEBHOOK_SECRET: sandbox.webhookSecret,
      SANDBOX_API: sandbox.apiUrl,
      REDIS_URL: redis.url,
      FIREWATCH_QUEUE_COALESCE_MS: '300',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await eventually(async () => /replica ready (\S+)/.exec(output)?.[1], `replica on ${port}:\n${output}`, 30_000);
  return { child, url, output: () => output };
}

needs('redis', 'with Redis', () => {
beforeAll(async () => {
  redis = await startRedis();
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'replica-webhooks' });
  replicas.push(...(await Promise.all([startReplica(), startReplica()])));
  intake = await startReplica({ FIREWATCH_QUEUE_CONCURRENCY: '0' });
}, 60_000);

afterAll(async () => {
  await Promise.all(
    [...replicas, ...(intake ? [intake] : [])].map(({ child }) => {
      if (child.exitCode !== null) return Promise.resolve();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    }),
  );
  await sandbox?.close();
  await redis?.stop();
});

describe('two replicas sharing Redis', () => {
  it('turn a storm split across both into exactly one incident per problem', async () => {
    const problems = 8;
    const perProblem = 30;
    const sends = Array.from({ length: problems * perProblem }, (_, i) => {
      const problem = i % problems;
      const replica = replicas[i % 2];
      return fetch(`${replica?.url}/alerts/generic`, {
        method: 'POST',
        headers: { authorization: 'Bearer replica-token', 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Problem${problem}`, service: 'checkout', severity: 'P2' }),
      }).then((response) => response.status);
    });
    const statuses = await Promise.all(sends);
    expect(new Set(statuses)).toEqual(new Set([202]));

    const alice = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-alice' });
    const issues = await eventually(
      async () => {
        const { data } = await alice.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', labels: 'incident', state: 'all', per_page: 100 });
        const counted = data.reduce((sum, issue) => sum + (parseStateBlock(issue.body)?.alerts[0]?.count ?? 0), 0);
        return counted === problems * perProblem ? data : undefined;
      },
      'every notification counted on its incident',
      30_000,
    );
    expect(issues).toHaveLength(problems);
    expect(new Set(issues.map((issue) => issue.title)).size).toBe(problems);
    for (const issue of issues) expect(parseStateBlock(issue.body)?.alerts[0]?.count).toBe(perProblem);
    expect(sandbox.stats().byRoute['POST /repos/{owner}/{repo}/issues']).toBe(problems);
    // Incidents are found through the index the replicas share, not GitHub's search (30 a minute).
    expect(sandbox.stats().byRoute['GET /search/issues'] ?? 0).toBe(0);
    // Each replica accepted its half; the filing was shared through the Redis queue.
    for (const replica of replicas) {
      const metrics = await (await fetch(`${replica.url}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`firewatch_alerts_total\\{source="generic",outcome="accepted"\\} ${(problems * perProblem) / 2}\\b`));
    }
  }, 60_000);

  it('files what an intake-only replica accepted: it answers 202 and leaves the filing to the others', async () => {
    const before = sandbox.stats().byRoute['POST /repos/{owner}/{repo}/issues'] ?? 0;
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fetch(`${intake?.url}/alerts/generic`, {
          method: 'POST',
          headers: { authorization: 'Bearer replica-token', 'content-type': 'application/json' },
          body: JSON.stringify({ title: `IntakeOnly${i % 3}`, service: 'checkout', severity: 'P3' }),
        }).then((response) => response.status),
      ),
    );
    expect(new Set(statuses)).toEqual(new Set([202]));
    const alice = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-alice' });
    const filed = await eventually(
      async () => {
        const { data } = await alice.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', labels: 'incident', state: 'all', per_page: 100 });
        const ours = data.filter((issue) => /IntakeOnly\d/.test(issue.title));
        return ours.length === 3 && ours.every((issue) => parseStateBlock(issue.body)?.alerts[0]?.count === 4) ? ours : undefined;
      },
      'the intake replica\'s alerts filed by the others, four notifications on each incident',
      30_000,
    );
    expect(filed.map((issue) => issue.title).sort()).toEqual(['[P3] checkout: IntakeOnly0', '[P3] checkout: IntakeOnly1', '[P3] checkout: IntakeOnly2']);
    expect(sandbox.stats().byRoute['POST /repos/{owner}/{repo}/issues']).toBe(before + 3);
    // Accepted there, filed elsewhere: the intake replica's own metrics count no filing.
    const metrics = await (await fetch(`${intake?.url}/metrics`)).text();
    expect(metrics).toMatch(/firewatch_alerts_total\{source="generic",outcome="accepted"\} 12\b/);
    expect(metrics).not.toMatch(/firewatch_alerts_total\{source="generic",outcome="(?:created|updated)"\} [1-9]/);
  }, 60_000);
});
});
