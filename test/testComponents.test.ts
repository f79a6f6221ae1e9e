/**
 * `npm test` on a machine without Redis, Alertmanager or Chromium: the tests that need one say so
 * in one line with the `apt-get install` to run, and the run passes; under CI=true it fails.
 * Checked by running vitest itself on a test file that needs Redis, with Redis pointed elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { missingComponent } from './support/components.ts';
import { neededComponents } from './support/componentsSetup.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const LINE = 'Redis is not installed (no executable at /nonexistent/redis-server; REDIS_SERVER_BIN points elsewhere): its tests do not run. To run them: sudo apt-get install redis-server';

function vitest(env: Record<string, string>) {
  const { CI: _ci, ...inherited } = process.env;
  return spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/runtime/redisAlertQueue.test.ts', '--reporter=verbose'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...inherited, NO_COLOR: '1', REDIS_SERVER_BIN: '/nonexistent/redis-server', ...env },
    timeout: 120_000,
  });
}

describe('tests that need a component', () => {
  it('names the missing component with the install line, once, and the run passes', () => {
    const result = vitest({});
    const output = `${result.stdout}\n${result.stderr}`;
    expect(output.split('\n').filter((line) => line.includes(LINE)).length).toBeGreaterThanOrEqual(1);
    expect(result.stderr).toContain(`${LINE}\n`);
    expect(output).not.toMatch(/\bFAIL\b/);
    expect(result.status).toBe(0);
  }, 150_000);

  it('fails the run under CI=true', () => {
    const result = vitest({ CI: 'true' });
    expect(`${result.stdout}\n${result.stderr}`).toContain(LINE);
    expect(result.status).not.toBe(0);
  }, 150_000);

  it('knows which components the suite uses, and finds the installed ones', () => {
    expect(neededComponents().sort()).toEqual(['alertmanager', 'chromium', 'redis']);
    expect(missingComponent('redis', { REDIS_SERVER_BIN: '/nonexistent/redis-server' })).toBe(LINE);
    expect(missingComponent('redis', { REDIS_SERVER_BIN: process.execPath })).toBeUndefined();
  });
});
