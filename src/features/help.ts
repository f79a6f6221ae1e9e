import { COMMANDS, findCommand, synopsis, type CommandSpec } from '../domain/commands.ts';
import { escapeInline, inlineCode } from '../domain/markdown.ts';
import { canRun, permissionRank, requiredPermission, type PermissionLevel, type PermissionOverrides } from '../domain/permissions.ts';
import type { Executor } from './commandContext.ts';

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
