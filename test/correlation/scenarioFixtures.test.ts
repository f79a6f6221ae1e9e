import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '@firewatch/sandbox';
import { HOLDOUT_DIR, HOLDOUT_V3_DIR, HOLDOUT_V4_DIR, loadScenarios, SCENARIO_DIR, TRAINING_DIR } from './runScenario.ts';

// The scenarios double as sandbox fixtures for the GitHub-backed benchmark: each must load as is.
describe('correlation scenarios are valid sandbox fixtures', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.start({ port: 0, host: '127.0.0.1', webhookSecret: 'test' });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('every scenario resets the sandbox with its PRs merged under their pinned numbers and its deployments', () => {
    for (const { file, scenario } of [SCENARIO_DIR, TRAINING_DIR, HOLDOUT_DIR, HOLDOUT_V3_DIR, HOLDOUT_V4_DIR].flatMap((dir) => loadScenarios(dir))) {
      sandbox.reset({ ...scenario.fixture, now: scenario.now });
      for (const repo of scenario.fixture.repos ?? []) {
        const record = sandbox.state.repos.get(`${repo.owner}/${repo.name}`);
        expect(record, file).toBeDefined();
        for (const pull of repo.pulls) {
          expect(record?.pulls.get(pull.number ?? 0)?.merged, `${file} #${pull.number}`).toBe(pull.merged_at !== undefined);
        }
        expect(record?.deployments.size, file).toBe(repo.deployments.length);
      }
    }
  });
});
