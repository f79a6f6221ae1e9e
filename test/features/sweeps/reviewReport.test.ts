/**
 * The incident review's report with a small fake of GitHub: what the review issue says when the
 * report is already committed (an earlier run stopped before opening the issue), when committing
 * fails (branch protection, say), and what an empty period commits (nothing).
 */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/domain/config/config.ts';
import { incidentStateSchema, renderStateBlock } from '../../../src/domain/incident/incidentState.ts';
import { renderSuspectsBlock } from '../../../src/domain/correlation/suspectsView.ts';
import { renderReminderMarker } from '../../../src/domain/sweep/reminderMarker.ts';
import { sweep } from '../../../src/features/sweeps/sweep.ts';
import { commentFactsOf } from '../../../src/features/sweeps/readIncidents.ts';
import { FIREWATCH } from '../../support/identity.ts';

const now = new Date('2026-03-16T09:05:00Z');
const { config } = validateConfig({ timezone: 'UTC', sweeps: { review: { weekday: 'monday', time: '09:00', start: '2026-03-02', everyWeeks: 2 }, handoff: { enabled: false }, postmortem: { enabled: false } } });
const repo = { owner: 'acme', repo: 'shop' };

function incident(number: number, triggeredAt: string) {
  const state = incidentStateSchema.parse({
    version: 1, id: `i${number}`, title: 'Checkout errors', source: 'manual', service: 'checkout', severity: 'P2', status: 'resolved',
    triggeredAt, acknowledgedAt: new Date(Date.parse(triggeredAt) + 10 * 60_000).toISOString(), resolvedAt: new Date(Date.parse(triggeredAt) + 60 * 60_000).toISOString(),
  });
  return { number, title: 'Checkout errors', body: renderStateBlock(state), state: 'closed', labels: [{ name: 'incident' }], assignees: [], updated_at: Date.parse(triggeredAt) < Date.parse('2026-03-01') ? '2026-02-02T00:00:00Z' : '2026-03-10T00:00:00Z', created_at: triggeredAt, html_url: `https://github.test/acme/shop/issues/${number}` };
}

function fakeGitHub(options: { reportCommitted?: boolean; commitFails?: boolean; incidents: ReturnType<typeof incident>[]; reviews?: { body: string }[] }) {
  const requests: string[] = [];
  const created: { repo: string; title: string; body: string }[] = [];
  const notFound = () => Object.assign(new Error('Not Found'), { status: 404 });
  const octokit = {
    rest: {
      issues: {
        listForRepo: async (p: { repo: string; state?: string; since?: string }) => {
          requests.push(`list ${p.repo} ${p.state}${p.since ? ` since ${p.since.slice(0, 10)}` : ''}`);
          if (p.repo === 'post_mortems') return { data: (options.reviews ?? []).map((review, index) => ({ ...incident(90 + index, '2026-01-05T09:00:00Z'), ...review, labels: [{ name: 'incident-review' }] })) };
          return { data: p.repo === 'shop' && p.state === 'closed' ? options.incidents.filter((issue) => !p.since || issue.updated_at >= p.since) : [] };
        },
        get: async () => {
          throw notFound();
        },
        listComments: async () => (requests.push('comments'), { data: [] }),
        createComment: async () => ({ data: { id: 1, html_url: '' } }),
        addLabels: async () => ({}),
        create: async (p: { repo: string; title: string; body?: string }) => {
          requests.push(`create issue ${p.repo}`);
          created.push({ repo: p.repo, title: p.title, body: p.body ?? '' });
          return { data: { number: 1, html_url: '', title: p.title, state: 'open', labels: [] } };
        },
      },
      repos: {
        get: async () => (requests.push('get repo'), { data: { default_branch: 'main', html_url: 'https://github.test/acme/post_mortems' } }),
        getContent: async (p: { path: string }) => {
          requests.push(`get ${p.path}`);
          if (options.reportCommitted) return { data: { type: 'file', content: '', encoding: 'base64', sha: 'x' } };
          throw notFound();
        },
      },
      git: {
        getRef: async () => (requests.push('get ref'), { data: { object: { sha: 'head' } } }),
        getCommit: async () => (requests.push('get commit'), { data: { tree: { sha: 'tree' } } }),
        createTree: async (p: { tree: { path: string }[] }) => {
          requests.push(`create tree ${p.tree.map((item) => item.path).join(' ')}`);
          if (options.commitFails) throw Object.assign(new Error('Protected branch'), { status: 409 });
          return { data: { sha: 'new-tree' } };
        },
        createCommit: async () => (requests.push('create commit'), { data: { sha: 'new' } }),
        createRef: async () => ({}),
        updateRef: async () => (requests.push('update ref'), {}),
      },
    },
  };
  return { octokit, requests, created };
}

const twoIncidents = () => [incident(3, '2026-03-03T10:00:00Z'), incident(4, '2026-03-05T10:00:00Z')];

describe('the incident review report', () => {
  it('commits the report, then opens the review linking it', async () => {
    const github = fakeGitHub({ incidents: twoIncidents() });
    const result = await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now });
    const dir = 'reports/2026-03-16/acme/shop';
    expect(github.requests.filter((request) => !request.startsWith('list') && request !== 'comments')).toEqual([
      'get repo',
      `get ${dir}/report.md`,
      'get ref',
      'get commit',
      `create tree ${dir}/report.md ${dir}/incidents.csv ${dir}/summary.csv ${dir}/charts/incidents-by-month.svg ${dir}/charts/response-times-by-month.svg ${dir}/charts/time-to-resolve-by-service.svg`,
      'create commit',
      'update ref',
      'create issue post_mortems',
    ]);
    expect(result.executed.map((action) => action.kind)).toEqual(['files', 'issue']);
    expect(github.created[0]?.body).toContain('MTTA **10m** (p90 10m), MTTR **1h 00m** (p90 1h 00m)');
    expect(github.created[0]?.body).toContain(`(https://github.test/acme/post_mortems/raw/main/${dir}/charts/incidents-by-month.svg)`);
  });

  it('links a report an earlier run committed instead of committing it again', async () => {
    const github = fakeGitHub({ reportCommitted: true, incidents: twoIncidents() });
    const result = await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now });
    expect(result.executed.map((action) => action.kind)).toEqual(['issue']);
    expect(github.requests.some((request) => request.startsWith('create tree'))).toBe(false);
    expect(github.created[0]?.body).toContain('[report](https://github.test/acme/post_mortems/blob/main/reports/2026-03-16/acme/shop/report.md)');
  });

  it('still opens the review, with the figures and without broken chart links, when the commit fails', async () => {
    const github = fakeGitHub({ commitFails: true, incidents: twoIncidents() });
    const result = await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now });
    expect(result.executed.map((action) => action.kind)).toEqual(['issue']);
    expect(result.problems).toEqual([expect.stringContaining('report not committed to acme/post_mortems:main reports/2026-03-16/acme/shop/: Protected branch')]);
    const body = github.created[0]?.body ?? '';
    expect(body).toContain('- **2** incidents (2 resolved)');
    expect(body).not.toContain('github.test/acme/post_mortems/raw');
    expect(body).not.toContain('[report]');
  });

  it('commits nothing and shows no figures for a period without incidents', async () => {
    const github = fakeGitHub({ incidents: [] });
    const result = await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now });
    expect(result.executed.map((action) => action.kind)).toEqual(['issue']);
    expect(github.requests).not.toContain('get repo');
    expect(github.created[0]?.body).toContain('No incidents in this period');
    expect(github.created[0]?.body).not.toContain('Figures for the period');
  });

  it('reads back to the previous review when it is older than what the sweep read', async () => {
    // The last review was in January (reviews were off since): its period runs from there.
    const previous = renderReminderMarker({ type: 'incident-review', at: '2026-01-05T09:00:00Z', reminders: ['review:acme/shop:2026-01-05'], since: '2025-12-22T09:00:00Z', until: '2026-01-05T09:00:00Z' });
    const github = fakeGitHub({ incidents: [incident(2, '2026-02-01T10:00:00Z'), ...twoIncidents()], reviews: [{ body: `old review\n${previous}` }] });
    await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now });
    expect(github.requests).toContain('list shop closed since 2026-01-05');
    const body = github.created[0]?.body ?? '';
    expect(body).toContain('Incidents triggered from Mon 2026-01-05 09:00 UTC to Mon 2026-03-16 09:00 UTC');
    expect(body).toContain('acme/shop#2 Checkout errors');
    expect(body).toContain('- **3** incidents (3 resolved)');
  });

  it('plans the commit on a dry run without writing', async () => {
    const github = fakeGitHub({ incidents: twoIncidents() });
    const result = await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now, dryRun: true });
    expect(result.plan.map((action) => action.kind)).toEqual(['files', 'issue']);
    expect(result.executed).toEqual([]);
    expect(github.requests.filter((request) => request.startsWith('create') || request === 'update ref')).toEqual([]);
  });
});

describe('commentFactsOf', () => {
  const bot = { login: 'firewatch[bot]', type: 'Bot' };
  const person = { login: 'mallory', type: 'User' };
  const block = `Likely suspects: acme/shop#12\n\n${renderSuspectsBlock({ service: 'checkout', firstAlertAt: '2026-03-03T10:00:00Z', labels: {}, annotations: {}, verdict: 'suspects', suspects: [{ key: 'acme/shop#12', score: 0.9, command: '/rollback acme/shop#12' }], considered: 3, at: '2026-03-03T10:01:00Z' })}`;

  it('counts correlation suspects only from comments of ours', () => {
    const postmortems = { owner: 'acme', repo: 'post_mortems' };
    expect(commentFactsOf([{ body: block, user: bot }] as never, postmortems, FIREWATCH).suspects).toBe(true);
    expect(commentFactsOf([{ body: block, user: person }] as never, postmortems, FIREWATCH).suspects).toBe(false);
  });
});
