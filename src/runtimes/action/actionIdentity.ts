import { tokenIdentity, type Identity } from '../../services/identity.ts';

/** What a workflow's `GITHUB_TOKEN` writes as when it cannot say so itself. */
const ACTIONS_BOT = 'github-actions[bot]';

/**
 * Who the Action writes as: the token's user or bot (`GET /user`, else GraphQL's `viewer`), or the
 * workflow bot when the token answers neither. Only that account's comments are firewatch's state.
 */
export function actionIdentity(octokit: Parameters<typeof tokenIdentity>[0]): Promise<Identity> {
  return tokenIdentity(octokit, { fallback: ACTIONS_BOT });
}
