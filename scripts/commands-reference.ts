/**
 * Writes the slash-command reference into docs/commands.md from the command table the parser,
 * permission check and /help read. Part of `npm run schema`; CI fails when it is stale.
 */
import { fileURLToPath } from 'node:url';
import { COMMANDS, synopsis } from '../src/domain/commands/commands.ts';
import { cell, writeSection } from './docsFile.ts';

export function commandsReference(): string {
  const rows = COMMANDS.map((command) => {
    const aliases = command.aliases.length ? ` (${command.aliases.map((a) => `\`/${a}\``).join(', ')})` : '';
    const example = command.examples[0] ? `\`${command.examples[0]}\`` : '';
    return `| \`${cell(synopsis(command))}\`${aliases} | ${command.permission} | ${cell(command.summary)} | ${cell(example)} |`;
  });
  return ['| command | needs | what it does | example |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeSection('docs/commands.md', 'commands-reference', commandsReference());
}
