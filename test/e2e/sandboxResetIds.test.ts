/**
 * After `POST /_sandbox/reset` (what every `firewatch demo` does first), a new comment is answered:
 * the sandbox, like GitHub, never gives a comment id twice, and firewatch remembers what it handled
 * by comment id. (Ids restarting with the world made the demo's second tour wait for an `/ack`
 * reply that never came when the new `/ack` got an id answered in the first.)
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { eventually } from '../support/processes.ts';

let running: Sandboxed;
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

beforeAll(async () => {
  running = await startSandboxed({ port: 0, sandboxPort: 0, now: new Date('2026-03-04T10:00:00Z'), logLevel: 'error', queue: {} });
}, 30_000);

afterAll(async () => {
  await running?.close();
});

async function helpReply(): Promise<{ commentId: number; reply: string }> {
  const bob = new Octokit({ baseUrl: running.sandbox.apiUrl, auth: 'sandbox-bob', request: { retries: 0 }, log: quiet });
  const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Where do I start?' });
  const { data: posted } = await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: '/help' });
  const reply = await eventually(async () => {
    const { data } = await bob.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: issue.number });
    return data.find((c) => c.user?.login === 'firewatch[bot]' && c.body?.includes(`"replyTo":${posted.id}`));
  }, 'the /help reply');
  return { commentId: posted.id, reply: reply.body ?? '' };
}

describe('a sandbox reset', () => {
  it('starts the world again, and the same steps in it are answered again', async () => {
    const first = await helpReply();
    expect((await fetch(`${running.sandbox.url}/_sandbox/reset`, { method: 'POST' })).status).toBe(200);
    const second = await helpReply();
    expect(second.commentId).toBeGreaterThan(first.commentId);
    expect(second.reply).toBe(first.reply.replace(`"replyTo":${first.commentId}`, `"replyTo":${second.commentId}`));
  }, 30_000);
});
