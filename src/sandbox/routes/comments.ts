/**
 * Issue comments (on issues and pull requests): create, list, get, update, delete. Anyone who
 * can read may comment (unless the issue is locked); only the author or write+ may edit or delete.
 */
import { z } from 'zod';
import { actingUser, atLeast, forbidden, requireRepo } from '../auth.ts';
import { recordCrossReferences } from '../issueEvents.ts';
import { paginated } from '../paginate.ts';
import { HttpError, type Router, type SandboxRequest } from '../router.ts';
import { commentJson, issueJson, nodeId, timestamp } from '../shapes.ts';
import type { CommentRecord, IssueRecord, RepoRecord, SandboxUser } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { parseBody } from '../validate.ts';
import { findIssue, MAX_BODY_CHARS } from './issues.ts';

const commentBody = z.object({
  body: z
    .string()
    .max(MAX_BODY_CHARS, `body is too long (maximum is ${MAX_BODY_CHARS} characters)`)
    .refine((text) => text.trim().length > 0, 'body cannot be blank'),
});

export function findComment(repo: RepoRecord, request: SandboxRequest): CommentRecord {
  const id = Number(request.params['comment_id']);
  const comment = Number.isInteger(id) ? repo.comments.get(id) : undefined;
  if (!comment) throw new HttpError(404, 'Not Found');
  return comment;
}

function emitCommentEvent(sandbox: SandboxApi, repo: RepoRecord, issue: IssueRecord, comment: CommentRecord, action: string, sender: SandboxUser, extra: Record<string, unknown> = {}): void {
  sandbox.emit('issue_comment', { action, ...extra, issue: issueJson(sandbox, repo, issue), comment: commentJson(sandbox, repo, comment) }, { repo, sender });
}

function byDate(comments: CommentRecord[], request: SandboxRequest): CommentRecord[] {
  const since = request.query.get('since');
  const sinceStamp = since && !Number.isNaN(Date.parse(since)) ? timestamp(new Date(since)) : undefined;
  return comments.filter((c) => !sinceStamp || c.updated_at >= sinceStamp).sort((a, b) => (a.created_at === b.created_at ? a.id - b.id : a.created_at < b.created_at ? -1 : 1));
}

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'POST',
    '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    (request) => {
      const { repo, permission } = requireRepo(sandbox, request, 'read');
      const sender = actingUser(request);
      const issue = findIssue(repo, request);
      if (issue.locked && !atLeast(permission, 'write')) throw new HttpError(403, 'Unable to create comment because issue is locked.');
      const input = parseBody(commentBody, request.body, 'IssueComment');
      const now = timestamp(sandbox.now());
      const id = sandbox.nextId();
      const comment: CommentRecord = { id, node_id: nodeId('IssueComment', id), issueNumber: issue.number, user: sender.login, body: input.body, created_at: now, updated_at: now };
      repo.comments.set(id, comment);
      issue.updated_at = now;
      recordCrossReferences(sandbox, repo, issue, comment.body, sender);
      emitCommentEvent(sandbox, repo, issue, comment, 'created', sender);
      return { status: 201, body: commentJson(sandbox, repo, comment), headers: { location: `${sandbox.apiUrl}/repos/${repo.owner}/${repo.name}/issues/comments/${id}` } };
    },
    { contentCreating: true },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const issue = findIssue(repo, request);
      const comments = byDate([...repo.comments.values()].filter((c) => c.issueNumber === issue.number), request);
      return paginated(sandbox.apiUrl, request, comments, (c) => commentJson(sandbox, repo, c));
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/comments',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      let comments = byDate([...repo.comments.values()], request);
      if (request.query.get('sort') === 'updated') comments = [...comments].sort((a, b) => (a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : a.id - b.id));
      if (request.query.get('direction') === 'desc') comments = [...comments].reverse();
      return paginated(sandbox.apiUrl, request, comments, (c) => commentJson(sandbox, repo, c));
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      return { status: 200, body: commentJson(sandbox, repo, findComment(repo, request)) };
    },
    { auth: 'optional' },
  );

  router.add('PATCH', '/repos/{owner}/{repo}/issues/comments/{comment_id}', (request) => {
    const { repo, permission } = requireRepo(sandbox, request, 'read');
    const sender = actingUser(request);
    const comment = findComment(repo, request);
    if (comment.user !== sender.login && !atLeast(permission, 'write')) throw forbidden(request, 'write');
    const input = parseBody(commentBody, request.body, 'IssueComment');
    const issue = repo.issues.get(comment.issueNumber);
    if (input.body !== comment.body) {
      const from = comment.body;
      comment.body = input.body;
      comment.updated_at = timestamp(sandbox.now());
      if (issue) recordCrossReferences(sandbox, repo, issue, comment.body, sender);
      if (issue) emitCommentEvent(sandbox, repo, issue, comment, 'edited', sender, { changes: { body: { from } } });
    }
    return { status: 200, body: commentJson(sandbox, repo, comment) };
  });

  router.add('DELETE', '/repos/{owner}/{repo}/issues/comments/{comment_id}', (request) => {
    const { repo, permission } = requireRepo(sandbox, request, 'read');
    const sender = actingUser(request);
    const comment = findComment(repo, request);
    if (comment.user !== sender.login && !atLeast(permission, 'write')) throw forbidden(request, 'write');
    const issue = repo.issues.get(comment.issueNumber);
    // The payload shows the comment as it was; build it before its reactions go.
    const payloadComment = commentJson(sandbox, repo, comment);
    repo.comments.delete(comment.id);
    for (const [id, reaction] of repo.reactions) if (reaction.subject.kind === 'comment' && reaction.subject.id === comment.id) repo.reactions.delete(id);
    if (issue) sandbox.emit('issue_comment', { action: 'deleted', issue: issueJson(sandbox, repo, issue), comment: payloadComment }, { repo, sender });
    return { status: 204 };
  });
}
