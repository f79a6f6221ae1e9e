import type { OctokitWith, ReactionContent, RepoRef, RestReactions } from './types.ts';

/** The reactions on an issue comment (first 100: enough to find our own). */
export async function listReactions(
  octokit: OctokitWith<{ reactions: Pick<RestReactions, 'listForIssueComment'> }>,
  repo: RepoRef,
  commentId: number,
): Promise<{ content: ReactionContent | string; login: string | undefined }[]> {
  const { data } = await octokit.rest.reactions.listForIssueComment({ owner: repo.owner, repo: repo.repo, comment_id: commentId, per_page: 100 });
  return data.map((reaction) => ({ content: reaction.content, login: reaction.user?.login }));
}
