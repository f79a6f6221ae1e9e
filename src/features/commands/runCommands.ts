import type { Clock } from '../../domain/time/clock.ts';
import { type CommandName } from '../../domain/commands/commands.ts';
import { DEFAULT_CONFIG, type ConfigProblem, type ConfigResult } from '../../domain/config/config.ts';
import { renderEventMarker, type EventMarker } from '../../domain/text/eventMarker.ts';
import { renderReminderMarker } from '../../domain/sweep/reminderMarker.ts';
import { readIncidentState, type StateTrust } from '../../domain/incident/incidentState.ts';
import { readLabels } from '../../domain/incident/labels.ts';
import { escapeInline, inlineCode } from '../../domain/text/markdown.ts';
import { parseCommands, type CommandLine } from '../../domain/commands/parseCommands.ts';
import { atLeast, canRun, requiredPermission, type PermissionLevel, type PermissionOverrides } from '../../domain/commands/permissions.ts';
import { readCommand } from '../../domain/commands/readCommand.ts';
import { addReaction } from '../../adapters/github/addReaction.ts';
import { createComment } from '../../adapters/github/createComment.ts';
import { getIssueSnapshot } from '../../adapters/github/getIssueSnapshot.ts';
import { getPermission } from '../../adapters/github/getPermission.ts';
import { listReactions } from '../../adapters/github/listReactions.ts';
import type { ReactionContent, RepoRef } from '../../adapters/github/types.ts';
import { renderTemplate, type Render } from '../../adapters/templates/templates.ts';
import { changeIncident } from './changeIncident.ts';
import type { CommandContext, CommandsOctokit, CommentEvent, Executor, IncidentSession } from './commandContext.ts';
import { escalate } from './escalate.ts';
import { help } from './help.ts';
import { openFollowup } from './openFollowup.ts';
import { oncallCommand } from './oncall.ts';
import { postmortemCommand } from '../postmortem/postmortem.ts';
import { postSummary } from './postSummary.ts';
import { raiseIncident } from './raiseIncident.ts';
import { configProblemsView } from '../alerts/reportInvalidConfig.ts';
import type { Log } from '../../services/log.ts';
import { commentKey, memoryCoordination, type Coordination } from '../../services/coordination.ts';
import { SLOW_DOWN } from './githubRateLimit.ts';
import type { Identity } from '../../services/identity.ts';
import { writeIncident } from '../incidents/writeIncident.ts';
import { deploys } from './deploys.ts';
import { redeploy } from './redeploy.ts';
import { rollback } from './rollback.ts';
import { stateScope, UNSEALED, type StateSeal } from '../../domain/incident/stateSeal.ts';

export type { CommandsOctokit, CommentEvent } from './commandContext.ts';
export { helpView, type HelpView } from './help.ts';

/** More command lines than this in one comment are refused: a flood is not a workflow. */
export const MAX_COMMANDS_PER_COMMENT = 10;

/** Executors by command name: a row in the command table without one here does not compile. */
export const EXECUTORS: Record<CommandName, Executor> = {
  incident: raiseIncident,
  ack: changeIncident,
  severity: changeIncident,
  status: changeIncident,
  commander: changeIncident,
  comms: changeIncident,
  responder: changeIncident,
  note: changeIncident,
  escalate,
  resolve: changeIncident,
  cancel: changeIncident,
  reopen: changeIncident,
  followup: openFollowup,
  postmortem: postmortemCommand,
  summary: postSummary,
  oncall: oncallCommand,
  help,
  deploys,
  rollback,
  redeploy,
};

export interface RunCommandsOptions<O extends CommandsOctokit = CommandsOctokit> {
  octokit: O;
  event: CommentEvent;
  /** Reads `.github/firewatch.yml`; called only after the author is known to have some access. */
  loadConfig: (octokit: O, repo: RepoRef) => Promise<ConfigResult>;
  clock: Clock;
  log: Log;
  render?: Render;
  /**
   * The rate limit and label cache shared by the process (or by replicas, or derived from GitHub in
   * the Action): the runtime's `Coordination`. Default a fresh one in memory (tests).
   */
  coordination?: Pick<Coordination, 'rateLimit' | 'labels' | 'handled'>;
  /** Who firewatch is: its own comments never run commands; every other author, bot or not, goes through the permission check. */
  identity: Identity;
  /** Verifies the incident's state block and seals what is written; default: no key (unsealed). */
  stateSeal?: StateSeal;
}

export interface CommandOutcome {
  /** The command's name, or `unknown` for a word that is not a command. */
  command: string;
  outcome: 'ok' | 'refused';
}

export interface RunCommandsResult {
  /** Why nothing happened, when nothing did. */
  skipped?: 'own' | 'no-commands' | 'redelivery';
  outcomes: CommandOutcome[];
  /** Command lines past `MAX_COMMANDS_PER_COMMENT`, neither run nor listed in `outcomes`. */
  notRun?: number;
  reply?: { id: number; html_url: string };
}

function refusal(line: CommandLine, context: { permission: PermissionLevel; overrides: PermissionOverrides; isIncident: boolean; trust: StateTrust; event: CommentEvent }): string | undefined {
  if (line.kind === 'unknown') {
    const suggestion = line.suggestion ? ` Did you mean \`/${line.suggestion}\`?` : '';
    return `⚠️ ${inlineCode(`/${line.invokedAs}`)} is not a firewatch command.${suggestion} Comment \`/help\` to see the commands you can run.`;
  }
  const { command } = line;
  if (!canRun(context.permission, command, context.overrides)) {
    const need = requiredPermission(command, context.overrides);
    const repo = `${context.event.repo.owner}/${context.event.repo.repo}`;
    return `⚠️ Cannot run \`/${command.name}\`: it needs **${need}** access to ${escapeInline(repo)} and you have **${context.permission}**. Ask someone with ${need} access to run it, or a maintainer to grant you access.`;
  }
  if (command.scope === 'incident' && !context.isIncident && context.trust === 'forged') {
    return `⚠️ Cannot run \`/${command.name}\`: the hidden state block of #${context.event.issue.number} was changed outside firewatch (its seal does not match), so firewatch does not act on it. firewatch puts its own last version back when it sees such an edit; if it has not, restore the block from the body's edit history, or ask a maintainer.`;
  }
  if (command.scope === 'incident' && !context.isIncident) {
    return `⚠️ Cannot run \`/${command.name}\` here: #${context.event.issue.number} is not an incident issue. Run it in the incident's issue, or declare one with \`/incident\`.`;
  }
  return undefined;
}

/**
 * Whether an earlier delivery of this comment already ran its commands: our 🚀 or 😕 is on it.
 * Only asked when our 👀 was already there, i.e. on a redelivery.
 */
async function alreadyHandled(octokit: CommandsOctokit, event: CommentEvent, reactor: string | undefined): Promise<boolean> {
  const reactions = await listReactions(octokit, event.repo, event.comment.id);
  return reactions.some((r) => (r.content === 'rocket' || r.content === 'confused') && (reactor === undefined || r.login === reactor));
}

/**
 * Slash commands in a new issue comment: 👀 when seen (a redelivered comment we already answered
 * stops here); the author's permission checked first (fail closed) before anything else is read;
 * the per-user rate limit; each command run in order against the incident in memory; one write
 * of what changed (plan, diff, write); exactly one reply comment for the whole comment, whose
 * hidden marker carries the timeline entries; 🚀 when a command ran, 😕 when one was refused.
 */
export async function runCommands<O extends CommandsOctokit>(options: RunCommandsOptions<O>): Promise<RunCommandsResult> {
  const { event, log } = options;
  if (options.identity.isOwnActor(event.author)) return { skipped: 'own', outcomes: [] };
  const coordination = options.coordination ?? memoryCoordination();
  // The runtime runs this under the incident's lock (shared by replicas), so checking and then
  // recording here is atomic for every delivery of the comment; GitHub's state (our reactions, the
  // timeline) decides once the record has expired, or after a restart without Redis.
  const handledKey = commentKey(event.repo, event.comment.id);
  if (await coordination.handled.isDone(handledKey)) {
    log.info({ comment: event.comment.id }, 'comment already handled (coordination); not running its commands again');
    return { skipped: 'redelivery', outcomes: [] };
  }
  const result = await runUnrecorded(options, coordination);
  if (result.skipped !== 'no-commands') await coordination.handled.markDone(handledKey, HANDLED_TTL_MS);
  return result;
}

/** How long a handled comment is remembered by the coordination (GitHub's state answers after that). */
const HANDLED_TTL_MS = 24 * 3_600_000;

async function runUnrecorded<O extends CommandsOctokit>(options: RunCommandsOptions<O>, coordination: Pick<Coordination, 'rateLimit' | 'labels'>): Promise<RunCommandsResult> {
  const { octokit, event, clock, log } = options;
  const render = options.render ?? renderTemplate;

  const scope = stateScope(options.stateSeal ?? UNSEALED, event.repo);
  const looksLikeIncident = readLabels(event.issue.labels).incident || readIncidentState(event.issue.body, scope).trust !== 'none';
  // Outside incidents, words we do not know may belong to other tools: only our commands count.
  const lines = parseCommands(event.comment.body).filter((line) => looksLikeIncident || line.kind === 'command');
  if (lines.length === 0) return { skipped: 'no-commands', outcomes: [] };

  const reactions = new Set<ReactionContent>();
  const react = async (content: ReactionContent): Promise<{ existed: boolean; reactor?: string }> => {
    if (reactions.has(content)) return { existed: true };
    reactions.add(content);
    try {
      return await addReaction(octokit, event.repo, event.comment.id, content);
    } catch (error) {
      // Feedback only: the reply still says what happened.
      log.warn({ err: error, content }, 'could not add a reaction');
      return { existed: false };
    }
  };
  const eyes = await react('eyes');
  if (eyes.existed && (await alreadyHandled(octokit, event, eyes.reactor))) {
    log.info({ comment: event.comment.id }, 'comment already handled by an earlier delivery; not running its commands again');
    return { skipped: 'redelivery', outcomes: [] };
  }

  const permission = await getPermission(octokit, event.repo, event.author.login);
  let configResult: ConfigResult | undefined;
  // No access at all: refuse before reading anything else of the repository.
  if (atLeast(permission, 'read')) configResult = await options.loadConfig(octokit, event.repo);
  const config = configResult?.config ?? DEFAULT_CONFIG;
  const overrides: PermissionOverrides = config.commands.permissions;
  const problems: ConfigProblem[] = configResult?.problems ?? [];
  const now = clock();
  const outcomes: CommandOutcome[] = [];
  const nameOf = (line: CommandLine) => (line.kind === 'command' ? line.command.name : 'unknown');

  if (atLeast(permission, 'read')) {
    const counted = Math.min(lines.length, MAX_COMMANDS_PER_COMMENT);
    const rate = await coordination.rateLimit.take({ repo: event.repo, issue: event.issue.number, actor: event.author.login, commentId: event.comment.id, now: now.getTime(), count: counted, limit: config.commands.rateLimit, octokit });
    if (!rate.ok) {
      for (const line of lines) outcomes.push({ command: nameOf(line), outcome: 'refused' });
      log.warn({ actor: event.author.login, retryAfterSeconds: rate.retryAfterSeconds }, 'command rate limit reached');
      let reply: { id: number; html_url: string } | undefined;
      // Tell them once per window; answering every comment of a flood would be a flood too.
      if (!rate.alreadyTold) {
        const { max, windowSeconds } = config.commands.rateLimit;
        const text = `${SLOW_DOWN} ${escapeInline(`@${event.author.login}`)} ran more than ${max} commands in ${windowSeconds} seconds, so none of these ran. Try again in ${rate.retryAfterSeconds} seconds. Further commands until then get only 😕.`;
        reply = await createComment(octokit, event.repo, event.issue.number, text, renderEventMarker({ type: 'refusal', at: now.toISOString(), actor: event.author.login, replyTo: event.comment.id }));
      }
      await react('confused');
      return { outcomes, ...(reply ? { reply } : {}) };
    }
  }

  const session: IncidentSession = { issue: null, state: null, trust: 'none', dirty: false, entries: [], assign: [], unassign: [], addLabels: [] };
  // Fresh from GitHub, not from the payload: an earlier command may have changed it since.
  const needsIssue = lines.some((line) => line.kind === 'command' && line.command.name !== 'help' && canRun(permission, line.command, overrides));
  if (needsIssue) {
    session.issue = await getIssueSnapshot(octokit, event.repo, event.issue.number);
    const read = readIncidentState(session.issue.body, scope);
    session.state = read.state;
    session.trust = read.trust;
    if (read.trust === 'forged') log.warn({ issue: event.issue.number }, 'state block not written by firewatch (seal does not match); not acting on it');
    if (eyes.existed && session.state?.timeline.some((entry) => entry.ref === event.comment.id)) {
      log.info({ comment: event.comment.id }, 'comment already recorded in the incident timeline; not running its commands again');
      return { skipped: 'redelivery', outcomes: [] };
    }
  } else {
    const read = readIncidentState(event.issue.body, scope);
    session.state = read.state;
    session.trust = read.trust;
  }

  const sections: string[] = [];
  // Lines past the limit are counted, not listed: 20,000 of them in the reply's marker made a body GitHub refused.
  let notRun = 0;
  for (const [index, line] of lines.entries()) {
    const name = nameOf(line);
    if (index >= MAX_COMMANDS_PER_COMMENT) {
      const more = lines.length - MAX_COMMANDS_PER_COMMENT;
      sections.push(`⚠️ …and ${more.toLocaleString('en-US')} more command ${more === 1 ? 'line was' : 'lines were'} not run: at most ${MAX_COMMANDS_PER_COMMENT} run per comment. Split them over several comments.`);
      notRun = more;
      break;
    }
    const refused = refusal(line, { permission, overrides, isIncident: session.state !== null, trust: session.trust ?? 'none', event });
    if (refused !== undefined || line.kind === 'unknown') {
      sections.push(refused ?? '');
      outcomes.push({ command: name, outcome: 'refused' });
      log.info({ command: name, permission, line: line.text }, 'command refused');
      continue;
    }
    const read = readCommand(line, { author: event.author.login, now, timezone: config.timezone });
    if (!read.ok) {
      sections.push(`⚠️ ${read.message}`);
      outcomes.push({ command: name, outcome: 'refused' });
      continue;
    }
    const context: CommandContext = { octokit, line, request: read.request, event, permission, overrides, config, session, now, render, log, scope, labels: coordination.labels, identity: options.identity };
    let result;
    try {
      result = await EXECUTORS[line.command.name as CommandName](context);
    } catch (error) {
      // Say so where the user looks, then let the runtime log and report the failure.
      const text = `❌ \`/${line.invokedAs}\` failed: GitHub did not accept a request (${escapeInline(error instanceof Error ? error.message : String(error))}). Commands after it did not run and nothing was saved; post the command again.`;
      await createComment(octokit, event.repo, event.issue.number, text, renderEventMarker({ type: 'refusal', at: now.toISOString(), actor: event.author.login, replyTo: event.comment.id }));
      await react('confused');
      throw error;
    }
    sections.push(result.reply.trim());
    outcomes.push({ command: name, outcome: result.ok ? 'ok' : 'refused' });
    log.info({ command: name, permission, outcome: result.ok ? 'ok' : 'refused' }, `command /${line.invokedAs}`);
  }

  if (session.dirty && session.state && session.issue) {
    const written = await writeIncident(
      octokit,
      event.repo,
      session.issue,
      {
        state: session.state,
        addLabels: session.addLabels,
        assign: session.assign,
        unassign: session.unassign,
        ...(session.title !== undefined ? { title: session.title } : {}),
      },
      { timezone: config.timezone, render, scope },
    );
    log.info({ incident: session.state.id, fields: Object.keys(written) }, 'incident updated');
  }

  const problemsText = problems.length ? render('config-problems', configProblemsView(problems)) : '';
  const fields: EventMarker = {
    type: 'command-reply',
    at: now.toISOString(),
    actor: event.author.login,
    command: outcomes.map((o) => o.command).join(','),
    ...(session.state ? { incident: session.state.id } : {}),
    replyTo: event.comment.id,
    ...(session.entries.length ? { entries: session.entries } : {}),
  };
  // Settled reminders (an escalation step `/escalate` paged) tell the sweep not to page it again.
  const marker = session.reminders?.length ? renderReminderMarker({ ...fields, reminders: [...new Set(session.reminders)] }) : renderEventMarker(fields);
  const text = [...sections.filter(Boolean), problemsText].filter(Boolean).join('\n\n---\n\n');
  const reply = await createComment(octokit, event.repo, event.issue.number, text, marker);

  if (outcomes.some((o) => o.outcome === 'ok')) await react('rocket');
  if (notRun > 0 || outcomes.some((o) => o.outcome === 'refused')) await react('confused');
  return { outcomes, ...(notRun > 0 ? { notRun } : {}), reply };
}
