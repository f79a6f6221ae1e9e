/**
 * Releases: list, latest and create. Creating a release for a tag that does not exist yet tags
 * `target_commitish` (default branch by default), as GitHub does.
 */
import { z } from 'zod';
import { actingUser, requireRepo } from '../auth.ts';
import { paginated } from '../paginate.ts';
import { HttpError, type Router } from '../router.ts';
import { timestamp } from '../shapes.ts';
import type { SandboxApi } from '../types.ts';
import { parseBody } from '../validate.ts';
import { moveRef } from '../git/branches.ts';
import { resolveRef } from '../git/objects.ts';
import { latestRelease, newReleaseId, releaseJson, releasesOf, type ReleaseRecord } from '../git/releases.ts';

const createSchema = z.object({
  tag_name: z.string().min(1),
  target_commitish: z.string().min(1).optional(),
  name: z.string().nullish(),
  body: z.string().max(125_000).nullish(),
  draft: z.boolean().default(false),
  prerelease: z.boolean().default(false),
  discussion_category_name: z.string().optional(),
  generate_release_notes: z.boolean().optional(),
  make_latest: z.enum(['true', 'false', 'legacy']).optional(),
});

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/repos/{owner}/{repo}/releases',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const releases = [...releasesOf(repo).values()].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
      return paginated(sandbox.apiUrl, request, releases, (r) => releaseJson(sandbox, repo, r));
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/releases/latest',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const latest = latestRelease(repo);
      if (!latest) throw new HttpError(404, 'Not Found');
      return { status: 200, body: releaseJson(sandbox, repo, latest) };
    },
    { auth: 'optional' },
  );

  router.add(
    'POST',
    '/repos/{owner}/{repo}/releases',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'write');
      const sender = actingUser(request);
      const input = parseBody(createSchema, request.body, 'Release');
      const releases = releasesOf(repo);
      if ([...releases.values()].some((r) => r.tag_name === input.tag_name)) {
        throw new HttpError(422, 'Validation Failed', [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
      }
      const target = input.target_commitish ?? repo.default_branch;
      const tagRef = `tags/${input.tag_name}`;
      if (!repo.git.refs.has(tagRef) && !input.draft) {
        const sha = resolveRef(repo.git, target);
        if (!sha) throw new HttpError(422, 'Validation Failed', [{ resource: 'Release', code: 'invalid', field: 'target_commitish' }]);
        moveRef(sandbox, repo, tagRef, sha, sender);
      }
      const now = timestamp(sandbox.now());
      const release: ReleaseRecord = {
        ...newReleaseId(sandbox),
        tag_name: input.tag_name,
        target_commitish: target,
        name: input.name ?? null,
        body: input.body ?? null,
        draft: input.draft,
        prerelease: input.prerelease,
        author: sender.login,
        created_at: now,
        published_at: input.draft ? null : now,
      };
      releases.set(release.id, release);
      const json = releaseJson(sandbox, repo, release);
      sandbox.emit('release', { action: 'created', release: json }, { repo, sender });
      if (!release.draft) sandbox.emit('release', { action: 'published', release: json }, { repo, sender });
      return { status: 201, body: json, headers: { location: json['url'] as string } };
    },
    { contentCreating: true },
  );
}
