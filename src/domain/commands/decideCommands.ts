import { inlineCode, escapeInline } from '../text/markdown.ts';
import type { StateTrust } from '../incident/incidentState.ts';
import type { CommandLine } from './parseCommands.ts';
import { atLeast, canRun, requiredPermission, type PermissionLevel, type PermissionOverrides } from './permissions.ts';
import type { RateDecision, RateLimit } from './rateLimit.ts';
import { readCommand, type CommandRequest } from './readCommand.ts';

/** More command lines than this in one comment are refused: a flood is not a workflow. */
export const MAX_COMMANDS_PER_COMMENT = 10;

/** How a rate-limit refusal starts: the Action's limit counts firewatch's earlier replies by it. */
export const SLOW_DOWN = '⏳ Slow down:';

/**
 * What is known about a comment so far. The gates run in order and each asks for the one fact it
 * needs next, so nothing is read from GitHub before the gate in front of it has passed (no access:
 * the configuration is never read; no command: not even the permission is asked).
 */
export interface CommentFacts {
  author: string;
  repo: string;
  /** The comment is firewatch's own (`Identity.isOwnActor`). */
  ownActor: boolean;
  /** Command lines in the comment (outside incidents, only firewatch's own command words). */
  lines: readonly CommandLine[];
  /** The coordination recorded the comment as handled by an earlier delivery. */
  recorded?: boolean;
  /** Our 👀 on the comment: whether it was already there, and whether our 🚀 or 😕 was too. */
  seen?: { before: boolean; answered: boolean };
  permission?: PermissionLevel;
  /** The repository's command settings; read only once the author has at least read access. */
  config?: { rateLimit: RateLimit; overrides: PermissionOverrides };
  /** The author's rate limit, taken for this comment's counted lines. */
  rate?: RateDecision;
  /** Whether the incident's timeline (read fresh from GitHub) already records this comment. */
  inTimeline?: boolean;
}

/** A fact the next gate needs; the caller reads it and asks again. */
export type CommentFact = 'recorded' | 'seen' | 'permission' | 'config' | 'rate' | 'issue';

export type CommentDecision =
  | { kind: 'ask'; fact: CommentFact }
  /** Nothing to do; `why` is the log line (none for the two ordinary cases). */
  | { kind: 'skip'; reason: 'own' | 'no-commands' | 'redelivery'; why?: string }
  /** Every line refused by the rate limit; `reply` unless the author was already told in this window. */
  | { kind: 'rate-limited'; retryAfterSeconds: number; reply?: string }
  | { kind: 'run'; permission: PermissionLevel; overrides: PermissionOverrides };

/** How many lines of the comment count against the rate limit (lines past the cap never run). */
export function countedLines(facts: Pick<CommentFacts, 'lines'>): number {
  return Math.min(facts.lines.length, MAX_COMMANDS_PER_COMMENT);
}

/**
 * Whether running the comment needs the issue fresh from GitHub: some line is a command the author
 * may run, other than `/help` (which reads nothing of the issue).
 */
function needsIssue(lines: readonly CommandLine[], permission: PermissionLevel, overrides: PermissionOverrides): boolean {
  return lines.some((line) => line.kind === 'command' && line.command.name !== 'help' && canRun(permission, line.command, overrides));
}

/**
 * The comment-level gates, in order: own comment → recorded by the coordination → any commands →
 * answered by an earlier delivery (our reactions) → permission → (with read access) configuration
 * and rate limit → recorded in the incident's timeline. Pure: the caller gathers the fact asked for
 * and calls again until the answer is not `ask`.
 */
export function decideCommands(facts: CommentFacts): CommentDecision {
  if (facts.ownActor) return { kind: 'skip', reason: 'own' };
  if (facts.recorded === undefined) return { kind: 'ask', fact: 'recorded' };
  if (facts.recorded) return { kind: 'skip', reason: 'redelivery', why: 'comment already handled (coordination); not running its commands again' };
  if (facts.lines.length === 0) return { kind: 'skip', reason: 'no-commands' };
  if (facts.seen === undefined) return { kind: 'ask', fact: 'seen' };
  if (facts.seen.before && facts.seen.answered) return { kind: 'skip', reason: 'redelivery', why: 'comment already handled by an earlier delivery; not running its commands again' };
  if (facts.permission === undefined) return { kind: 'ask', fact: 'permission' };
  const { permission } = facts;
  // Without read access the defaults apply (the configuration is not read).
  let overrides: PermissionOverrides = {};
  // No access at all: refuse before reading anything else of the repository.
  if (atLeast(permission, 'read')) {
    if (facts.config === undefined) return { kind: 'ask', fact: 'config' };
    overrides = facts.config.overrides;
    if (facts.rate === undefined) return { kind: 'ask', fact: 'rate' };
    if (!facts.rate.ok) {
      const { max, windowSeconds } = facts.config.rateLimit;
      const { retryAfterSeconds } = facts.rate;
      // Tell them once per window; answering every comment of a flood would be a flood too.
      if (facts.rate.alreadyTold) return { kind: 'rate-limited', retryAfterSeconds };
      const reply = `${SLOW_DOWN} ${escapeInline(`@${facts.author}`)} ran more than ${max} commands in ${windowSeconds} seconds, so none of these ran. Try again in ${retryAfterSeconds} seconds. Further commands until then get only 😕.`;
      return { kind: 'rate-limited', retryAfterSeconds, reply };
    }
  }
  if (needsIssue(facts.lines, permission, overrides)) {
    if (facts.inTimeline === undefined) return { kind: 'ask', fact: 'issue' };
    // Only a comment we had seen before can be in the timeline already: a redelivery.
    if (facts.seen.before && facts.inTimeline) return { kind: 'skip', reason: 'redelivery', why: 'comment already recorded in the incident timeline; not running its commands again' };
  }
  return { kind: 'run', permission, overrides };
}

/** What is known when one line comes up (the incident may have been declared by an earlier line). */
export interface LineFacts {
  /** The line's position in the comment (0-based) and how many lines the comment has. */
  index: number;
  total: number;
  permission: PermissionLevel;
  overrides: PermissionOverrides;
  /** An incident is open on the issue now. */
  isIncident: boolean;
  trust: StateTrust;
  repo: string;
  issue: number;
  author: string;
  now: Date;
  timezone: string;
}

export type LineDecision =
  | { kind: 'run'; request: CommandRequest }
  | { kind: 'refuse'; reply: string }
  /** The per-comment cap is reached: this line and the `notRun` after it are counted, not run. */
  | { kind: 'stop'; reply: string; notRun: number };

/**
 * The line-level gates, in order: per-comment cap → a firewatch command → permission → state block
 * not forged → run inside an incident (for incident commands) → arguments valid. Pure.
 */
export function decideLine(line: CommandLine, facts: LineFacts): LineDecision {
  if (facts.index >= MAX_COMMANDS_PER_COMMENT) {
    const more = facts.total - MAX_COMMANDS_PER_COMMENT;
    return { kind: 'stop', notRun: more, reply: `⚠️ …and ${more.toLocaleString('en-US')} more command ${more === 1 ? 'line was' : 'lines were'} not run: at most ${MAX_COMMANDS_PER_COMMENT} run per comment. Split them over several comments.` };
  }
  if (line.kind === 'unknown') {
    const suggestion = line.suggestion ? ` Did you mean \`/${line.suggestion}\`?` : '';
    return { kind: 'refuse', reply: `⚠️ ${inlineCode(`/${line.invokedAs}`)} is not a firewatch command.${suggestion} Comment \`/help\` to see the commands you can run.` };
  }
  const { command } = line;
  if (!canRun(facts.permission, command, facts.overrides)) {
    const need = requiredPermission(command, facts.overrides);
    return { kind: 'refuse', reply: `⚠️ Cannot run \`/${command.name}\`: it needs **${need}** access to ${escapeInline(facts.repo)} and you have **${facts.permission}**. Ask someone with ${need} access to run it, or a maintainer to grant you access.` };
  }
  if (command.scope === 'incident' && !facts.isIncident && facts.trust === 'forged') {
    return { kind: 'refuse', reply: `⚠️ Cannot run \`/${command.name}\`: the hidden state block of #${facts.issue} was changed outside firewatch (its seal does not match), so firewatch does not act on it. firewatch puts its own last version back when it sees such an edit; if it has not, restore the block from the body's edit history, or ask a maintainer.` };
  }
  if (command.scope === 'incident' && !facts.isIncident) {
    return { kind: 'refuse', reply: `⚠️ Cannot run \`/${command.name}\` here: #${facts.issue} is not an incident issue. Run it in the incident's issue, or declare one with \`/incident\`.` };
  }
  const read = readCommand(line, { author: facts.author, now: facts.now, timezone: facts.timezone });
  if (!read.ok) return { kind: 'refuse', reply: `⚠️ ${read.message}` };
  return { kind: 'run', request: read.request };
}
