/**
 * Releases as change candidates, for teams that ship by tagging. A release published in the
 * window stands on its own only when none of the PRs it shipped merged in the window: otherwise
 * those PRs are the candidates already (as a deployment that ships them is, in `buildCandidates`).
 */
import type { MergedPull } from './buildCandidates.ts';
import type { ReleaseCandidate } from './candidate.ts';

export interface ReleaseRecord {
  repo: string;
  tag: string;
  name: string;
  url: string;
  author: string;
  publishedAt: string;
  /** The tagged commit. */
  sha: string;
  /** Commit time of the tagged commit, to tell which merged PRs it contains. */
  commitAt?: string;
}

export function releaseCandidates(releases: readonly ReleaseRecord[], pulls: readonly MergedPull[], window: { from: string; to: string }): ReleaseCandidate[] {
  const fromMs = Date.parse(window.from);
  const toMs = Date.parse(window.to);
  const inWindow = (at: string): boolean => Date.parse(at) >= fromMs && Date.parse(at) <= toMs;
  const candidates: ReleaseCandidate[] = [];
  for (const repo of new Set(releases.map((r) => r.repo))) {
    const ordered = releases.filter((r) => r.repo === repo).sort((a, b) => Date.parse(a.publishedAt) - Date.parse(b.publishedAt));
    const repoPulls = pulls.filter((p) => p.repo === repo);
    ordered.forEach((release, index) => {
      if (!inWindow(release.publishedAt)) return;
      const previous = ordered[index - 1];
      const head = Date.parse(release.commitAt ?? release.publishedAt);
      const since = previous ? Date.parse(previous.commitAt ?? previous.publishedAt) : -Infinity;
      const shipped = repoPulls.filter((p) => Date.parse(p.mergedAt) <= head && Date.parse(p.mergedAt) > since);
      if (shipped.some((p) => inWindow(p.mergedAt))) return;
      candidates.push({
        kind: 'release',
        repo,
        tag: release.tag,
        title: release.name || release.tag,
        url: release.url,
        author: release.author,
        publishedAt: release.publishedAt,
        sha: release.sha,
        paths: [...new Set(shipped.flatMap((p) => p.paths))],
        additions: shipped.reduce((n, p) => n + p.additions, 0),
        deletions: shipped.reduce((n, p) => n + p.deletions, 0),
        labels: [...new Set(shipped.flatMap((p) => p.labels))],
        isRevert: false,
        deployments: [],
        ...(previous ? { previousSha: previous.sha } : {}),
      });
    });
  }
  return candidates;
}
