import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'firewatch.js');
const dir = mkdtempSync(join(tmpdir(), 'firewatch-cli-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A clean environment: no credentials from the machine running the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...extra };
}

/** Runs a command to its end; one that is still running after 20 s (a server that started) is killed and yields code null. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: cleanEnv(env) });
    children.push(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', () => clearTimeout(timer));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('firewatch CLI', () => {
  it('--help lists the commands and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: firewatch <command>');
    for (const command of ['serve', 'sandbox', 'validate-config']) expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('an unknown command is one line pointing at the help, exit 2', async () => {
    const result = await run(['deploy-everything']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: unknown command "deploy-everything" (firewatch --help lists the commands)\n');
    expect(result.stdout).toBe('');
  });

  it('an unknown option is one line naming the flags the command takes, exit 2', async () => {
    const result = await run(['serve', '--prot', '80']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: unknown flag --prot for firewatch serve (it takes --sandbox, --github) (firewatch serve --help)\n');
  });

  it('validate-config prints ok for a valid file', async () => {
    const file = join(dir, 'valid.yml');
    writeFileSync(file, 'incidents:\n  repo: acme/shop\n');
    const result = await run(['validate-config', file]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`ok: ${file} is valid\n`);
    expect(result.code).toBe(0);
  });

  it('validate-config prints a path | message table and exits 1 for an invalid file', async () => {
    const file = join(dir, 'invalid.yml');
    writeFileSync(file, 'incidents:\n  repo: 42\n');
    const result = await run(['validate-config', file]);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ problems?$`));
    expect(result.stdout).toMatch(/^path\s+\| message$/m);
    expect(result.stdout).toMatch(/^incidents\.repo\s+\| \S/m);
  });

  it('validate-config reports YAML syntax errors as problems', async () => {
    const file = join(dir, 'broken.yml');
    writeFileSync(file, 'incidents: [unclosed\n');
    const result = await run(['validate-config', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^path\s+\| message$/m);
  });

  it('validate-config on a missing file says so and exits 2', async () => {
    const result = await run(['validate-config', join(dir, 'nope.yml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: cannot read ${join(dir, 'nope.yml')}: no such file\n`);
  });

  it('validate-config without a file is a usage error', async () => {
    const result = await run(['validate-config']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: validate-config takes exactly one FILE (usage: firewatch validate-config .github/firewatch.yml)\n');
  });

  it('serve refuses a bad environment, naming each variable, exit 2', async () => {
    const result = await run(['serve'], { PORT: 'eighty', APP_ID: '12' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT: must be a port number');
    expect(result.stderr).toContain('PRIVATE_KEY: is required with APP_ID');
  });

  it('serve without credentials starts the sandbox and the app, prints the banner and stops on SIGTERM', async () => {
    const { child, output } = await startUntilReady(['serve'], { PORT: '0', SANDBOX_PORT: '0' });
    const stdout = output();
    const appUrl = /firewatch app\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    const sandboxApi = /sandbox REST API\s+(http:\/\/127\.0\.0\.1:\d+\/api\/v3)/.exec(stdout)?.[1];
    expect(appUrl).toBeDefined();
    expect(sandboxApi).toBeDefined();
    expect(stdout).toMatch(/^\s+bob\s+write\s+sandbox-bob$/m);
    expect(stdout).toContain(`curl -sS -X POST ${appUrl}/alerts/generic -H 'Authorization: Bearer sandbox-alerts'`);
    expect(stdout).toContain(`curl -sS -X POST ${sandboxApi}/repos/acme/shop/issues/`);
    expect(stdout).toContain("-H 'Authorization: token sandbox-bob'");

    const health = await fetch(`${appUrl}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', mode: 'sandbox' });

    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toContain('SIGTERM: shutting down');
  });

  it("serve without credentials runs the sandbox with GitHub's rate limits in force, and files an alert under them", async () => {
    const { child, output } = await startUntilReady(['serve'], { PORT: '0', SANDBOX_PORT: '0' });
    const sandboxUrl = /sandbox REST API\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/v3/.exec(output())?.[1];
    const appUrl = /(http:\/\/127\.0\.0\.1:\d+)\/alerts\//.exec(output())?.[1];
    const limits = (await (await fetch(`${sandboxUrl}/_sandbox/limits`)).json()) as { preset: string; contentCreatingPerMinute: number; searchPerMinute: number };
    expect(limits).toMatchObject({ preset: 'github', contentCreatingPerMinute: 80, searchPerMinute: 30 });
    const accepted = await fetch(`${appUrl}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Checkout errors', severity: 'critical', service: 'checkout' }),
    });
    expect(accepted.status).toBe(202);
    const deadline = Date.now() + 15_000;
    let issues: { title: string }[] = [];
    while (issues.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      issues = (await (await fetch(`${sandboxUrl}/api/v3/repos/acme/shop/issues?labels=incident`, { headers: { authorization: 'token sandbox-alice' } })).json()) as { title: string }[];
    }
    expect(issues.map((issue) => issue.title)).toEqual([expect.stringContaining('Checkout errors')]);
    const stats = (await (await fetch(`${sandboxUrl}/_sandbox/stats`)).json()) as { limited: number };
    expect(stats.limited).toBe(0);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('serve with a stray GITHUB_TOKEN in the shell stays the sandbox demo, says so in one line, and files alerts', async () => {
    const { child, output, errors } = await startUntilReady(['serve'], { PORT: '0', SANDBOX_PORT: '0', GITHUB_TOKEN: 'gho_from_the_gh_cli' });
    expect(output()).toMatch(/^firewatch \S+ in sandbox mode/m);
    expect(errors().trim().split('\n')).toEqual([
      'notice: GITHUB_TOKEN is set but ignored: firewatch serves the sandbox. To serve GitHub with that token, set FIREWATCH_MODE=github (or run `firewatch serve --github`).',
    ]);
    const appUrl = /firewatch app\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1];
    const sandboxApi = /sandbox REST API\s+(http:\/\/127\.0\.0\.1:\d+\/api\/v3)/.exec(output())?.[1];
    const alert = await fetch(`${appUrl}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'HighErrorRate', severity: 'P2', service: 'checkout' }),
    });
    expect(alert.status).toBe(202);
    const deadline = Date.now() + 15_000;
    let titles: string[] = [];
    while (titles.length === 0 && Date.now() < deadline) {
      const issues = await fetch(`${sandboxApi}/repos/acme/shop/issues?labels=incident`, { headers: { authorization: 'token sandbox-alice' } });
      titles = ((await issues.json()) as { title: string }[]).map((issue) => issue.title);
      if (titles.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(titles).toEqual(['[P2] checkout: HighErrorRate']);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('serve asked for GitHub with a token that could serve nothing stops at once, naming what to set, exit 2', async () => {
    const result = await run(['serve'], { PORT: '0', FIREWATCH_MODE: 'github', GITHUB_TOKEN: 'ghp_x' });
    expect(result.code).toBe(2);
    expect(result.stdout).not.toContain('firewatch ready');
    expect(result.stderr).toContain('GITHUB_TOKEN: token mode would refuse every webhook and every alert: set WEBHOOK_SECRET');
    const flag = await run(['serve', '--github'], { PORT: '0' });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--github: GitHub mode needs credentials: APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET for a GitHub App, or GITHUB_TOKEN');
  });

  it('sandbox runs the sandbox alone, usable with the printed tokens, and removes its key file on SIGINT', async () => {
    const { child, output } = await startUntilReady(['sandbox'], { SANDBOX_PORT: '0' });
    const apiUrl = /sandbox REST API\s+(http:\/\/127\.0\.0\.1:\d+\/api\/v3)/.exec(output())?.[1];
    const keyPath = /PRIVATE_KEY_PATH=(\S+)/.exec(output())?.[1];
    expect(output()).not.toContain('firewatch app');
    const response = await fetch(`${apiUrl}/repos/acme/shop`, { headers: { authorization: 'token sandbox-alice' } });
    expect(response.status).toBe(200);
    expect(keyPath && existsSync(keyPath)).toBe(true);

    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(keyPath ?? '')).toBe(false);
  });
});

/** Starts a long-running command and resolves once it printed `firewatch ready`. */
async function startUntilReady(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string; errors: () => string; readyAt: number }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: cleanEnv(env) });
  children.push(child);
  let stdout = '';
  let stderr = '';
  let readyAt = 0;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "firewatch ready" within 20 s:\n${stdout}\n${stderr}`)), 20_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code} before "firewatch ready":\n${stdout}\n${stderr}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/^firewatch ready$/m.test(stdout)) {
        readyAt ||= Date.now();
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, output: () => stdout, errors: () => stderr, readyAt };
}
