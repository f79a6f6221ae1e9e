import type { OctokitWith, ReactionContent, RepoRef, RestReactions } from './types.ts';

/** Reacts to an issue comment (👀 seen, 🚀 done, 😕 refused). */
export async function addReaction(
  octokit: OctokitWith<{ reactions: Pick<RestReactions, 'createForIssueComment'> }>,
  repo: RepoRef,
  commentId: number,
  content: ReactionContent,
): Promise<void> {
  await octokit.rest.reactions.createForIssueComment({ owner: repo.owner, repo: repo.repo, comment_id: commentId, content });
}
