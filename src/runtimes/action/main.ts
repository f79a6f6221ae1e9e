/**
 * GitHub Action runtime: the same app function as the server, run once per workflow event
 * through @probot/adapter-github-actions.
 */
import * as core from '@actions/core';
import { run } from '@probot/adapter-github-actions';
import type { Probot } from 'probot';
import { createApp } from '../../app.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { enterpriseHostFromApiUrl } from './actionEnvironment.ts';
import { actionSweep } from './actionSweep.ts';
import { STATE_KEY_VARIABLE, stateSealFrom } from '../stateKey.ts';
import { createServices } from '../../services/services.ts';
import { lazyIdentity } from '../../services/identity.ts';
import { memoryCoordination } from '../../services/coordination.ts';
import { githubRateLimit } from '../../features/commands/githubRateLimit.ts';
import { Octokit } from '@octokit/rest';
import { actionIdentity } from './actionIdentity.ts';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

function isLogLevel(value: string): value is (typeof LOG_LEVELS)[number] {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const enterprise = enterpriseHostFromApiUrl(env['GITHUB_API_URL']);
  if (enterprise && !env['GHE_HOST']) {
    env['GHE_HOST'] = enterprise.host;
    env['GHE_PROTOCOL'] = enterprise.protocol;
  }
  const level = core.getInput('log-level');
  if (isLogLevel(level)) env['LOG_LEVEL'] = level;
  else if (level) core.warning(`Ignoring log-level "${level}": expected one of ${LOG_LEVELS.join(', ')}.`);

  // The Action has no secret of its own that outlives a run (GITHUB_TOKEN changes every time): the key is an input.
  const stateKey = core.getInput('state-key');
  const stateSeal = stateSealFrom({ ...env, ...(stateKey ? { [STATE_KEY_VARIABLE]: stateKey } : {}) });
  if (!stateSeal.keyed) core.info('firewatch: no state-key input, so incident state blocks are not sealed; see docs/incident-state.md.');

  if (env['GITHUB_EVENT_NAME'] === 'schedule') {
    // Not a webhook: a cron tick. One sweep, then done.
    await actionSweep({ env, token: core.getInput('token') || env['GITHUB_TOKEN'] || '', clock: systemClock, log: (line) => core.info(line), stateSeal }).catch((error: unknown) => {
      core.setFailed(`firewatch sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    return;
  }
  // The composition root of a process that handles one event and exits.
  const token = env['GITHUB_TOKEN'] || env['INPUT_GITHUB_TOKEN'] || env['INPUT_TOKEN'] || '';
  const identity = lazyIdentity(async () => (await actionIdentity(new Octokit({ auth: token, baseUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com' }))).login);
  // A process per event: the command rate limit is read back from GitHub (the author's recent commands on the issue).
  const coordination = memoryCoordination({ kind: 'github', rateLimit: githubRateLimit(identity) });
  const firewatch = createApp(createServices({ clock: systemClock, stateSeal, identity, coordination }));
  await run((app: Probot) => {
    // The adapter logs handler errors and carries on; a failed run must be red in the Actions UI.
    app.onError((error) => {
      core.setFailed(`firewatch failed on ${env['GITHUB_EVENT_NAME'] ?? 'the event'}: ${error.message}`);
    });
    firewatch(app);
  });
}
