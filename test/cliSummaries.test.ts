/**
 * Every CLI command that writes something ends with one line saying what it wrote, where.
 * (report: test/features/report/reportCli.test.ts; sweep, postmortem render and import have theirs
 * in their own tests; demo ends with "Tour complete".)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '@firewatch/sandbox';
import { runCli } from './support/cli.ts';

const config = fileURLToPath(new URL('../packages/sandbox/src/demo/firewatch.yml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'firewatch-summaries-'));
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'summaries', now: new Date('2026-03-04T10:00:00Z') });
});

afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

describe('summary lines', () => {
  it('oncall --out says what it wrote: the schedule or the calendar, and how many shifts', async () => {
    const table = join(dir, 'oncall.txt');
    const tableRun = await runCli(['oncall', '--config', config, '--from', '2026-03-02', '--to', '2026-03-23', '--out', table]);
    expect(tableRun.err).toBe('');
    expect(tableRun.out).toBe(`wrote ${table}: the schedule, 4 shifts from 2026-03-02T00:00:00.000Z to 2026-03-23T00:00:00.000Z\n`);
    expect(readFileSync(table, 'utf8')).toContain('carol');

    const ics = join(dir, 'oncall.ics');
    const icsRun = await runCli(['oncall', '--config', config, '--from', '2026-03-02', '--to', '2026-03-23', '--ics', '--out', ics]);
    expect(icsRun.out).toBe(`wrote ${ics}: iCalendar, 4 shifts from 2026-03-02T00:00:00.000Z to 2026-03-23T00:00:00.000Z\n`);
    expect(readFileSync(ics, 'utf8')).toContain('BEGIN:VCALENDAR');
  });

  it('statuspage build ends with the page it wrote and what it read', async () => {
    const out = join(dir, 'status');
    const result = await runCli(['statuspage', 'build', '--out', out, '--repo', 'acme/shop', '--api-url', sandbox.apiUrl, '--token', 'sandbox-alice']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(lastLine(result.out)).toBe(`wrote the status page of acme/shop to ${out}: 3 files, 0 incidents of the last 90 days read`);
    expect(readdirSync(out).sort()).toEqual(['feed.atom', 'index.html', 'status.json']);
  });
});
