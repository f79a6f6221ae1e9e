import type { FirewatchConfig } from '../../domain/config/config.ts';
import type { IncidentState, StateTrust, TimelineEntry } from '../../domain/incident/incidentState.ts';
import type { PermissionLevel, PermissionOverrides } from '../../domain/commands/permissions.ts';
import type { IssueSnapshot } from '../../domain/incident/planIssueUpdate.ts';
import type { CommandRequest } from '../../domain/commands/readCommand.ts';
import type { ParsedCommand } from '../../domain/commands/parseCommands.ts';
import { transition, type IncidentCommand } from '../../domain/incident/transition.ts';
import type { OctokitWith, RepoRef, RestIssues, RestReactions, RestRepos } from '../../adapters/github/types.ts';
import type { Render } from '../../adapters/templates/templates.ts';
import type { Log } from '../../services/log.ts';
import type { StateScope } from '../../domain/incident/stateSeal.ts';
import type { LabelCache } from '../../adapters/github/ensureLabels.ts';
import type { Identity } from '../../services/identity.ts';

/** Every GitHub call a command may make; each executor documents which it uses. */
export type CommandsOctokit = OctokitWith<{
  issues: Pick<RestIssues, 'createComment' | 'get' | 'update' | 'create' | 'checkUserCanBeAssigned' | 'listLabelsForRepo' | 'createLabel' | 'updateLabel'>;
  reactions: Pick<RestReactions, 'createForIssueComment' | 'listForIssueComment'>;
  repos: Pick<RestRepos, 'getCollaboratorPermissionLevel'>;
}>;

/** The facts of an `issue_comment.created` delivery that commands need. */
export interface CommentEvent {
  repo: RepoRef;
  issue: { number: number; labels: string[]; body: string | null; isPullRequest: boolean };
  comment: { id: number; body: string };
  author: { login: string; type: string };
}

/**
 * The incident as the commands of one comment see it: fetched once, changed in memory command by
 * command, written once at the end (plan, diff, write).
 */
export interface IncidentSession {
  /** The issue as GitHub had it when the comment was handled (what the plan is diffed against). */
  issue: (IssueSnapshot & { number: number; html_url: string; isPullRequest: boolean }) | null;
  state: IncidentState | null;
  /** How far the issue's state block was trusted when read: `forged` means it was there but not firewatch's, so `state` is null. */
  trust?: StateTrust;
  /** Whether `state` changed and must be written. */
  dirty: boolean;
  entries: TimelineEntry[];
  assign: string[];
  unassign: string[];
  addLabels: string[];
  /** Reminder keys settled by these commands (`escalation-N`), carried by the reply's marker so sweeps skip them. */
  reminders?: string[];
  /** A new title (an issue becoming an incident); otherwise only the severity prefix follows the state. */
  title?: string;
}

export interface CommandContext {
  octokit: CommandsOctokit;
  line: ParsedCommand;
  request: CommandRequest;
  event: CommentEvent;
  permission: PermissionLevel;
  overrides: PermissionOverrides;
  config: FirewatchConfig;
  session: IncidentSession;
  now: Date;
  render: Render;
  log: Log;
  /** Seals what is written, verifies what is read (the incident's repository). */
  scope: StateScope;
  /** Repositories whose contract labels exist (the process's `Coordination`). */
  labels: LabelCache;
  /** Who firewatch is: only its own comments' markers are its state. */
  identity: Identity;
}

export type CommandResult = { ok: boolean; reply: string };
export type Executor = (context: CommandContext) => Promise<CommandResult>;

/** Runs one state change on the session (nothing is written yet); a refusal leaves it untouched. */
export function applyChange(context: CommandContext, command: IncidentCommand): CommandResult {
  const { session } = context;
  if (!session.state) return { ok: false, reply: `⚠️ #${context.event.issue.number} is not an incident issue.` };
  const result = transition(session.state, command, {
    actor: context.event.author.login,
    now: context.now,
    via: 'command',
    ref: context.event.comment.id,
    timezone: context.config.timezone,
  });
  if (!result.ok) return { ok: false, reply: `⚠️ \`/${context.line.invokedAs}\`: ${result.message}` };
  session.state = result.state;
  session.dirty = true;
  session.entries.push(...result.entries);
  session.assign.push(...result.assign);
  session.unassign = session.unassign.filter((login) => !result.assign.includes(login));
  session.unassign.push(...result.unassign);
  session.assign = session.assign.filter((login) => !result.unassign.includes(login));
  session.addLabels.push(...result.addLabels);
  return { ok: true, reply: result.message };
}
