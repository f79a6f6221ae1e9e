/**
 * Pull requests over REST: list, get, create, update (title, body, state, base), merge, files and
 * commits. The git work happens in `git/pull-requests.ts`; this file is the HTTP edge.
 */
import { z } from 'zod';
import { actingUser, atLeast, forbidden, requireRepo } from '../auth.ts';
import { paginated } from '../paginate.ts';
import { HttpError, type Router, type SandboxRequest } from '../router.ts';
import { recordCrossReferences, recordIssueEvent } from '../issueEvents.ts';
import { timestamp } from '../shapes.ts';
import type { PullRecord, RepoRecord } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { parseBody } from '../validate.ts';
import { branchHead } from '../git/refs.ts';
import { commitJson, diffEntryJson } from '../git/commit-json.ts';
import { commitsBetween } from '../git/objects.ts';
import { pullJson } from '../git/pull-json.ts';
import { emitPull } from '../git/pull-events.ts';
import { issueOf, pullCommits, pullFiles } from '../git/pull-facts.ts';
import { createPull, mergePull } from '../git/pull-requests.ts';

const MAX_BODY_CHARS = 65_536;
const title = z.string().trim().min(1).max(256);
const body = z.string().max(MAX_BODY_CHARS, `body is too long (maximum is ${MAX_BODY_CHARS} characters)`);

const createSchema = z.object({
  title,
  head: z.string().min(1),
  base: z.string().min(1),
  body: body.nullish(),
  draft: z.boolean().optional(),
  maintainer_can_modify: z.boolean().optional(),
  head_repo: z.string().optional(),
});

const updateSchema = z.object({
  title: title.optional(),
  body: body.nullish(),
  state: z.enum(['open', 'closed']).optional(),
  base: z.string().min(1).optional(),
  maintainer_can_modify: z.boolean().optional(),
});

const mergeSchema = z
  .object({
    commit_title: z.string().optional(),
    commit_message: z.string().optional(),
    sha: z.string().regex(/^[0-9a-f]{40}$/i, 'sha must be a 40-character commit SHA').optional(),
    merge_method: z.enum(['merge', 'squash', 'rebase']).optional(),
  })
  .nullish();

function findPull(repo: RepoRecord, request: SandboxRequest): PullRecord {
  const number = Number(request.params['pull_number']);
  const pull = Number.isInteger(number) ? repo.pulls.get(number) : undefined;
  if (!pull) throw new HttpError(404, 'Not Found');
  return pull;
}

function sortPulls(repo: RepoRecord, pulls: PullRecord[], sort: string | null, direction: string | null): PullRecord[] {
  const key = sort ?? 'created';
  const descending = (direction ?? (key === 'created' ? 'desc' : key === 'updated' || key === 'popularity' ? 'desc' : 'asc')) === 'desc';
  const value = (pull: PullRecord): string | number => {
    const issue = issueOf(repo, pull);
    if (key === 'updated') return issue.updated_at;
    if (key === 'popularity') return [...repo.comments.values()].filter((c) => c.issueNumber === pull.number).length;
    if (key === 'long-running') return issue.created_at;
    return issue.created_at;
  };
  return [...pulls].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = x < y ? -1 : x > y ? 1 : a.number - b.number;
    return descending ? -order : order;
  });
}

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/repos/{owner}/{repo}/pulls',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const q = request.query;
      const state = q.get('state') ?? 'open';
      if (!['open', 'closed', 'all'].includes(state)) throw new HttpError(422, 'Validation Failed', [{ resource: 'PullRequest', field: 'state', code: 'invalid' }]);
      const base = q.get('base');
      const head = q.get('head');
      const headRef = head?.includes(':') ? head.slice(head.indexOf(':') + 1) : head;
      const headOwner = head?.includes(':') ? head.slice(0, head.indexOf(':')) : undefined;
      const matching = [...repo.pulls.values()].filter((pull) => {
        const issue = issueOf(repo, pull);
        if (state !== 'all' && issue.state !== state) return false;
        if (base && pull.base.ref !== base) return false;
        if (headOwner && headOwner.toLowerCase() !== repo.owner.toLowerCase()) return false;
        if (headRef && pull.head.ref !== headRef) return false;
        return true;
      });
      return paginated(sandbox.apiUrl, request, sortPulls(repo, matching, q.get('sort'), q.get('direction')), (pull) => pullJson(sandbox, repo, pull, 'simple'));
    },
    { auth: 'optional' },
  );

  router.add(
    'POST',
    '/repos/{owner}/{repo}/pulls',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const sender = actingUser(request);
      const input = parseBody(createSchema, request.body, 'PullRequest');
      const pull = createPull(sandbox, repo, sender, { title: input.title, body: input.body ?? null, head: input.head, base: input.base, draft: input.draft ?? false });
      emitPull(sandbox, repo, pull, 'opened', sender);
      return { status: 201, body: pullJson(sandbox, repo, pull), headers: { location: `${sandbox.apiUrl}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}` } };
    },
    { contentCreating: true },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/pulls/{pull_number}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      return { status: 200, body: pullJson(sandbox, repo, findPull(repo, request)) };
    },
    { auth: 'optional' },
  );

  router.add('PATCH', '/repos/{owner}/{repo}/pulls/{pull_number}', (request) => {
    const { repo, permission } = requireRepo(sandbox, request, 'read');
    const sender = actingUser(request);
    const pull = findPull(repo, request);
    const issue = issueOf(repo, pull);
    // Authors may edit their own PRs; everyone else needs write, as on GitHub.
    if (issue.user !== sender.login && !atLeast(permission, 'write')) throw forbidden(request, 'write');
    const input = parseBody(updateSchema, request.body, 'PullRequest');
    const now = timestamp(sandbox.now());
    const changes: Record<string, unknown> = {};
    if (input.title !== undefined && input.title !== issue.title) {
      changes['title'] = { from: issue.title };
      recordIssueEvent(sandbox, repo, issue, 'renamed', sender, { rename: { from: issue.title, to: input.title } });
      issue.title = input.title;
    }
    if (input.body !== undefined && (input.body ?? null) !== issue.body) {
      changes['body'] = { from: issue.body ?? '' };
      issue.body = input.body ?? null;
      recordCrossReferences(sandbox, repo, issue, issue.body, sender);
    }
    if (input.base !== undefined && input.base !== pull.base.ref) {
      if (issue.state !== 'open') throw new HttpError(422, 'Validation Failed', [{ resource: 'PullRequest', field: 'base', code: 'invalid', message: 'Cannot change the base branch of a closed pull request.' }]);
      const baseSha = branchHead(repo, input.base);
      if (!baseSha) throw new HttpError(422, 'Validation Failed', [{ resource: 'PullRequest', field: 'base', code: 'invalid', message: `Proposed base branch '${input.base}' was not found` }]);
      changes['base'] = { ref: { from: pull.base.ref }, sha: { from: pull.base.sha } };
      pull.base = { ...pull.base, ref: input.base, sha: baseSha };
      pull.commits = commitsBetween(repo.git, baseSha, pull.head.sha).map((c) => c.sha);
    }
    let stateAction: 'closed' | 'reopened' | undefined;
    if (input.state && input.state !== issue.state) {
      if (input.state === 'open') {
        if (pull.merged) throw new HttpError(422, 'Validation Failed', [{ resource: 'PullRequest', field: 'state', code: 'invalid', message: 'state cannot be changed. The pull request cannot be reopened.' }]);
        const head = branchHead(repo, pull.head.ref);
        if (!head) throw new HttpError(422, 'Validation Failed', [{ resource: 'PullRequest', field: 'state', code: 'invalid', message: 'state cannot be changed. The repository that submitted this pull request has been deleted.' }]);
        pull.head.sha = head;
        Object.assign(issue, { state: 'open', state_reason: 'reopened', closed_at: null, closed_by: null });
        recordIssueEvent(sandbox, repo, issue, 'reopened', sender);
        stateAction = 'reopened';
      } else {
        pull.base.sha = branchHead(repo, pull.base.ref) ?? pull.base.sha;
        Object.assign(issue, { state: 'closed', state_reason: null, closed_at: now, closed_by: sender.login });
        recordIssueEvent(sandbox, repo, issue, 'closed', sender);
        stateAction = 'closed';
      }
    }
    if (Object.keys(changes).length || stateAction) issue.updated_at = now;
    if (Object.keys(changes).length) emitPull(sandbox, repo, pull, 'edited', sender, { changes });
    if (stateAction) emitPull(sandbox, repo, pull, stateAction, sender);
    return { status: 200, body: pullJson(sandbox, repo, pull) };
  });

  router.add(
    'PUT',
    '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'write');
      const sender = actingUser(request);
      const pull = findPull(repo, request);
      const input = parseBody(mergeSchema, request.body, 'PullRequest') ?? {};
      const { sha } = mergePull(sandbox, repo, pull, sender, {
        ...(input.merge_method ? { method: input.merge_method } : {}),
        ...(input.commit_title !== undefined ? { commitTitle: input.commit_title } : {}),
        ...(input.commit_message !== undefined ? { commitMessage: input.commit_message } : {}),
        ...(input.sha ? { sha: input.sha.toLowerCase() } : {}),
      });
      return { status: 200, body: { sha, merged: true, message: 'Pull Request successfully merged' } };
    },
    { contentCreating: true },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const pull = findPull(repo, request);
      if (!pull.merged) throw new HttpError(404, 'Not Found');
      return { status: 204 };
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/pulls/{pull_number}/files',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const pull = findPull(repo, request);
      // GitHub lists at most 3000 files per pull request.
      const files = pullFiles(repo, pull).slice(0, 3000);
      return paginated(sandbox.apiUrl, request, [...files], (file) => diffEntryJson(sandbox, repo, pull.head.sha, file));
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/pulls/{pull_number}/commits',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const pull = findPull(repo, request);
      return paginated(sandbox.apiUrl, request, pullCommits(repo, pull).slice(0, 250), (commit) => commitJson(sandbox, repo, commit));
    },
    { auth: 'optional' },
  );
}
