/**
 * Reactions on issues and issue comments. Reacting twice with the same content returns the
 * existing reaction with 200 (the first time is 201); only the reactor (or an admin) may delete.
 */
import { z } from 'zod';
import { actingUser, atLeast, requireRepo } from '../auth.ts';
import { paginated } from '../paginate.ts';
import { HttpError, type Router, type SandboxRequest, type SandboxResponse } from '../router.ts';
import { nodeId, reactionJson, reactionsOf, timestamp } from '../shapes.ts';
import type { ReactionRecord, RepoRecord } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { parseBody } from '../validate.ts';
import { findComment } from './comments.ts';
import { findIssue } from './issues.ts';

const contents = ['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'] as const;
const createSchema = z.object({ content: z.enum(contents) });

type Subject = ReactionRecord['subject'];

export function register(router: Router, sandbox: SandboxApi): void {
  const create = (request: SandboxRequest, repo: RepoRecord, subject: Subject): SandboxResponse => {
    const sender = actingUser(request);
    const input = parseBody(createSchema, request.body, 'Reaction');
    const existing = reactionsOf(repo, subject).find((r) => r.user === sender.login && r.content === input.content);
    if (existing) return { status: 200, body: reactionJson(sandbox, existing) };
    const id = sandbox.nextId();
    const reaction: ReactionRecord = { id, node_id: nodeId('Reaction', id), subject, user: sender.login, content: input.content, created_at: timestamp(sandbox.now()) };
    repo.reactions.set(id, reaction);
    return { status: 201, body: reactionJson(sandbox, reaction) };
  };

  const list = (request: SandboxRequest, repo: RepoRecord, subject: Subject): SandboxResponse => {
    const content = request.query.get('content');
    const reactions = reactionsOf(repo, subject).filter((r) => !content || r.content === content);
    return paginated(sandbox.apiUrl, request, reactions, (r) => reactionJson(sandbox, r));
  };

  const remove = (request: SandboxRequest, repo: RepoRecord, subject: Subject, permission: Parameters<typeof atLeast>[0]): SandboxResponse => {
    const sender = actingUser(request);
    const id = Number(request.params['reaction_id']);
    const reaction = reactionsOf(repo, subject).find((r) => r.id === id);
    if (!reaction) throw new HttpError(404, 'Not Found');
    if (reaction.user !== sender.login && !atLeast(permission, 'admin')) throw new HttpError(403, 'You can only delete your own reactions');
    repo.reactions.delete(reaction.id);
    return { status: 204 };
  };

  const issueSubject = (request: SandboxRequest) => {
    const { repo, permission } = requireRepo(sandbox, request, 'read');
    return { repo, permission, subject: { kind: 'issue', number: findIssue(repo, request).number } as Subject };
  };
  const commentSubject = (request: SandboxRequest) => {
    const { repo, permission } = requireRepo(sandbox, request, 'read');
    return { repo, permission, subject: { kind: 'comment', id: findComment(repo, request).id } as Subject };
  };

  router.add(
    'POST',
    '/repos/{owner}/{repo}/issues/{issue_number}/reactions',
    (request) => {
      const { repo, subject } = issueSubject(request);
      return create(request, repo, subject);
    },
    { contentCreating: true },
  );
  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/{issue_number}/reactions',
    (request) => {
      const { repo, subject } = issueSubject(request);
      return list(request, repo, subject);
    },
    { auth: 'optional' },
  );
  router.add('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/reactions/{reaction_id}', (request) => {
    const { repo, subject, permission } = issueSubject(request);
    return remove(request, repo, subject, permission);
  });

  router.add(
    'POST',
    '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    (request) => {
      const { repo, subject } = commentSubject(request);
      return create(request, repo, subject);
    },
    { contentCreating: true },
  );
  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    (request) => {
      const { repo, subject } = commentSubject(request);
      return list(request, repo, subject);
    },
    { auth: 'optional' },
  );
  router.add('DELETE', '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}', (request) => {
    const { repo, subject, permission } = commentSubject(request);
    return remove(request, repo, subject, permission);
  });
}
