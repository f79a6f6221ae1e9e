/**
 * The accuracy targets, measured end to end: every scenario is loaded into the sandbox, its
 * alerts posted to the app, and the ranking read from the "Suspected changes" comment the app
 * wrote. Also the API budget: at most 10 GitHub requests to correlate an incident, with 100+
 * merged PRs in the window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSuspectsComment } from '../../src/features/correlation/correlate.ts';
import { HOLDOUT_DIR, HOLDOUT_V3_DIR, loadScenarios, scenarioSchema, TRAINING_DIR, type Scenario } from './runScenario.ts';
import { startSandboxRunner, summarizeSandbox, type SandboxRunner, type SandboxScenarioResult } from './runSandboxScenario.ts';

let runner: SandboxRunner;
const results: SandboxScenarioResult[] = [];
const training: SandboxScenarioResult[] = [];
/** Issue #18's first held-out half (holdout-v2), seen since round 1 ended: tuned on, like the training set. */
const holdout: SandboxScenarioResult[] = [];
/** Round 2's holdout: its accuracy is reported in bench/README.md, not asserted (the model is not tuned on it); the budget holds for it too. */
const holdoutV3: SandboxScenarioResult[] = [];

beforeAll(async () => {
  runner = await startSandboxRunner();
  for (const { file, scenario } of loadScenarios()) results.push(await runner.run(scenario, file));
  for (const { file, scenario } of loadScenarios(TRAINING_DIR)) training.push(await runner.run(scenario, file));
  for (const { file, scenario } of loadScenarios(HOLDOUT_DIR)) holdout.push(await runner.run(scenario, file));
  for (const { file, scenario } of loadScenarios(HOLDOUT_V3_DIR)) holdoutV3.push(await runner.run(scenario, file));
}, 300_000);

afterAll(async () => {
  await runner?.close();
});

/** A monorepo with 120 PRs merged in the last 20 hours, deployed in batches, the culprit among them. */
function busyScenario(): Scenario {
  const pulls = Array.from({ length: 120 }, (_, i) => {
    const service = ['checkout', 'payments', 'search', 'catalog'][i % 4] ?? 'checkout';
    return {
      number: i + 1,
      title: `${service}: change ${i + 1}`,
      user: 'bob',
      merged_at: `-${1200 - i * 10}m`,
      files: [{ path: `services/${service}/file${i}.js`, content: `export const v = ${i};\n` }],
    };
  });
  const culprit = pulls[112];
  if (culprit) culprit.title = 'checkout: rewrite the order total';
  const deployments = Array.from({ length: 12 }, (_, i) => ({
    environment: 'production',
    pull: (i + 1) * 10 - (i === 11 ? 6 : 0),
    created_at: `-${1190 - (i + 1) * 100 + (i === 11 ? 60 : 0)}m`,
    statuses: [{ state: 'success', created_at: `-${1190 - (i + 1) * 100 + (i === 11 ? 60 : 0)}m` }],
  }));
  return scenarioSchema.parse({
    name: 'busy monorepo, 120 merges',
    description: 'API budget check',
    now: '2025-06-12T14:00:00Z',
    fixture: { repos: [{ owner: 'acme', name: 'shop', files: { 'README.md': '# shop\n' }, pulls, deployments }] },
    alerts: [{ title: 'CheckoutErrors', severity: 'critical', started_at: '-20m', service: 'checkout', labels: { environment: 'production' } }],
    service: { name: 'checkout', repos: ['acme/shop'], paths: ['services/checkout/**'] },
    culprit: { repo: 'acme/shop', pull: 113 },
  });
}

/**
 * A service that lists twenty repositories (the most the config allows), one of which firewatch
 * cannot read; each other one merged a PR in the last hours (deploy on merge), the culprit among them.
 */
function manyRepoScenario(): Scenario {
  const names = Array.from({ length: 19 }, (_, i) => `ledger-part${i}`);
  const repos = names.map((name, i) => ({
    owner: 'acme',
    name,
    files: { 'src/posting.py': 'def post(entry):\n    return entry.amount\n' },
    pulls: [
      {
        number: 1,
        title: i === 7 ? 'Posting: apply the partial ratio to split entries' : `Part ${i}: tidy the posting helpers`,
        user: 'bob',
        merged_at: `-${40 + i * 9}m`,
        files: [{ path: 'src/posting.py', content: i === 7 ? 'def post(entry):\n    return entry.amount * entry.partial_ratio\n' : `def post(entry):\n    return entry.amount  # ${i}\n` }],
      },
    ],
  }));
  return scenarioSchema.parse({
    name: 'twenty repositories',
    description: 'API budget check for a service listing many repositories',
    now: '2025-06-12T14:00:00Z',
    fixture: { repos },
    alerts: [{ title: 'LedgerPostingErrors', severity: 'critical', started_at: '-10m', service: 'ledger', description: "KeyError: 'partial_ratio'", labels: { environment: 'production' } }],
    service: { name: 'ledger', repos: [...names.map((name) => `acme/${name}`), 'acme/ledger-archive'], paths: [] },
    culprit: { repo: 'acme/ledger-part7', pull: 1 },
  });
}

describe('deploy correlation against the sandbox (alerts in, comment out)', () => {
  it('writes a Suspected changes comment for every scenario', () => {
    expect([...results, ...training, ...holdout, ...holdoutV3].filter((r) => r.block === null).map((r) => r.file)).toEqual([]);
  });

  it('meets the targets: top-1 ≥ 90%, top-3 ≥ 98%, "no likely suspect" on ≥ 80% of no-change incidents', () => {
    const summary = summarizeSandbox(results);
    const report = summary.misses.map((m) => `${m.file}: ${m.why}`).join('\n');
    expect(summary.scenarios).toBeGreaterThanOrEqual(40);
    expect(summary.top1, report).toBeGreaterThanOrEqual(0.9);
    expect(summary.top3, report).toBeGreaterThanOrEqual(0.98);
    expect(summary.abstentionRecall, report).toBeGreaterThanOrEqual(0.8);
  });

  it('reads the alert end to end: the training scenarios and the seen holdout-v2 meet the goals, and the evidence quotes what matched', () => {
    const summary = summarizeSandbox([...training, ...holdout]);
    const report = summary.misses.map((m) => `${m.file}: ${m.why}`).join('\n');
    expect(summary.top1, report).toBeGreaterThanOrEqual(0.9);
    expect(summary.top3, report).toBeGreaterThanOrEqual(0.98);
    expect(summary.abstentionRecall, report).toBeGreaterThanOrEqual(0.8);
    expect(summary.abstentionPrecision, report).toBeGreaterThanOrEqual(0.95);
    expect(summary.explained, report).toBe(1);
    // Patches were read: the budget was used for them, and still kept.
    expect(training.some((r) => (r.stats.byRoute['GET /repos/{owner}/{repo}/pulls/{pull_number}/files'] ?? 0) > 0)).toBe(true);
  });

  it('costs at most 10 GitHub requests per incident to correlate, as the comment itself reports', () => {
    for (const result of [...results, ...training, ...holdout, ...holdoutV3]) {
      expect(result.correlationRequests, result.file).toBeLessThanOrEqual(10);
      expect(result.block?.requests, result.file).toBe(result.correlationRequests);
    }
  });

  it('correlates a service of twenty repositories in at most 10 requests, four GraphQL queries, and says which one it could not read', async () => {
    const result = await runner.run(manyRepoScenario(), 'many-repos.json');
    expect(result.correlationRequests).toBeLessThanOrEqual(10);
    expect(result.stats.byRoute['POST /graphql']).toBe(4);
    expect(result.block?.considered).toBe(19);
    expect(result.culpritRank).toBe(1);
    const home = runner.sandbox.repo('acme', 'shop');
    const comment = [...(home?.comments.values() ?? [])].find((c) => isSuspectsComment(c.body));
    expect(comment?.body).toContain('could not read acme/ledger-archive (not found, or firewatch is not installed there)');
  }, 30_000);

  it('correlates an incident against 120 merged PRs in at most 10 requests and still lists the culprit first', async () => {
    const result = await runner.run(busyScenario(), 'busy-120.json');
    expect(result.correlationRequests).toBeLessThanOrEqual(10);
    expect(result.stats.byRoute['POST /graphql']).toBe(2);
    expect(result.block?.considered).toBeGreaterThanOrEqual(100);
    // Thirty checkout changes in a day make it a close call (the verdict may abstain), but the culprit leads.
    expect(result.culpritRank).toBe(1);
  }, 30_000);
});
