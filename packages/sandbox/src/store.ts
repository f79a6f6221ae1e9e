/**
 * The sandbox's in-memory data model: GitHub's resources as records, keyed the way GitHub keys
 * them. Handlers turn records into GitHub's JSON shapes (see `shapes.ts`); nothing here knows
 * about HTTP. Core (users, repos, issues, comments, labels, reactions) and the git side
 * (commits, trees, blobs, refs, pulls, deployments) live in separate records so they can grow
 * independently.
 */
export type Permission = 'none' | 'read' | 'triage' | 'write' | 'maintain' | 'admin';

export interface SandboxUser {
  id: number;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
  /** Fixed personal token (`sandbox-alice`); bots get theirs from the installation. */
  token?: string;
  name?: string;
  email?: string;
}

export interface LabelRecord {
  id: number;
  node_id: string;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface IssueRecord {
  id: number;
  node_id: string;
  number: number;
  title: string;
  body: string | null;
  /** Login of the author. */
  user: string;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'reopened' | null;
  /** Label names, in the order they were added. */
  labels: string[];
  assignees: string[];
  locked: boolean;
  active_lock_reason: 'off-topic' | 'too heated' | 'resolved' | 'spam' | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: string | null;
  /** Set when this issue number belongs to a pull request. */
  isPullRequest: boolean;
}

export interface CommentRecord {
  id: number;
  node_id: string;
  issueNumber: number;
  user: string;
  body: string;
  created_at: string;
  updated_at: string;
}

export type ReactionContent = '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes';

export interface ReactionRecord {
  id: number;
  node_id: string;
  subject: { kind: 'issue'; number: number } | { kind: 'comment'; id: number };
  user: string;
  content: ReactionContent;
  created_at: string;
}

/**
 * Something that happened to an issue or pull request, as GitHub records it for the issue's
 * events and timeline (`GET /repos/{owner}/{repo}/issues/{n}/events` and `/timeline`).
 */
export type IssueEventKind =
  | 'labeled'
  | 'unlabeled'
  | 'assigned'
  | 'unassigned'
  | 'closed'
  | 'reopened'
  | 'renamed'
  | 'locked'
  | 'unlocked'
  | 'merged'
  | 'referenced'
  | 'cross-referenced'
  | 'review_requested'
  | 'review_request_removed'
  | 'ready_for_review'
  | 'convert_to_draft';

export interface IssueEventRecord {
  id: number;
  node_id: string;
  issueNumber: number;
  event: IssueEventKind;
  /** Login of who did it. */
  actor: string;
  created_at: string;
  /** The commit behind `merged`, `referenced` (and a `closed` by a merge). */
  commit_id: string | null;
  label?: { name: string; color: string };
  /** `assigned`/`unassigned`: who; `review_requested`: the reviewer. */
  subject?: string;
  rename?: { from: string; to: string };
  state_reason?: 'completed' | 'not_planned' | 'reopened' | null;
  lock_reason?: string | null;
  /** `cross-referenced`: the issue or pull request whose text mentions this one. */
  source?: { repo: string; number: number };
}

/** Git objects, content-addressed by a SHA-1 of their canonical form, as git does. */
interface BlobRecord {
  sha: string;
  content: Buffer;
}

export interface TreeEntry {
  path: string;
  mode: '100644' | '100755' | '040000' | '160000' | '120000';
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

interface TreeRecord {
  sha: string;
  entries: TreeEntry[];
}

export interface CommitRecord {
  sha: string;
  node_id: string;
  tree: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  /** Login of the GitHub user behind the author, when known. */
  authorLogin?: string;
}

export interface PullRecord {
  /** Shares the issue number space of its repository; the matching IssueRecord has isPullRequest. */
  number: number;
  id: number;
  node_id: string;
  head: { ref: string; sha: string; repo: string };
  base: { ref: string; sha: string; repo: string };
  draft: boolean;
  merged: boolean;
  merged_at: string | null;
  merged_by: string | null;
  merge_commit_sha: string | null;
  /** SHAs of the PR's own commits, oldest first. */
  commits: string[];
  auto_merge: { merge_method: 'merge' | 'squash' | 'rebase'; enabled_by: string } | null;
  requested_reviewers: string[];
}

export interface DeploymentStatusRecord {
  id: number;
  node_id: string;
  state: 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
  description: string;
  environment: string;
  log_url: string;
  environment_url: string;
  creator: string;
  created_at: string;
  updated_at: string;
}

export interface DeploymentRecord {
  id: number;
  node_id: string;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown>;
  environment: string;
  description: string | null;
  creator: string;
  created_at: string;
  updated_at: string;
  statuses: DeploymentStatusRecord[];
}

export interface GitData {
  blobs: Map<string, BlobRecord>;
  trees: Map<string, TreeRecord>;
  commits: Map<string, CommitRecord>;
  /** `heads/main` → SHA, `tags/v1.0.0` → SHA. */
  refs: Map<string, string>;
}

export interface RepoRecord {
  id: number;
  node_id: string;
  owner: string;
  name: string;
  description: string | null;
  private: boolean;
  default_branch: string;
  created_at: string;
  updated_at: string;
  /** Login → permission. Org owners (admins) are listed explicitly too. */
  collaborators: Map<string, Permission>;
  labels: Map<string, LabelRecord>;
  /** Issues and pull requests by number (one number space, as on GitHub). */
  issues: Map<number, IssueRecord>;
  comments: Map<number, CommentRecord>;
  reactions: Map<number, ReactionRecord>;
  /** Issue and pull request events by id, in the order they happened. */
  events: Map<number, IssueEventRecord>;
  pulls: Map<number, PullRecord>;
  deployments: Map<number, DeploymentRecord>;
  git: GitData;
  nextNumber: number;
}

export interface OrgRecord {
  id: number;
  node_id: string;
  login: string;
}

export interface InstallationRecord {
  id: number;
  /** The bot user the installation acts as (`firewatch[bot]`). */
  botLogin: string;
  account: string;
  tokens: Set<string>;
}

export interface SandboxState {
  users: Map<string, SandboxUser>;
  orgs: Map<string, OrgRecord>;
  /** Keyed by `owner/name`, lower-cased. */
  repos: Map<string, RepoRecord>;
  installation: InstallationRecord;
  /** One id sequence for everything (issues, comments, labels, ...): ids stay unique per kind. */
  nextId: number;
}

/** Label names are case-insensitive on GitHub: `RepoRecord.labels` is keyed by this. */
export function labelKey(name: string): string {
  return name.toLowerCase();
}

/** `RepoRecord`s are keyed by `owner/name`, lower-cased, in `SandboxState.repos`. */
export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}
