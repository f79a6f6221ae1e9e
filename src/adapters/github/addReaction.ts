import type { OctokitWith, ReactionContent, RepoRef, RestReactions } from './types.ts';

/**
 * Reacts to an issue comment (👀 seen, 🚀 done, 😕 refused). `existed` when we had already
 * reacted so (GitHub answers 200 instead of 201); `reactor` is our own login as GitHub shows it.
 */
export async function addReaction(
  octokit: OctokitWith<{ reactions: Pick<RestReactions, 'createForIssueComment'> }>,
  repo: RepoRef,
  commentId: number,
  content: ReactionContent,
): Promise<{ existed: boolean; reactor?: string }> {
  const response = await octokit.rest.reactions.createForIssueComment({ owner: repo.owner, repo: repo.repo, comment_id: commentId, content });
  const reactor = response?.data?.user?.login;
  return { existed: response?.status === 200, ...(reactor ? { reactor } : {}) };
}
