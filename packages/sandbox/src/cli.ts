/**
 * `github-sandbox`: the sandbox on its own, for any GitHub App. Starts it on loopback, writes the
 * embedded App's private key to a file, prints where everything is and how to point an app at it,
 * and runs until SIGINT/SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { fixtureSchema, type Fixture } from './fixture.ts';
import { FixtureError } from './git/apply-fixture.ts';
import { Sandbox } from './index.ts';
import { limitsInputSchema, type LimitsInput } from './limitSettings.ts';

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  untilStopped: () => Promise<string>;
}

const NAME = 'github-sandbox';
const USAGE_ERROR = 2;

const HELP = `Usage: ${NAME} [options]

An in-memory GitHub on 127.0.0.1: REST at /api/v3, GraphQL at /api/graphql, a web UI at /,
control endpoints at /_sandbox/, and signed webhooks to your app.

Options:
  --port N              where to listen (default: SANDBOX_PORT or 3001; 0 picks a free port)
  --webhook-url URL     where webhooks go (e.g. http://127.0.0.1:3000/api/github/webhooks);
                        without it they are recorded at /_sandbox/deliveries only
  --webhook-secret S    secret for X-Hub-Signature-256 (default: a random one, printed)
  --fixture FILE        start from this JSON world instead of the seed (format: README, "Fixtures")
  --limits PRESET       github: refuse like github.com's rate limits; off (default)
  --now ISO-8601        start the clock standing still at this time (default: real time, running)
  --key-file PATH       where to write the App's private key (default: a file in the temp directory,
                        removed on exit)
  -h, --help            this text
  -v, --version         the version
`;

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

const portSchema = z.coerce.number().int().min(0).max(65_535);

interface Settings {
  port: number | undefined;
  webhookUrl: string | undefined;
  webhookSecret: string;
  fixture: { file: string; world: Fixture } | undefined;
  limits: LimitsInput;
  now: Date | undefined;
  keyFile: string | undefined;
}

/** The settings, or the problem to print (a usage error). */
function readSettings(argv: string[], env: NodeJS.ProcessEnv): Settings | { problem: string } | 'help' | 'version' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'webhook-url': { type: 'string' },
        'webhook-secret': { type: 'string' },
        fixture: { type: 'string' },
        limits: { type: 'string' },
        now: { type: 'string' },
        'key-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }));
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return 'help';
  if (values.version) return 'version';

  const portText = values.port ?? env['SANDBOX_PORT'];
  const port = portText === undefined || portText === '' ? undefined : portSchema.safeParse(portText);
  if (port && !port.success) return { problem: `${values.port === undefined ? 'SANDBOX_PORT' : '--port'} "${portText}" is not a port (0-65535)` };
  const webhookUrl = values['webhook-url'];
  if (webhookUrl !== undefined && !/^https?:\/\//.test(webhookUrl)) return { problem: `--webhook-url "${webhookUrl}" is not an http(s) URL` };
  if (webhookUrl !== undefined && !URL.canParse(webhookUrl)) return { problem: `--webhook-url "${webhookUrl}" is not a URL` };
  if (values['webhook-secret'] === '') return { problem: '--webhook-secret may not be empty' };
  const limits = values.limits ?? 'off';
  if (limits !== 'github' && limits !== 'off') return { problem: `--limits "${limits}" is not a preset (github or off)` };
  const now = values.now === undefined ? undefined : new Date(values.now);
  if (now && Number.isNaN(now.getTime())) return { problem: `--now "${values.now}" is not an ISO-8601 time` };

  let fixture: Settings['fixture'];
  if (values.fixture !== undefined) {
    const file = values.fixture;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const reason = error instanceof SyntaxError ? `not JSON (${error.message})` : error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error);
      return { problem: `--fixture ${file}: ${reason}` };
    }
    const parsed = fixtureSchema.safeParse(json);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((issue) => `  ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
      return { problem: `--fixture ${file} is not a valid fixture:\n${lines.join('\n')}` };
    }
    fixture = { file, world: parsed.data };
  }
  return {
    port: port?.data,
    webhookUrl,
    webhookSecret: values['webhook-secret'] ?? randomBytes(24).toString('hex'),
    fixture,
    limits: limitsInputSchema.parse({ preset: limits }),
    now,
    keyFile: values['key-file'],
  };
}

function banner(sandbox: Sandbox, settings: Settings, keyFile: string): string {
  const host = new URL(sandbox.url).host;
  const users = [...sandbox.state.users.values()].filter((user) => user.type === 'User' && user.token);
  const width = Math.max(4, ...users.map((user) => user.login.length));
  const repos = [...sandbox.state.repos.values()].map((repo) => `${repo.owner}/${repo.name}`);
  return [
    `${NAME} ${version()}`,
    `  web UI       ${sandbox.url}/`,
    `  REST API     ${sandbox.apiUrl}`,
    `  GraphQL      ${sandbox.graphqlUrl}`,
    `  control      ${sandbox.url}/_sandbox/ (reset, stats, clock, deliveries, limits)`,
    `  repositories ${repos.join(', ') || 'none'}`,
    `  GitHub App   id ${sandbox.appId}, installation ${sandbox.installationId} (${sandbox.state.installation.account}), acting as ${sandbox.state.installation.botLogin}`,
    `  private key  ${keyFile}`,
    `  webhooks     ${settings.webhookUrl ?? 'not sent (pass --webhook-url); recorded at /_sandbox/deliveries'}`,
    `  secret       ${settings.webhookSecret}`,
    '',
    '  Users (token for Authorization: token …):',
    ...users.map((user) => `    ${user.login.padEnd(width)}  ${user.token ?? ''}`),
    '',
    '  A Probot app against it:',
    `    GHE_HOST=${host} GHE_PROTOCOL=http APP_ID=${sandbox.appId} PRIVATE_KEY_PATH=${keyFile} WEBHOOK_SECRET=${settings.webhookSecret} npx probot run ./app.js`,
    '',
    `${NAME} ready`,
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const settings = readSettings(argv, io.env);
  if (settings === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  if (settings === 'version') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  if ('problem' in settings) {
    io.stderr.write(`error: ${settings.problem}\n(${NAME} --help lists the options)\n`);
    return USAGE_ERROR;
  }

  let sandbox: Sandbox;
  try {
    sandbox = await Sandbox.start({
      ...(settings.port === undefined ? {} : { port: settings.port }),
      host: '127.0.0.1',
      webhookSecret: settings.webhookSecret,
      ...(settings.webhookUrl ? { webhookUrl: settings.webhookUrl } : {}),
      ...(settings.fixture ? { fixture: settings.fixture.world } : {}),
      ...(settings.now ? { now: settings.now } : {}),
      limits: settings.limits,
    });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      const port = 'port' in error ? String(error.port) : '?';
      io.stderr.write(`error: port ${port} is already in use; pass --port (0 picks a free one) or set SANDBOX_PORT\n`);
      return 1;
    }
    if (error instanceof FixtureError) {
      // Well formed, but inconsistent (a deployment of a pull request that does not exist).
      io.stderr.write(`error: --fixture ${settings.fixture?.file ?? ''}: ${error.message}\n`);
      return USAGE_ERROR;
    }
    throw error;
  }

  const keyFile = settings.keyFile ?? join(tmpdir(), `${NAME}-${new URL(sandbox.url).port}.pem`);
  writeFileSync(keyFile, sandbox.privateKey, { mode: 0o600 });
  // Listening for the signals before saying "ready": whoever waits for that line may stop it at once.
  const stopped = io.untilStopped();
  io.stdout.write(banner(sandbox, settings, keyFile));
  const signal = await stopped;
  io.stdout.write(`${signal}: shutting down\n`);
  await sandbox.close();
  rmSync(keyFile, { force: true });
  return 0;
}

/** SIGINT/SIGTERM stop the sandbox cleanly; a second signal forces the exit. */
function untilStopped(): Promise<string> {
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
  try {
    process.exitCode = await main(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, untilStopped });
  } catch (error) {
    process.stderr.write(`${NAME} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
