/**
 * Whether `/rollback #123` may open a revert PR, from facts the caller gathered (the PR, the PRs
 * that already revert it, the service's repositories, the author's access there). Pure; each
 * refusal says what was asked, why not, and what to do instead.
 */
import { atLeast, type PermissionLevel } from '../commands/permissions.ts';
import type { RollbackMethod } from './correlationConfig.ts';
import { belongsToService } from './serviceScope.ts';
import { escapeRegExp } from '../text/escapeRegExp.ts';

export interface PullFacts {
  /** `owner/name`. */
  repo: string;
  number: number;
  /** GraphQL node id, for `revertPullRequest`. */
  id: string;
  title: string;
  url: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  mergeCommitSha?: string;
}

/** A PR of the same repository, open or merged, that may revert the target. */
export interface OtherPull {
  number: number;
  title: string;
  body: string;
  url: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
}

export interface RollbackFacts {
  /** How the user named it (`#7`, `acme/web#7`), for messages. */
  asked: string;
  /** `null`: no such pull request (or not one the app can see). */
  pull: PullFacts | null;
  /** Other recent PRs of its repository. */
  others: readonly OtherPull[];
  serviceRepos: readonly string[];
  force: boolean;
  /** The author's permission on the PR's repository (they already have write on the incident's). */
  permission: PermissionLevel;
}

type RollbackRefusal = 'not_found' | 'not_merged' | 'already_reverted' | 'revert_open' | 'not_service_repo' | 'no_permission';

export type RollbackDecision = { ok: true; pull: PullFacts } | { ok: false; reason: RollbackRefusal; message: string };

/** Whether `other` undoes `pull`: GitHub's "Reverts owner/repo#n", git's "This reverts commit", or the `Revert "title"` convention. */
export function reverts(other: Pick<OtherPull, 'title' | 'body'>, pull: Pick<PullFacts, 'repo' | 'number' | 'title' | 'mergeCommitSha'>): boolean {
  const reference = new RegExp(`^Reverts ${escapeRegExp(pull.repo)}#${pull.number}\\b`, 'im');
  if (reference.test(other.body)) return true;
  const commit = /This reverts commit ([0-9a-f]{7,40})/i.exec(other.body)?.[1]?.toLowerCase();
  if (commit && pull.mergeCommitSha?.toLowerCase().startsWith(commit)) return true;
  const title = /^(?:\[rollback\]\s*)?Revert "(.+)"$/i.exec(other.title.trim())?.[1];
  return title !== undefined && title === pull.title;
}

export function decideRollback(facts: RollbackFacts): RollbackDecision {
  const { pull, asked } = facts;
  if (!pull) {
    return { ok: false, reason: 'not_found', message: `⚠️ Cannot roll back ${asked}: there is no such pull request (or firewatch cannot see it). Check the number; \`/rollback\` alone lists the suspects.` };
  }
  if (!facts.force && !belongsToService({ repos: facts.serviceRepos }, pull.repo)) {
    return {
      ok: false,
      reason: 'not_service_repo',
      message: `⚠️ Cannot roll back ${asked}: ${pull.repo} is not a repository of this service (${facts.serviceRepos.join(', ')}). If you are sure, run \`/rollback ${asked} --force\`; to make it one, add it to the service's \`repos\` in .github/firewatch.yml.`,
    };
  }
  if (!atLeast(facts.permission, 'write')) {
    return { ok: false, reason: 'no_permission', message: `⚠️ Cannot roll back ${asked}: it needs **write** access to ${pull.repo} and you have **${facts.permission}** there. Ask someone with write access to ${pull.repo} to run it.` };
  }
  if (pull.state !== 'MERGED') {
    const state = pull.state === 'OPEN' ? 'still open' : 'closed without merging';
    return { ok: false, reason: 'not_merged', message: `⚠️ Cannot roll back ${asked}: it is not merged (${state}), so there is nothing to revert. Try \`/deploys\` for merged suspects.` };
  }
  const revert = facts.others.filter((other) => other.number !== pull.number && other.state !== 'CLOSED' && reverts(other, pull)).sort((a, b) => (a.state === 'MERGED' ? -1 : 1) - (b.state === 'MERGED' ? -1 : 1))[0];
  if (revert?.state === 'MERGED') {
    return { ok: false, reason: 'already_reverted', message: `⚠️ Cannot roll back ${asked}: it is already reverted by #${revert.number} (merged). If the incident goes on, look at the other suspects with \`/deploys\`.` };
  }
  if (revert) {
    return { ok: false, reason: 'revert_open', message: `⚠️ Cannot roll back ${asked}: a revert is already open, #${revert.number}. Merge it (or close it and run \`/rollback ${asked}\` again).` };
  }
  return { ok: true, pull };
}

/**
 * With `rollback.method: deployment` or `workflow` a team undoes changes by putting an earlier
 * ref back, not with revert PRs: `/rollback` is refused with the `/redeploy` to use instead
 * (`example`, the top suspect's command, when there is one). `undefined` for `revert-pr`.
 */
export function rollbackMethodRefusal(method: RollbackMethod, asked: string | undefined, example: string | undefined): string | undefined {
  if (method === 'revert-pr') return undefined;
  const how = method === 'workflow' ? 'dispatching its deploy workflow' : 'deploying an earlier ref';
  const instead = example?.startsWith('/redeploy ') ? `, e.g. \`${example}\` for the top suspect` : '';
  return `⚠️ Cannot run \`/rollback${asked ? ` ${asked}` : ''}\`: this service rolls back by ${how} (\`rollback.method: ${method}\` in .github/firewatch.yml), not with revert PRs. Use \`/redeploy <environment> [ref]\`${instead}. To roll back with revert PRs, set \`rollback.method: revert-pr\`.`;
}
