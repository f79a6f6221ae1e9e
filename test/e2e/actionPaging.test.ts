/**
 * The Action pages on the alert event itself (`repository_dispatch`), not at the next scheduled
 * run, with contacts from its `contacts` input (a secret). A redelivered dispatch, a fresh process
 * knowing only GitHub, files into the same incident and does not page again.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '@firewatch/sandbox';
import { readIncidentState } from '../../src/domain/incident/incidentState.ts';
import { createStateSeal, stateScope } from '../../src/domain/incident/stateSeal.ts';
import { startCaptureServer, type CaptureServer } from '../support/captureServer.ts';
import { writeRepoConfig } from '../support/repoConfig.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = `
oncall:
  layers:
    - name: primary
      participants: [bob]
      handoff: { weekday: monday, time: '09:00' }
      start: '2020-01-06'
paging:
  policies:
    P1: { channels: [ntfy], repeatMinutes: 5 }
`;
const STATE_KEY = 'action-state-key';
let sandbox: Sandbox;
let bob: Octokit;
let ntfy: CaptureServer;

beforeAll(async () => {
  ntfy = await startCaptureServer();
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'unused' });
  bob = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-bob' });
  const alice = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-alice' });
  await writeRepoConfig(alice, { owner: 'acme', repo: 'shop' }, CONFIG, 'paging');
});
afterAll(async () => {
  await sandbox?.close();
  await ntfy?.close();
});

async function dispatch(clientPayload: Record<string, unknown>): Promise<{ code: number | null; output: string }> {
  const { data: repository } = await bob.rest.repos.get({ owner: 'acme', repo: 'shop' });
  const { data: sender } = await bob.rest.users.getAuthenticated();
  const dir = mkdtempSync(join(tmpdir(), 'firewatch-dispatch-'));
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify({ action: 'firewatch-alert', branch: 'main', client_payload: clientPayload, repository, sender }));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/action.ts'], {
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
        'INPUT_STATE-KEY': STATE_KEY,
        INPUT_CONTACTS: 'people:\n  bob:\n    channels:\n      - ntfy: bob-oncall\n',
        FIREWATCH_NTFY_URL: ntfy.url,
      },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the Action pages on the alert itself', () => {
  it('pages the person on call within the dispatch run, and a redelivery does not page again', async () => {
    const alert = { firewatch_source: 'generic', title: 'ApiDown', severity: 'P1', service: 'api' };
    const first = await dispatch(alert);
    expect(first.code, first.output).toBe(0);
    expect(ntfy.requests).toHaveLength(1);
    const page = ntfy.requests[0]?.json as { topic: string; title: string; priority: number; actions: { action: string }[] };
    expect(page).toMatchObject({ topic: 'bob-oncall', title: 'P1 api: ApiDown', priority: 5 });
    // No server behind the Action: no acknowledge link, the page says to use /ack.
    expect(page.actions.map((action) => action.action)).toEqual(['view']);
    // The contacts are masked in the log: only the runner's mask command carries them.
    expect(first.output.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n')).not.toContain('bob-oncall');

    // The incident the dispatch filed is sealed with the state-key input, like everything the Action writes.
    const { data: issues } = await bob.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', labels: 'incident' });
    expect(issues).toHaveLength(1);
    const read = readIncidentState(issues[0]?.body, stateScope(createStateSeal([STATE_KEY], { acceptUnsealed: false }), { owner: 'acme', repo: 'shop' }));
    expect(read.trust).toBe('sealed');

    const again = await dispatch(alert);
    expect(again.code, again.output).toBe(0);
    expect(ntfy.requests).toHaveLength(1);
  }, 60_000);
});
