/**
 * Alerts relayed into GitHub as `repository_dispatch` (`event_type: firewatch-alert`), run by the
 * committed bundle `dist/index.js` exactly as the runner starts it, against the sandbox standing in
 * for GitHub Enterprise. Each run is a fresh process, so a repeat notification can only be
 * deduplicated through what is on GitHub (the hidden state marker), as after a restart.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '@firewatch/sandbox';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const alertmanagerGroup = JSON.parse(readFileSync(new URL('../fixtures/alerts/alertmanager/firing-group.json', import.meta.url), 'utf8')) as Record<string, unknown>;
let sandbox: Sandbox;
let bob: Octokit;

beforeAll(async () => {
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'unused' });
  bob = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-bob' });
});
afterAll(async () => {
  await sandbox?.close();
});

async function dispatch(clientPayload: Record<string, unknown>): Promise<{ code: number | null; output: string }> {
  const { data: repository } = await bob.rest.repos.get({ owner: 'acme', repo: 'shop' });
  const { data: sender } = await bob.rest.users.getAuthenticated();
  const dir = mkdtempSync(join(tmpdir(), 'firewatch-dispatch-'));
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify({ action: 'firewatch-alert', branch: 'main', client_payload: clientPayload, repository, sender }));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/index.js'], {
      cwd: repoRoot,
      env: {
        PATH: process.env['PATH'] ?? '',
        GITHUB_ACTIONS: 'true',
        GITHUB_RUN_ID: '4343',
        GITHUB_EVENT_NAME: 'repository_dispatch',
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

async function incidents() {
  const { data } = await bob.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', state: 'all', labels: 'incident', per_page: 100 });
  return data;
}

const labelNames = (issue: { labels: (string | { name?: string })[] }) => issue.labels.map((label) => (typeof label === 'string' ? label : label.name)).sort();

// Each run starts the 4.7 MB bundle cold; on a loaded CI machine the first one alone can take 20 s.
describe('the bundled Action receiving repository_dispatch firewatch-alert', { timeout: 90_000 }, () => {
  it('files the captured Alertmanager group as one P1 incident issue with both alerts', async () => {
    const result = await dispatch(alertmanagerGroup);
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toContain('::error::');

    const filed = await incidents();
    expect(filed).toHaveLength(1);
    const [issue] = filed;
    expect(issue?.title).toBe('[P1] checkout: HighErrorRate');
    expect(issue?.user?.login).toBe('firewatch[bot]');
    expect(labelNames(issue!)).toEqual(['incident', 'sev:P1', 'status:triggered']);
    expect(issue?.body).toContain('checkout-7d9f8-abcde');
    expect(issue?.body).toContain('checkout-7d9f8-fghij');
    expect(issue?.body).toContain('<!-- firewatch:state ');
  });

  it('updates that incident in place when the same group is relayed again by a new run', async () => {
    const [before] = await incidents();
    const commentsOf = async () => (await bob.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: before!.number })).data;
    const commentsBefore = await commentsOf();
    const result = await dispatch(alertmanagerGroup);
    expect(result.code, result.output).toBe(0);
    const after = await incidents();
    expect(after).toHaveLength(1);
    expect(after[0]?.number).toBe(before?.number);
    expect(after[0]?.title).toBe('[P1] checkout: HighErrorRate');
    // The captured alerts started long before the notice interval (30 min), so the repeat earns the
    // one "still firing" note of this interval; the count proves the new run found the old state.
    const added = (await commentsOf()).slice(commentsBefore.length);
    expect(added.map((comment) => comment.body?.split('\n')[0])).toEqual(['🔴 Still firing: **HighErrorRate** (4 notifications so far).']);
  });

  it('files a generic alert as its own incident', async () => {
    const result = await dispatch({ title: 'PaymentsTimeout', severity: 'warning', service: 'payments', summary: 'p95 above 2 s' });
    expect(result.code, result.output).toBe(0);
    const issue = (await incidents()).find((candidate) => candidate.title === '[P3] payments: PaymentsTimeout');
    expect(issue).toBeDefined();
    expect(labelNames(issue!)).toEqual(['incident', 'sev:P3', 'status:triggered']);
  });

  it('fails the step with a hint when the source cannot be told from client_payload, filing nothing', async () => {
    const before = await incidents();
    const result = await dispatch({ message: 'something broke' });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/::error::.*firewatch_source/);
    expect(await incidents()).toHaveLength(before.length);
  });
});
