/**
 * Releases. The shared store has no release records, so they live beside each repository record
 * here and disappear with it on reset, like everything else in the sandbox.
 */
import { fullName, nodeId, userByLogin } from '../shapes.ts';
import type { RepoRecord } from '../store.ts';
import type { SandboxApi } from '../types.ts';

export interface ReleaseRecord {
  id: number;
  node_id: string;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: string;
  created_at: string;
  published_at: string | null;
}

const releasesByRepo = new WeakMap<RepoRecord, Map<number, ReleaseRecord>>();

export function releasesOf(repo: RepoRecord): Map<number, ReleaseRecord> {
  let releases = releasesByRepo.get(repo);
  if (!releases) {
    releases = new Map();
    releasesByRepo.set(repo, releases);
  }
  return releases;
}

export function newReleaseId(sandbox: SandboxApi): { id: number; node_id: string } {
  const id = sandbox.nextId();
  return { id, node_id: nodeId('Release', id) };
}

/** The latest release: the most recently published one that is neither a draft nor a prerelease. */
export function latestRelease(repo: RepoRecord): ReleaseRecord | undefined {
  return [...releasesOf(repo).values()]
    .filter((r) => !r.draft && !r.prerelease && r.published_at)
    .sort((a, b) => (b.published_at ?? '').localeCompare(a.published_at ?? '') || b.id - a.id)[0];
}

export function releaseJson(sandbox: SandboxApi, repo: RepoRecord, release: ReleaseRecord): Record<string, unknown> {
  const name = fullName(repo);
  const api = `${sandbox.apiUrl}/repos/${name}/releases/${release.id}`;
  const tagUrl = `${sandbox.url}/${name}/releases/tag/${encodeURIComponent(release.tag_name)}`;
  return {
    url: api,
    html_url: release.draft ? `${sandbox.url}/${name}/releases/untagged-${release.id}` : tagUrl,
    assets_url: `${api}/assets`,
    upload_url: `${sandbox.url}/uploads/repos/${name}/releases/${release.id}/assets{?name,label}`,
    tarball_url: `${sandbox.apiUrl}/repos/${name}/tarball/${encodeURIComponent(release.tag_name)}`,
    zipball_url: `${sandbox.apiUrl}/repos/${name}/zipball/${encodeURIComponent(release.tag_name)}`,
    id: release.id,
    node_id: release.node_id,
    tag_name: release.tag_name,
    target_commitish: release.target_commitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    created_at: release.created_at,
    published_at: release.published_at,
    author: userByLogin(sandbox, release.author),
    assets: [],
  };
}
