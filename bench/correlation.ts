/**
 * Deploy-correlation accuracy on the scenario sets: top-1 and top-3 accuracy, abstention precision
 * and recall, how often the culprit's evidence quotes what the alert names, and every miss; then
 * the same sets end to end against the sandbox (alerts posted to the app, the ranking read from the
 * comment it writes), with the GitHub requests per incident. `npm run bench:correlation`;
 * `--pure` skips the sandbox run; `--sets=existing,training` picks sets (default: all of them).
 *
 * Sets: `main` and `holdout-v1` are test/correlation/scenarios (holdout- files held out when the
 * first model was written); `training` is test/correlation/training (issue #18, both rounds);
 * `holdout-v2` is test/correlation/holdout, issue #18's first held-out half, run once at the end of
 * round 1 and used for tuning since (seen); `holdout-v3` is test/correlation/holdout-v3, written
 * before round 2 changed the model, first run at its end and reported as it came out;
 * `holdout-v4` is test/correlation/holdout-v4, written for round 3 by someone who never saw the
 * model, first run once the round-3 model was final; `holdout-v5` is test/correlation/holdout-v5,
 * written blind for round 4 and run once when the round-4 model was final; `holdout-v6` is
 * test/correlation/holdout-v6, written blind for round 5 and run once when the round-5 model was
 * final; `holdout-v7` is test/correlation/holdout-v7, written blind for round 6 and run once when the
 * round-6 model was committed; `holdout-v8` is test/correlation/holdout-v8, written blind for round 7
 * and run once when the round-7 model was committed; `holdout-v9` is test/correlation/holdout-v9,
 * written blind for round 8 and run once when the round-8 model was committed. See bench/README.md.
 */
import { basename } from 'node:path';
import { HOLDOUT_DIR, HOLDOUT_V3_DIR, HOLDOUT_V4_DIR, HOLDOUT_V5_DIR, HOLDOUT_V6_DIR, HOLDOUT_V7_DIR, HOLDOUT_V8_DIR, HOLDOUT_V9_DIR, loadScenarios, runScenario, SCENARIO_DIR, summarize, TRAINING_DIR, type AccuracySummary, type Scenario, type ScenarioResult } from '../test/correlation/runScenario.ts';
import { startSandboxRunner, summarizeSandbox, type SandboxScenarioResult } from '../test/correlation/runSandboxScenario.ts';

const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

interface ScenarioSet {
  name: string;
  scenarios: { file: string; scenario: Scenario }[];
}

const ALL_SETS: Record<string, () => ScenarioSet[]> = {
  existing: () => {
    const all = loadScenarios(SCENARIO_DIR);
    return [
      { name: 'main', scenarios: all.filter((s) => !basename(s.file).startsWith('holdout-')) },
      { name: 'holdout-v1', scenarios: all.filter((s) => basename(s.file).startsWith('holdout-')) },
    ];
  },
  training: () => [{ name: 'training', scenarios: loadScenarios(TRAINING_DIR) }],
  'holdout-v2': () => [{ name: 'holdout-v2 (seen)', scenarios: loadScenarios(HOLDOUT_DIR) }],
  'holdout-v3': () => [{ name: 'holdout-v3', scenarios: loadScenarios(HOLDOUT_V3_DIR) }],
  'holdout-v4': () => [{ name: 'holdout-v4', scenarios: loadScenarios(HOLDOUT_V4_DIR) }],
  'holdout-v5': () => [{ name: 'holdout-v5', scenarios: loadScenarios(HOLDOUT_V5_DIR) }],
  'holdout-v6': () => [{ name: 'holdout-v6', scenarios: loadScenarios(HOLDOUT_V6_DIR) }],
  'holdout-v7': () => [{ name: 'holdout-v7', scenarios: loadScenarios(HOLDOUT_V7_DIR) }],
  'holdout-v8': () => [{ name: 'holdout-v8', scenarios: loadScenarios(HOLDOUT_V8_DIR) }],
  'holdout-v9': () => [{ name: 'holdout-v9', scenarios: loadScenarios(HOLDOUT_V9_DIR) }],
};

const setsArgument = process.argv.find((arg) => arg.startsWith('--sets='))?.slice('--sets='.length);
const chosen = setsArgument ? setsArgument.split(',') : Object.keys(ALL_SETS);
for (const name of chosen) if (!ALL_SETS[name]) throw new Error(`unknown set ${name}; known: ${Object.keys(ALL_SETS).join(', ')}`);
const sets = chosen.flatMap((name) => ALL_SETS[name]?.() ?? []);

interface Figures {
  top1: number;
  top3: number;
  abstentionRecall: number;
  abstentionPrecision: number;
  explainable: number;
  explained: number;
  misses: { file: string; why: string }[];
}

function print(title: string, counts: { scenarios: number; withCulprit: number; noChange: number }, summary: Figures, extra: string[] = []): void {
  console.log(`\n${title}: ${counts.scenarios} scenarios (${counts.withCulprit} with a culprit, ${counts.noChange} caused by no change)`);
  console.log(`  top-1 accuracy            ${percent(summary.top1)}   (goal ≥ 90%)`);
  console.log(`  culprit in top 3          ${percent(summary.top3)}   (goal ≥ 98%)`);
  console.log(`  abstention recall         ${percent(summary.abstentionRecall)}   ("no likely suspect" on no-change incidents, goal ≥ 80%)`);
  console.log(`  abstention precision      ${percent(summary.abstentionPrecision)}   (abstentions that were right, goal ≥ 95%)`);
  if (summary.explainable) console.log(`  explained                 ${percent(summary.explained)}   (of ${summary.explainable} that name what the evidence should quote: named first, quoting it)`);
  for (const line of extra) console.log(`  ${line}`);
  for (const miss of summary.misses) console.log(`  miss  ${miss.file}: ${miss.why}`);
}

const meets = (s: Figures): boolean => s.top1 >= 0.9 && s.top3 >= 0.98 && s.abstentionRecall >= 0.8 && s.abstentionPrecision >= 0.95;

let met = true;
const started = performance.now();
const pure: { set: string; results: ScenarioResult[] }[] = sets.map((set) => ({ set: set.name, results: set.scenarios.map(({ file, scenario }) => runScenario(scenario, file)) }));
const elapsed = performance.now() - started;
console.log('pure path (fixtures turned into what GitHub would return, ranked in-process)');
for (const { set, results } of pure) {
  const summary: AccuracySummary = summarize(results);
  print(set, summary, summary);
  met &&= meets(summary);
}
console.log(`\nranked ${pure.reduce((n, p) => n + p.results.length, 0)} incidents in ${elapsed.toFixed(0)} ms (no GitHub calls)`);

if (!process.argv.includes('--pure')) {
  const runner = await startSandboxRunner();
  console.log('\nsandbox (alert → app → GitHub API → comment)');
  try {
    for (const set of sets) {
      const begun = performance.now();
      const sandboxed: SandboxScenarioResult[] = [];
      for (const { file, scenario } of set.scenarios) sandboxed.push(await runner.run(scenario, file));
      const summary = summarizeSandbox(sandboxed);
      print(`${set.name} in ${((performance.now() - begun) / 1000).toFixed(1)} s`, summary, summary, [
        `requests per incident     correlation ${summary.meanCorrelationRequests.toFixed(1)} on average, ${summary.maxCorrelationRequests} at most (budget ≤ 10); whole incident with intake ${summary.meanRequests.toFixed(1)}`,
      ]);
      met &&= meets(summary) && summary.maxCorrelationRequests <= 10;
    }
  } finally {
    await runner.close();
  }
}
console.log(met ? '\ngoals met on every set' : '\ngoals NOT met on every set');
process.exitCode = met ? 0 : 1;
