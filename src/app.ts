import type { Probot } from 'probot';
import { z } from 'zod';
import type { Clock } from './domain/clock.ts';
import { parseStateBlock } from './domain/incidentState.ts';
import { parseCommands } from './domain/parseCommands.ts';
import { loadConfig } from './features/loadConfig.ts';
import { runCommands, type CommentEvent } from './features/runCommands.ts';
import type { Metrics } from './metrics.ts';

export interface AppDependencies {
  clock: Clock;
  metrics?: Metrics;
}

const account = z.object({ login: z.string().min(1), type: z.string() });

/** The part of an `issue_comment` payload firewatch relies on, checked rather than trusted. */
const commentPayload = z.object({
  repository: z.object({ name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) }),
  issue: z.object({
    number: z.number().int().positive(),
    body: z.string().nullish(),
    labels: z.array(z.union([z.string(), z.object({ name: z.string() })])).default([]),
    pull_request: z.unknown().optional(),
  }),
  comment: z.object({ id: z.number().int().positive(), body: z.string().nullish(), user: account.nullish() }),
  sender: account,
});

export function commentEventFrom(payload: unknown): CommentEvent | { error: string } {
  const parsed = commentPayload.safeParse(payload);
  if (!parsed.success) return { error: z.prettifyError(parsed.error) };
  const { repository, issue, comment, sender } = parsed.data;
  // A comment's author is who wrote it; `sender` is who triggered the delivery. Both must be human.
  const author = comment.user && sender.type !== 'Bot' ? comment.user : sender;
  return {
    repo: { owner: repository.owner.login, repo: repository.name },
    issue: {
      number: issue.number,
      body: issue.body ?? null,
      labels: issue.labels.map((label) => (typeof label === 'string' ? label : label.name)),
      isPullRequest: issue.pull_request !== undefined,
    },
    comment: { id: comment.id, body: comment.body ?? '' },
    author,
  };
}

/**
 * The firewatch Probot app, the same function for the server, the Action and tests. Only
 * `issue_comment.created` runs commands: edited and deleted comments never re-run them.
 */
export function createApp(deps: AppDependencies): (app: Probot) => void {
  return (app) => {
    const { metrics } = deps;
    if (metrics) app.onAny((event) => metrics.webhooks.inc({ event: event.name }));

    app.on('issue_comment.created', async (context) => {
      const event = commentEventFrom(context.payload);
      const base = context.log.child({ deliveryId: context.id });
      if ('error' in event) {
        base.warn({ problems: event.error }, 'issue_comment payload without the fields firewatch needs; ignored');
        return;
      }
      const incident = parseStateBlock(event.issue.body)?.id;
      const log = base.child({ incident: incident ?? null, repo: `${event.repo.owner}/${event.repo.repo}`, issue: event.issue.number });
      try {
        const result = await runCommands({ octokit: context.octokit, event, loadConfig, clock: deps.clock, log });
        for (const { command, outcome } of result.outcomes) metrics?.commands.inc({ command, outcome });
      } catch (error) {
        for (const line of parseCommands(event.comment.body)) {
          metrics?.commands.inc({ command: line.kind === 'command' ? line.command.name : 'unknown', outcome: 'error' });
        }
        log.error({ err: error }, 'running commands failed');
        throw error;
      }
    });
  };
}
