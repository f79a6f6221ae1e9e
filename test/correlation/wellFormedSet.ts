import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizerFor } from '../../src/adapters/intake/normalizers.ts';
import { resolveFixtureTime, Sandbox } from '@firewatch/sandbox';
import { alertPayloads, loadScenarios, syntheticSha, type Scenario } from './runScenario.ts';

/**
 * The well-formedness checks of an unseen evaluation set (holdout-v4, holdout-v5, holdout-v6): the files parse,
 * their labels point at something that exists. Never ranks: the set must stay unseen until it is run once.
 */
export function describeWellFormed(name: string, dir: string): void {
  describe(`${name} scenarios are well formed`, () => {
    const scenarios = loadScenarios(dir);

    it('holds at least 30 scenarios, about two thirds with a culprit', () => {
      expect(scenarios.length).toBeGreaterThanOrEqual(30);
      const withCulprit = scenarios.filter(({ scenario }) => scenario.culprit !== null).length;
      expect(withCulprit / scenarios.length).toBeGreaterThan(0.55);
      expect(withCulprit / scenarios.length).toBeLessThan(0.75);
    });

    it('every alert is a valid alert of its source', () => {
      for (const { file, scenario } of scenarios) {
        for (const [index, { source, payload }] of alertPayloads(scenario, syntheticSha).entries()) {
          const normalize = normalizerFor(source);
          expect(normalize, `${file} alert ${index + 1}`).toBeDefined();
          const result = normalize?.(payload, { receivedAt: new Date(scenario.now) });
          expect(result?.ok ? [] : result?.problems, `${file} alert ${index + 1}`).toEqual([]);
        }
      }
    });

    it("the service's repositories are in the fixture and every deployment ships a merged PR", () => {
      for (const { file, scenario } of scenarios) {
        const repos = scenario.fixture.repos ?? [];
        const names = repos.map((r) => `${r.owner}/${r.name}`);
        for (const name of scenario.service.repos) expect(names, file).toContain(name);
        for (const repo of repos) {
          const merged = new Set(repo.pulls.filter((p) => p.merged_at !== undefined).map((p) => p.number));
          expect(new Set(repo.pulls.map((p) => p.number)).size, `${file} ${repo.name}: PR numbers are unique`).toBe(repo.pulls.length);
          for (const deployment of repo.deployments) expect(merged.has(deployment.pull), `${file} ${repo.name} deploys #${deployment.pull}`).toBe(true);
        }
      }
    });

    // The sandbox-backed run applies each fixture as it stands: every author and deployment creator
    // must be an account the fixture declares (holdout-v8 named one it did not, found only when run).
    it('the sandbox accepts every fixture', async () => {
      const sandbox = await Sandbox.start({ port: 0, host: '127.0.0.1', webhookSecret: randomBytes(16).toString('hex') });
      try {
        for (const { file, scenario } of scenarios) {
          let problem = '';
          try {
            sandbox.reset({ ...scenario.fixture, now: scenario.now });
          } catch (error) {
            problem = error instanceof Error ? error.message : String(error);
          }
          expect(problem, file).toBe('');
        }
      } finally {
        await sandbox.close();
      }
    });

    it('the culprit is a PR merged before the alert, in one of the service repositories, and its evidence words are in both', () => {
      for (const { file, scenario } of scenarios) {
        const culprit = scenario.culprit;
        if (culprit === null) {
          expect(scenario.explains, file).toEqual([]);
          continue;
        }
        expect('pull' in culprit, file).toBe(true);
        if (!('pull' in culprit)) continue;
        expect(scenario.service.repos, file).toContain(culprit.repo);
        const repo = (scenario.fixture.repos ?? []).find((r) => `${r.owner}/${r.name}` === culprit.repo);
        const pull = repo?.pulls.find((p) => p.number === culprit.pull);
        expect(pull?.merged_at, `${file}: culprit #${culprit.pull} is merged`).toBeDefined();
        const now = new Date(scenario.now);
        const mergedAt = resolveFixtureTime(pull?.merged_at ?? '', now).getTime();
        expect(mergedAt, file).toBeLessThan(now.getTime());
        // What the change's diff shows: the files before it (replaying the PRs merged earlier) and after.
        const files = new Map(Object.entries(repo?.files ?? {}));
        const earlier = (repo?.pulls ?? []).filter((p) => p.merged_at !== undefined && resolveFixtureTime(p.merged_at, now).getTime() < mergedAt);
        for (const p of earlier) for (const f of p.files) files.set(f.path, f.content ?? '');
        const changeText = [pull?.title, pull?.body, ...(pull?.files ?? []).flatMap((f) => [f.path, files.get(f.path) ?? '', f.content ?? ''])].join('\n').toLowerCase();
        const alertText = JSON.stringify(scenario.alerts).toLowerCase();
        for (const word of scenario.explains) {
          expect(changeText, `${file}: "${word}" in the culprit change`).toContain(word.toLowerCase());
          expect(alertText, `${file}: "${word}" in the alert`).toContain(word.toLowerCase());
        }
      }
    });
  });
}

/** What the stories of a blind set say about time and shipping, checked from the files alone (no ranking). */
export function describeConsistentStories(name: string, dir: string, prefix: string): void {
  describe(`${name} stories are consistent with their fixtures`, () => {
    const scenarios = loadScenarios(dir);
    const PRODUCTION = new Set(['production', 'prod', 'prd']);
    /** The earliest time any alert of the scenario names (its placeholders and generic `started_at`). */
    const firstAlertAt = (scenario: Scenario): number => {
      const now = new Date(scenario.now);
      const text = JSON.stringify(scenario.alerts);
      const relative = [...text.matchAll(/\{\{(?:time|epochms):(-\d+[smhd])\}\}|"started_at":"(-\d+[smhd])"/g)].map((m) => m[1] ?? m[2] ?? '');
      return Math.min(...relative.map((t) => resolveFixtureTime(t, now).getTime()));
    };

    it(`file names are ${prefix}NN-… and no-change incidents say so in their name and tags`, () => {
      for (const { file, scenario } of scenarios) {
        expect(file).toMatch(new RegExp(`^${prefix}\\d{2}-[a-z0-9-]+\\.json$`));
        expect(file.includes('-no-change-'), file).toBe(scenario.culprit === null);
        expect(scenario.tags.includes('no-change'), file).toBe(scenario.culprit === null);
      }
    });

    it('the culprit reached production before the first alert: a deployment that started after it merged, or its merge where the repository records none', () => {
      for (const { file, scenario } of scenarios) {
        const culprit = scenario.culprit;
        if (culprit === null || !('pull' in culprit)) continue;
        const now = new Date(scenario.now);
        const at = (t: string): number => resolveFixtureTime(t, now).getTime();
        const alertAt = firstAlertAt(scenario);
        const repo = (scenario.fixture.repos ?? []).find((r) => `${r.owner}/${r.name}` === culprit.repo);
        const mergedAt = at(repo?.pulls.find((p) => p.number === culprit.pull)?.merged_at ?? '');
        const production = (repo?.deployments ?? []).filter((d) => PRODUCTION.has(d.environment));
        if (production.length === 0) {
          expect(mergedAt, file).toBeLessThan(alertAt);
          continue;
        }
        const shipped = production.filter((d) => {
          const deployed = repo?.pulls.find((p) => p.number === d.pull);
          const latest = [...d.statuses].sort((a, b) => at(a.created_at) - at(b.created_at)).at(-1);
          const ran = latest?.state === 'success' || (latest?.state === 'failure' && /\d+ of \d+ pods updated/.test(latest.description ?? ''));
          return ran && at(deployed?.merged_at ?? '') >= mergedAt && at(d.created_at) >= mergedAt && at(d.created_at) < alertAt;
        });
        expect(shipped.length, `${file}: a production deployment shipped #${culprit.pull} before the alert`).toBeGreaterThan(0);
      }
    });

    it('every incident has changes of the service merged in the day before its first alert', () => {
      for (const { file, scenario } of scenarios) {
        const now = new Date(scenario.now);
        const alertAt = firstAlertAt(scenario);
        const recent = (scenario.fixture.repos ?? [])
          .filter((r) => scenario.service.repos.includes(`${r.owner}/${r.name}`))
          .flatMap((r) => r.pulls)
          .filter((p) => p.merged_at !== undefined && alertAt - resolveFixtureTime(p.merged_at, now).getTime() < 86_400_000 && resolveFixtureTime(p.merged_at, now).getTime() < alertAt);
        expect(recent.length, file).toBeGreaterThan(0);
      }
    });
  });
}
