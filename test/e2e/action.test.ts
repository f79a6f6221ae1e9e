/**
 * The GitHub Action runtime, as the runner starts it: the committed bundle `dist/index.js`, an
 * event file, GITHUB_* variables and a token — here against the sandbox, which stands in for
 * GitHub Enterprise (GITHUB_API_URL), so the same bundle is exercised end to end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '@firewatch/sandbox';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'unused' });
});
afterAll(async () => {
  await sandbox?.close();
});

function runAction(eventName: string, payload: unknown, token = 'sandbox-firewatch'): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'firewatch-action-'));
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(payload));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/index.js'], {
      cwd: repoRoot,
      env: {
        PATH: process.env['PATH'] ?? '',
        GITHUB_ACTIONS: 'true',
        GITHUB_RUN_ID: '4242',
        GITHUB_EVENT_NAME: eventName,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_API_URL: sandbox.apiUrl,
        GITHUB_REPOSITORY: 'acme/shop',
        INPUT_TOKEN: token,
        'INPUT_LOG-LEVEL': 'warn',
      },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the bundled Action', () => {
  it('answers /help on an issue_comment event with the same app as the server', async () => {
    const bob = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-bob' });
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Checkout is slow' });
    const { data: comment } = await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: '/help' });
    const { data: repository } = await bob.rest.repos.get({ owner: 'acme', repo: 'shop' });
    const { data: sender } = await bob.rest.users.getAuthenticated();

    const result = await runAction('issue_comment', { action: 'created', issue, comment, repository, sender });
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain('::error::');

    const { data: comments } = await bob.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: issue.number });
    const replies = comments.filter((c) => c.user?.login === 'firewatch[bot]');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toContain('/help');
  });

  it('fails the step (exit code and ::error::) when GitHub refuses the token', async () => {
    const bob = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-bob' });
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Another' });
    const { data: comment } = await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: '/help' });
    const { data: repository } = await bob.rest.repos.get({ owner: 'acme', repo: 'shop' });
    const { data: sender } = await bob.rest.users.getAuthenticated();
    const result = await runAction('issue_comment', { action: 'created', issue, comment, repository, sender }, 'not-a-valid-token');
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('::error::');
  });
});
