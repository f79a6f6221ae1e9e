/**
 * `github-sandbox`, the sandbox as a command: started the way a user starts it (a process, from the
 * bin a checkout installs), driven over HTTP with what it printed, stopped with SIGTERM. Bad
 * options are refused before anything listens.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { startReceiver } from './support.ts';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'github-sandbox-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `main` in-process; `whileRunning` gets what was printed so far, and the sandbox stops once it resolves. */
async function runMain(args: string[], env: NodeJS.ProcessEnv = {}, whileRunning?: (out: string) => Promise<void>): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  // Called before the banner is printed (the real one listens for signals first): wait for "ready".
  const ready = new Promise<void>((resolve) => {
    const check = (): void => void (out.includes('github-sandbox ready') ? resolve() : stdout.once('data', check));
    check();
  });
  const untilStopped = async () => {
    await ready;
    await whileRunning?.(out);
    return 'SIGTERM';
  };
  const code = await main(args, { stdout, stderr, env, untilStopped });
  return { code, out, err };
}

/** A line of the banner: `  REST API     http://…` → `http://…`. */
function bannerValue(output: string, label: string): string {
  const line = output.split('\n').find((l) => l.trimStart().startsWith(`${label} `));
  if (!line) throw new Error(`no "${label}" line in:\n${output}`);
  return line.trim().slice(label.length).trim();
}

describe('github-sandbox', () => {
  it('serves a fixture world, delivers signed webhooks, lets the App authenticate with the printed key, and stops on SIGTERM', async () => {
    const fixture = join(dir, 'world.json');
    writeFileSync(
      fixture,
      JSON.stringify({
        users: [{ login: 'dana', permission: 'write', token: 'dana-token' }],
        repos: [{ owner: 'octo', name: 'widgets', files: { 'README.md': '# widgets\n' } }],
      }),
    );
    const receiver = await startReceiver();
    const child = spawn(process.execPath, ['bin/github-sandbox.js', '--port', '0', '--fixture', fixture, '--webhook-url', receiver.url, '--webhook-secret', 's3cret'], {
      cwd: packageRoot,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "github-sandbox ready" within 30 s:\n${output}`)), 30_000);
        child.stdout.on('data', () => {
          if (output.includes('github-sandbox ready')) {
            clearTimeout(timer);
            resolve();
          }
        });
        void exited.then((code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });
      expect(bannerValue(output, 'repositories')).toBe('octo/widgets');
      expect(output).toMatch(/^ {4}dana +dana-token$/m);

      const apiUrl = bannerValue(output, 'REST API');
      const dana = new Octokit({ baseUrl: apiUrl, auth: 'dana-token', log: quiet });
      const { data: issue } = await dana.rest.issues.create({ owner: 'octo', repo: 'widgets', title: 'Widgets wobble' });
      expect(issue.user?.login).toBe('dana');

      const keyFile = bannerValue(output, 'private key');
      const app = new Octokit({ baseUrl: apiUrl, authStrategy: createAppAuth, auth: { appId: 1, privateKey: readFileSync(keyFile, 'utf8'), installationId: 1 }, log: quiet });
      const { data: installed } = await app.rest.apps.listReposAccessibleToInstallation();
      expect(installed.repositories.map((repo) => repo.full_name)).toEqual(['octo/widgets']);

      const deadline = Date.now() + 15_000;
      while (!receiver.received.some((hook) => hook.headers['x-github-event'] === 'issues') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const hook = receiver.received.find((h) => h.headers['x-github-event'] === 'issues');
      expect(hook?.payload).toMatchObject({ action: 'opened', issue: { number: issue.number, title: 'Widgets wobble' }, repository: { full_name: 'octo/widgets' } });
      expect(hook?.headers['x-hub-signature-256']).toBe(`sha256=${createHmac('sha256', 's3cret').update(hook?.raw ?? '').digest('hex')}`);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('SIGTERM: shutting down');
      expect(existsSync(keyFile)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await receiver.close();
    }
  });

  it('prints a random webhook secret and starts on the seed by default, and --now pins the clock', async () => {
    const keyFile = join(dir, 'key.pem');
    let clock: unknown;
    const { code, out } = await runMain(['--port', '0', '--now', '2026-03-02T09:00:00Z', '--key-file', keyFile], {}, async (printed) => {
      expect(readFileSync(keyFile, 'utf8')).toContain('PRIVATE KEY');
      clock = await (await fetch(`${new URL(bannerValue(printed, 'REST API')).origin}/_sandbox/clock`)).json();
    });
    expect(code).toBe(0);
    expect(clock).toEqual({ now: '2026-03-02T09:00:00.000Z', running: false });
    expect(bannerValue(out, 'repositories')).toBe('acme/shop, acme/post_mortems');
    expect(bannerValue(out, 'secret')).toMatch(/^[0-9a-f]{48}$/);
    expect(bannerValue(out, 'private key')).toBe(keyFile);
    expect(out).toMatch(/^ {4}alice +sandbox-alice$/m);
    expect(out).toContain(`PRIVATE_KEY_PATH=${keyFile} WEBHOOK_SECRET=${bannerValue(out, 'secret')} npx probot run`);
    // Stopped: the key is gone again.
    expect(existsSync(keyFile)).toBe(false);
  });

  it.each([
    [['--port', 'http'], '--port "http" is not a port (0-65535)'],
    [['--port', '70000'], '--port "70000" is not a port (0-65535)'],
    [['--limits', 'fast'], '--limits "fast" is not a preset (github or off)'],
    [['--webhook-url', 'ftp://example.test/hooks'], '--webhook-url "ftp://example.test/hooks" is not an http(s) URL'],
    [['--now', 'yesterday'], '--now "yesterday" is not an ISO-8601 time'],
    [['--fixture', '/nonexistent/world.json'], '--fixture /nonexistent/world.json: no such file'],
    [['--colour'], "Unknown option '--colour'"],
  ])('refuses %j with a usage error', async (args, message) => {
    const { code, out, err } = await runMain(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(out).toBe('');
  });

  it('refuses SANDBOX_PORT when it is not a port', async () => {
    const { code, err } = await runMain([], { SANDBOX_PORT: 'auto' });
    expect(code).toBe(2);
    expect(err).toContain('SANDBOX_PORT "auto" is not a port');
  });

  it('lists every problem of an invalid fixture with its path, and starts nothing', async () => {
    const fixture = join(dir, 'bad.json');
    writeFileSync(fixture, JSON.stringify({ users: [{ login: '-dana' }], repos: [{ owner: 'octo', files: {} }] }));
    const { code, out, err } = await runMain(['--port', '0', '--fixture', fixture]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`--fixture ${fixture} is not a valid fixture:`);
    expect(err).toMatch(/^ {2}users\.0\.login: /m);
    expect(err).toMatch(/^ {2}repos\.0\.name: /m);
  });

  it('says when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const { code, err } = await runMain(['--port', String(port)]);
      expect(code).toBe(1);
      expect(err).toContain(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('--help lists every option', async () => {
    const { code, out } = await runMain(['--help']);
    expect(code).toBe(0);
    for (const option of ['--port', '--webhook-url', '--webhook-secret', '--fixture', '--limits', '--now', '--key-file']) expect(out).toContain(option);
  });
});
