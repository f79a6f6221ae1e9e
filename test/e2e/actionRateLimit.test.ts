/**
 * The command rate limit in the Action runtime, a process per event (issue 15): it is read back
 * from GitHub (the author's recent commands on the issue, from firewatch's own replies), so the
 * 31st command within the window is refused although no process saw the first 30.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventMarker } from '../../src/domain/text/eventMarker.ts';
import { Sandbox } from '../../src/sandbox/index.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const repo = { owner: 'acme', repo: 'shop' };
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'unused' });
});
afterAll(async () => {
  await sandbox?.close();
});

/** One workflow run of the Action's runtime (its source, as `dist/index.js` bundles it) for one event. */
function runAction(eventName: string, payload: unknown): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'firewatch-action-'));
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(payload));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/action.ts'], {
      cwd: repoRoot,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        GITHUB_ACTIONS: 'true',
        GITHUB_RUN_ID: '4242',
        GITHUB_EVENT_NAME: eventName,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_API_URL: sandbox.apiUrl,
        GITHUB_REPOSITORY: 'acme/shop',
        INPUT_TOKEN: 'sandbox-firewatch',
        'INPUT_LOG-LEVEL': 'warn',
      },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the Action runtime\'s command rate limit', () => {
  it('refuses the 31st command within the window (default 30 per 5 minutes), one run per comment', async () => {
    const bob = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-bob' });
    const { data: issue } = await bob.rest.issues.create({ ...repo, title: 'Checkout is slow' });
    const { data: repository } = await bob.rest.repos.get(repo);
    const { data: sender } = await bob.rest.users.getAuthenticated();
    const comments: number[] = [];
    // Three comments of ten commands each (at most ten run per comment), then one more command.
    for (const body of [...Array.from({ length: 3 }, () => Array.from({ length: 10 }, () => '/help').join('\n')), '/help']) {
      const { data: comment } = await bob.rest.issues.createComment({ ...repo, issue_number: issue.number, body });
      comments.push(comment.id);
      const { data: fresh } = await bob.rest.issues.get({ ...repo, issue_number: issue.number });
      const result = await runAction('issue_comment', { action: 'created', issue: fresh, comment, repository, sender });
      expect(result.code, result.output).toBe(0);
    }
    const { data: all } = await bob.rest.issues.listComments({ ...repo, issue_number: issue.number, per_page: 100 });
    const ours = all.filter((c) => c.user?.login === 'firewatch[bot]');
    const replyTo = (id: number) => ours.filter((c) => parseEventMarker(c.body)?.replyTo === id);
    for (const id of comments.slice(0, 3)) {
      expect(replyTo(id)).toHaveLength(1);
      expect(parseEventMarker(replyTo(id)[0]?.body)?.type).toBe('command-reply');
    }
    const refused = replyTo(comments[3] ?? 0);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.body).toContain('⏳ Slow down: `@bob` ran more than 30 commands in 300 seconds, so none of these ran.');
    const { data: reactions } = await bob.rest.reactions.listForIssueComment({ ...repo, comment_id: comments[3] ?? 0 });
    expect(reactions.filter((r) => r.user?.login === 'firewatch[bot]').map((r) => r.content).sort()).toEqual(['confused', 'eyes']);
  }, 120_000);
});
