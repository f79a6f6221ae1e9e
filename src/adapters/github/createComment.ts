import { truncateBody } from '../../domain/text/markdown.ts';
import type { OctokitWith, RepoRef, RestIssues } from './types.ts';

/**
 * Comments on an issue. `marker` (the hidden event marker) is kept at the very end even when the
 * text has to be cut to GitHub's size limit.
 */
export async function createComment(
  octokit: OctokitWith<{ issues: Pick<RestIssues, 'createComment'> }>,
  repo: RepoRef,
  issueNumber: number,
  text: string,
  marker = '',
): Promise<{ id: number; html_url: string }> {
  const body = truncateBody(text.trimEnd(), { tail: marker ? `\n\n${marker}\n` : '\n' });
  const { data } = await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber, body });
  return { id: data.id, html_url: data.html_url };
}
