/**
 * What deploy correlation decides on: the changes that could have caused an incident, and the
 * facts of the incident they are weighed against. Features fetch these from GitHub (one GraphQL
 * query of merged PRs with files plus deployments) and hand them over as plain data.
 */

/** `inactive` is a deployment that succeeded and was later replaced: it did reach the environment. */
export type DeploymentState = 'success' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'failure' | 'error';

/** One deployment that shipped a change to an environment. */
export interface ShippedDeployment {
  environment: string;
  /** ISO-8601 time the rollout started (deployment created): symptoms begin with the rollout, not at its end. */
  at: string;
  /** Latest state of the deployment. */
  state: DeploymentState;
  /** The commit deployed (it may carry other changes too). */
  sha?: string;
  /** GitHub's deployment id. */
  id?: number;
  /** What the deploy tool said last (`Rollout failed: 4 of 12 pods updated`). */
  description?: string;
}

interface ChangeBase {
  /** `owner/name`. */
  repo: string;
  title: string;
  url: string;
  /** Login, shown without an @ so nobody is pinged. */
  author: string;
  /** Merge commit of a PR; deployed commit of a deployment; tagged commit of a release. */
  sha: string;
  /** Changed paths (of the deployed PR for a deployment, when known; empty when unknown). */
  paths: string[];
  additions: number;
  deletions: number;
  labels: string[];
  /** The PR's description (of the deployed PR for a deployment, when known). */
  body?: string;
  /**
   * Patch text of changed files (GitHub's `files[].patch`), fetched for the few strongest
   * candidates only, within the request budget: path → unified diff hunks.
   */
  patches?: Record<string, string>;
  /** Number of the merged PR that reverted this change. Reverted changes are excluded and noted. */
  revertedBy?: number;
  /** The change undoes an earlier one (a revert PR, or a deployment of an older commit). */
  isRevert: boolean;
  /** Deployments that shipped this change, oldest first. */
  deployments: ShippedDeployment[];
}

export interface PullCandidate extends ChangeBase {
  kind: 'pull';
  number: number;
  mergedAt: string;
}

export interface DeploymentCandidate extends ChangeBase {
  kind: 'deployment';
  /** GitHub's deployment id. */
  deploymentId: number;
  environment: string;
  deployedAt: string;
  /** The PR whose merge commit was deployed, when known (it may have merged before the window). */
  number?: number;
  /** What ran in the environment before, for `/redeploy`. */
  previousSha?: string;
}

export interface ReleaseCandidate extends ChangeBase {
  kind: 'release';
  tag: string;
  publishedAt: string;
  previousSha?: string;
}

/** A change event a tool reported (PagerDuty Change Events: a build, a config push, a flag flip). */
export interface ChangeEventCandidate extends ChangeBase {
  kind: 'change';
  /** The comment of the change log that records it. */
  id: number;
  reportedAt: string;
  /** The integration (routing key name) it came through. */
  integration: string;
  /** What the event names as its origin (`payload.source`). */
  source?: string;
  /** The service its routing key maps to. */
  service?: string;
}

export type ChangeCandidate = PullCandidate | DeploymentCandidate | ReleaseCandidate | ChangeEventCandidate;

/** One thing an alert says in words, kept for matching against changes. */
export interface AlertStatement {
  source: 'name' | 'summary' | 'description' | 'value';
  text: string;
}

/** Everything about the incident that correlation weighs changes against. */
export interface IncidentFacts {
  service: string;
  /** ISO-8601 start of the earliest alert of the incident. */
  firstAlertAt: string;
  /** Environment the alerts come from; `production` when they do not say. */
  environment?: string;
  /** Labels and annotations of the incident's alerts, merged: hints such as image tag, commit, job, container. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** What the alerts say in words: names, summaries, descriptions, values (bounded; see `incidentFacts`). */
  statements?: AlertStatement[];
  /**
   * Path globs of the service (`services/checkout/**`). A glob applies to every repository of the
   * service unless written `owner/name:glob`; a repository no glob applies to belongs wholly to the service.
   */
  servicePaths: string[];
  /** `owner/name` of the service's repositories; the first is its main one (PR references there are short). */
  serviceRepos: string[];
  /**
   * Environments each repository is known to deploy to (from its recent deployments, in or out of the
   * window). A repository absent here is taken to deploy on merge. Defaults to what the candidates show.
   */
  deployedEnvironments?: Record<string, string[]>;
}

/** The time a change happened: merged, deployed or published. */
export function changedAt(candidate: ChangeCandidate): string {
  switch (candidate.kind) {
    case 'pull':
      return candidate.mergedAt;
    case 'deployment':
      return candidate.deployedAt;
    case 'release':
      return candidate.publishedAt;
    case 'change':
      return candidate.reportedAt;
  }
}

/** A stable identity, unique across repositories and kinds. */
export function candidateKey(candidate: ChangeCandidate): string {
  switch (candidate.kind) {
    case 'pull':
      return `${candidate.repo}#${candidate.number}`;
    case 'deployment':
      return `${candidate.repo}@deployment:${candidate.deploymentId}`;
    case 'release':
      return `${candidate.repo}@release:${candidate.tag}`;
    case 'change':
      return `${candidate.repo}@change:${candidate.id}`;
  }
}

/** How people refer to a change: `#12`, `acme/web#12`, `deployment 41`, `release v1.2.0`. */
export function candidateReference(candidate: ChangeCandidate, mainRepo?: string): string {
  const prefix = candidate.repo === mainRepo ? '' : `${candidate.repo}`;
  switch (candidate.kind) {
    case 'pull':
      return `${prefix}#${candidate.number}`;
    case 'deployment':
      return `${prefix ? `${prefix} ` : ''}deployment ${candidate.deploymentId}`;
    case 'release':
      return `${prefix ? `${prefix} ` : ''}release ${candidate.tag}`;
    case 'change':
      return `${prefix ? `${prefix} ` : ''}change event ${candidate.id}`;
  }
}
