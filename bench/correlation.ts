/**
 * Deploy-correlation accuracy on the scenario suite (test/correlation/scenarios): top-1 and top-3
 * accuracy, abstention precision and recall, and every miss, for the main and held-out sets; then
 * the same suite end to end against the sandbox (alerts posted to the app, the ranking read from
 * the comment it writes), with the GitHub requests per incident. `npm run bench:correlation`;
 * `--pure` skips the sandbox run.
 */
import { runAll, summarize, loadScenarios, type AccuracySummary, type ScenarioResult } from '../test/correlation/runScenario.ts';
import { startSandboxRunner, summarizeSandbox, type SandboxScenarioResult } from '../test/correlation/runSandboxScenario.ts';

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
console.log(`\nranked ${results.length} incidents in ${elapsed.toFixed(0)} ms (pure path, no GitHub calls)`);
let met = all.top1 >= 0.9 && all.top3 >= 0.98 && all.abstentionRecall >= 0.8;

if (!process.argv.includes('--pure')) {
  const runner = await startSandboxRunner();
  const sandboxed: SandboxScenarioResult[] = [];
  const begun = performance.now();
  try {
    for (const { file, scenario } of loadScenarios()) sandboxed.push(await runner.run(scenario, file));
  } finally {
    await runner.close();
  }
  const summary = summarizeSandbox(sandboxed);
  console.log(`\nsandbox (alert → app → GitHub API → comment): ${summary.scenarios} scenarios in ${((performance.now() - begun) / 1000).toFixed(1)} s`);
  console.log(`  top-1 accuracy            ${percent(summary.top1)}`);
  console.log(`  culprit in top 3          ${percent(summary.top3)}`);
  console.log(`  abstention recall         ${percent(summary.abstentionRecall)}`);
  console.log(`  abstention precision      ${percent(summary.abstentionPrecision)}`);
  console.log(`  requests per incident     correlation ${summary.meanCorrelationRequests.toFixed(1)} on average, ${summary.maxCorrelationRequests} at most (target ≤ 10); whole incident with intake ${summary.meanRequests.toFixed(1)}`);
  for (const miss of summary.misses) console.log(`  miss  ${miss.file}: ${miss.why}`);
  met &&= summary.top1 >= 0.9 && summary.top3 >= 0.98 && summary.abstentionRecall >= 0.8 && summary.maxCorrelationRequests <= 10;
}
console.log(met ? '\ntargets met' : '\ntargets NOT met');
process.exitCode = met ? 0 : 1;
