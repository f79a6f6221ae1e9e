import { describe, expect, it } from 'vitest';
import { normalizerFor } from '../../src/adapters/intake/normalizers.ts';
import { resolveFixtureTime } from '@firewatch/sandbox';
import { alertPayloads, loadScenarios, syntheticSha } from './runScenario.ts';

/**
 * The well-formedness checks of an unseen evaluation set (holdout-v4, holdout-v5): the files parse,
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
