/**
 * Deploy-correlation accuracy on the scenario suite (test/correlation/scenarios): top-1 and top-3
 * accuracy, abstention precision and recall, and every miss, for the main and held-out sets.
 * `npm run bench:correlation`.
 */
import { runAll, summarize, type AccuracySummary, type ScenarioResult } from '../test/correlation/runScenario.ts';

const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

function report(title: string, results: ScenarioResult[]): AccuracySummary {
  const summary = summarize(results);
  console.log(`\n${title}: ${summary.scenarios} scenarios (${summary.withCulprit} with a culprit, ${summary.noChange} caused by no change)`);
  console.log(`  top-1 accuracy            ${percent(summary.top1)}   (target ≥ 90%)`);
  console.log(`  culprit in top 3          ${percent(summary.top3)}   (target ≥ 98%)`);
  console.log(`  abstention recall         ${percent(summary.abstentionRecall)}   ("no likely suspect" on no-change incidents, target ≥ 80%)`);
  console.log(`  abstention precision      ${percent(summary.abstentionPrecision)}   (abstentions that were right)`);
  for (const miss of summary.misses) console.log(`  miss  ${miss.file}: ${miss.why}`);
  return summary;
}

const started = performance.now();
const results = runAll();
const elapsed = performance.now() - started;
report('main', results.filter((r) => !r.holdout));
report('holdout', results.filter((r) => r.holdout));
const all = report('all', results);
console.log(`\nranked ${results.length} incidents in ${elapsed.toFixed(0)} ms; requests per incident: not measured here (pure path, no GitHub calls)`);
const met = all.top1 >= 0.9 && all.top3 >= 0.98 && all.abstentionRecall >= 0.8;
console.log(met ? 'targets met' : 'targets NOT met');
process.exitCode = met ? 0 : 1;
