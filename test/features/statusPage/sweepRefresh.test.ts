/**
 * `firewatch sweep` and the Action's schedule event refresh the status page after sweeping,
 * against the sandbox: not on --dry-run, a commit when the page changed, none when it did not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentStateSchema, renderStateBlock } from '../../../src/domain/incident/incidentState.ts';
import { actionSweep } from '../../../src/runtimes/action/actionSweep.ts';
import { Sandbox, seedFixture } from '@firewatch/sandbox';
import { octokitFor } from '../../support/sandbox.ts';
import { runCli } from '../../support/cli.ts';

const CONFIG = `
sweeps:
  review: { enabled: false }
  handoff: { enabled: false }
statusPage:
  publish: true
  services: [checkout]
`;
const shop = { owner: 'acme', repo: 'shop' };
let sandbox: Sandbox;

async function publishedStatus(): Promise<{ overall: string; active: { service: string; status: string }[] } | null> {
  try {
    const { data } = await octokitFor(sandbox, 'sandbox-alice').rest.repos.getContent({ ...shop, path: 'status.json', ref: 'gh-pages' });
    if (Array.isArray(data) || !('content' in data)) return null;
    return JSON.parse(Buffer.from(data.content, 'base64').toString('utf8'));
  } catch {
    return null;
  }
}

beforeAll(async () => {
  const state = incidentStateSchema.parse({ version: 1, id: 'i1', title: 'Checkout errors', source: 'manual', service: 'checkout', severity: 'P1', status: 'investigating', triggeredAt: '2026-03-02T14:00:00Z', acknowledgedAt: '2026-03-02T14:01:00Z' });
  const fixture = seedFixture();
  const repos = (fixture.repos ?? []).map((repo) =>
    repo.name === 'shop'
      ? { ...repo, files: { ...repo.files, '.github/firewatch.yml': CONFIG }, issues: [{ title: '[P1] checkout: Checkout errors', body: renderStateBlock(state), user: 'alice', labels: ['incident', 'sev:P1', 'status:investigating'], state: 'open' as const, created_at: '2026-03-02T14:00:00Z', comments: [] }] }
      : repo,
  );
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'sweep-refresh', now: new Date('2026-03-02T14:05:00Z'), fixture: { ...fixture, repos } });
});

afterAll(async () => {
  await sandbox?.close();
});

describe('firewatch sweep refreshes the status page', () => {
  const flags = ['sweep', '--repo', 'acme/shop', '--api-url', '', '--token', 'sandbox-alice', '--now', '2026-03-02T14:05:00Z'];
  const args = () => flags.map((flag) => flag || sandbox.apiUrl);

  it('publishes nothing on --dry-run', async () => {
    const { code, out } = await runCli([...args(), '--dry-run']);
    expect(code).toBe(0);
    expect(out).not.toContain('status page');
    expect(await publishedStatus()).toBeNull();
  });

  it('publishes the page, then finds it unchanged on the next run', async () => {
    const first = await runCli(args());
    expect(first.err).toBe('');
    expect(first.out).toMatch(/status page acme\/shop:gh-pages: published [0-9a-f]{7} \(branch created\)/);
    expect(await publishedStatus()).toMatchObject({ overall: 'outage', active: [{ service: 'checkout', status: 'investigating' }] });
    const second = await runCli(args());
    expect(second.out).toContain('status page acme/shop:gh-pages: unchanged, nothing committed\n');
  });
});

describe('the Action on a schedule event refreshes the status page', () => {
  it('publishes the resolution it finds', async () => {
    const alice = octokitFor(sandbox, 'sandbox-alice');
    const { data: issues } = await alice.rest.issues.listForRepo({ ...shop, labels: 'incident' });
    const issue = issues[0];
    if (!issue) throw new Error('no incident in the fixture');
    const state = incidentStateSchema.parse({ version: 1, id: 'i1', title: 'Checkout errors', source: 'manual', service: 'checkout', severity: 'P1', status: 'resolved', triggeredAt: '2026-03-02T14:00:00Z', acknowledgedAt: '2026-03-02T14:01:00Z', resolvedAt: '2026-03-02T14:30:00Z' });
    await alice.rest.issues.update({ ...shop, issue_number: issue.number, body: renderStateBlock(state), labels: ['incident', 'sev:P1', 'status:resolved'], state: 'closed', state_reason: 'completed' });

    const lines: string[] = [];
    await actionSweep({ env: { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: sandbox.apiUrl }, token: 'sandbox-alice', clock: () => new Date('2026-03-02T14:31:00Z'), log: (line) => void lines.push(line) });
    expect(lines).toContainEqual(expect.stringMatching(/^status page acme\/shop:gh-pages: published [0-9a-f]{7}$/));
    expect(await publishedStatus()).toMatchObject({ overall: 'operational', active: [] });
  });
});
