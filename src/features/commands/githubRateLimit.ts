import { SLOW_DOWN } from '../../domain/commands/decideCommands.ts';
import { decideRate } from '../../domain/commands/rateLimit.ts';
import { parseEventMarker } from '../../domain/text/eventMarker.ts';
import { listIssueComments, type ListCommentsOctokit } from '../../adapters/github/listIssueComments.ts';
import type { CommandRateLimit } from '../../services/coordination.ts';
import type { IdentitySource } from '../../services/identity.ts';

function canListComments(octokit: unknown): octokit is ListCommentsOctokit {
  const rest = (octokit as { rest?: { issues?: { listComments?: unknown } } } | null)?.rest;
  return typeof rest?.issues?.listComments === 'function';
}

/**
 * The command rate limit derived from GitHub, for runtimes no process of which outlives an event
 * (the Action): the author's commands on the issue within the window are read back from
 * firewatch's own replies (their markers name the commands and their author), and whether they
 * were told to slow down from its own refusal. Nothing is kept between runs, and nothing anyone
 * else writes counts. Commands refused by the limit are not counted, as in memory.
 */
export function githubRateLimit(identity: IdentitySource): CommandRateLimit {
  return {
    async take(request) {
      if (!canListComments(request.octokit)) throw new Error('the command rate limit from GitHub needs issues.listComments');
      const own = await identity.resolve();
      const windowMs = request.limit.windowSeconds * 1000;
      const actor = request.actor.toLowerCase();
      const history: number[] = [];
      let toldAt: number | undefined;
      for (const comment of await listIssueComments(request.octokit, request.repo, request.issue)) {
        if (!own.isOwnActor(comment.user)) continue;
        const marker = parseEventMarker(comment.body);
        if (!marker || marker.actor?.toLowerCase() !== actor || marker.replyTo === request.commentId) continue;
        const at = Date.parse(marker.at);
        if (!Number.isFinite(at) || at <= request.now - windowMs || at > request.now) continue;
        if (marker.type === 'command-reply') {
          const count = (marker.command ?? '').split(',').filter(Boolean).length;
          for (let i = 0; i < count; i++) history.push(at);
        } else if (marker.type === 'refusal' && (comment.body ?? '').startsWith(SLOW_DOWN)) {
          toldAt = Math.max(toldAt ?? at, at);
        }
      }
      history.sort((a, b) => a - b);
      return decideRate(history, request.now, request.count, request.limit, toldAt);
    },
  };
}
