import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';
import { readJson, startVendorApi, type RecordedRequest } from './support/vendorApiServer.ts';

/*
 * The migration guides' curl commands, run as written (bash and curl) against a local stand-in
 * for the vendor API that refuses requests without the documented headers; what they write must
 * be a dump `firewatch import --from` reads.
 */
const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(import.meta.dirname, 'fixtures/import');
const dir = mkdtempSync(join(tmpdir(), 'firewatch-guides-'));
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
  rmSync(dir, { recursive: true, force: true });
});

function dumpScript(guide: string): string {
  const text = readFileSync(join(ROOT, 'docs', guide), 'utf8');
  const section = text.slice(text.indexOf('## Dumping with curl'));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error(`no sh block in ${guide}`);
  return match[1];
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', script], { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const fixture = (path: string) => readJson(join(FIXTURES, path)) as Record<string, unknown>;
const paths = (requests: RecordedRequest[]) => requests.map((request) => request.path);

describe('docs/migrating-from-pagerduty.md', () => {
  it('its curl commands write a dump (every page of users, v2 and v3 schedules) that firewatch import reads', async () => {
    const users = fixture('pagerduty-v3-berlin/users-0.json')['users'] as unknown[];
    const api = await startVendorApi((request) => {
      const v3 = request.path.startsWith('/v3/');
      if (request.headers['authorization'] !== 'Token token=pd-key') return { status: 401, body: { error: { message: 'Unauthorized' } } };
      if (request.headers['accept'] !== (v3 ? 'application/json' : 'application/vnd.pagerduty+json;version=2')) return { status: 406, body: { error: { message: 'Not Acceptable' } } };
      const q = request.query;
      const windowed = q['since'] && q['until'];
      const offset = Number(q['offset']?.[0] ?? '0');
      switch (request.path) {
        case '/users':
          // A second page, as an account with more than 100 users has.
          return { body: { users: offset === 0 ? users.slice(0, 4) : offset === 100 ? users.slice(4) : [], limit: 100, offset, more: offset === 0, total: null } };
        case '/escalation_policies':
          return { body: fixture('pagerduty-berlin/escalation_policies-0.json') };
        case '/schedules':
          return { body: { schedules: [{ id: 'PSNIGHT', name: 'Checkout Nights' }], limit: 100, offset: 0, more: false } };
        case '/schedules/PSNIGHT':
          return windowed ? { body: fixture('pagerduty-new-york/schedules/PSNIGHT.json') } : undefined;
        case '/schedules/PSNIGHT/overrides':
          return windowed ? { body: fixture('pagerduty-new-york/schedules/PSNIGHT.overrides.json') } : undefined;
        case '/v3/schedules':
          return { body: { schedules: [{ id: 'PS3PAYM', type: 'schedule_v3_reference' }], limit: 100, offset: 0, more: false } };
        case '/v3/schedules/PS3PAYM':
          return windowed && q['include[]']?.[0] === 'final_schedule' ? { body: fixture('pagerduty-v3-berlin/v3/PS3PAYM.json') } : undefined;
        case '/v3/schedules/PS3PAYM/overrides':
          return windowed ? { body: fixture('pagerduty-v3-berlin/v3/PS3PAYM.overrides-0.json') } : undefined;
        case '/v3/schedules/PS3PAYM/custom_shifts':
          return windowed ? { body: fixture('pagerduty-v3-berlin/v3/PS3PAYM.custom_shifts-0.json') } : undefined;
        default:
          return undefined;
      }
    });
    closers.push(api.close);
    const work = mkdtempSync(join(dir, 'pd-'));
    const script = dumpScript('migrating-from-pagerduty.md')
      .replaceAll('https://api.pagerduty.com', api.url)
      .replace('PXXXXXX PYYYYYY', 'PSNIGHT')
      .replace('for ID in PZZZZZZ', 'for ID in PS3PAYM')
      .replace(/^export PAGERDUTY_API_KEY=.*$/m, '')
      .replace(/^cd \.\. && firewatch import.*$/m, '');
    const ran = await bash(script, work, { PAGERDUTY_API_KEY: 'pd-key' });
    expect(ran).toEqual({ code: 0, stderr: '' });
    expect(paths(api.requests)).toEqual([
      '/users',
      '/users',
      '/escalation_policies',
      '/schedules',
      '/schedules/PSNIGHT',
      '/schedules/PSNIGHT/overrides',
      '/v3/schedules',
      '/v3/schedules/PS3PAYM',
      '/v3/schedules/PS3PAYM/overrides',
      '/v3/schedules/PS3PAYM/custom_shifts',
    ]);
    const imported = await runCli(['import', 'pagerduty', '--from', join(work, 'pagerduty-dump'), '--people', join(FIXTURES, 'people.yml')]);
    expect(imported.err).toContain('  schedule "Checkout Nights" (layer checkout-nights): ');
    expect(imported.err).toContain('  shift-based schedule "Payments" (layers payments-rotation-1, payments-rotation-2-carol, payments-rotation-2-dave): ');
    expect(imported.out).toContain('    - name: checkout-nights\n');
    expect(imported.out).not.toContain('Unmapped');
    expect(api.requests.filter((request) => request.path === '/users').map((request) => request.query['offset']?.[0])).toEqual(['0', '100']);
  });
});

describe('docs/migrating-from-opsgenie.md', () => {
  it('its curl commands write a dump with the four-week timeline that firewatch import reads', async () => {
    const SCHEDULE = 'd875alp4-0000-4000-8000-00000000sre1';
    const api = await startVendorApi((request) => {
      if (request.headers['authorization'] !== 'GenieKey og-key') return { status: 401, body: { message: 'Could not authenticate', took: 0, requestId: 'r' } };
      const q = request.query;
      switch (request.path) {
        case '/v2/users':
          return q['limit']?.[0] === '100' ? { body: fixture('opsgenie-new-york/users-0.json') } : undefined;
        case '/v2/schedules':
          return q['expand']?.[0] === 'rotation' ? { body: fixture('opsgenie-new-york/schedules.json') } : undefined;
        case '/v2/escalations':
          return { body: fixture('opsgenie-new-york/escalations.json') };
        case `/v2/schedules/${SCHEDULE}/overrides`:
          return { body: fixture(`opsgenie-new-york/schedules/${SCHEDULE}.overrides.json`) };
        case `/v2/schedules/${SCHEDULE}/timeline`:
          return q['interval']?.[0] === '4' && q['intervalUnit']?.[0] === 'weeks' && q['date']?.[0] ? { body: fixture(`opsgenie-new-york/schedules/${SCHEDULE}.timeline.json`) } : undefined;
        default:
          return undefined;
      }
    });
    closers.push(api.close);
    const work = mkdtempSync(join(dir, 'og-'));
    const script = dumpScript('migrating-from-opsgenie.md')
      .replace(/^OG=https:\/\/api\.opsgenie\.com.*$/m, `OG=${api.url}`)
      .replace('11111111-2222-3333-4444-555555555555', SCHEDULE)
      .replace(/^export OPSGENIE_API_KEY=.*$/m, '')
      .replace(/^cd \.\. && firewatch import.*$/m, '');
    const ran = await bash(script, work, { OPSGENIE_API_KEY: 'og-key' });
    expect(ran).toEqual({ code: 0, stderr: '' });
    expect(paths(api.requests)).toEqual(['/v2/users', '/v2/schedules', '/v2/escalations', `/v2/schedules/${SCHEDULE}/overrides`, `/v2/schedules/${SCHEDULE}/timeline`]);
    const imported = await runCli(['import', 'opsgenie', '--from', join(work, 'opsgenie-dump'), '--people', join(FIXTURES, 'people.yml')]);
    expect(imported.code).toBe(0);
    expect(imported.err).toMatch(/^Self-check against Opsgenie's rendered schedule, Mon 2026-03-02 00:00 EST → Mon 2026-03-30 00:00 EDT: no differences\n/);
  });
});
