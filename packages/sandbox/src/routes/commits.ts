/**
 * Commit history: list (by branch or SHA, path, author and time), one commit with its files,
 * and the pull requests a commit belongs to.
 */
import { requireRepo } from '../auth.ts';
import { paginated } from '../paginate.ts';
import { HttpError, type Router } from '../router.ts';
import type { CommitRecord, RepoRecord } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { commitJson } from '../git/commit-json.ts';
import { flattenTree, history, resolveRef } from '../git/objects.ts';
import { pullJson } from '../git/pull-json.ts';
import { trimSlashes } from '../trimSlashes.ts';

/** Whether `commit` changed anything under `path` (a file or a directory), as `git log -- path` decides. */
function touches(repo: RepoRecord, commit: CommitRecord, path: string): boolean {
  const under = (tree: string | undefined): string => {
    if (!tree) return '';
    const entries = [...flattenTree(repo.git, tree)].filter(([p]) => p === path || p.startsWith(`${path}/`));
    return entries.map(([p, e]) => `${p}:${e.sha}`).join('\n');
  };
  const mine = under(commit.tree);
  if (!commit.parents.length) return mine !== '';
  // A merge is kept only when it differs from every parent (git's history simplification).
  return commit.parents.every((parent) => under(repo.git.commits.get(parent)?.tree) !== mine);
}

function parseTime(value: string | null, field: string): string | undefined {
  if (value === null) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new HttpError(422, 'Validation Failed', [{ resource: 'Commit', field, code: 'invalid' }]);
  return new Date(time).toISOString();
}

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/repos/{owner}/{repo}/commits',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const q = request.query;
      const ref = q.get('sha') ?? repo.default_branch;
      const head = resolveRef(repo.git, ref);
      if (!head) throw new HttpError(404, 'Not Found');
      const rawPath = q.get('path');
      const path = rawPath === null ? undefined : trimSlashes(rawPath);
      const author = q.get('author')?.toLowerCase();
      const committer = q.get('committer')?.toLowerCase();
      const since = parseTime(q.get('since'), 'since');
      const until = parseTime(q.get('until'), 'until');
      const commits = history(repo.git, head).filter((commit) => {
        const date = new Date(commit.committer.date).toISOString();
        if (since && date < since) return false;
        if (until && date > until) return false;
        if (author && commit.authorLogin?.toLowerCase() !== author && commit.author.email.toLowerCase() !== author) return false;
        if (committer && commit.committer.email.toLowerCase() !== committer && commit.authorLogin?.toLowerCase() !== committer) return false;
        if (path && !touches(repo, commit, path)) return false;
        return true;
      });
      return paginated(sandbox.apiUrl, request, commits, (commit) => commitJson(sandbox, repo, commit));
    },
    { auth: 'optional' },
  );

  // Registered before `/commits/{ref}`, whose `ref` may contain slashes and would swallow it.
  router.add(
    'GET',
    '/repos/{owner}/{repo}/commits/{commit_sha}/pulls',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const sha = resolveRef(repo.git, request.params['commit_sha'] ?? '');
      if (!sha) throw new HttpError(422, `No commit found for SHA: ${request.params['commit_sha'] ?? ''}`);
      const pulls = [...repo.pulls.values()]
        .filter((pull) => pull.merge_commit_sha === sha || pull.head.sha === sha || pull.commits.includes(sha))
        .sort((a, b) => b.number - a.number);
      return paginated(sandbox.apiUrl, request, pulls, (pull) => pullJson(sandbox, repo, pull, 'simple'));
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/commits/{ref}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const ref = request.params['ref'] ?? '';
      const sha = resolveRef(repo.git, ref);
      const commit = sha ? repo.git.commits.get(sha) : undefined;
      if (!commit) throw new HttpError(422, `No commit found for SHA: ${ref}`);
      return { status: 200, body: commitJson(sandbox, repo, commit, true) };
    },
    { auth: 'optional' },
  );
}
