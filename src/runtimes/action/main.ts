/**
 * GitHub Action runtime: the same app function as the server, run once per workflow event, as
 * @probot/adapter-github-actions does it (a token-mode Probot receiving the event file), with the
 * server's Octokit policy (pacing, refusals, 5xx), which the adapter cannot be given.
 */
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { Probot } from 'probot';
import { createApp } from '../../app.ts';
import { systemClock } from '../../domain/time/clock.ts';
import { enterpriseHostFromApiUrl } from './actionEnvironment.ts';
import { actionSweep } from './actionSweep.ts';
import { createPager } from '../../features/paging/pager.ts';
import { createKeyLock } from '../../services/keyLock.ts';
import { parsePagingEnv, pagingServices } from '../server/pagingEnv.ts';
import { STATE_KEY_VARIABLE, stateSealFrom } from '../stateKey.ts';
import { createServices } from '../../services/services.ts';
import { lazyIdentity } from '../../services/identity.ts';
import { memoryCoordination } from '../../services/coordination.ts';
import { githubRateLimit } from '../../features/commands/githubRateLimit.ts';
import { createOctokitPolicy, policyProbotOctokit, policyRestOctokit } from '../../adapters/octokit/octokitPolicy.ts';
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

  // Who the token writes as: only that account's comments are firewatch's state (commands, sweeps, pages).
  const token = env['GITHUB_TOKEN'] || env['INPUT_GITHUB_TOKEN'] || env['INPUT_TOKEN'] || '';
  // One policy for every request of the run, as on the server.
  const policy = createOctokitPolicy();
  const RestOctokit = policyRestOctokit(policy);
  const identity = lazyIdentity(async () => (await actionIdentity(new RestOctokit({ auth: token, baseUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com' }))).login);
  // Contacts come from a secret passed as an input; channel credentials from the step's env.
  const contacts = core.getInput('contacts');
  if (contacts) core.setSecret(contacts);
  const pagingEnv = parsePagingEnv({ ...env, ...(contacts ? { FIREWATCH_CONTACTS: contacts } : {}) });
  const line = (level: 'info' | 'warning') => (_details: object, message: string) => (level === 'info' ? core.info(message) : core.warning(message));
  const pager = createPager(pagingServices(pagingEnv, { clock: systemClock, lock: createKeyLock(), stateSeal, identity, log: { debug: () => {}, info: line('info'), warn: line('warning'), error: line('warning') } }));

  if (env['GITHUB_EVENT_NAME'] === 'schedule') {
    // Not a webhook: a cron tick. One sweep, then done.
    await actionSweep({ env, token: core.getInput('token') || env['GITHUB_TOKEN'] || '', Octokit: RestOctokit, clock: systemClock, log: (text) => core.info(text), stateSeal, pager }).catch((error: unknown) => {
      core.setFailed(`firewatch sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    return;
  }
  // The composition root of a process that handles one event and exits.
  // A process per event: the command rate limit is read back from GitHub (the author's recent commands on the issue).
  const coordination = memoryCoordination({ kind: 'github', rateLimit: githubRateLimit(identity) });
  const firewatch = createApp(createServices({ clock: systemClock, stateSeal, identity, coordination, pager }));
  await receiveEvent(env, token, policyProbotOctokit(policy), (app) => {
    // A failed run must be red in the Actions UI.
    app.onError((error) => {
      core.setFailed(`firewatch failed on ${env['GITHUB_EVENT_NAME'] ?? 'the event'}: ${error.message}`);
    });
    firewatch(app);
  });
}

function probotLevel(level: string | undefined): Exclude<(typeof LOG_LEVELS)[number], 'silent'> {
  if (level === 'silent') return 'fatal';
  return level !== undefined && isLogLevel(level) ? (level as Exclude<(typeof LOG_LEVELS)[number], 'silent'>) : 'info';
}

/** @probot/adapter-github-actions' `run`, with our Octokit class: the event file received by a token-mode Probot. */
async function receiveEvent(env: NodeJS.ProcessEnv, token: string, Octokit: ReturnType<typeof policyProbotOctokit>, app: (probot: Probot) => void): Promise<void> {
  if (!token) {
    core.setFailed('firewatch: no token: pass `token` (the default GITHUB_TOKEN works) or set GITHUB_TOKEN');
    return;
  }
  const missing = ['GITHUB_RUN_ID', 'GITHUB_EVENT_NAME', 'GITHUB_EVENT_PATH'].filter((name) => !env[name]);
  if (missing.length > 0) {
    core.setFailed(`firewatch: the Actions environment is missing ${missing.join(', ')}: is this running as a step of a workflow?`);
    return;
  }
  const baseUrl = env['GITHUB_API_URL'];
  const probot = new Probot({ githubToken: token, Octokit, logLevel: probotLevel(env['LOG_LEVEL']), ...(baseUrl ? { baseUrl } : {}) });
  await probot.load(app, { cwd: process.cwd(), addHandler: () => {} });
  await probot
    .receive({ id: env['GITHUB_RUN_ID'] ?? '', name: env['GITHUB_EVENT_NAME'] as never, payload: JSON.parse(readFileSync(env['GITHUB_EVENT_PATH'] ?? '', 'utf8')) as never })
    .catch((error: unknown) => {
      probot.log.error(error);
    });
}
