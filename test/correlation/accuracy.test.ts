import { describe, expect, it } from 'vitest';
import { HOLDOUT_DIR, HOLDOUT_V4_DIR, HOLDOUT_V5_DIR, HOLDOUT_V6_DIR, HOLDOUT_V7_DIR, HOLDOUT_V8_DIR, loadScenarios, runAll, summarize, TRAINING_DIR, type ScenarioResult } from './runScenario.ts';

function report(results: readonly ScenarioResult[]): string {
  return summarize(results)
    .misses.map((m) => `${m.file}: ${m.why}`)
    .join('\n');
}

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
    expect(summary.top1, report(results)).toBeGreaterThanOrEqual(0.9);
    expect(summary.top3, report(results)).toBeGreaterThanOrEqual(0.98);
    expect(summary.abstentionRecall, report(results)).toBeGreaterThanOrEqual(0.8);
  });

  it('holds on the held-out scenarios on their own', () => {
    const holdout = results.filter((r) => r.holdout);
    const summary = summarize(holdout);
    expect(summary.top1, report(holdout)).toBeGreaterThanOrEqual(0.9);
    expect(summary.top3, report(holdout)).toBeGreaterThanOrEqual(0.98);
    // Looser than the overall target: some held-out no-change incidents are truly ambiguous (a service deploy 3 h before).
    expect(summary.abstentionRecall, report(holdout)).toBeGreaterThanOrEqual(0.7);
  });

  it('notes a culprit that was already reverted instead of suggesting it', () => {
    const reverted = results.find((r) => r.file === 'm12-culprit-already-reverted.json');
    expect(reverted?.ranking.verdict).toBe('no_likely_suspect');
    expect(reverted?.ranking.reverted.map((e) => e.reason)).toEqual(['#2 already reverted by #3 (excluded)']);
  });
});

describe('deploy correlation reads the alert (issue #18 training scenarios and the seen holdout-v2)', () => {
  const results = [...runAll(TRAINING_DIR), ...runAll(HOLDOUT_DIR)];

  it('covers the kinds of incident the issue names, in several languages and alert sources', () => {
    const scenarios = loadScenarios(TRAINING_DIR);
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
    const sources = new Set(scenarios.flatMap((s) => s.scenario.alerts.map((a) => ('payload' in a && typeof a.source === 'string' ? a.source : 'generic'))));
    expect(sources.size).toBeGreaterThanOrEqual(4);
    expect(results.filter((r) => r.culprit === null).length).toBeGreaterThanOrEqual(5);
  });

  it('meets the goals: top-1 ≥ 90%, top-3 ≥ 98%, abstains on ≥ 80% of no-change incidents with ≥ 95% precision', () => {
    const summary = summarize(results);
    expect(summary.top1, report(results)).toBeGreaterThanOrEqual(0.9);
    expect(summary.top3, report(results)).toBeGreaterThanOrEqual(0.98);
    expect(summary.abstentionRecall, report(results)).toBeGreaterThanOrEqual(0.8);
    expect(summary.abstentionPrecision, report(results)).toBeGreaterThanOrEqual(0.95);
  });

  it('covers the classes round 1 missed: scheduled jobs, dependencies failing with no culprit, ties inside a deployment', () => {
    const tags = loadScenarios(TRAINING_DIR).flatMap((s) => s.scenario.tags);
    expect(tags.filter((t) => t === 'scheduled-job').length).toBeGreaterThanOrEqual(4);
    expect(tags.filter((t) => t === 'provider' || t === 'infrastructure').length).toBeGreaterThanOrEqual(4);
    expect(tags.filter((t) => t === 'vague-alert').length).toBeGreaterThanOrEqual(2);
  });

  it("quotes what matched in the culprit's evidence: the file and line, the alert's words", () => {
    const summary = summarize(results);
    expect(summary.explainable).toBeGreaterThanOrEqual(20);
    expect(summary.explained, report(results)).toBe(1);
  });
});

// holdout-v4 and holdout-v5 were unseen once and are tuned on since (round 5): what round 5 reached on
// them is kept, so a later change that loses it says so.
describe('deploy correlation on the sets round 5 was tuned on (holdout-v4, holdout-v5)', () => {
  const results = [...runAll(HOLDOUT_V4_DIR), ...runAll(HOLDOUT_V5_DIR)];

  it('keeps round 5: top-1 ≥ 95%, top-3 100%, abstains on ≥ 85% of no-change incidents, every abstention right, ≥ 85% explained', () => {
    const summary = summarize(results);
    expect(summary.top1, report(results)).toBeGreaterThanOrEqual(0.95);
    expect(summary.top3, report(results)).toBe(1);
    expect(summary.abstentionRecall, report(results)).toBeGreaterThanOrEqual(0.85);
    expect(summary.abstentionPrecision, report(results)).toBe(1);
    expect(summary.explained, report(results)).toBeGreaterThanOrEqual(0.85);
  });
});

// holdout-v6 was unseen when round 5 was final and is tuned on since (round 6): what round 6 reached on it
// is kept.
describe('deploy correlation on the set round 6 was tuned on (holdout-v6)', () => {
  const results = runAll(HOLDOUT_V6_DIR);

  it('keeps round 6: top-1 ≥ 95%, top-3 100%, abstains on ≥ 90% of no-change incidents, every abstention right, ≥ 90% explained', () => {
    const summary = summarize(results);
    expect(summary.top1, report(results)).toBeGreaterThanOrEqual(0.95);
    expect(summary.top3, report(results)).toBe(1);
    expect(summary.abstentionRecall, report(results)).toBeGreaterThanOrEqual(0.9);
    expect(summary.abstentionPrecision, report(results)).toBe(1);
    expect(summary.explained, report(results)).toBeGreaterThanOrEqual(0.9);
  });
});

// holdout-v7 was unseen when round 6 was final (its one run is in bench/README.md) and is tuned on
// since (round 7): what round 7 reached on it is kept. Its explanations stay low and are not asserted.
describe('deploy correlation on the set round 7 was tuned on (holdout-v7)', () => {
  const results = runAll(HOLDOUT_V7_DIR);

  it('keeps round 7: top-1 ≥ 80%, top-3 ≥ 95%, abstains on ≥ 85% of no-change incidents, every abstention right', () => {
    const summary = summarize(results);
    expect(summary.top1, report(results)).toBeGreaterThanOrEqual(0.8);
    expect(summary.top3, report(results)).toBeGreaterThanOrEqual(0.95);
    expect(summary.abstentionRecall, report(results)).toBeGreaterThanOrEqual(0.85);
    expect(summary.abstentionPrecision, report(results)).toBe(1);
  });
});

// holdout-v8 was unseen when round 7 was final (its one run is in bench/README.md) and is tuned on
// since (round 8): what round 8 reached on it is kept.
describe('deploy correlation on the set round 8 was tuned on (holdout-v8)', () => {
  const results = runAll(HOLDOUT_V8_DIR);

  it('keeps round 8: top-1 ≥ 90%, top-3 100%, abstains on ≥ 75% of no-change incidents, every abstention right', () => {
    const summary = summarize(results);
    expect(summary.top1, report(results)).toBeGreaterThanOrEqual(0.9);
    expect(summary.top3, report(results)).toBe(1);
    expect(summary.abstentionRecall, report(results)).toBeGreaterThanOrEqual(0.75);
    expect(summary.abstentionPrecision, report(results)).toBe(1);
  });
});
