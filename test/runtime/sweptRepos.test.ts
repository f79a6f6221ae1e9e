/**
 * Which repositories the server sweeps as a GitHub App: every installed repository with a
 * `.github/firewatch.yml` of its own, plus FIREWATCH_REPO; listed once and cached, so a quiet tick
 * costs only the sweeps' own requests. First the cache rules with a counting directory, then the
 * server against the sandbox with two configured repositories (and one that gains a config).
 */
import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentStateSchema, renderStateBlock } from '../../src/domain/incident/incidentState.ts';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { createSweptRepos, type InstallationDirectory } from '../../src/runtimes/server/sweptRepos.ts';
import { configPushed } from '../../src/services/configSource.ts';
import { fixtureSchema } from '../../src/sandbox/fixture.ts';
import { seedFixture } from '../../src/sandbox/seed.ts';

const quietLog = { debug() {}, info() {}, warn() {}, error() {} };
const names = (repos: readonly { owner: string; repo: string }[]) => repos.map((repo) => `${repo.owner}/${repo.repo}`);

/** Two installations; `acme/shop` and `globex/api` have a config, the rest not (or are skipped). */
function directory() {
  const calls: string[] = [];
  const configured = new Set(['acme/shop', 'globex/api', 'acme/.github']);
  let failing = false;
  const repos: Record<number, { owner: string; repo: string; archived: boolean }[]> = {
    1: [
      { owner: 'acme', repo: 'shop', archived: false },
      { owner: 'acme', repo: 'post_mortems', archived: false },
      { owner: 'acme', repo: '.github', archived: false },
    ],
    2: [
      { owner: 'globex', repo: 'api', archived: false },
      { owner: 'globex', repo: 'legacy', archived: true },
    ],
  };
  const fake: InstallationDirectory = {
    async installations() {
      calls.push('installations');
      if (failing) throw Object.assign(new Error('Server Error'), { status: 502 });
      return [{ id: 1 }, { id: 2 }];
    },
    async repositories(id) {
      calls.push(`repositories ${id}`);
      return repos[id] ?? [];
    },
    async hasConfig(_id, repo) {
      calls.push(`config ${repo.owner}/${repo.repo}`);
      return configured.has(`${repo.owner}/${repo.repo}`);
    },
  };
  return { fake, calls, configured, repos, fail: (value: boolean) => (failing = value) };
}

describe('the repositories the server sweeps', () => {
  it('lists every configured repository of every installation once, then serves the cache until the refresh', async () => {
    const { fake, calls } = directory();
    let realMs = 0;
    const swept = createSweptRepos({ directory: fake, log: quietLog, monotonicNow: () => realMs });
    // An org's `.github` holds defaults for `_extends`, not incidents; archived repositories are left alone.
    expect(names(await swept.list())).toEqual(['acme/shop', 'globex/api']);
    expect(calls).toEqual(['installations', 'repositories 1', 'config acme/shop', 'config acme/post_mortems', 'repositories 2', 'config globex/api']);
    calls.length = 0;
    realMs = 9 * 60_000;
    expect(names(await swept.list())).toEqual(['acme/shop', 'globex/api']);
    expect(calls).toEqual([]);
    // After ten minutes the lists are read again; whether a repository has a config is asked hourly.
    realMs = 10 * 60_000;
    await swept.list();
    expect(calls).toEqual(['installations', 'repositories 1', 'repositories 2']);
  });

  it('puts the default repository first even without a config, once', async () => {
    const { fake } = directory();
    expect(names(await createSweptRepos({ directory: fake, log: quietLog, defaultRepo: { owner: 'acme', repo: 'post_mortems' } }).list())).toEqual(['acme/post_mortems', 'acme/shop', 'globex/api']);
    expect(names(await createSweptRepos({ directory: fake, log: quietLog, defaultRepo: { owner: 'ACME', repo: 'Shop' } }).list())).toEqual(['acme/shop', 'globex/api']);
  });

  it('lists again after an installation webhook, and asks again about a config a push touched', async () => {
    const { fake, calls, configured, repos } = directory();
    const swept = createSweptRepos({ directory: fake, log: quietLog, monotonicNow: () => 0 });
    await swept.list();
    repos[2]?.push({ owner: 'globex', repo: 'web', archived: false });
    configured.add('globex/web');
    swept.invalidate();
    calls.length = 0;
    expect(names(await swept.list())).toEqual(['acme/shop', 'globex/api', 'globex/web']);
    expect(calls).toEqual(['installations', 'repositories 1', 'repositories 2', 'config globex/web']);
    configured.delete('acme/shop');
    swept.forgetConfig({ owner: 'acme', repo: 'shop' });
    expect(names(await swept.list())).toEqual(['globex/api', 'globex/web']);
  });

  it('keeps sweeping the last known repositories when listing fails, and retries on the next tick', async () => {
    const { fake, calls, fail } = directory();
    let realMs = 0;
    const warnings: string[] = [];
    const swept = createSweptRepos({ directory: fake, log: { ...quietLog, warn: (_details: object, message: string) => void warnings.push(message) }, monotonicNow: () => realMs });
    await swept.list();
    fail(true);
    realMs = 11 * 60_000;
    expect(names(await swept.list())).toEqual(['acme/shop', 'globex/api']);
    expect(warnings).toEqual(['sweep: listing the installed repositories failed; sweeping the last known ones']);
    fail(false);
    calls.length = 0;
    realMs += 60_000;
    await swept.list();
    expect(calls[0]).toBe('installations');
  });

  it('knows a push that changed the config on the default branch (a real push payload)', () => {
    const webhooks = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
    const example = webhooks.find((w) => w.name === 'push')?.examples.find((e) => (e as { ref?: string }).ref === 'refs/heads/master');
    const push = structuredClone(example) as unknown as Parameters<typeof configPushed>[0] & { commits: { added: string[]; modified: string[] }[] };
    expect(configPushed(push)).toBeNull(); // README.md only
    push.commits[0]?.modified.push('.github/firewatch.yml');
    expect(configPushed(push)).toEqual({ owner: 'Codertocat', repo: 'Hello-World' });
    expect(configPushed({ ...push, ref: 'refs/heads/feature' })).toBeNull();
  });
});

const CONFIG = `
timezone: UTC
oncall:
  layers:
    - { name: rot-a, participants: [alice, bob], handoff: { weekday: monday, time: '11:00' }, start: '2026-02-23' }
sweeps:
  review: { enabled: false }
  handoff: { enabled: false }
`;
const T0 = Date.parse('2026-03-02T14:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe('the server as a GitHub App installed on several repositories (sandbox)', () => {
  let firewatch: Sandboxed;
  let alice: Octokit;

  beforeAll(async () => {
    const state = incidentStateSchema.parse({ version: 1, id: 'i1', title: 'Checkout errors', source: 'manual', service: 'checkout', severity: 'P2', status: 'triggered', triggeredAt: at(0).toISOString() });
    const incident = { title: '[P2] checkout: Checkout errors', body: renderStateBlock(state), user: 'alice', labels: ['incident', 'sev:P2', 'status:triggered'], state: 'open' as const, created_at: at(0).toISOString(), comments: [] };
    const fixture = seedFixture();
    const repos = [
      ...(fixture.repos ?? []).map((repo) => (repo.name === 'shop' ? { ...repo, files: { ...repo.files, '.github/firewatch.yml': CONFIG }, issues: [incident] } : repo)),
      { owner: 'acme', name: 'payments', files: { '.github/firewatch.yml': CONFIG }, issues: [incident] },
      { owner: 'acme', name: 'inventory', files: { 'README.md': '# inventory\n' }, issues: [incident] },
      { owner: 'acme', name: '.github', files: { '.github/firewatch.yml': CONFIG } },
    ];
    firewatch = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'error', now: at(1), fixture: fixtureSchema.parse({ ...fixture, repos }) });
    alice = new Octokit({ baseUrl: firewatch.sandbox.apiUrl, auth: 'sandbox-alice', request: { retries: 0 }, log: quietLog });
  });

  afterAll(async () => {
    await firewatch?.close();
  });

  async function breachComments(repo: string): Promise<string[]> {
    const { data: issues } = await alice.rest.issues.listForRepo({ owner: 'acme', repo, labels: 'incident', state: 'all' });
    const issue = issues.find((candidate) => candidate.title === '[P2] checkout: Checkout errors');
    if (!issue) throw new Error(`no incident in acme/${repo}`);
    const { data } = await alice.rest.issues.listComments({ owner: 'acme', repo, issue_number: issue.number });
    return data.filter((comment) => comment.user?.login === 'firewatch[bot]' && (comment.body ?? '').includes('Ack SLO breached')).map((comment) => comment.body ?? '');
  }

  it('sweeps both configured repositories, and neither the unconfigured one nor the org defaults', async () => {
    firewatch.sandbox.resetStats();
    await firewatch.sandbox.setNow(at(15)); // the clock hook runs the sweep
    expect(await breachComments('shop')).toHaveLength(1);
    expect(await breachComments('payments')).toHaveLength(1);
    expect((await breachComments('payments'))[0]).toContain('On call now: @bob');
    expect(await breachComments('inventory')).toEqual([]);
    const { byRoute } = firewatch.sandbox.stats();
    expect(byRoute['GET /app/installations']).toBe(1);
    expect(byRoute['GET /installation/repositories']).toBe(1);
  });

  it('costs two requests per repository on a quiet tick: nothing for the list of repositories', async () => {
    await firewatch.sandbox.setNow(at(16)); // reads the comments of the incidents it just wrote on, once
    firewatch.sandbox.resetStats();
    await firewatch.sandbox.setNow(at(17));
    expect(firewatch.sandbox.stats()).toEqual({ total: 4, contentCreating: 0, byRoute: { 'GET /repos/{owner}/{repo}/issues': 4 }, limited: 0, byStatus: { '200': 4 } });
    expect(await breachComments('shop')).toHaveLength(1);
  });

  it('sweeps a repository from the tick after a push adds its config', async () => {
    const { data: file } = await alice.rest.repos.createOrUpdateFileContents({ owner: 'acme', repo: 'inventory', path: '.github/firewatch.yml', message: 'Turn on firewatch', content: Buffer.from(CONFIG).toString('base64') });
    expect(file.content?.path).toBe('.github/firewatch.yml');
    await firewatch.sandbox.idle(); // the push webhook reached the app
    const results = await firewatch.server.sweeps.runNow();
    expect(results.map((result) => `${result.repo.owner}/${result.repo.repo}`)).toEqual(['acme/shop', 'acme/payments', 'acme/inventory']);
    expect(await breachComments('inventory')).toHaveLength(1);
  });

  it('applies a config change pushed to a swept repository at the next tick, not an hour later', async () => {
    const { data: current } = await alice.rest.repos.getContent({ owner: 'acme', repo: 'shop', path: '.github/firewatch.yml' });
    const sha = 'sha' in current ? current.sha : '';
    const config = CONFIG.replace('oncall:\n', "oncall:\n  escalation: { steps: [{ afterMinutes: 20, mention: ['@carol'] }] }\n");
    await alice.rest.repos.createOrUpdateFileContents({ owner: 'acme', repo: 'shop', path: '.github/firewatch.yml', message: 'Escalate to carol', content: Buffer.from(config).toString('base64'), sha });
    await firewatch.sandbox.idle();
    await firewatch.sandbox.setNow(at(21));
    const { data: issues } = await alice.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', labels: 'incident' });
    const { data: comments } = await alice.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: issues[0]?.number ?? 0 });
    expect(comments.filter((comment) => (comment.body ?? '').includes('@carol, please help'))).toHaveLength(1);
  });
});
