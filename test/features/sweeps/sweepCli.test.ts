/**
 * `firewatch sweep` against the sandbox as a user would run it: the plan printed, nothing posted
 * on --dry-run, posted otherwise, and nothing twice on the next run; `validate-config` prints the
 * schedule warnings without failing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionSweep } from '../../../src/runtimes/action/actionSweep.ts';
import { incidentStateSchema, renderStateBlock } from '../../../src/domain/incident/incidentState.ts';
import { Sandbox, seedFixture } from '@firewatch/sandbox';
import { runCli } from '../../support/cli.ts';

const CONFIG = `
oncall:
  newcomers: [dan, erin]
  layers:
    - { name: rot-a, participants: [alice, dan], handoff: { weekday: monday, time: '11:00' }, start: '2026-03-02' }
    - { name: rot-b, participants: [bob, erin], handoff: { weekday: monday, time: '11:00' }, start: '2026-03-02' }
  escalation:
    steps: [{ afterMinutes: 30, mention: ['@carol'] }]
sweeps:
  review: { enabled: false }
  handoff: { enabled: false }
`;

/** The org's shared settings in `acme/.github`, which `acme/payments` extends and overrides in part. */
const ORG_CONFIG = `
oncall:
  layers:
    - { name: payments, participants: [carol, dan], handoff: { weekday: monday, time: '11:00' }, start: '2026-03-02' }
  escalation:
    steps: [{ afterMinutes: 10, mention: ['@acme/sre'] }]
sweeps:
  review: { enabled: false }
  handoff: { enabled: false }
`;
const PAYMENTS_CONFIG = `
_extends: acme/.github
oncall:
  escalation:
    steps: [{ afterMinutes: 20, mention: ['@erin'] }]
`;

let sandbox: Sandbox;

beforeAll(async () => {
  const state = incidentStateSchema.parse({ version: 1, id: 'i1', title: 'Checkout errors', source: 'manual', service: 'checkout', severity: 'P2', status: 'triggered', triggeredAt: '2026-03-02T14:00:00Z' });
  const fixture = seedFixture();
  const incident = { title: '[P2] checkout: Checkout errors', body: renderStateBlock(state), user: 'alice', labels: ['incident', 'sev:P2', 'status:triggered'], state: 'open' as const, created_at: '2026-03-02T14:00:00Z', comments: [] };
  const repos = [
    ...(fixture.repos ?? []).map((repo) => (repo.name === 'shop' ? { ...repo, files: { ...repo.files, '.github/firewatch.yml': CONFIG }, issues: [incident] } : repo)),
    { owner: 'acme', name: '.github', files: { '.github/firewatch.yml': ORG_CONFIG } },
    { owner: 'acme', name: 'payments', files: { '.github/firewatch.yml': PAYMENTS_CONFIG }, issues: [incident] },
  ];
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'cli-sweep', now: new Date('2026-03-02T14:00:00Z'), fixture: { ...fixture, repos } });
});

afterAll(async () => {
  await sandbox?.close();
});

describe('firewatch sweep', () => {
  const flags = () => ['--repo', 'acme/shop', '--api-url', sandbox.apiUrl, '--token', 'sandbox-alice', '--now', '2026-03-02T14:15:00Z'];

  it('prints the plan and posts nothing with --dry-run', async () => {
    const { code, out } = await runCli(['sweep', ...flags(), '--dry-run']);
    expect(code).toBe(0);
    expect(out).toContain('Sweep of acme/shop at 2026-03-02T14:15:00.000Z: 2 actions (dry run: nothing posted)');
    expect(out).toMatch(/ack-slo +comment on acme\/shop#\d+: ack SLO breached 5m ago \(#\d+ \[P2\] checkout: Checkout errors\); mention @alice, @bob/);
    expect(out).toMatch(/ack-slo +label slo:breached on acme\/shop#\d+/);
    expect(sandbox.stats().contentCreating).toBe(0);
  });

  it('posts the plan, then finds it done on the next run', async () => {
    const first = await runCli(['sweep', ...flags()]);
    expect(first.out).toContain('posted 2 of 2');
    const second = await runCli(['sweep', ...flags()]);
    expect(second.out).toContain(': 0 actions');
  });
});

describe('config with _extends, as the app reads it', () => {
  const flags = ['--repo', 'acme/payments', '--token', 'sandbox-alice', '--now', '2026-03-02T14:25:00Z', '--dry-run'];

  it('firewatch sweep --dry-run takes the on-call layer from acme/.github and the escalation step from the repository', async () => {
    const { code, out, err } = await runCli(['sweep', ...flags, '--api-url', sandbox.apiUrl]);
    expect(err).toBe('');
    expect(code).toBe(0);
    // Without the org's file nobody would be on call; with it, its layer is (carol).
    expect(out).toMatch(/ack-slo +comment on acme\/payments#\d+: ack SLO breached 15m ago \(#\d+ \[P2\] checkout: Checkout errors\); mention @carol\n/);
    expect(out).toMatch(/ack-slo +label slo:breached on acme\/payments#\d+/);
  });

  it('the Action reads the same merged config', async () => {
    const result = await actionSweep({ env: { GITHUB_REPOSITORY: 'acme/payments', GITHUB_API_URL: sandbox.apiUrl }, token: 'sandbox-alice', clock: () => new Date('2026-03-02T14:25:00Z'), log: () => {} });
    const comment = result.executed.find((action) => action.kind === 'comment');
    const body = comment && 'body' in comment ? comment.body : '';
    // The org's on-call layer, and the repository's own escalation step (due at 20 minutes) instead of the org's.
    expect(body).toContain('On call now: @carol');
    expect(body).toContain('@erin, please help');
    expect(body).not.toContain('acme/sre');
  });
});

describe('the Action on a schedule event', () => {
  it('runs one sweep of GITHUB_REPOSITORY with the token, taking the next escalation step once', async () => {
    const env = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: sandbox.apiUrl };
    const lines: string[] = [];
    const clock = () => new Date('2026-03-02T14:31:00Z');
    const first = await actionSweep({ env, token: 'sandbox-alice', clock, log: (line) => void lines.push(line) });
    expect(first.executed.map((action) => action.reason)).toEqual(['escalation']);
    expect(lines[0]).toBe('sweep of acme/shop: 1 action(s)');
    const again = await actionSweep({ env, token: 'sandbox-alice', clock, log: () => {} });
    expect(again.plan).toEqual([]);
  });

  it('refuses to run without a repository', async () => {
    await expect(actionSweep({ env: {}, token: 't', clock: () => new Date(), log: () => {} })).rejects.toThrow('GITHUB_REPOSITORY is not set');
  });
});

describe('firewatch validate-config', () => {
  it('prints on-call warnings with oncall. paths and still passes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fw-')), 'firewatch.yml');
    writeFileSync(file, CONFIG);
    const { code, out } = await runCli(['validate-config', file]);
    expect(code).toBe(0);
    expect(out).toMatch(/warning oncall\.layers\[\d\]\.participants\[\d\]: newcomers (dan|erin) \(rot-.\) and (dan|erin) \(rot-.\) are on call together/);
    expect(out).toContain(`ok: ${file} is valid`);
  });
});
