/** A repository by owner and name: the one type for it in firewatch. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** `owner/repo` as people write it. */
export function repoName(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`;
}

/** The key a repository is remembered by (GitHub's names are case-insensitive). */
export function repoKey(repo: RepoRef): string {
  return repoName(repo).toLowerCase();
}

export function sameRepo(a: RepoRef, b: RepoRef): boolean {
  return repoKey(a) === repoKey(b);
}

/** `owner/repo` read from text (config, flags, environment); undefined when it is not one. */
export function parseRepo(value: string | undefined): RepoRef | undefined {
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(value?.trim() ?? '');
  return match?.[1] && match[2] ? { owner: match[1], repo: match[2] } : undefined;
}
