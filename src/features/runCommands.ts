import type { Clock } from '../domain/clock.ts';
import { findCommand, synopsis, COMMANDS, type CommandName, type CommandSpec } from '../domain/commands.ts';
import type { ConfigProblem, ConfigResult } from '../domain/config.ts';
import { renderEventMarker } from '../domain/eventMarker.ts';
import { parseStateBlock, type IncidentState } from '../domain/incidentState.ts';
import { readLabels } from '../domain/labels.ts';
import { escapeInline, inlineCode } from '../domain/markdown.ts';
import { parseCommands, type CommandLine, type ParsedCommand } from '../domain/parseCommands.ts';
import { atLeast, canRun, permissionRank, requiredPermission, type PermissionLevel, type PermissionOverrides } from '../domain/permissions.ts';
import { addReaction } from '../github/addReaction.ts';
import { createComment } from '../github/createComment.ts';
import { getPermission } from '../github/getPermission.ts';
import type { OctokitWith, ReactionContent, RepoRef, RestIssues, RestReactions, RestRepos } from '../github/types.ts';
import { renderTemplate, type Render } from '../templates.ts';
import { configProblemsView } from './reportInvalidConfig.ts';
import type { Log } from './types.ts';

/** More command lines than this in one comment are refused: a flood is not a workflow. */
export const MAX_COMMANDS_PER_COMMENT = 10;

export type CommandsOctokit = OctokitWith<{
  issues: Pick<RestIssues, 'createComment'>;
  reactions: Pick<RestReactions, 'createForIssueComment'>;
  repos: Pick<RestRepos, 'getCollaboratorPermissionLevel'>;
}>;

/** The facts of an `issue_comment.created` delivery that commands need. */
export interface CommentEvent {
  repo: RepoRef;
  issue: { number: number; labels: string[]; body: string | null; isPullRequest: boolean };
  comment: { id: number; body: string };
  author: { login: string; type: string };
}

export interface RunCommandsOptions<O extends CommandsOctokit = CommandsOctokit> {
  octokit: O;
  event: CommentEvent;
  /** Reads `.github/firewatch.yml`; called only after the author is known to have some access. */
  loadConfig: (octokit: O, repo: RepoRef) => Promise<ConfigResult>;
  clock: Clock;
  log: Log;
  render?: Render;
}

export interface CommandOutcome {
  /** The command's name, or `unknown` for a word that is not a command. */
  command: string;
  outcome: 'ok' | 'refused';
}

export interface RunCommandsResult {
  /** Why nothing happened, when nothing did. */
  skipped?: 'bot' | 'no-commands';
  outcomes: CommandOutcome[];
  reply?: { id: number; html_url: string };
}

/** Everything a command's executor may look at; later commands add GitHub calls through `octokit`. */
export interface CommandContext<O extends CommandsOctokit = CommandsOctokit> {
  octokit: O;
  line: ParsedCommand;
  event: CommentEvent;
  permission: PermissionLevel;
  overrides: PermissionOverrides;
  /** The incident, when the issue is one. */
  incident: IncidentState | null;
  isIncident: boolean;
  now: Date;
  render: Render;
}

export type CommandResult = { ok: true; reply: string } | { ok: false; reply: string };
export type Executor = (context: CommandContext) => Promise<CommandResult>;

export function isBot(author: { login: string; type: string }): boolean {
  return author.type === 'Bot' || author.login.endsWith('[bot]');
}

export interface HelpView {
  permission: PermissionLevel;
  commands: { synopsis: string; aliases: string; summary: string; example: string }[];
  hidden: number;
  hiddenSingle: boolean;
  hiddenLevels: string;
  detail: {
    synopsis: string;
    aliases: string;
    help: string;
    permission: string;
    allowed: boolean;
    examples: readonly string[];
  } | null;
}

function aliasList(command: CommandSpec): string {
  return command.aliases.map((alias) => `\`/${alias}\``).join(', ');
}

/** The /help view for one user: only what they may run, from the command table. */
export function helpView(permission: PermissionLevel, overrides: PermissionOverrides, isIncident: boolean, detail?: CommandSpec): HelpView {
  const table: readonly CommandSpec[] = COMMANDS;
  const usable = table.filter((command) => canRun(permission, command, overrides));
  const hidden = table.filter((command) => !usable.includes(command));
  const levels = [...new Set(hidden.map((command) => requiredPermission(command, overrides)))].sort((a, b) => permissionRank(a) - permissionRank(b));
  return {
    permission,
    commands: usable.map((command) => ({
      synopsis: synopsis(command),
      aliases: aliasList(command),
      summary: escapeInline(command.summary) + (command.scope === 'incident' && !isIncident ? ' _(incident issues only)_' : ''),
      example: command.examples[0] ?? `/${command.name}`,
    })),
    hidden: hidden.length,
    hiddenSingle: hidden.length === 1,
    hiddenLevels: levels.map((level) => `**${level}**`).join(', '),
    detail: detail
      ? {
          synopsis: synopsis(detail),
          aliases: aliasList(detail),
          help: escapeInline(detail.help),
          permission: requiredPermission(detail, overrides),
          allowed: canRun(permission, detail, overrides),
          examples: detail.examples,
        }
      : null,
  };
}

const help: Executor = async ({ line, permission, overrides, isIncident, render }) => {
  const asked = line.args[0]?.replace(/^\//, '');
  if (asked === undefined) return { ok: true, reply: render('help', helpView(permission, overrides, isIncident)) };
  const command = findCommand(asked);
  if (!command) {
    return { ok: false, reply: `⚠️ \`/help\` does not know ${inlineCode(asked)}: there is no such command. Comment \`/help\` for the list of commands you can run.` };
  }
  return { ok: true, reply: render('help', helpView(permission, overrides, isIncident, command)) };
};

/** Executors by command name: a row in the command table without one here does not compile. */
export const EXECUTORS: Record<CommandName, Executor> = { help };

function refusal(line: CommandLine, context: { permission: PermissionLevel; overrides: PermissionOverrides; isIncident: boolean; event: CommentEvent }): string | undefined {
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
  if (command.scope === 'incident' && !context.isIncident) {
    return `⚠️ Cannot run \`/${command.name}\` here: #${context.event.issue.number} is not an incident issue. Run it in the incident's issue.`;
  }
  return undefined;
}

/**
 * Slash commands in a new issue comment: 👀 when seen; the author's permission checked first
 * (fail closed) before anything else is read; each command run in order; at most one reply
 * comment for the whole comment; 🚀 when a command ran, 😕 when one was refused.
 */
export async function runCommands<O extends CommandsOctokit>(options: RunCommandsOptions<O>): Promise<RunCommandsResult> {
  const { octokit, event, clock, log } = options;
  const render = options.render ?? renderTemplate;
  if (isBot(event.author)) return { skipped: 'bot', outcomes: [] };

  const incident = parseStateBlock(event.issue.body);
  const isIncident = readLabels(event.issue.labels).incident || incident !== null;
  // Outside incidents, words we do not know may belong to other tools: only our commands count.
  const lines = parseCommands(event.comment.body).filter((line) => isIncident || line.kind === 'command');
  if (lines.length === 0) return { skipped: 'no-commands', outcomes: [] };

  const reactions = new Set<ReactionContent>();
  const react = async (content: ReactionContent): Promise<void> => {
    if (reactions.has(content)) return;
    reactions.add(content);
    try {
      await addReaction(octokit, event.repo, event.comment.id, content);
    } catch (error) {
      // Feedback only: the reply still says what happened.
      log.warn({ err: error, content }, 'could not add a reaction');
    }
  };
  await react('eyes');

  const permission = await getPermission(octokit, event.repo, event.author.login);
  let config: ConfigResult | undefined;
  // No access at all: refuse before reading anything else of the repository.
  if (atLeast(permission, 'read')) config = await options.loadConfig(octokit, event.repo);
  const overrides: PermissionOverrides = config?.config.commands.permissions ?? {};
  const problems: ConfigProblem[] = config?.problems ?? [];

  const now = clock();
  const sections: string[] = [];
  const outcomes: CommandOutcome[] = [];
  for (const [index, line] of lines.entries()) {
    const name = line.kind === 'command' ? line.command.name : 'unknown';
    if (index >= MAX_COMMANDS_PER_COMMENT) {
      sections.push(`⚠️ Ran the first ${MAX_COMMANDS_PER_COMMENT} commands only; ${lines.length - MAX_COMMANDS_PER_COMMENT} more were ignored. Split them over several comments.`);
      for (const rest of lines.slice(index)) outcomes.push({ command: rest.kind === 'command' ? rest.command.name : 'unknown', outcome: 'refused' });
      break;
    }
    const refused = refusal(line, { permission, overrides, isIncident, event });
    if (refused !== undefined || line.kind === 'unknown') {
      sections.push(refused ?? '');
      outcomes.push({ command: name, outcome: 'refused' });
      log.info({ command: name, permission, line: line.text }, 'command refused');
      continue;
    }
    const executor = EXECUTORS[line.command.name as CommandName];
    const result = await executor({ octokit, line, event, permission, overrides, incident, isIncident, now, render });
    sections.push(result.reply.trim());
    outcomes.push({ command: name, outcome: result.ok ? 'ok' : 'refused' });
    log.info({ command: name, permission, outcome: result.ok ? 'ok' : 'refused' }, `command /${line.invokedAs}`);
  }

  const problemsText = problems.length ? configProblemsSection(problems, render) : '';
  const marker = renderEventMarker({
    type: 'command-reply',
    at: now.toISOString(),
    actor: event.author.login,
    command: outcomes.map((o) => o.command).join(','),
    ...(incident ? { incident: incident.id } : {}),
    replyTo: event.comment.id,
  });
  const text = [...sections.filter(Boolean), problemsText].filter(Boolean).join('\n\n---\n\n');
  const reply = await createComment(octokit, event.repo, event.issue.number, text, marker);

  if (outcomes.some((o) => o.outcome === 'ok')) await react('rocket');
  if (outcomes.some((o) => o.outcome === 'refused')) await react('confused');
  return { outcomes, reply };
}

function configProblemsSection(problems: readonly ConfigProblem[], render: Render): string {
  return render('config-problems', configProblemsView(problems));
}
