import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { reportCli } from '../../../src/runtimes/cli/report.ts';
import { renderStateBlock } from '../../../src/domain/incident/incidentState.ts';
import { renderSuspectsBlock } from '../../../src/domain/correlation/suspectsView.ts';
import type { Sandbox } from '@firewatch/sandbox';
import { resolvedRecord } from '../../domain/metrics/fixtures.ts';
import { octokitFor, startSandbox } from '../../support/sandbox.ts';

let sandbox: Sandbox;
const out = mkdtempSync(join(tmpdir(), 'firewatch-report-'));

beforeAll(async () => {
  sandbox = await startSandbox({ now: new Date('2026-03-01T00:00:00Z') });
  const alice = octokitFor(sandbox, 'sandbox-alice');
  const repo = { owner: 'acme', repo: 'shop' };
  const incidents = [
    resolvedRecord({ number: 0, triggeredAt: '2026-01-05T10:00:00Z', ack: 3, resolve: 30, severity: 'P1', labels: ['slo:breached'] }),
    resolvedRecord({ number: 0, triggeredAt: '2026-02-05T10:00:00Z', ack: 8, resolve: 90, service: 'search', timeline: [{ at: '2026-02-05T10:30:00Z', type: 'rollback', text: 'Rollback opened' }] }),
  ];
  for (const incident of incidents) {
    const { data } = await alice.rest.issues.create({ ...repo, title: incident.state.title, body: `Summary\n\n${renderStateBlock(incident.state)}\n`, labels: incident.labels as string[] });
    await alice.rest.issues.update({ ...repo, issue_number: data.number, state: 'closed', state_reason: 'completed' });
  }
  // Not an incident firewatch wrote: no state block, so it is not measured.
  await alice.rest.issues.create({ ...repo, title: 'hand-made', body: 'no state', labels: ['incident'] });
}, 30_000);

afterAll(async () => {
  await sandbox?.close();
  rmSync(out, { recursive: true, force: true });
});

function io(): { stdout: PassThrough; stderr: PassThrough; env: NodeJS.ProcessEnv; text: () => { out: string; err: string } } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: '', err: '' };
  stdout.on('data', (chunk: Buffer) => (chunks.out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (chunks.err += chunk.toString()));
  return { stdout, stderr, env: {}, text: () => chunks };
}

describe('firewatch report', () => {
  it('reads incident issues from the API and writes Markdown, CSV and SVG charts', async () => {
    const streams = io();
    const code = await reportCli({ values: { since: '90d', repo: 'acme/shop', out, 'api-url': sandbox.apiUrl, token: 'sandbox-alice' } }, streams, new Date('2026-03-01T00:00:00Z'));
    expect(streams.text().err).toBe('');
    expect(code).toBe(0);
    expect(streams.text().out).toContain('Report 2025-12-01 – 2026-03-01: 2 incidents in acme/shop');
    expect(readdirSync(join(out, 'charts')).sort()).toEqual(['incidents-by-month.svg', 'response-times-by-month.svg', 'time-to-resolve-by-service.svg']);
    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    expect(markdown).toContain('- **2** incidents (2 resolved)');
    expect(markdown).toContain('Change-related cause: 50%; rolled back: 50%');
    const svg = readFileSync(join(out, 'charts', 'time-to-resolve-by-service.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // Axis labels and bars are real SVG text and paths, readable on GitHub.
    expect(svg).toContain('>search</text>');
    expect(svg).toContain('>checkout</text>');
    expect(svg).toMatch(/<path[^>]+d="M/);
    expect(readFileSync(join(out, 'incidents.csv'), 'utf8').trim().split('\r\n')).toHaveLength(3);
    expect(streams.text().out.endsWith(`wrote 6 files to ${out}\n`)).toBe(true);
  }, 30_000);

  it('says how far it got while it reads many incidents', async () => {
    const alice = octokitFor(sandbox, 'sandbox-alice');
    const repo = { owner: 'acme', repo: 'post_mortems' };
    for (let day = 1; day <= 45; day++) {
      const incident = resolvedRecord({ number: 0, triggeredAt: `2026-01-${String((day % 28) + 1).padStart(2, '0')}T${String(day % 24).padStart(2, '0')}:00:00Z`, ack: 3, resolve: 30 });
      await alice.rest.issues.create({ ...repo, title: `${incident.state.title} ${day}`, body: `Summary\n\n${renderStateBlock({ ...incident.state, id: `${incident.state.id}-${day}` })}\n`, labels: ['incident'] });
    }
    const streams = io();
    const many = join(out, 'many');
    expect(await reportCli({ values: { since: '90d', repo: 'acme/post_mortems', out: many, 'api-url': sandbox.apiUrl, token: 'sandbox-alice' } }, streams, new Date('2026-03-01T00:00:00Z'))).toBe(0);
    expect(streams.text().err).toBe(['  reading acme/post_mortems: 20 of 45 incidents', '  reading acme/post_mortems: 40 of 45 incidents', '  reading acme/post_mortems: 45 of 45 incidents', ''].join('\n'));
    expect(streams.text().out).toContain('Report 2025-12-01 – 2026-03-01: 45 incidents in acme/post_mortems');
  }, 120_000);

  it("counts firewatch's own suspects verdicts, 50 incidents' comments to a GraphQL query, and reads by REST only an incident whose verdict may come later", async () => {
    // A world of its own: only this test's incidents, and its requests counted alone.
    const own = await startSandbox({ now: new Date('2026-03-01T00:00:00Z'), fixture: { repos: [{ name: 'payments' }] } });
    onTestFinished(() => own.close());
    const alice = octokitFor(own, 'sandbox-alice');
    const bot = octokitFor(own, 'sandbox-firewatch');
    const repo = { owner: 'acme', repo: 'payments' };
    const verdict = (kind: 'suspects' | 'no_likely_suspect') =>
      `### 🔎 Suspected changes\n\n${renderSuspectsBlock({ service: 'checkout', firstAlertAt: '2026-01-10T10:00:00.000Z', labels: {}, annotations: {}, verdict: kind, considered: 2, at: '2026-01-10T10:01:00.000Z', suspects: kind === 'suspects' ? [{ key: 'acme/payments#1', score: 0.8, command: '/rollback #1', evidence: [] }] : [] })}`;
    const numbers: number[] = [];
    for (let i = 0; i < 120; i++) {
      const incident = resolvedRecord({ number: i, triggeredAt: `2026-01-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z`, ack: 3, resolve: 30 });
      const { data } = await alice.rest.issues.create({ ...repo, title: `payments ${i}`, body: `Summary\n\n${renderStateBlock(incident.state)}\n`, labels: ['incident'] });
      numbers.push(data.number);
    }
    const comment = (author: typeof bot, index: number, body: string) => author.rest.issues.createComment({ ...repo, issue_number: numbers[index] ?? 0, body });
    // Firewatch's verdict right after filing: suspects on 30 incidents, none found on 10.
    for (let i = 0; i < 30; i++) await comment(bot, i, verdict('suspects'));
    for (let i = 30; i < 40; i++) await comment(bot, i, verdict('no_likely_suspect'));
    // A person pasting a verdict, and another app's bot, are not firewatch.
    await comment(alice, 40, verdict('suspects'));
    // One incident whose verdict came after 12 comments (a recompute): its first page does not
    // settle it, so it is read whole; one with 12 notes and no verdict is read whole too.
    for (let n = 0; n < 12; n++) await comment(bot, 41, `📝 note ${n}`);
    await comment(bot, 41, verdict('suspects'));
    for (let n = 0; n < 12; n++) await comment(bot, 42, `📝 note ${n}`);

    own.resetStats();
    const streams = io();
    const dir = join(out, 'payments');
    expect(await reportCli({ values: { since: '90d', repo: 'acme/payments', out: dir, 'api-url': own.apiUrl, token: 'sandbox-firewatch' } }, streams, new Date('2026-03-01T00:00:00Z'))).toBe(0);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain(`Change-related cause: ${Math.round((31 / 120) * 100)}%`);
    const { byRoute } = own.stats();
    // 120 incidents: 2 listing pages, 3 GraphQL queries of comments (and the token's `viewer`),
    // 2 incidents read by REST (1 page each), where one REST request per incident made 122.
    expect(byRoute['GET /repos/{owner}/{repo}/issues']).toBe(2);
    expect(byRoute['POST /graphql']).toBe(1 + 3);
    expect(byRoute['GET /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBe(2);
  }, 120_000);

  it('refuses a period it cannot read, before asking GitHub anything', async () => {
    const streams = io();
    expect(await reportCli({ values: { since: 'last week' } }, streams)).toBe(2);
    expect(streams.text().err).toContain('--since "last week" is neither a length');
  });
});
