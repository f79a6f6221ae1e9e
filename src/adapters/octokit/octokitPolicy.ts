import { Octokit as RestOctokit } from '@octokit/rest';
import { ProbotOctokit } from 'probot';
import type { Metrics } from '../telemetry/metrics.ts';
import { createPacer, type Pacer, type PaceLimits, type PacerClock } from './githubPacer.ts';
import { githubPolicy, type PolicyOptions } from './githubPolicy.ts';

/**
 * One Octokit policy for every runtime (server, Action, CLI), against GitHub and the sandbox
 * alike: the pacer and `githubPolicy`'s refusal and 5xx handling. Octokit's own throttling and
 * retry plugins (inside Probot's Octokit) are turned off, so no request is retried by two loops.
 */
export interface OctokitPolicy {
  pacer: Pacer;
  plugin: ReturnType<typeof githubPolicy>;
}

export interface OctokitPolicyOptions extends Omit<PolicyOptions, 'pacer' | 'metrics'> {
  /** Default GitHub's documented limits; the embedded sandbox passes the limits it enforces. */
  limits?: PaceLimits | (() => PaceLimits);
  clock?: PacerClock;
  /** Counts refusals, waits and retries on `/metrics`. */
  metrics?: Pick<Metrics, 'githubRefusals' | 'githubPaced' | 'githubPacedSeconds' | 'githubWaiting' | 'githubRetries'>;
}

export function createOctokitPolicy(options: OctokitPolicyOptions = {}): OctokitPolicy {
  const { metrics } = options;
  const pacer = createPacer({
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(metrics
      ? {
          metrics: {
            waited: (budget, ms) => {
              metrics.githubPaced.inc({ budget });
              metrics.githubPacedSeconds.inc({ budget }, ms / 1000);
            },
            waiting: (count) => metrics.githubWaiting.set(count),
          },
        }
      : {}),
  });
  const { limits: _limits, clock: _clock, metrics: _metrics, ...policyOptions } = options;
  const plugin = githubPolicy({
    ...policyOptions,
    pacer,
    ...(metrics ? { metrics: { refused: (refusal) => metrics.githubRefusals.inc({ kind: refusal.kind, resource: refusal.resource }), retried: (reason) => metrics.githubRetries.inc({ reason }) } } : {}),
  });
  return { pacer, plugin };
}

/** Octokit's throttling and retry plugins off: the policy's plugin does both, once. */
function withoutOwnRetries(instance: Record<string, unknown>): Record<string, unknown> {
  return { ...instance, throttle: { ...asObject(instance['throttle']), enabled: false }, retry: { ...asObject(instance['retry']), enabled: false } };
}

type OctokitPlugin = Parameters<typeof ProbotOctokit.plugin>[0];

/**
 * Probot's Octokit class under the policy. `inner` plugins see each attempt (metrics); `outer` ones
 * see what the caller gets (issue writes). A defaults function, not an object: Probot passes its
 * own throttle options on every construction, and those would replace an object default wholesale.
 */
export function policyProbotOctokit(policy: OctokitPolicy, plugins: { inner?: OctokitPlugin[]; outer?: OctokitPlugin[] } = {}): typeof ProbotOctokit {
  return ProbotOctokit.plugin(...(plugins.inner ?? []), policy.plugin as unknown as OctokitPlugin, ...(plugins.outer ?? [])).defaults(withoutOwnRetries) as typeof ProbotOctokit;
}

/** `@octokit/rest`'s Octokit under the policy (the CLI, the Action's sweep). */
export function policyRestOctokit(policy: OctokitPolicy): typeof RestOctokit {
  return RestOctokit.plugin(policy.plugin as unknown as Parameters<typeof RestOctokit.plugin>[0]);
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
