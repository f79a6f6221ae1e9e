/**
 * Writes the CLI reference into docs/cli.md from the table `firewatch --help` and
 * `firewatch <command> --help` print. Part of `npm run schema`; CI fails when it is stale.
 */
import { fileURLToPath } from 'node:url';
import { COMMANDS, commandHelp } from '../src/runtimes/cli/main.ts';
import { cell, writeSection } from './docsFile.ts';

export function cliReference(): string {
  const table = ['| command | what it does |', '| --- | --- |', ...COMMANDS.map((command) => `| [\`firewatch ${command.name}\`](#firewatch-${command.name}) | ${cell(command.summary)} |`)];
  const sections = COMMANDS.map((command) => [`### firewatch ${command.name}`, '', '```text', commandHelp(command).trimEnd(), '```'].join('\n'));
  return [...table, '', ...sections.flatMap((section) => [section, ''])].join('\n').trimEnd();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeSection('docs/cli.md', 'cli-reference', cliReference());
}
