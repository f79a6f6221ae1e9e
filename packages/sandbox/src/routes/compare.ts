/**
 * `GET /compare/{base}...{head}`: how far apart two refs are, the commits only on the head side
 * and the files changed since their merge base (GitHub's three-dot comparison).
 */
import { requireRepo } from '../auth.ts';
import { pageParams } from '../paginate.ts';
import { HttpError, type Router } from '../router.ts';
import { fullName } from '../shapes.ts';
import type { SandboxApi } from '../types.ts';
import { commitJson, diffEntryJson } from '../git/commit-json.ts';
import { diffTrees } from '../git/diff.ts';
import { commitsBetween, mergeBase, resolveRef } from '../git/objects.ts';

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/repos/{owner}/{repo}/compare/{basehead}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const basehead = request.params['basehead'] ?? '';
      // `base...head` or `base..head`, split at the first `..` (by hand: a lazy pattern backtracks on long input).
      const dots = basehead.indexOf('..', 1);
      const separator = basehead.startsWith('...', dots) ? 3 : 2;
      if (dots === -1 || dots + separator >= basehead.length) throw new HttpError(404, 'Not Found');
      const baseRef = basehead.slice(0, dots);
      const headRef = basehead.slice(dots + separator);
      const base = resolveRef(repo.git, baseRef);
      const head = resolveRef(repo.git, headRef);
      if (!base || !head) throw new HttpError(404, 'Not Found');
      const git = repo.git;
      const common = mergeBase(git, base, head);
      if (!common) throw new HttpError(404, `No common ancestor between ${baseRef} and ${headRef}.`);
      const ahead = commitsBetween(git, base, head);
      const behind = commitsBetween(git, head, base);
      const status = ahead.length && behind.length ? 'diverged' : ahead.length ? 'ahead' : behind.length ? 'behind' : 'identical';
      const { perPage, page } = pageParams(request);
      const paginate = request.query.has('page') || request.query.has('per_page');
      // Unpaginated, GitHub returns up to 250 commits, oldest first.
      const commits = paginate ? ahead.slice((page - 1) * perPage, page * perPage) : ahead.slice(0, 250);
      const files = diffTrees(git, git.commits.get(common)?.tree, git.commits.get(head)?.tree ?? '');
      const name = fullName(repo);
      const html = `${sandbox.url}/${name}/compare/${basehead}`;
      const commitOf = (sha: string) => {
        const commit = git.commits.get(sha);
        if (!commit) throw new HttpError(404, 'Not Found');
        return commitJson(sandbox, repo, commit);
      };
      return {
        status: 200,
        body: {
          url: `${sandbox.apiUrl}/repos/${name}/compare/${basehead}`,
          html_url: html,
          permalink_url: `${sandbox.url}/${name}/compare/${repo.owner}:${base.slice(0, 7)}...${repo.owner}:${head.slice(0, 7)}`,
          diff_url: `${html}.diff`,
          patch_url: `${html}.patch`,
          base_commit: commitOf(base),
          merge_base_commit: commitOf(common),
          status,
          ahead_by: ahead.length,
          behind_by: behind.length,
          total_commits: ahead.length,
          commits: commits.map((c) => commitJson(sandbox, repo, c)),
          files: files.slice(0, 300).map((f) => diffEntryJson(sandbox, repo, head, f)),
        },
      };
    },
    { auth: 'optional' },
  );
}
