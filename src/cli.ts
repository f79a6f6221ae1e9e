/**
 * Entry point of the `firewatch` command (bin/firewatch.js, `npm start`, `tsx src/cli.ts`). The
 * commands live in src/runtimes/cli/.
 */
import { pathToFileURL } from 'node:url';
import { runCli } from './runtimes/cli/main.ts';

export { main, runCli, untilStopped, type CliIO } from './runtimes/cli/main.ts';

// Run when executed directly (`tsx src/cli.ts`); bin/firewatch.js imports it and calls runCli.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli();
}
