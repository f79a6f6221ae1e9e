import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest } from '../../domain/text/closest.ts';
import { parseConfigText } from '../../domain/config/config.ts';
import { connection, describeFailure, FAILED, USAGE_ERROR, type Values } from './support.ts';
import { EnvError } from '../../domain/errors/errors.ts';
import { SANDBOX_DEFAULT_REPO, SERVER_ENV_VARIABLES, formatEnvProblems, isLoopbackHost, parseEnv, sandboxExposureWarning, type FirewatchEnv } from '../env.ts';
import { VERSION } from '../version.ts';
import { IMPORT_DETAILS } from './importHelp.ts';

import type { Contacts } from '../../domain/paging/contacts.ts';
import type { CliIO } from './support.ts';

export type { CliIO } from './support.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  name: string;
  args: string;
  summary: string;
  options: Options;
  /** Extra lines for `firewatch <command> --help`. */
  details?: string[];
  /** Whether it takes arguments besides its flags (`validate-config FILE`, `postmortem render`). */
  positionals?: boolean;
  run(input: { values: Values; positionals: string[] }, io: CliIO): Promise<number>;
}

/**
 * Exit codes: 0 ok; 1 the thing checked is wrong (invalid config) or the work could not be done
 * (GitHub unreachable or refusing, a file not writable); 2 wrong usage or environment.
 */

/** Every subcommand: `firewatch --help`, `firewatch <command> --help` and docs/cli.md (`npm run schema`) are generated from it. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'serve',
    args: '[--sandbox | --github]',
    summary: 'Run firewatch: against GitHub when GitHub App credentials are set, else against the embedded sandbox.',
    options: { sandbox: { type: 'boolean', default: false }, github: { type: 'boolean', default: false } },
    details: [
      '--sandbox   use the embedded sandbox even if GitHub credentials are set',
      '--github    serve GitHub (also FIREWATCH_MODE=github): needed for token mode, since a GITHUB_TOKEN',
      '            alone is ignored (shells often carry one for other tools)',
      '',
      ...wrap(`Environment: ${SERVER_ENV_VARIABLES.join(', ')} (README.md, "Running it for real", says what each does).`, 100),
    ],
    run: ({ values }, io) => serve({ forceSandbox: values['sandbox'] === true, forceGitHub: values['github'] === true }, io),
  },
  {
    name: 'sandbox',
    args: '[--webhook-url URL]',
    summary: 'Run the embedded sandbox GitHub alone (no app) and print its URL, users and tokens.',
    options: { 'webhook-url': { type: 'string' } },
    details: ['--webhook-url URL   send its webhooks there (e.g. a firewatch started separately)'],
    run: ({ values }, io) => sandboxOnly(typeof values['webhook-url'] === 'string' ? values['webhook-url'] : undefined, io),
  },
  {
    name: 'demo',
    args: '[--app-url URL] [--sandbox-url URL] [--timeout SECONDS]',
    summary: 'A guided tour: play a whole incident in the sandbox that `npm start` runs, saying what happens and where to look.',
    options: { 'app-url': { type: 'string' }, 'sandbox-url': { type: 'string' }, timeout: { type: 'string' } },
    details: [
      '--app-url URL       firewatch (default http://127.0.0.1:$PORT, 3000)',
      '--sandbox-url URL   the sandbox (default http://127.0.0.1:$SANDBOX_PORT, 3001)',
      '--timeout SECONDS   how long each step waits for firewatch (default 30)',
      '',
      'Resets the sandbox to its seed world first. Alerts use FIREWATCH_ALERT_TOKEN (default sandbox-alerts).',
    ],
    run: async (input, io) => (await import('./demo.ts')).demoCli(input, io),
  },
  {
    name: 'validate-config',
    args: 'FILE [--contacts FILE]',
    summary: 'Check a .github/firewatch.yml file; print each problem with its path.',
    options: { contacts: { type: 'string' } },
    positionals: true,
    details: ['--contacts FILE   paging contacts (default FIREWATCH_CONTACTS_FILE or FIREWATCH_CONTACTS): warn about everyone on call or in an escalation step who cannot be paged'],
    run: ({ positionals, values }, io) => validateConfig(positionals, io, typeof values['contacts'] === 'string' ? values['contacts'] : undefined),
  },
  {
    name: 'postmortem',
    args: 'render --repo OWNER/NAME --issue N [--out FILE]',
    summary: "Preview an incident's postmortem file as /postmortem would write it (sandbox or GitHub).",
    options: { repo: { type: 'string' }, issue: { type: 'string' }, out: { type: 'string' }, 'api-url': { type: 'string' }, token: { type: 'string' } },
    positionals: true,
    details: ['--out FILE      write the file there instead of printing it', '--api-url URL   REST API base (default: GITHUB_TOKEN → api.github.com or GHE_HOST; else the sandbox on SANDBOX_PORT)', '--token TOKEN   token to read with (default: GITHUB_TOKEN; sandbox: sandbox-alice)'],
    run: async (input, io) => (await import('./postmortem.ts')).postmortemCli(input, io),
  },
  {
    name: 'oncall',
    args: '[--from D] [--to D] [--config FILE] [--ics [--name NAME]] [--out FILE]',
    summary: 'Print the on-call schedule as a table, or as an iCalendar file (--ics) to subscribe to.',
    options: { from: { type: 'string' }, to: { type: 'string' }, config: { type: 'string' }, ics: { type: 'boolean', default: false }, name: { type: 'string' }, out: { type: 'string' } },
    details: ['--from D       first day (YYYY-MM-DD or ISO date-time in the config time zone; default now)', '--to D         end, exclusive (default: four weeks after --from)', '--config FILE  the firewatch config (default .github/firewatch.yml)', '--ics          iCalendar instead of a table (--name: calendar name)', '--out FILE     write to FILE instead of standard output'],
    run: async (input, io) => (await import('./sweep.ts')).oncallCli(input, io),
  },
  {
    name: 'import',
    args: 'pagerduty|opsgenie (--from DIR | --key KEY) [--people FILE] [--out FILE]',
    summary: 'Bring PagerDuty or Opsgenie schedules and escalations into the oncall section, checked against their rendered schedules.',
    options: {
      from: { type: 'string' },
      key: { type: 'string' },
      people: { type: 'string' },
      schedule: { type: 'string' },
      policy: { type: 'string' },
      since: { type: 'string' },
      out: { type: 'string' },
      save: { type: 'string' },
      region: { type: 'string' },
      'api-url': { type: 'string' },
    },
    details: IMPORT_DETAILS,
    positionals: true,
    run: async (input, io) => (await import('./import.ts')).importCli(input, io),
  },
  {
    name: 'sweep',
    args: '[--now ISO] [--dry-run] [--repo OWNER/NAME] [--config FILE]',
    summary: 'Run one scheduled sweep (ack SLOs, reminders, reviews, handoffs): print the plan, then post it.',
    options: { now: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, repo: { type: 'string' }, config: { type: 'string' }, 'api-url': { type: 'string' }, token: { type: 'string' } },
    details: ['--now ISO           sweep as if it were that time (default: now)', '--dry-run           print what would be posted; post nothing', '--repo OWNER/NAME   incident repository (default FIREWATCH_REPO, else acme/shop)', "--config FILE       use this config instead of the repository's .github/firewatch.yml", '--api-url URL       REST API base (default: GITHUB_TOKEN → api.github.com or GHE_HOST; else the sandbox on SANDBOX_PORT)', '--token TOKEN       token to act with (default: GITHUB_TOKEN; sandbox: sandbox-alice)'],
    run: async (input, io) => (await import('./sweep.ts')).sweepCli(input, io),
  },
  {
    name: 'report',
    args: '[--since 90d] [--repo OWNER/NAME[,...]] [--out DIR]',
    summary: 'Write incident metrics (MTTA, MTTR, SLO breaches, postmortems, rollbacks) as Markdown with SVG charts and CSV.',
    options: { since: { type: 'string' }, repo: { type: 'string' }, out: { type: 'string' }, 'api-url': { type: 'string' }, token: { type: 'string' } },
    details: ['--since D           period start: a length back from now (90d, 12w, 48h) or a date (2026-01-01); default 90d', '--repo OWNER/NAME   incident repositories, comma-separated (default FIREWATCH_REPO, else acme/shop)', '--out DIR           where report.md, incidents.csv, summary.csv and charts/ go (default firewatch-report)', '--api-url URL       REST API base (default: GITHUB_TOKEN → api.github.com or GHE_HOST; else the sandbox on SANDBOX_PORT)', '--token TOKEN       token to read with (default: GITHUB_TOKEN; sandbox: sandbox-alice)'],
    run: async (input, io) => (await import('./report.ts')).reportCli(input, io),
  },
  {
    name: 'statuspage',
    args: 'build --out DIR [--repo OWNER/NAME] [--title TEXT] [--services a,b] [--url URL]',
    summary: 'Build the public status page (HTML, Atom feed, JSON) from incident issues, for any static host.',
    options: { out: { type: 'string' }, repo: { type: 'string' }, title: { type: 'string' }, services: { type: 'string' }, url: { type: 'string' }, 'api-url': { type: 'string' }, token: { type: 'string' } },
    positionals: true,
    details: ['--out DIR           where index.html, feed.atom and status.json go', '--repo OWNER/NAME   incident repository (default FIREWATCH_REPO, else acme/shop)', '--title TEXT        page title (default "<owner> status")', '--services a,b      services always listed, even without incidents', '--url URL           where the page is served, for absolute links in the feed', '--api-url URL       REST API base (default: GITHUB_TOKEN → api.github.com or GHE_HOST; else the sandbox on SANDBOX_PORT)', '--token TOKEN       token to read with (default: GITHUB_TOKEN; sandbox: sandbox-alice)'],
    run: async (input, io) => (await import('./statusPage.ts')).statusPageCli(input, io),
  },
];

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(helpText());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === first);
  if (!command) {
    const guess = closest(first, COMMANDS.map((candidate) => candidate.name));
    io.stderr.write(`error: unknown command "${first}"${guess ? `; did you mean "firewatch ${guess}"?` : ''} (firewatch --help lists the commands)\n`);
    return USAGE_ERROR;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`error: ${flagProblem(command, error)}\n`);
    return USAGE_ERROR;
  }
  if (!command.positionals && parsed.positionals.length > 0) {
    io.stderr.write(`error: firewatch ${command.name} takes no arguments, only flags: "${parsed.positionals.join(' ')}" is left over (firewatch ${command.name} --help)\n`);
    return USAGE_ERROR;
  }
  try {
    return await command.run(parsed, io);
  } catch (error) {
    // Expected failures (GitHub unreachable or refusing, a file not writable) in one line; anything else is a bug and keeps its stack.
    const line = describeFailure(error, connection(parsed.values, io.env));
    if (line === undefined) throw error;
    io.stderr.write(`error: ${line}\n`);
    return FAILED;
  }
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return line === '' ? lines : [...lines, line];
}

/** One line for what `parseArgs` refused: the flag, what is wrong with it, and the likely intended one. */
function flagProblem(command: Command, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  const flag = /'(-{1,2}[^'\s=]+)/.exec(message)?.[1] ?? '';
  const names = Object.keys(command.options).map((name) => `--${name}`);
  const known = names.length > 0 ? `it takes ${names.join(', ')}` : 'it takes no flags';
  const help = `firewatch ${command.name} --help`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const guess = closest(flag.replace(/^-+/, ''), Object.keys(command.options));
    return `unknown flag ${flag} for firewatch ${command.name}${guess ? `; did you mean --${guess}?` : ` (${known})`} (${help})`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = command.options[flag.replace(/^-+/, '')];
    return option?.type === 'boolean' ? `${flag} is a switch and takes no value (${help})` : `${flag} needs a value (${help})`;
  }
  return `${message} (${help})`;
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'firewatch — GitHub-native incident response',
    '',
    'Usage: firewatch <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also: firewatch <command> --help)',
    '  -v, --version  print the version',
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  return [`Usage: firewatch ${command.name} ${command.args}`.trimEnd(), '', command.summary, ...(command.details ? ['', ...command.details] : []), ''].join('\n');
}

function readEnv(io: CliIO, mode: { forceSandbox?: boolean; forceGitHub?: boolean }): FirewatchEnv | undefined {
  try {
    return parseEnv(io.env, mode);
  } catch (error) {
    if (error instanceof EnvError) {
      io.stderr.write(`${formatEnvProblems(error)}\n`);
      return undefined;
    }
    throw error;
  }
}

async function serve(mode: { forceSandbox: boolean; forceGitHub: boolean }, io: CliIO): Promise<number> {
  const env = readEnv(io, mode);
  if (!env) return USAGE_ERROR;
  for (const notice of env.notices) io.stderr.write(`${notice}\n`);
  const intake = {
    ...(env.alertToken ? { token: env.alertToken } : {}),
    ...(env.alertSecret ? { secret: env.alertSecret } : {}),
    ...(env.grafanaSecret ? { grafanaSecret: env.grafanaSecret } : {}),
    ...(env.sentrySecret ? { sentrySecret: env.sentrySecret } : {}),
    ...(env.pagerdutyKeys.length ? { pagerdutyKeys: env.pagerdutyKeys } : {}),
    ...(env.opsgenieKeys.length ? { opsgenieKeys: env.opsgenieKeys } : {}),
  };
  const logging = { logLevel: env.logLevel, logFormat: env.logFormat };

  // Loaded on demand so `--help` and `validate-config` do not pay for Probot and the sandbox.
  const [{ renderBanner }, { startSandboxed }, { startServer }] = await Promise.all([
    import('./banner.ts'),
    import('../sandbox/startSandboxed.ts'),
    import('../server/startServer.ts'),
  ]);
  return withPortErrors(io, async () => {
    if (env.mode === 'sandbox') {
      const running = await startSandboxed({
        port: env.port,
        host: env.host,
        sandboxPort: env.sandboxPort,
        intake,
        ...(env.repo ? { repo: env.repo } : {}),
        // A newcomer sees what GitHub would do: its rate limits, and firewatch pacing itself under them.
        limits: { preset: 'github' },
        ...logging,
      });
      io.stdout.write(`firewatch ${VERSION} in sandbox mode (${env.modeReason})\n`);
      io.stdout.write(renderBanner({ appUrl: running.server.url, alertToken: running.intake.token, sandbox: running.sandbox, repo: running.repo }));
      if (!isLoopbackHost(env.host)) io.stderr.write(`\n${sandboxExposureWarning(env.host, running.server.port)}\n\n`);
      io.stdout.write('firewatch ready\n');
      const signal = await io.untilStopped();
      io.stdout.write(`${signal}: shutting down\n`);
      await running.close();
      return 0;
    }

    const credentials = env.github;
    if (!credentials) throw new Error('GitHub mode without credentials (parseEnv should have refused)');
    const server = await startServer({
      mode: 'github',
      credentials,
      port: env.port,
      host: env.host,
      intake,
      ...(env.repo ? { defaultRepo: env.repo } : {}),
      ...logging,
    });
    io.stdout.write(
      [
        `firewatch ${VERSION} in GitHub mode (${env.modeReason}; ${credentials.kind === 'app' ? `GitHub App ${credentials.appId}` : 'token auth'} at ${credentials.baseUrl ?? 'https://api.github.com'})`,
        `  listening ${env.host}:${server.port}${isLoopbackHost(env.host) ? ' (this machine only)' : ' (reachable from other machines; HOST narrows it)'}`,
        `  webhooks  ${server.webhookUrl}`,
        `  alerts    ${server.url}/alerts/{source}${intake.token || intake.secret ? '' : '  (closed: set FIREWATCH_ALERT_TOKEN or FIREWATCH_ALERT_SECRET)'}`,
        `  health    ${server.url}/healthz`,
        `  metrics   ${server.url}/metrics`,
        'firewatch ready',
        '',
      ].join('\n'),
    );
    const signal = await io.untilStopped();
    io.stdout.write(`${signal}: shutting down\n`);
    await server.close();
    return 0;
  });
}

async function sandboxOnly(webhookUrl: string | undefined, io: CliIO): Promise<number> {
  const env = readEnv(io, { forceSandbox: true });
  if (!env) return USAGE_ERROR;
  if (webhookUrl !== undefined && !URL.canParse(webhookUrl)) {
    io.stderr.write(`error: --webhook-url "${webhookUrl}" is not a URL\n`);
    return USAGE_ERROR;
  }
  const [{ renderBanner }, { Sandbox }] = await Promise.all([import('./banner.ts'), import('@firewatch/sandbox')]);
  return withPortErrors(io, async () => {
    const webhookSecret = randomBytes(24).toString('hex');
    const sandbox = await Sandbox.start({ port: env.sandboxPort, host: '127.0.0.1', webhookSecret, ...(webhookUrl ? { webhookUrl } : {}) });
    // So a separately started `firewatch serve` can authenticate as the sandbox's app.
    const keyPath = join(tmpdir(), `firewatch-sandbox-${new URL(sandbox.url).port}.pem`);
    writeFileSync(keyPath, sandbox.privateKey, { mode: 0o600 });
    chmodSync(keyPath, 0o600);
    const host = new URL(sandbox.url).host;
    io.stdout.write(`firewatch sandbox ${VERSION}\n`);
    io.stdout.write(renderBanner({ sandbox, repo: env.repo ?? SANDBOX_DEFAULT_REPO }));
    io.stdout.write(
      [
        '',
        `  Webhooks go to: ${webhookUrl ?? 'nowhere yet (logged only; pass --webhook-url)'}`,
        '  To run the app against this sandbox in GitHub mode:',
        `    GHE_HOST=${host} GHE_PROTOCOL=http APP_ID=${sandbox.appId} PRIVATE_KEY_PATH=${keyPath} WEBHOOK_SECRET=${webhookSecret} \\`,
        `    FIREWATCH_REPO=${SANDBOX_DEFAULT_REPO.owner}/${SANDBOX_DEFAULT_REPO.repo} FIREWATCH_ALERT_TOKEN=${randomBytes(12).toString('hex')} firewatch serve`,
        ...(webhookUrl ? [] : ['    (and start this sandbox with --webhook-url http://127.0.0.1:3000/api/github/webhooks so the app receives events)']),
        '',
        'firewatch ready',
        '',
      ].join('\n'),
    );
    const signal = await io.untilStopped();
    io.stdout.write(`${signal}: shutting down\n`);
    await sandbox.close();
    rmSync(keyPath, { force: true });
    return 0;
  });
}

async function validateConfig(positionals: string[], io: CliIO, contactsFile?: string): Promise<number> {
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    io.stderr.write(`error: validate-config takes exactly one FILE (usage: firewatch validate-config .github/firewatch.yml)\n`);
    return USAGE_ERROR;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    io.stderr.write(`error: cannot read ${file}: ${unreadable(error)}\n`);
    return USAGE_ERROR;
  }
  const { problems, config } = parseConfigText(text);
  const { onCallWarnings, formatWarnings } = await import('./sweep.ts');
  io.stdout.write(formatWarnings(onCallWarnings(config, new Date())));
  const contacts = await readContacts(io, contactsFile);
  if (contacts === 'unreadable') return USAGE_ERROR;
  if (contacts) {
    const { missingContactLines, missingContacts } = await import('../../domain/paging/contactWarnings.ts');
    const lines = missingContactLines(missingContacts(config.oncall, contacts));
    if (lines.length) io.stdout.write([`${lines.length} paging ${lines.length === 1 ? 'warning' : 'warnings'}:`, ...lines.map((line) => `  warning ${line}`), ''].join('\n'));
  }
  if (problems.length === 0) {
    io.stdout.write(`ok: ${file} is valid\n`);
    return 0;
  }
  const rows = problems.map((problem) => [problem.path || '(root)', problem.message]);
  const pathWidth = Math.max('path'.length, ...rows.map(([path]) => (path ?? '').length));
  const line = (path: string, message: string) => `${path.padEnd(pathWidth)} | ${message}`.trimEnd();
  io.stdout.write(
    [
      `${file}: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`,
      '',
      line('path', 'message'),
      line('-'.repeat(pathWidth), '-------'),
      ...rows.map(([path, message]) => line(path ?? '', message ?? '')),
      '',
    ].join('\n'),
  );
  return 1;
}

/** Why a file could not be read, in a few words. */
function unreadable(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : error instanceof Error ? error.message : String(error);
}

/** The paging contacts to check the config against: `--contacts FILE`, else the environment; none is fine. */
async function readContacts(io: CliIO, file: string | undefined): Promise<Contacts | null | 'unreadable'> {
  const { parseContacts } = await import('../../domain/paging/contacts.ts');
  const path = file ?? (io.env['FIREWATCH_CONTACTS_FILE']?.trim() || undefined);
  let text = path ? undefined : io.env['FIREWATCH_CONTACTS']?.trim() || undefined;
  if (path) {
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      io.stderr.write(`error: cannot read the contacts file ${path}: ${unreadable(error)}\n`);
      return 'unreadable';
    }
  }
  if (text === undefined) return null;
  const { contacts, problems } = parseContacts(text);
  // Paths only: the values are phone numbers and addresses.
  for (const problem of problems) io.stdout.write(`  warning contacts ${problem.path || '(root)'}: ${problem.message}; that entry is left out\n`);
  return contacts;
}

async function withPortErrors(io: CliIO, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      const port = 'port' in error ? String(error.port) : '?';
      io.stderr.write(`error: port ${port} is already in use; set PORT / SANDBOX_PORT to free ports (or stop the other process)\n`);
      return 1;
    }
    throw error;
  }
}

/** SIGINT/SIGTERM end a long-running command cleanly; a second signal forces the exit. */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export async function runCli(argv = process.argv.slice(2)): Promise<void> {
  let stopped = false;
  const stoppable = async () => {
    const signal = await untilStopped();
    stopped = true;
    return signal;
  };
  try {
    process.exitCode = await main(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, untilStopped: stoppable });
  } catch (error) {
    process.stderr.write(`firewatch failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
  // A stopped server has shut down within its bound and said what it left undone; work it gave up
  // on (a GitHub request of an interrupted batch, a slow receiver) must not keep the process alive.
  if (stopped) process.exit();
}
