/**
 * Issue and pull request events, recorded where the sandbox changes an issue (labels, assignees,
 * state, title, lock, merges, review requests, references) and read back by the REST routes
 * (`/issues/{n}/events`, `/issues/{n}/timeline`, `/issues/events`) and the web page's conversation.
 */
import { referencesIn } from './references.ts';
import { appJson, commentJson, fullName, isBotLogin, issueJson, nodeId, timestamp, userByLogin } from './shapes.ts';
import { labelKey, repoKey, type CommitRecord, type IssueEventKind, type IssueEventRecord, type IssueRecord, type RepoRecord, type SandboxUser } from './store.ts';
import type { SandboxApi } from './types.ts';

type Json = Record<string, unknown>;

export type IssueEventDetails = Partial<Pick<IssueEventRecord, 'commit_id' | 'label' | 'subject' | 'rename' | 'state_reason' | 'lock_reason' | 'source'>> & { at?: string };

export function recordIssueEvent(sandbox: SandboxApi, repo: RepoRecord, issue: Pick<IssueRecord, 'number'>, event: IssueEventKind, actor: SandboxUser | string, details: IssueEventDetails = {}): IssueEventRecord {
  const id = sandbox.nextId();
  const { at, ...rest } = details;
  const record: IssueEventRecord = {
    id,
    node_id: nodeId(eventNodeKind(event), id),
    issueNumber: issue.number,
    event,
    actor: typeof actor === 'string' ? actor : actor.login,
    created_at: at ?? timestamp(sandbox.now()),
    commit_id: null,
    ...rest,
  };
  repo.events.set(id, record);
  return record;
}

export function recordLabelEvent(sandbox: SandboxApi, repo: RepoRecord, issue: Pick<IssueRecord, 'number'>, event: 'labeled' | 'unlabeled', name: string, actor: SandboxUser | string, at?: string): void {
  const label = repo.labels.get(labelKey(name));
  recordIssueEvent(sandbox, repo, issue, event, actor, { label: { name, color: label?.color ?? 'ededed' }, ...(at ? { at } : {}) });
}

function eventNodeKind(event: IssueEventKind): string {
  const pascal = event.split(/[-_]/).map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join('');
  return `${pascal}Event`;
}

/**
 * Records a `cross-referenced` event on every other issue or pull request that `text` (a comment,
 * an issue or PR body) mentions, once per source and target, as GitHub does. Mentions from a
 * private repository are recorded only within that repository, so no title leaks out of it.
 */
export function recordCrossReferences(sandbox: SandboxApi, repo: RepoRecord, source: IssueRecord, text: string | null, actor: SandboxUser): void {
  if (!text) return;
  const sourceKey = repoKey(repo.owner, repo.name);
  for (const reference of referencesIn(text)) {
    if (reference.kind !== 'issue') continue;
    const target = reference.owner !== undefined && reference.repo !== undefined ? sandbox.repo(reference.owner, reference.repo) : repo;
    if (!target || (repo.private && target !== repo)) continue;
    const issue = target.issues.get(reference.number);
    if (!issue || (target === repo && issue.number === source.number)) continue;
    const seen = [...target.events.values()].some((e) => e.event === 'cross-referenced' && e.issueNumber === issue.number && e.source?.repo === sourceKey && e.source.number === source.number);
    if (!seen) recordIssueEvent(sandbox, target, issue, 'cross-referenced', actor, { source: { repo: sourceKey, number: source.number } });
  }
}

/** Records `referenced` on issues of `repo` that newly pushed commits mention (`Fixes #12`). */
export function recordCommitReferences(sandbox: SandboxApi, repo: RepoRecord, commits: readonly CommitRecord[], pusher: SandboxUser): void {
  for (const commit of commits) {
    const numbers = new Set(referencesIn(commit.message).flatMap((r) => (r.kind === 'issue' && r.owner === undefined ? [r.number] : [])));
    for (const number of numbers) {
      const issue = repo.issues.get(number);
      // A merge (or squash) commit names its own pull request; GitHub shows that as `merged`.
      if (repo.pulls.get(number)?.merge_commit_sha === commit.sha) continue;
      const known = [...repo.events.values()].some((e) => e.event === 'referenced' && e.issueNumber === number && e.commit_id === commit.sha);
      if (issue && !known) recordIssueEvent(sandbox, repo, issue, 'referenced', commit.authorLogin ?? pusher.login, { commit_id: commit.sha });
    }
  }
}

export function eventsOf(repo: RepoRecord, number: number): IssueEventRecord[] {
  return [...repo.events.values()].filter((e) => e.issueNumber === number).sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
}

/** The fields every issue event has (`issue-event-for-issue` and friends). */
function baseEventJson(sandbox: SandboxApi, repo: RepoRecord, record: IssueEventRecord): Json {
  const name = fullName(repo);
  return {
    id: record.id,
    node_id: record.node_id,
    url: `${sandbox.apiUrl}/repos/${name}/issues/events/${record.id}`,
    actor: userByLogin(sandbox, record.actor),
    event: record.event,
    commit_id: record.commit_id,
    commit_url: record.commit_id ? `${sandbox.apiUrl}/repos/${name}/commits/${record.commit_id}` : null,
    created_at: record.created_at,
    performed_via_github_app: isBotLogin(sandbox, record.actor) ? appJson(sandbox) : null,
  };
}

function eventDetailsJson(sandbox: SandboxApi, record: IssueEventRecord): Json {
  switch (record.event) {
    case 'labeled':
    case 'unlabeled':
      return { label: record.label ?? { name: '', color: 'ededed' } };
    case 'assigned':
    case 'unassigned':
      return { assignee: userByLogin(sandbox, record.subject ?? 'ghost'), assigner: userByLogin(sandbox, record.actor) };
    case 'renamed':
      return { rename: record.rename ?? { from: '', to: '' } };
    case 'locked':
      return { lock_reason: record.lock_reason ?? null };
    case 'closed':
    case 'reopened':
      return { state_reason: record.state_reason ?? null };
    case 'review_requested':
    case 'review_request_removed':
      return { review_requester: userByLogin(sandbox, record.actor), requested_reviewer: userByLogin(sandbox, record.subject ?? 'ghost') };
    default:
      return {};
  }
}

/** `GET /repos/{owner}/{repo}/issues/{n}/events`: what happened, without comments or cross-references (as on GitHub). */
export function issueEventJson(sandbox: SandboxApi, repo: RepoRecord, record: IssueEventRecord): Json {
  return { ...baseEventJson(sandbox, repo, record), ...eventDetailsJson(sandbox, record) };
}

/** `GET /repos/{owner}/{repo}/issues/events[/{id}]`: the event with its issue. */
export function repoIssueEventJson(sandbox: SandboxApi, repo: RepoRecord, record: IssueEventRecord): Json {
  const issue = repo.issues.get(record.issueNumber);
  return { ...issueEventJson(sandbox, repo, record), ...(issue ? { issue: issueJson(sandbox, repo, issue) } : {}) };
}

export type TimelineItem = { kind: 'event'; at: string; id: number; event: IssueEventRecord } | { kind: 'comment'; at: string; id: number; commentId: number };

/** Comments and events of an issue in the order they happened. */
export function timelineOf(repo: RepoRecord, number: number): TimelineItem[] {
  const items: TimelineItem[] = [
    ...eventsOf(repo, number).map((event): TimelineItem => ({ kind: 'event', at: event.created_at, id: event.id, event })),
    ...[...repo.comments.values()].filter((c) => c.issueNumber === number).map((c): TimelineItem => ({ kind: 'comment', at: c.created_at, id: c.id, commentId: c.id })),
  ];
  return items.sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
}

/** `GET /repos/{owner}/{repo}/issues/{n}/timeline`: comments as `commented`, cross-references with their source issue. */
export function timelineItemJson(sandbox: SandboxApi, repo: RepoRecord, item: TimelineItem): Json {
  if (item.kind === 'comment') {
    const comment = repo.comments.get(item.commentId);
    if (!comment) return {};
    return { ...commentJson(sandbox, repo, comment), event: 'commented', actor: userByLogin(sandbox, comment.user) };
  }
  const record = item.event;
  if (record.event === 'cross-referenced') {
    const [owner = '', name = ''] = (record.source?.repo ?? '').split('/');
    const sourceRepo = sandbox.repo(owner, name);
    const sourceIssue = sourceRepo?.issues.get(record.source?.number ?? 0);
    return {
      event: 'cross-referenced',
      actor: userByLogin(sandbox, record.actor),
      created_at: record.created_at,
      updated_at: record.created_at,
      source: { type: 'issue', ...(sourceRepo && sourceIssue ? { issue: issueJson(sandbox, sourceRepo, sourceIssue) } : {}) },
    };
  }
  if (record.event === 'assigned' || record.event === 'unassigned') {
    return { ...baseEventJson(sandbox, repo, record), assignee: userByLogin(sandbox, record.subject ?? 'ghost') };
  }
  return issueEventJson(sandbox, repo, record);
}
