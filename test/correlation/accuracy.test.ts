import { describe, expect, it } from 'vitest';
import { loadScenarios, runAll, summarize } from './runScenario.ts';

describe('deploy correlation accuracy on the scenario suite', () => {
  const results = runAll();

  it('has at least 40 varied scenarios, a third held out, at least 10 caused by no change', () => {
    const scenarios = loadScenarios();
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
    expect(results.filter((r) => r.holdout).length).toBeGreaterThanOrEqual(Math.ceil(scenarios.length / 3));
    expect(results.filter((r) => r.culprit === null).length).toBeGreaterThanOrEqual(10);
    expect(new Set(scenarios.map((s) => s.scenario.name)).size).toBe(scenarios.length);
  });

  it('meets the targets: top-1 ≥ 90%, top-3 ≥ 98%, "no likely suspect" on ≥ 80% of no-change incidents', () => {
    const summary = summarize(results);
    const report = summary.misses.map((m) => `${m.file}: ${m.why}`).join('\n');
    expect(summary.top1, report).toBeGreaterThanOrEqual(0.9);
    expect(summary.top3, report).toBeGreaterThanOrEqual(0.98);
    expect(summary.abstentionRecall, report).toBeGreaterThanOrEqual(0.8);
  });

  it('holds on the held-out scenarios on their own', () => {
    const summary = summarize(results.filter((r) => r.holdout));
    const report = summary.misses.map((m) => `${m.file}: ${m.why}`).join('\n');
    expect(summary.top1, report).toBeGreaterThanOrEqual(0.9);
    expect(summary.top3, report).toBeGreaterThanOrEqual(0.98);
    // Looser than the overall target: some held-out no-change incidents are truly ambiguous (a service deploy 3 h before).
    expect(summary.abstentionRecall, report).toBeGreaterThanOrEqual(0.7);
  });

  it('notes a culprit that was already reverted instead of suggesting it', () => {
    const reverted = results.find((r) => r.file === 'm12-culprit-already-reverted.json');
    expect(reverted?.ranking.verdict).toBe('no_likely_suspect');
    expect(reverted?.ranking.reverted.map((e) => e.reason)).toEqual(['#2 already reverted by #3 (excluded)']);
  });
});
