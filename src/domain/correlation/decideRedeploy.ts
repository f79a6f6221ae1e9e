/**
 * `/redeploy <environment> [ref]`: which ref to put back. Given a ref, that one. Otherwise the
 * ref the suspects comment proposed (the last good deployment before the suspect arrived), or
 * else the deployment that was live before the current one. Pure: the caller fetched the
 * environment's deployments.
 */
import type { DeploymentState } from './candidate.ts';
import { sameEnvironment } from './classifyPath.ts';

export interface DeploymentFact {
  id: number;
  environment: string;
  sha: string;
  /** ISO-8601. */
  createdAt: string;
  state: DeploymentState;
}

const GOOD: ReadonlySet<DeploymentState> = new Set(['success', 'inactive']);

function newestFirst(deployments: readonly DeploymentFact[]): DeploymentFact[] {
  return [...deployments].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
}

/** The newest deployment to `environment` that succeeded and was created before `beforeMs`. */
export function lastGoodBefore(deployments: readonly DeploymentFact[], environment: string, beforeMs: number): DeploymentFact | undefined {
  return newestFirst(deployments).find((d) => sameEnvironment(d.environment, environment) && GOOD.has(d.state) && Date.parse(d.createdAt) < beforeMs);
}

export type RedeployDecision =
  | { ok: true; ref: string; reason: string }
  | { ok: false; reason: 'no_environment' | 'unknown_environment' | 'nothing_earlier'; message: string };

export interface RedeployFacts {
  environment?: string;
  ref?: string;
  deployments: readonly DeploymentFact[];
  /** `{ ref, label }` from the suspects comment: the ref before the top suspect, for this environment. */
  suggested?: { ref: string; label: string };
}

export function decideRedeploy(facts: RedeployFacts): RedeployDecision {
  const known = [...new Set(facts.deployments.map((d) => d.environment))];
  const knownText = known.length ? ` Known environments: ${known.map((e) => `\`${e}\``).join(', ')}.` : '';
  if (!facts.environment) {
    return { ok: false, reason: 'no_environment', message: `\`/redeploy\` needs the environment to deploy to, e.g. \`/redeploy production\` or \`/redeploy production v2.3.1\`.${knownText}` };
  }
  const environment = facts.environment;
  if (facts.ref) return { ok: true, ref: facts.ref, reason: `${facts.ref}, as asked` };
  if (facts.suggested) return { ok: true, ref: facts.suggested.ref, reason: `${facts.suggested.ref}, the last good deployment before ${facts.suggested.label}` };
  const here = newestFirst(facts.deployments.filter((d) => sameEnvironment(d.environment, environment)));
  if (here.length === 0) {
    return { ok: false, reason: 'unknown_environment', message: `Cannot redeploy ${environment}: no deployments to it were found, so there is no earlier ref to go back to.${knownText} Give the ref: \`/redeploy ${environment} <ref>\`.` };
  }
  const live = here.find((d) => d.state === 'success') ?? here[0];
  const previous = live ? here.find((d) => GOOD.has(d.state) && d.sha !== live.sha && Date.parse(d.createdAt) <= Date.parse(live.createdAt) && d !== live) : undefined;
  if (!live || !previous) {
    return { ok: false, reason: 'nothing_earlier', message: `Cannot redeploy ${environment}: there is no successful deployment before the current one. Give the ref: \`/redeploy ${environment} <ref>\`.` };
  }
  return { ok: true, ref: previous.sha, reason: `${previous.sha.slice(0, 7)}, what ran in ${environment} before deployment ${live.id} (${live.sha.slice(0, 7)})` };
}
