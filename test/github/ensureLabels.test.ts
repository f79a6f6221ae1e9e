import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_LABELS } from '../../src/domain/incident/labels.ts';
import { createLabelCache, ensureLabels } from '../../src/adapters/github/ensureLabels.ts';
import { Sandbox } from '@firewatch/sandbox';

const repo = { owner: 'acme', repo: 'shop' };
const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('ensureLabels with concurrent workers', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await Sandbox.start({ port: 0, webhookSecret: 'unused' });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('makes one creation pass for four concurrent workers: one list and one POST per missing label, no 422', async () => {
    const octokit = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-firewatch' });
    const cache = createLabelCache();
    sandbox.resetStats();
    const results = await Promise.all(Array.from({ length: 4 }, () => ensureLabels(octokit, repo, { cache })));

    const stats = sandbox.stats();
    const missing = results.flat();
    expect(missing.length).toBeGreaterThan(0);
    expect(results.filter((created) => created.length > 0)).toHaveLength(1);
    expect(stats.byRoute['GET /repos/{owner}/{repo}/labels']).toBe(1);
    expect(stats.byRoute['POST /repos/{owner}/{repo}/labels']).toBe(missing.length);
    expect(stats.total).toBe(1 + missing.length);

    const { data: labels } = await octokit.rest.issues.listLabelsForRepo({ owner: 'acme', repo: 'shop', per_page: 100 });
    const names = new Set(labels.map((label) => label.name));
    expect(CONTRACT_LABELS.every((label) => names.has(label.name))).toBe(true);

    sandbox.resetStats();
    await Promise.all(Array.from({ length: 4 }, () => ensureLabels(octokit, repo, { cache })));
    expect(sandbox.stats().total).toBe(0);
  });
});

describe('ensureLabels after an incident issue named its labels', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.start({ port: 0, webhookSecret: 'unused' });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('colors the labels GitHub created gray for the issue, creates the others and leaves styled labels alone', async () => {
    const octokit = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-firewatch' });
    const alice = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-alice' });
    await alice.rest.issues.createLabel({ ...repo, name: 'sev:P1', color: '000000', description: 'Ours: wake everyone' });
    await octokit.rest.issues.create({ ...repo, title: 'Checkout down', labels: ['incident', 'sev:P2', 'status:triggered'] });
    sandbox.resetStats();
    await ensureLabels(octokit, repo, { cache: createLabelCache() });

    const { data: labels } = await octokit.rest.issues.listLabelsForRepo({ ...repo, per_page: 100 });
    const byName = new Map(labels.map((label) => [label.name, label]));
    for (const spec of CONTRACT_LABELS.filter((label) => label.name !== 'sev:P1')) {
      expect(byName.get(spec.name)).toMatchObject({ color: spec.color.toLowerCase(), description: spec.description });
    }
    expect(byName.get('sev:P1')).toMatchObject({ color: '000000', description: 'Ours: wake everyone' });
    const stats = sandbox.stats();
    expect(stats.byRoute['PATCH /repos/{owner}/{repo}/labels/{name}']).toBe(3);
    expect(stats.byRoute['POST /repos/{owner}/{repo}/labels']).toBe(CONTRACT_LABELS.length - 4);
  });
});

describe('ensureLabels failures', () => {
  it('shares a failed pass with the callers waiting for it, and lets the next caller start over', async () => {
    let lists = 0;
    let fail = true;
    const created: string[] = [];
    const octokit = {
      rest: {
        issues: {
          listLabelsForRepo: async () => {
            lists++;
            await tick();
            if (fail) throw httpError(502);
            return { data: [] };
          },
          updateLabel: async () => ({}), createLabel: async (p: { name: string }) => {
            created.push(p.name);
            return {};
          },
        },
      },
    };
    const cache = createLabelCache();
    const attempts = await Promise.allSettled([ensureLabels(octokit, repo, { cache }), ensureLabels(octokit, repo, { cache })]);
    expect(attempts.map((attempt) => attempt.status)).toEqual(['rejected', 'rejected']);
    expect(lists).toBe(1);
    expect(created).toEqual([]);

    fail = false;
    expect(await ensureLabels(octokit, repo, { cache })).toEqual(CONTRACT_LABELS.map((label) => label.name));
    expect(lists).toBe(2);
  });

  it('keeps separate caches apart (one per process in production, one per test here)', async () => {
    let lists = 0;
    const octokit = { rest: { issues: { listLabelsForRepo: async () => { lists++; await tick(); return { data: CONTRACT_LABELS.map((l) => ({ name: l.name })) }; }, updateLabel: async () => ({}), createLabel: async () => ({}) } } };
    await Promise.all([ensureLabels(octokit, repo, { cache: createLabelCache() }), ensureLabels(octokit, repo, { cache: createLabelCache() })]);
    expect(lists).toBe(2);
  });
});
