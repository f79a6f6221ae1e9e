/**
 * The on-call example of docs/configuration.md is real configuration: `firewatch validate-config` accepts it and
 * the schedule it describes behaves as its comments say.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { onCallWarnings } from '../src/runtimes/cli/sweep.ts';
import { parseConfigText } from '../src/domain/config/config.ts';
import { whoIsOnCall } from '../src/domain/schedule/whoIsOnCall.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');
const block = /<!-- oncall-example:begin -->\s*```yaml\n([\s\S]*?)```\s*<!-- oncall-example:end -->/.exec(readme);
const example = block?.[1] ?? '';
const dir = mkdtempSync(join(tmpdir(), 'firewatch-oncall-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const logins = (at: string) => whoIsOnCall(parseConfigText(example).config.oncall, new Date(at)).layers.map((entry) => `${entry.layer}:${entry.login ?? '-'}`);

describe('docs/configuration.md on-call example', () => {
  it('is in docs/configuration.md, with staggered layers, an override, a holiday layer and escalation steps', () => {
    const { config, problems } = parseConfigText(example);
    expect(problems).toEqual([]);
    expect(config.oncall.layers.map((layer) => `${layer.name} ${layer.handoff.weekday}`)).toEqual(['rot-a monday', 'rot-b wednesday']);
    expect(config.oncall.overrides).toHaveLength(1);
    expect(config.oncall.holidays.map((holiday) => holiday.name)).toEqual(['holiday']);
    expect(config.oncall.escalation.steps.map((step) => step.afterMinutes)).toEqual([15, 45]);
  });

  it('is accepted by firewatch validate-config without warnings', () => {
    const file = join(dir, 'firewatch.yml');
    writeFileSync(file, example);
    const result = spawnSync(process.execPath, [join(root, 'bin', 'firewatch.js'), 'validate-config', file], { cwd: root, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NODE_ENV: 'test' } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`ok: ${file} is valid\n`);
    expect(result.status).toBe(0);
    expect(onCallWarnings(parseConfigText(example).config, new Date('2026-01-12T00:00:00Z'))).toEqual([]);
  }, 30_000);

  it('staggers the layers, applies the override and lets the holiday layer replace both', () => {
    expect(logins('2026-01-08T10:00:00-05:00')).toEqual(['rot-a:alice', 'rot-b:carol']);
    expect(logins('2026-01-08T13:00:00-05:00')).toEqual(['rot-a:bob', 'rot-b:carol']);
    expect(logins('2026-01-12T12:00:00-05:00')).toEqual(['rot-a:bob', 'rot-b:carol']);
    expect(logins('2026-01-14T12:00:00-05:00')).toEqual(['rot-a:bob', 'rot-b:dave']);
    expect(logins('2026-12-24T12:00:00-05:00')).toEqual(['holiday:carol']);
  });
});
