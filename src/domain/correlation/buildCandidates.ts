/**
 * Turns what GitHub returns (merged PRs with their files, deployments with their latest state)
 * into change candidates: which deployment shipped which PR to which environment, what was
 * reverted, and which deployments stand on their own because they shipped nothing merged in the
 * window (a deployment of an older merge, a redeploy, a rollback).
 *
 * History is taken as linear on the default branch, in merge order: a deployment of a PR's merge
 * commit carries that PR and every PR merged before it. A deployment ships what its environment
 * did not run yet (the PRs after the previous live deployment there), so a batch of merges
 * deployed together all get that deployment.
 */
import type { ChangeCandidate, DeploymentCandidate, DeploymentState, PullCandidate, ShippedDeployment } from './candidate.ts';
import { sameEnvironment } from './classifyPath.ts';

export interface MergedPull {
  repo: string;
  number: number;
  title: string;
  body: string;
  url: string;
  author: string;
  mergedAt: string;
  mergeCommitSha: string;
  paths: string[];
  additions: number;
  deletions: number;
  labels: string[];
}

export interface DeploymentRecord {
  repo: string;
  id: number;
  environment: string;
  sha: string;
  /** When the deployment was created: the rollout starts. */
  createdAt: string;
  state: DeploymentState;
  url: string;
  creator: string;
  /** Commit time of `sha` when it is no listed PR's merge commit, to place it in history. */
  commitAt?: string;
  /** What the deploy tool said with the latest status (`Rollout failed: 4 of 12 pods updated`). */
  description?: string;
}

export interface ChangeHistory {
  /** Merged PRs of the service's repositories; older ones (out of the window) help name what a deployment shipped. */
  pulls: MergedPull[];
  deployments: DeploymentRecord[];
}

const LIVE: ReadonlySet<DeploymentState> = new Set(['success', 'inactive', 'in_progress']);
const ATTEMPTED: ReadonlySet<DeploymentState> = new Set(['failure', 'error']);

const REVERTS_REFERENCE = /^Reverts ([\w.-]+\/[\w.-]+)#(\d+)/m;
const REVERTS_COMMIT = /This reverts commit ([0-9a-f]{7,40})/i;
const REVERT_TITLE = /^Revert "(.+)"$/;

export function isRevertPull(pull: Pick<MergedPull, 'title' | 'body'>): boolean {
  return REVERT_TITLE.test(pull.title.trim()) || REVERTS_REFERENCE.test(pull.body) || REVERTS_COMMIT.test(pull.body);
}

/** Original PR (`repo#number`) → the PR that reverted it. */
function revertsOf(pulls: readonly MergedPull[]): Map<string, number> {
  const reverted = new Map<string, number>();
  const byMerge = [...pulls].sort((a, b) => Date.parse(a.mergedAt) - Date.parse(b.mergedAt));
  for (const revert of byMerge) {
    let target: MergedPull | undefined;
    const reference = REVERTS_REFERENCE.exec(revert.body);
    const commit = REVERTS_COMMIT.exec(revert.body);
    const title = REVERT_TITLE.exec(revert.title.trim());
    if (reference) target = pulls.find((p) => p.repo.toLowerCase() === (reference[1] ?? '').toLowerCase() && p.number === Number(reference[2]));
    else if (commit) target = pulls.find((p) => p.repo === revert.repo && p.mergeCommitSha.startsWith((commit[1] ?? '').toLowerCase()));
    else if (title) target = byMerge.filter((p) => p.repo === revert.repo && p.title === title[1] && p.mergedAt <= revert.mergedAt && p !== revert).pop();
    if (target && target !== revert) reverted.set(`${target.repo}#${target.number}`, revert.number);
  }
  return reverted;
}

export function buildCandidates(history: ChangeHistory, window: { from: string; to: string }): ChangeCandidate[] {
  const fromMs = Date.parse(window.from);
  const toMs = Date.parse(window.to);
  const inWindow = (at: string): boolean => Date.parse(at) >= fromMs && Date.parse(at) <= toMs;
  const reverted = revertsOf(history.pulls);
  const candidates: ChangeCandidate[] = [];

  for (const repo of [...new Set([...history.pulls.map((p) => p.repo), ...history.deployments.map((d) => d.repo)])]) {
    const pulls = history.pulls.filter((p) => p.repo === repo).sort((a, b) => Date.parse(a.mergedAt) - Date.parse(b.mergedAt) || a.number - b.number);
    const bySha = new Map(pulls.map((p) => [p.mergeCommitSha.toLowerCase(), p]));
    const headTime = (d: DeploymentRecord): number | undefined => {
      const pull = bySha.get(d.sha.toLowerCase());
      if (pull) return Date.parse(pull.mergedAt);
      return d.commitAt ? Date.parse(d.commitAt) : undefined;
    };
    const contents = (d: DeploymentRecord): MergedPull[] => {
      const head = headTime(d);
      return head === undefined ? [] : pulls.filter((p) => Date.parse(p.mergedAt) <= head);
    };

    const shippedBy = new Map<MergedPull, ShippedDeployment[]>();
    const standalone: { deployment: DeploymentRecord; shipped: MergedPull[]; previousSha?: string; rollback: boolean }[] = [];
    const deployments = history.deployments.filter((d) => d.repo === repo).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id);
    const environments: string[] = [];
    for (const d of deployments) if (!environments.some((e) => sameEnvironment(e, d.environment))) environments.push(d.environment);

    for (const environment of environments) {
      let live: DeploymentRecord | undefined;
      let running = new Set<MergedPull>();
      for (const d of deployments.filter((x) => sameEnvironment(x.environment, environment))) {
        if (!LIVE.has(d.state) && !ATTEMPTED.has(d.state)) continue;
        const carried = contents(d);
        const shipped = carried.filter((p) => !running.has(p));
        const liveHead = live ? headTime(live) : undefined;
        const head = headTime(d);
        const rollback = liveHead !== undefined && head !== undefined && head < liveHead;
        const entry: ShippedDeployment = { environment: d.environment, at: d.createdAt, state: d.state, sha: d.sha, id: d.id, ...(d.description ? { description: d.description } : {}) };
        for (const pull of shipped) shippedBy.set(pull, [...(shippedBy.get(pull) ?? []), entry]);
        if (inWindow(d.createdAt) && !shipped.some((p) => inWindow(p.mergedAt))) {
          standalone.push({ deployment: d, shipped, ...(live ? { previousSha: live.sha } : {}), rollback });
        }
        if (LIVE.has(d.state)) {
          live = d;
          running = new Set(carried);
        }
      }
    }

    for (const pull of pulls) {
      if (!inWindow(pull.mergedAt)) continue;
      const revertedBy = reverted.get(`${pull.repo}#${pull.number}`);
      const candidate: PullCandidate = {
        kind: 'pull',
        repo,
        number: pull.number,
        title: pull.title,
        url: pull.url,
        author: pull.author,
        mergedAt: pull.mergedAt,
        sha: pull.mergeCommitSha,
        paths: pull.paths,
        additions: pull.additions,
        deletions: pull.deletions,
        labels: pull.labels,
        ...(pull.body ? { body: pull.body } : {}),
        isRevert: isRevertPull(pull),
        deployments: shippedBy.get(pull) ?? [],
        ...(revertedBy !== undefined ? { revertedBy } : {}),
      };
      candidates.push(candidate);
    }

    for (const { deployment: d, shipped, previousSha, rollback } of standalone) {
      const pull = bySha.get(d.sha.toLowerCase());
      const candidate: DeploymentCandidate = {
        kind: 'deployment',
        repo,
        deploymentId: d.id,
        environment: d.environment,
        deployedAt: d.createdAt,
        title: pull ? pull.title : `Deploy ${d.sha.slice(0, 7)} to ${d.environment}`,
        url: d.url,
        author: d.creator,
        sha: d.sha,
        paths: [...new Set(shipped.flatMap((p) => p.paths))],
        additions: shipped.reduce((n, p) => n + p.additions, 0),
        deletions: shipped.reduce((n, p) => n + p.deletions, 0),
        labels: [...new Set(shipped.flatMap((p) => p.labels))],
        isRevert: rollback,
        ...(pull?.body ? { body: pull.body } : {}),
        deployments: [{ environment: d.environment, at: d.createdAt, state: d.state, sha: d.sha, id: d.id, ...(d.description ? { description: d.description } : {}) }],
        ...(pull ? { number: pull.number } : {}),
        ...(previousSha ? { previousSha } : {}),
      };
      candidates.push(candidate);
    }
  }
  return candidates;
}
