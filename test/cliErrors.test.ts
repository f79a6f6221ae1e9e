/**
 * Every expected failure of a CLI subcommand, run as a user runs it (`node bin/firewatch.js …` in
 * a clean environment): one line on stderr saying what went wrong and what to do, no stack trace,
 * and a non-zero exit code. GitHub is the sandbox, started here, or nothing at all.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '@firewatch/sandbox';
import { freePort } from './support/processes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'firewatch.js');
const dir = mkdtempSync(join(tmpdir(), 'firewatch-cli-errors-'));
let sandbox: Sandbox;
let api = '';

beforeAll(async () => {
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'cli-errors' });
  api = sandbox.apiUrl;
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The one line a failure printed (and that it printed only that). */
async function failure(args: string[], env: Record<string, string> = {}, code = 1): Promise<string> {
  const result = await run(args, env);
  expect(result.stderr, result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr.endsWith('\n') && result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.code).toBe(code);
  return result.stderr.trim();
}

describe('CLI failures, one line each', () => {
  it('sweep --dry-run with nothing running says the sandbox is not up and how to start it', async () => {
    const port = await freePort();
    expect(await failure(['sweep', '--dry-run'], { SANDBOX_PORT: String(port) })).toBe(
      `error: cannot reach GitHub at http://127.0.0.1:${port}/api/v3 (connection refused): start the sandbox first (\`npm start\`, or \`firewatch sandbox\`; SANDBOX_PORT if it is not on 3001), or point at GitHub with GITHUB_TOKEN, GHE_HOST or --api-url`,
    );
  });

  it('report, statuspage and postmortem say the same when GitHub cannot be reached', async () => {
    const port = await freePort();
    const env = { SANDBOX_PORT: String(port) };
    for (const args of [['report', '--out', join(dir, 'r')], ['statuspage', 'build', '--out', join(dir, 's')], ['postmortem', 'render', '--repo', 'acme/shop', '--issue', '3']]) {
      expect(await failure(args, env)).toMatch(new RegExp(`^error: cannot reach GitHub at http://127\\.0\\.0\\.1:${port}/api/v3 \\(connection refused\\): start the sandbox first`));
    }
  });

  it('a bad token is refused with the setting to check', async () => {
    expect(await failure(['sweep', '--dry-run', '--api-url', api, '--token', 'ghp_wrong'])).toBe(`error: ${api} refused the token (401 Bad credentials): check --token`);
    // A GITHUB_TOKEN from the shell, sent to the GitHub named by GITHUB_API_URL.
    expect(await failure(['report', '--out', join(dir, 'r')], { GITHUB_TOKEN: 'ghp_stale', GITHUB_API_URL: api })).toBe(`error: ${api} refused the token (401 Bad credentials): check GITHUB_TOKEN (or pass --token)`);
  });

  it('a repository or issue that does not exist is named, with the flag to fix', async () => {
    expect(await failure(['report', '--repo', 'acme/nope', '--api-url', api, '--out', join(dir, 'r')])).toBe(
      `error: acme/nope was not found at ${api} (or the token cannot see it): check --repo (or FIREWATCH_REPO)`,
    );
    expect(await failure(['postmortem', 'render', '--repo', 'acme/shop', '--issue', '999', '--api-url', api])).toBe(`error: acme/shop#999 was not found at ${api} (or the token cannot see it): check --issue and --repo`);
  });

  it('an output path that cannot be written is named', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    expect(await failure(['statuspage', 'build', '--out', join(file, 'status'), '--api-url', api])).toBe(`error: cannot use ${join(file, 'status')}: a part of the path is not a directory`);
  });

  it('mistyped commands, actions and flags get a "did you mean", exit 2', async () => {
    expect(await failure(['swep', '--dry-run'], {}, 2)).toBe('error: unknown command "swep"; did you mean "firewatch sweep"? (firewatch --help lists the commands)');
    expect(await failure(['sweep', '--dryrun'], {}, 2)).toBe('error: unknown flag --dryrun for firewatch sweep; did you mean --dry-run? (firewatch sweep --help)');
    expect(await failure(['report', '--sinse', '30d'], {}, 2)).toBe('error: unknown flag --sinse for firewatch report; did you mean --since? (firewatch report --help)');
    expect(await failure(['statuspage', 'biuld', '--out', 'x'], {}, 2)).toMatch(/^error: statuspage: unknown action "biuld"; did you mean "build"\? \(usage: firewatch statuspage build --out DIR/);
    expect(await failure(['postmortem', 'rendr'], {}, 2)).toMatch(/^error: postmortem: unknown action "rendr"; did you mean "render"\? \(usage: /);
    expect(await failure(['sweep', '--repo'], {}, 2)).toBe('error: --repo needs a value (firewatch sweep --help)');
    expect(await failure(['sweep', '--dry-run=yes'], {}, 2)).toBe('error: --dry-run is a switch and takes no value (firewatch sweep --help)');
    expect(await failure(['sweep', 'now'], {}, 2)).toBe('error: firewatch sweep takes no arguments, only flags: "now" is left over (firewatch sweep --help)');
    expect(await failure(['deploy-everything'], {}, 2)).toBe('error: unknown command "deploy-everything" (firewatch --help lists the commands)');
  });
});
