import type { Clock } from '../../domain/time/clock.ts';
import { type CommandName } from '../../domain/commands/commands.ts';
import { DEFAULT_CONFIG, type ConfigProblem, type ConfigResult } from '../../domain/config/config.ts';
import { renderEventMarker, type EventMarker } from '../../domain/text/eventMarker.ts';
import { renderReminderMarker } from '../../domain/sweep/reminderMarker.ts';
import { readIncidentState } from '../../domain/incident/incidentState.ts';
import { readLabels } from '../../domain/incident/labels.ts';
import { escapeInline } from '../../domain/text/markdown.ts';
import { parseCommands, type CommandLine } from '../../domain/commands/parseCommands.ts';
import { countedLines, decideCommands, decideLine, type CommentDecision, type CommentFacts } from '../../domain/commands/decideCommands.ts';
import { addReaction } from '../../adapters/github/addReaction.ts';
import { createComment } from '../../adapters/github/createComment.ts';
import { getIssueSnapshot, type IssueWithSnapshot } from '../../adapters/github/getIssueSnapshot.ts';
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
import type { Identity } from '../../services/identity.ts';
import { writeIncident } from '../incidents/writeIncident.ts';
import { deploys } from './deploys.ts';
import { redeploy } from './redeploy.ts';
import { rollback } from './rollback.ts';
import { stateScope, UNSEALED, type StateScope, type StateSeal } from '../../domain/incident/stateSeal.ts';

export type { CommandsOctokit, CommentEvent } from './commandContext.ts';
;

export { MAX_COMMANDS_PER_COMMENT } from '../../domain/commands/decideCommands.ts';

/** Executors by command name: a row in the command table without one here does not compile. */
const EXECUTORS: Record<CommandName, Executor> = {
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

interface CommandOutcome {
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
  const { octokit, event, clock, log } = options;
  const render = options.render ?? renderTemplate;
  const coordination = options.coordination ?? memoryCoordination();
  const scope = stateScope(options.stateSeal ?? UNSEALED, event.repo);
  const handledKey = commentKey(event.repo, event.comment.id);

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

  const facts: CommentFacts = {
    author: event.author.login,
    repo: `${event.repo.owner}/${event.repo.repo}`,
    ownActor: options.identity.isOwnActor(event.author),
    lines: [],
  };
  if (!facts.ownActor) {
    const looksLikeIncident = readLabels(event.issue.labels).incident || readIncidentState(event.issue.body, scope).trust !== 'none';
    // Outside incidents, words we do not know may belong to other tools: only our commands count.
    facts.lines = parseCommands(event.comment.body).filter((line) => looksLikeIncident || line.kind === 'command');
  }
  let configResult: ConfigResult | undefined;
  let issue: IssueWithSnapshot | undefined;
  const now = clock();

  // The gates decide (domain/commands/decideCommands.ts); this loop only reads what the next one asks for.
  let decision = decideCommands(facts);
  while (decision.kind === 'ask') {
    switch (decision.fact) {
      case 'recorded':
        // The runtime runs this under the incident's lock (shared by replicas), so checking and then
        // recording is atomic for every delivery of the comment; GitHub's state (our reactions, the
        // timeline) decides once the record has expired, or after a restart without Redis.
        facts.recorded = await coordination.handled.isDone(handledKey);
        break;
      case 'seen': {
        const eyes = await react('eyes');
        // Only asked when our 👀 was already there, i.e. on a redelivery.
        facts.seen = { before: eyes.existed, answered: eyes.existed && (await alreadyHandled(octokit, event, eyes.reactor)) };
        break;
      }
      case 'permission':
        facts.permission = await getPermission(octokit, event.repo, event.author.login);
        break;
      case 'config':
        configResult = await options.loadConfig(octokit, event.repo);
        facts.config = { rateLimit: configResult.config.commands.rateLimit, overrides: configResult.config.commands.permissions };
        break;
      case 'rate': {
        const limit = configResult?.config.commands.rateLimit ?? DEFAULT_CONFIG.commands.rateLimit;
        facts.rate = await coordination.rateLimit.take({ repo: event.repo, issue: event.issue.number, actor: event.author.login, commentId: event.comment.id, now: now.getTime(), count: countedLines(facts), limit, octokit });
        break;
      }
      case 'issue': {
        // Fresh from GitHub, not from the payload: an earlier command may have changed it since.
        issue = await getIssueSnapshot(octokit, event.repo, event.issue.number);
        const state = readIncidentState(issue.body, scope).state;
        facts.inTimeline = state?.timeline.some((entry) => entry.ref === event.comment.id) ?? false;
        break;
      }
    }
    decision = decideCommands(facts);
  }

  if (decision.kind === 'skip') {
    if (decision.why) log.info({ comment: event.comment.id }, decision.why);
    // A redelivery found by GitHub's state is recorded, so the next one stops at the first gate.
    if (decision.reason === 'redelivery' && !facts.recorded) await coordination.handled.markDone(handledKey, HANDLED_TTL_MS);
    return { skipped: decision.reason, outcomes: [] };
  }
  const result = await runDecided(options, { decision, facts, configResult, issue, now, render, scope, react, coordination });
  await coordination.handled.markDone(handledKey, HANDLED_TTL_MS);
  return result;
}

/** How long a handled comment is remembered by the coordination (GitHub's state answers after that). */
const HANDLED_TTL_MS = 24 * 3_600_000;

interface Decided {
  decision: Exclude<CommentDecision, { kind: 'ask' } | { kind: 'skip' }>;
  facts: CommentFacts;
  configResult: ConfigResult | undefined;
  issue: IssueWithSnapshot | undefined;
  now: Date;
  render: Render;
  scope: StateScope;
  react: (content: ReactionContent) => Promise<unknown>;
  coordination: Pick<Coordination, 'labels'>;
}

async function runDecided<O extends CommandsOctokit>(options: RunCommandsOptions<O>, decided: Decided): Promise<RunCommandsResult> {
  const { octokit, event, log } = options;
  const { decision, facts, now, render, scope, react, coordination } = decided;
  const config = decided.configResult?.config ?? DEFAULT_CONFIG;
  const problems: ConfigProblem[] = decided.configResult?.problems ?? [];
  const outcomes: CommandOutcome[] = [];
  const nameOf = (line: CommandLine) => (line.kind === 'command' ? line.command.name : 'unknown');
  const { lines } = facts;

  if (decision.kind === 'rate-limited') {
    for (const line of lines) outcomes.push({ command: nameOf(line), outcome: 'refused' });
    log.warn({ actor: event.author.login, retryAfterSeconds: decision.retryAfterSeconds }, 'command rate limit reached');
    let reply: { id: number; html_url: string } | undefined;
    if (decision.reply) reply = await createComment(octokit, event.repo, event.issue.number, decision.reply, renderEventMarker({ type: 'refusal', at: now.toISOString(), actor: event.author.login, replyTo: event.comment.id }));
    await react('confused');
    return { outcomes, ...(reply ? { reply } : {}) };
  }
  const { permission, overrides } = decision;

  const session: IncidentSession = { issue: null, state: null, trust: 'none', dirty: false, entries: [], assign: [], unassign: [], addLabels: [] };
  if (decided.issue) session.issue = decided.issue;
  const read = readIncidentState((decided.issue ?? event.issue).body, scope);
  session.state = read.state;
  session.trust = read.trust;
  if (decided.issue && read.trust === 'forged') log.warn({ issue: event.issue.number }, 'state block not written by firewatch (seal does not match); not acting on it');

  const sections: string[] = [];
  // Lines past the limit are counted, not listed: 20,000 of them in the reply's marker made a body GitHub refused.
  let notRun = 0;
  for (const [index, line] of lines.entries()) {
    const name = nameOf(line);
    const gate = decideLine(line, { index, total: lines.length, permission, overrides, isIncident: session.state !== null, trust: session.trust ?? 'none', repo: facts.repo, issue: event.issue.number, author: event.author.login, now, timezone: config.timezone });
    if (gate.kind === 'stop') {
      sections.push(gate.reply);
      notRun = gate.notRun;
      break;
    }
    if (gate.kind === 'refuse') {
      sections.push(gate.reply);
      outcomes.push({ command: name, outcome: 'refused' });
      log.info({ command: name, permission, line: line.text }, 'command refused');
      continue;
    }
    if (line.kind !== 'command') continue;
    const context: CommandContext = { octokit, line, request: gate.request, event, permission, overrides, config, session, now, render, log, scope, labels: coordination.labels, identity: options.identity };
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
