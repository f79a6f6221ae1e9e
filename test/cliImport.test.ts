import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { readJson, startVendorApi } from './support/vendorApiServer.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/import');
const PEOPLE = join(FIXTURES, 'people.yml');
const dir = mkdtempSync(join(tmpdir(), 'firewatch-import-'));
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
  rmSync(dir, { recursive: true, force: true });
});

/** A PagerDuty API on loopback serving the New York dump, for whatever window is asked. */
async function pagerDutyApi() {
  const fixture = (path: string) => readJson(join(FIXTURES, 'pagerduty-new-york', path));
  const api = await startVendorApi((request) => {
    if (request.headers['authorization'] !== 'Token token=pd-key') return { status: 401, body: { error: { message: 'Unauthorized', code: 2006 } } };
    if (request.path.startsWith('/v3/')) return { status: 404, body: { error: { message: 'Not Found', code: 2100 } } };
    const routes: Record<string, unknown> = {
      '/users': fixture('users-0.json'),
      '/schedules': { schedules: [{ id: 'PSNIGHT', name: 'Checkout Nights' }], limit: 100, offset: 0, more: false },
      '/schedules/PSNIGHT': fixture('schedules/PSNIGHT.json'),
      '/schedules/PSNIGHT/overrides': fixture('schedules/PSNIGHT.overrides.json'),
      '/escalation_policies': fixture('escalation_policies-0.json'),
    };
    return request.path in routes ? { body: routes[request.path] } : undefined;
  });
  closers.push(api.close);
  return api;
}

describe('firewatch import', () => {
  it('is in the command table with its own help', async () => {
    const help = await runCli(['--help']);
    expect(help.out).toMatch(/\n {2}import +Bring PagerDuty or Opsgenie schedules and escalations into the oncall section/);
    const own = await runCli(['import', '--help']);
    expect(own.code).toBe(0);
    expect(own.out).toContain('Usage: firewatch import pagerduty|opsgenie (--from DIR | --key KEY) [--people FILE] [--out FILE]');
    expect(own.out).toContain('--people FILE       YAML of "e-mail: github-login" lines');
  });

  it('fetches from PagerDuty with a key, saves the dump, writes a section validate-config accepts and prints the one difference', async () => {
    const api = await pagerDutyApi();
    const out = join(dir, 'firewatch.yml');
    const save = join(dir, 'pd-dump');
    const run = await runCli(['import', 'pagerduty', '--api-url', api.url, '--since', '2026-10-26T04:00:00Z', '--people', PEOPLE, '--out', out, '--save', save], { PAGERDUTY_API_KEY: 'pd-key' });
    expect(run.code).toBe(1);
    expect(run.err.split('\n')).toEqual(
      expect.arrayContaining(['PagerDuty: listing users', 'PagerDuty: schedule "Checkout Nights" (1 of 1)', `saved 5 API responses in ${save} (re-run with --from ${save})`]),
    );
    expect(run.out).toContain(`wrote the oncall section (2 layers) to ${out}; check it with: firewatch validate-config ${out}\n`);
    expect(run.out).toContain('    Tue 2026-11-10 12:00 EST → Tue 2026-11-10 15:00 EST: PagerDuty has carol, firewatch has nobody\n');
    const validated = await runCli(['validate-config', out]);
    expect(validated).toMatchObject({ code: 0, out: `ok: ${out} is valid\n` });
    const table = await runCli(['oncall', '--config', out, '--from', '2026-11-07T12:00:00Z', '--to', '2026-11-08T12:00:00Z']);
    expect(table.out).toContain('| bob\n');

    // The saved dump imports offline to the same section.
    const again = await runCli(['import', 'pagerduty', '--from', save, '--people', PEOPLE]);
    expect(again.code).toBe(1);
    const body = (text: string) => text.slice(text.indexOf('oncall:'));
    expect(body(again.out)).toBe(body(readFileSync(out, 'utf8')));
    expect(again.err).toContain('Self-check against PagerDuty');
  });

  it('imports an Opsgenie dump folder to standard output, the report on standard error', async () => {
    const run = await runCli(['import', 'opsgenie', '--from', join(FIXTURES, 'opsgenie-new-york'), '--people', PEOPLE]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^# Imported from Opsgenie by `firewatch import` on /);
    expect(run.out).toContain('\noncall:\n  timezone: America/New_York\n  layers:\n    - name: sre-primary\n');
    expect(run.err).toMatch(/^Self-check against Opsgenie's rendered schedule, Mon 2026-03-02 00:00 EST → Mon 2026-03-30 00:00 EDT: no differences\n/);
    expect(run.err).toContain('  - grace@example.com (Grace Gale): schedule "SRE" rotation "Evening"; schedule "SRE" timeline\n');
  });

  it('refuses bad input in one line and writes nothing', async () => {
    const existing = join(dir, 'full.yml');
    writeFileSync(existing, 'incidents:\n  defaultSeverity: P2\noncall: {}\n');
    const badPeople = join(dir, 'people-bad.yml');
    writeFileSync(badPeople, 'alice@example.com: "@alice"\n');
    const broken = join(dir, 'broken-dump');
    cpSync(join(FIXTURES, 'pagerduty-new-york'), broken, { recursive: true });
    writeFileSync(join(broken, 'schedules', 'PSNIGHT.json'), JSON.stringify({ schedule: { id: 'PSNIGHT', name: 'x', time_zone: 'UTC', schedule_layers: [{ start: 'soon' }] } }));
    const mistyped = join(dir, 'mistyped-dump');
    cpSync(join(FIXTURES, 'pagerduty-new-york'), mistyped, { recursive: true });
    writeFileSync(join(mistyped, 'window.json'), JSON.stringify({ since: 20260302, until: '2026-03-30T00:00:00Z' }));
    const api = await pagerDutyApi();
    const cases: [string[], string][] = [
      [['import'], 'error: import takes one vendor: firewatch import pagerduty|opsgenie (--from DIR | --key KEY) (see --help)\n'],
      [['import', 'pagerduty'], 'error: give either --from DIR (a dump) or --key KEY (or $PAGERDUTY_API_KEY) to fetch one\n'],
      [['import', 'pagerduty', '--from', join(dir, 'nope')], `error: ${join(dir, 'nope')}: no such folder\n`],
      [['import', 'pagerduty', '--from', broken], 'error: schedules/PSNIGHT.json at schedule.schedule_layers.0.rotation_virtual_start: missing (the vendor API always sends text here; was the file cut or edited?)\n'],
      [['import', 'pagerduty', '--from', mistyped], 'error: window.json at since: should be text, not a number\n'],
      [['import', 'opsgenie', '--from', join(FIXTURES, 'opsgenie-new-york'), '--people', badPeople], `error: --people ${badPeople}: alice@example.com: "@alice" must be @org/team (a person is written as a login without @)\n`],
      [['import', 'opsgenie', '--from', join(FIXTURES, 'opsgenie-new-york'), '--out', existing], `error: --out ${existing} holds other settings (incidents); write to a new file and paste its oncall section in\n`],
      [['import', 'pagerduty', '--key', 'wrong', '--api-url', api.url], 'error: PagerDuty answered 401 to GET /users?limit=100&offset=0: Unauthorized (check the API key)\n'],
      [['import', 'pagerduty', '--from', broken, '--since', '2026-01-01'], 'error: --since applies when fetching with --key; a dump keeps the window it was fetched for (window.json)\n'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect({ args, err: run.err.split('\n').filter((line) => line.startsWith('error:')).join('\n') + '\n', out: run.out }).toEqual({ args, err: message, out: '' });
      expect(run.code).not.toBe(0);
    }
    expect(readFileSync(existing, 'utf8')).toBe('incidents:\n  defaultSeverity: P2\noncall: {}\n');
  });
});
