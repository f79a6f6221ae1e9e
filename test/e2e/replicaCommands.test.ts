/**
 * Commands with two replicas sharing Redis and one sandbox (issues 15 and 16, items 1 and 6): the
 * test plays GitHub's webhook delivery itself, so it decides which replica receives which delivery
 * and can redeliver one to both at once. Every writer of the incident serializes on its key in
 * Redis, handled comments are recorded there, and the rate limit is counted there.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { parseEventMarker } from '../../src/domain/text/eventMarker.ts';
import { Sandbox } from '../../packages/sandbox/src/index.ts';
import { signPayload } from '../../packages/sandbox/src/webhooks.ts';
import { eventually, freePort } from '../support/processes.ts';
import { needs } from '../support/components.ts';
import { startRedis, type RunningRedis } from '../support/redis.ts';
import { writeRepoConfig } from '../support/repoConfig.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const repo = { owner: 'acme', repo: 'shop' };
const BOT = 'firewatch[bot]';
type User = 'alice' | 'bob' | 'carol' | 'eve' | 'dave' | 'frank';
let sandbox: Sandbox;
let redis: RunningRedis;
const replicas: { child: ChildProcessWithoutNullStreams; url: string }[] = [];
const clients = new Map<string, Octokit>();
const as = (user: User): Octokit => {
  let client = clients.get(user);
  if (!client) clients.set(user, (client = new Octokit({ baseUrl: sandbox.apiUrl, auth: `sandbox-${user}` })));
  return client;
};

async function startReplica(): Promise<(typeof replicas)[number]> {
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
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await eventually(async () => /replica ready (\S+)/.exec(output)?.[1], `replica on ${port}:\n${output}`, 30_000);
  return { child, url };
}

/** The `issue_comment` delivery GitHub made for `commentId` (the sandbox logs it; nobody was sent it). */
function deliveryOf(commentId: number) {
  const found = sandbox.deliveries().find((d) => d.event === 'issue_comment' && (d.payload?.['comment'] as { id?: number } | undefined)?.id === commentId);
  if (!found) throw new Error(`no delivery for comment ${commentId}`);
  return found;
}

/** Sends a delivery to one replica as GitHub would: signed, with its delivery id. */
async function deliver(replica: number, commentId: number): Promise<number> {
  const delivery = deliveryOf(commentId);
  const body = JSON.stringify(delivery.payload);
  const response = await fetch(`${replicas[replica]?.url}/api/github/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': delivery.event, 'x-github-delivery': delivery.id, 'x-hub-signature-256': signPayload(sandbox.webhookSecret, body) },
    body,
  });
  await response.text();
  return response.status;
}

async function comment(user: User, number: number, body: string): Promise<number> {
  const { data } = await as(user).rest.issues.createComment({ ...repo, issue_number: number, body });
  await sandbox.idle();
  return data.id;
}

async function comments(number: number) {
  return (await as('alice').paginate(as('alice').rest.issues.listComments, { ...repo, issue_number: number, per_page: 100 })) as { id: number; body?: string | null; user?: { login: string } | null }[];
}

async function repliesTo(number: number): Promise<Map<number, string[]>> {
  const replies = new Map<number, string[]>();
  for (const c of await comments(number)) {
    const to = c.user?.login === BOT ? parseEventMarker(c.body)?.replyTo : undefined;
    if (to !== undefined) replies.set(to, [...(replies.get(to) ?? []), c.body ?? '']);
  }
  return replies;
}

async function notes(number: number): Promise<string[]> {
  const { data } = await as('alice').rest.issues.get({ ...repo, issue_number: number });
  return (parseStateBlock(data.body)?.timeline ?? []).filter((entry) => entry.type === 'note').map((entry) => entry.text);
}

async function newIncident(title: string, by: User): Promise<number> {
  const { data: issue } = await as('alice').rest.issues.create({ ...repo, title });
  const id = await comment(by, issue.number, `/incident P2 ${title} service=checkout`);
  expect(await deliver(0, id)).toBe(200);
  return issue.number;
}

needs('redis', 'with Redis', () => {
beforeAll(async () => {
  redis = await startRedis();
  // No webhook target: deliveries are only logged, and the test sends them where it wants.
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'replica-webhooks' });
  // Two more people with write access, so the first tests leave alice, bob, carol and eve's rate limit untouched.
  for (const login of ['dave', 'frank']) {
    sandbox.state.users.set(login, { id: 80_000 + login.length, login, type: 'User', token: `sandbox-${login}` });
    sandbox.state.repos.get('acme/shop')?.collaborators.set(login, 'write');
  }
  const config = 'commands:\n  rateLimit: { max: 8, windowSeconds: 300 }\n';
  // dave: 1 + 4 commands in the first test and 3 in the second; frank: 1 + 3 + 1.
  await writeRepoConfig(as('alice'), repo, config, 'firewatch config');
  replicas.push(...(await Promise.all([startReplica(), startReplica()])));
}, 90_000);

afterAll(async () => {
  await Promise.all(
    replicas.map(({ child }) => {
      if (child.exitCode !== null) return Promise.resolve();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    }),
  );
  await sandbox?.close();
  await redis?.stop();
});

describe('commands on two replicas sharing Redis', () => {
  it('a redelivery racing its original on the other replica: one effect, one reply', async () => {
    const number = await newIncident('Redelivered', 'dave');
    const texts = Array.from({ length: 4 }, (_, i) => `checked load balancer ${i}`);
    for (const text of texts) {
      const id = await comment('dave', number, `/note ${text}`);
      // The original and its redelivery at the same moment, one on each replica.
      const statuses = await Promise.all([deliver(0, id), deliver(1, id)]);
      expect(statuses.every((status) => status === 200 || status === 202)).toBe(true);
      await eventually(async () => ((await repliesTo(number)).get(id)?.length ? true : undefined), 'the reply', 20_000);
      // And once more after both answered: still one.
      expect(await deliver(1, id)).toBe(200);
      expect((await repliesTo(number)).get(id)).toHaveLength(1);
    }
    expect(await notes(number)).toEqual(texts);
  }, 60_000);

  it('concurrent /notes delivered to both replicas: every one is in the incident', async () => {
    const number = await newIncident('Concurrent notes', 'frank');
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await comment(i % 2 ? 'dave' : 'frank', number, `/note step ${i}`));
    await Promise.all(ids.map((id, i) => deliver(i % 2, id)));
    const written = await eventually(async () => {
      const found = await notes(number);
      return found.length >= 6 ? found : undefined;
    }, 'six notes', 30_000);
    expect([...written].sort()).toEqual(Array.from({ length: 6 }, (_, i) => `step ${i}`));
  }, 60_000);

  it('30 concurrent commands by four users split across replicas: each effect once, the rate limit counted across both', async () => {
    const number = await newIncident('Thirty commands', 'frank');
    const plan: [User, number][] = [['alice', 10], ['bob', 9], ['carol', 7], ['eve', 4]];
    const ids: { user: User; id: number }[] = [];
    for (const [user, count] of plan) for (let i = 0; i < count; i++) ids.push({ user, id: await comment(user, number, `/note ${user} ${i}`) });
    expect(ids).toHaveLength(30);
    await Promise.all(ids.map(({ id }, i) => deliver(i % 2, id)));
    // Every comment is handled: a reply, or only 😕 once its author was told to slow down.
    await eventually(
      async () => {
        const reactions = await Promise.all(ids.map(async ({ id }) => (await as('alice').rest.reactions.listForIssueComment({ ...repo, comment_id: id })).data));
        return reactions.every((list) => list.some((r) => r.content === 'rocket' || r.content === 'confused')) ? true : undefined;
      },
      'every comment handled',
      90_000,
    );
    const written = await notes(number);
    const replies = await repliesTo(number);
    // At most 8 per person in the window, counted across both replicas; each note exactly once.
    for (const [user, expected] of [['alice', 8], ['bob', 8], ['carol', 7]] as const) {
      const mine = written.filter((text) => text.startsWith(`${user} `));
      expect(mine).toHaveLength(expected);
      expect(new Set(mine).size).toBe(expected);
    }
    expect(written.filter((text) => text.startsWith('eve '))).toEqual([]);
    for (const { id } of ids) expect((replies.get(id) ?? []).length).toBeLessThanOrEqual(1);
    // Told to slow down once each: alice at her 9th command (her 10th gets only 😕), bob at his 9th.
    const slowDowns = ids.filter(({ id }) => (replies.get(id) ?? []).some((body) => body.startsWith('⏳ Slow down')));
    expect(slowDowns.map(({ user }) => user).sort()).toEqual(['alice', 'bob']);
    expect(ids.filter(({ id }) => !replies.get(id)?.length).map(({ user }) => user)).toEqual(['alice']);
    // eve (read) is refused by permission, once per comment.
    expect(ids.filter(({ user, id }) => user === 'eve' && (replies.get(id) ?? []).some((body) => body.includes('Cannot run `/note`')))).toHaveLength(4);
  }, 150_000);
});
});
