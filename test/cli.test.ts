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

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: cleanEnv(env) });
    children.push(child);
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

  it('an unknown command is an error with the help, exit 2', async () => {
    const result = await run(['deploy-everything']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: unknown command "deploy-everything"');
    expect(result.stderr).toContain('Usage: firewatch <command>');
    expect(result.stdout).toBe('');
  });

  it('an unknown option is an error with the command usage, exit 2', async () => {
    const result = await run(['serve', '--prot', '80']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--prot'");
    expect(result.stderr).toContain('Usage: firewatch serve');
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
    expect(result.stderr).toContain('Usage: firewatch validate-config FILE');
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

  it('serve warms its alert route with FIREWATCH_WARM_UP_REQUESTS dry runs before it says ready, filing nothing', async () => {
    const { child, output } = await startUntilReady(['serve'], { PORT: '0', SANDBOX_PORT: '0', FIREWATCH_WARM_UP_REQUESTS: '40', LOG_LEVEL: 'debug', LOG_FORMAT: 'json' });
    const warmed = output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; answered?: number; failed?: number })
      .find((line) => line.msg === 'alert route warmed up');
    expect(warmed).toMatchObject({ answered: 40, failed: 0 });
    const sandboxApi = /sandbox REST API\s+(http:\/\/127\.0\.0\.1:\d+\/api\/v3)/.exec(output())?.[1];
    const issues = await fetch(`${sandboxApi}/repos/acme/shop/issues?state=all&labels=incident`, { headers: { authorization: 'token sandbox-alice' } });
    expect(await issues.json()).toEqual([]);
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
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
async function startUntilReady(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: cleanEnv(env) });
  children.push(child);
  let stdout = '';
  let stderr = '';
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
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, output: () => stdout };
}
