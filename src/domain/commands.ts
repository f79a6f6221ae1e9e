import type { RequirableLevel } from './permissions.ts';

/**
 * One row per slash command. The parser, the permission check and `/help` all read this table,
 * so a command exists for users exactly when it has a row here. Only commands that work have one.
 */
export interface CommandSpec {
  name: string;
  aliases: readonly string[];
  /** Argument synopsis as shown in help, e.g. `[command]` or `P1..P5 [reason]`. */
  args: string;
  /** Default minimum permission; `.github/firewatch.yml` `commands.permissions` may override it. */
  permission: RequirableLevel;
  /** One line for the /help table. */
  summary: string;
  /** Longer explanation for `/help <command>`. */
  help: string;
  /** Complete comment lines that run the command; the parser is tested against every one. */
  examples: readonly string[];
  /** `any`: works on every issue and pull request; `incident`: only on incident issues. */
  scope: 'any' | 'incident';
}

export const COMMANDS = [
  {
    name: 'help',
    aliases: [],
    args: '[command]',
    permission: 'read',
    summary: 'List the commands you may run here, or explain one command.',
    help: 'Without an argument, lists every command your permission on this repository allows, with examples. With a command name, explains that command, its arguments and who may run it.',
    examples: ['/help', '/help help'],
    scope: 'any',
  },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof COMMANDS)[number]['name'];
export const COMMAND_NAMES = COMMANDS.map((command) => command.name) as [CommandName, ...CommandName[]];

/** A command by its name or one of its aliases, case-insensitively. */
export function findCommand(word: string, table: readonly CommandSpec[] = COMMANDS): CommandSpec | undefined {
  const wanted = word.toLowerCase();
  return table.find((command) => command.name === wanted || command.aliases.includes(wanted));
}

/** Every word that invokes a command (names and aliases), for typo suggestions. */
export function commandWords(table: readonly CommandSpec[] = COMMANDS): string[] {
  return table.flatMap((command) => [command.name, ...command.aliases]);
}

/** `/help [command]` */
export function synopsis(command: CommandSpec): string {
  return command.args ? `/${command.name} ${command.args}` : `/${command.name}`;
}
