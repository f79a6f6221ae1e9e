import { describe, expect, it } from 'vitest';
import { resolveFixtureTime } from '@firewatch/sandbox';
import { HOLDOUT_V6_DIR, loadScenarios, type Scenario } from './runScenario.ts';
import { describeWellFormed } from './wellFormedSet.ts';

// holdout-v6 is an unseen evaluation set: this checks only that its files are well formed and its
// labels point at something that exists. It never ranks (the set must stay unseen until it is run once).
describeWellFormed('holdout-v6', HOLDOUT_V6_DIR);

// What the stories say about time and shipping, checked from the files alone (no ranking).
describe('holdout-v6 stories are consistent with their fixtures', () => {
  const scenarios = loadScenarios(HOLDOUT_V6_DIR);
  const PRODUCTION = new Set(['production', 'prod', 'prd']);
  /** The earliest time any alert of the scenario names (its placeholders and generic `started_at`). */
  const firstAlertAt = (scenario: Scenario): number => {
    const now = new Date(scenario.now);
    const text = JSON.stringify(scenario.alerts);
    const relative = [...text.matchAll(/\{\{(?:time|epochms):(-\d+[smhd])\}\}|"started_at":"(-\d+[smhd])"/g)].map((m) => m[1] ?? m[2] ?? '');
    return Math.min(...relative.map((t) => resolveFixtureTime(t, now).getTime()));
  };

  it('file names are xNN-… and no-change incidents say so in their name and tags', () => {
    for (const { file, scenario } of scenarios) {
      expect(file).toMatch(/^x\d{2}-[a-z0-9-]+\.json$/);
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
