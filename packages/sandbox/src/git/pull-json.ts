/**
 * Pull request records → GitHub's JSON: the full shape (`GET /pulls/{n}` and webhook payloads,
 * which allow exactly the same keys) and the list shape (`pull-request-simple`, which GitHub
 * serves without the costly mergeability and diff statistics).
 */
import { authorAssociation, fullName, labelJson, repositoryJson, userByLogin } from '../shapes.ts';
import { labelKey, type PullRecord, type RepoRecord } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { issueOf, mergeability, pullStats } from './pull-facts.ts';

type Json = Record<string, unknown>;

export type PullShape = 'full' | 'webhook' | 'simple';

export function pullJson(sandbox: SandboxApi, repo: RepoRecord, pull: PullRecord, shape: PullShape = 'full'): Json {
  const issue = issueOf(repo, pull);
  const name = fullName(repo);
  const api = `${sandbox.apiUrl}/repos/${name}/pulls/${pull.number}`;
  const issueApi = `${sandbox.apiUrl}/repos/${name}/issues/${pull.number}`;
  const html = `${sandbox.url}/${name}/pull/${pull.number}`;
  const repository = repositoryJson(sandbox, repo);
  const owner = repository['owner'];
  const branch = (side: PullRecord['head']): Json => ({ label: `${repo.owner}:${side.ref}`, ref: side.ref, sha: side.sha, user: owner, repo: repository });
  const assignees = issue.assignees.map((login) => userByLogin(sandbox, login));
  const json: Json = {
    url: api,
    id: pull.id,
    node_id: pull.node_id,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueApi,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${sandbox.apiUrl}/repos/${name}/pulls/comments{/number}`,
    comments_url: `${issueApi}/comments`,
    statuses_url: `${sandbox.apiUrl}/repos/${name}/statuses/${pull.head.sha}`,
    number: pull.number,
    state: issue.state,
    locked: issue.locked,
    title: issue.title,
    user: userByLogin(sandbox, issue.user),
    body: issue.body,
    labels: issue.labels.flatMap((label) => {
      const record = repo.labels.get(labelKey(label));
      if (!record) return [];
      const json = labelJson(sandbox, repo, record);
      // `pull-request-simple` documents label descriptions as strings, never null.
      return [shape === 'simple' ? { ...json, description: record.description ?? '' } : json];
    }),
    milestone: null,
    active_lock_reason: issue.active_lock_reason,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: issue.closed_at,
    merged_at: pull.merged_at,
    merge_commit_sha: pull.merge_commit_sha,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: pull.requested_reviewers.map((login) => userByLogin(sandbox, login)),
    requested_teams: [],
    head: branch(pull.head),
    base: branch(pull.base),
    _links: {
      self: { href: api },
      html: { href: html },
      issue: { href: issueApi },
      comments: { href: `${issueApi}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${sandbox.apiUrl}/repos/${name}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${sandbox.apiUrl}/repos/${name}/statuses/${pull.head.sha}` },
    },
    author_association: authorAssociation(sandbox, repo, issue.user),
    auto_merge: pull.auto_merge
      ? { enabled_by: userByLogin(sandbox, pull.auto_merge.enabled_by), merge_method: pull.auto_merge.merge_method, commit_title: '', commit_message: '' }
      : null,
    draft: pull.draft,
  };
  if (shape === 'simple') return json;
  const { mergeable, state } = mergeability(repo, pull);
  const stats = pullStats(repo, pull);
  return {
    ...json,
    merged: pull.merged,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: state,
    merged_by: pull.merged_by ? userByLogin(sandbox, pull.merged_by) : null,
    comments: [...repo.comments.values()].filter((c) => c.issueNumber === pull.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pull.commits.length,
    ...stats,
  };
}
