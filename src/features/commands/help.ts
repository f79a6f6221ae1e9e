import { COMMANDS, findCommand, synopsis, type CommandSpec } from '../../domain/commands/commands.ts';
import { inlineCode } from '../../domain/text/markdown.ts';
import { canRun, permissionRank, requiredPermission, type PermissionLevel, type PermissionOverrides } from '../../domain/commands/permissions.ts';
import type { Executor } from './commandContext.ts';

/**
 * What `templates/help.md.hbs` renders, generated from the command table (`COMMANDS`). Every value
 * is Markdown: synopses and examples as inline code, summaries and help as the table wrote them
 * (they are ours, with their own `code` spans); the template puts table cells through `{{cell}}`.
 */
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
  return command.aliases.map((alias) => inlineCode(`/${alias}`)).join(', ');
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
      synopsis: inlineCode(synopsis(command)),
      aliases: aliasList(command),
      summary: command.summary + (command.scope === 'incident' && !isIncident ? ' _(incident issues only)_' : ''),
      example: inlineCode(command.examples[0] ?? `/${command.name}`),
    })),
    hidden: hidden.length,
    hiddenSingle: hidden.length === 1,
    hiddenLevels: levels.map((level) => `**${level}**`).join(', '),
    detail: detail
      ? {
          synopsis: inlineCode(synopsis(detail)),
          aliases: aliasList(detail),
          help: detail.help,
          permission: requiredPermission(detail, overrides),
          allowed: canRun(permission, detail, overrides),
          examples: detail.examples.map((example) => inlineCode(example)),
        }
      : null,
  };
}

/** `/help [command]`: the commands this user may run here, or one command explained. */
export const help: Executor = async ({ request, permission, overrides, session, render }) => {
  const isIncident = session.state !== null;
  const asked = request.name === 'help' ? request.topic?.replace(/^\//, '') : undefined;
  if (asked === undefined) return { ok: true, reply: render('help', helpView(permission, overrides, isIncident)) };
  const command = findCommand(asked);
  if (!command) {
    return { ok: false, reply: `⚠️ \`/help\` does not know ${inlineCode(asked)}: there is no such command. Comment \`/help\` for the list of commands you can run.` };
  }
  return { ok: true, reply: render('help', helpView(permission, overrides, isIncident, command)) };
};
