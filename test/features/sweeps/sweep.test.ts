import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/domain/config/config.ts';
import { incidentStateSchema, renderStateBlock } from '../../../src/domain/incident/incidentState.ts';
import { sweep, SweepMemory } from '../../../src/features/sweeps/sweep.ts';
import { FIREWATCH } from '../../support/identity.ts';

interface Issue { number: number; title: string; body: string; state: 'open' | 'closed'; labels: string[]; updated_at: string; created_at: string; html_url: string }
interface Comment { id: number; issue: number; body: string; user: { login: string; type: string }; created_at: string; html_url: string }

/** Just enough of GitHub's issues API for sweeps, counting every request. */
function fakeGitHub(now: () => Date) {
  const issues: Issue[] = [];
  const comments: Comment[] = [];
  const requests: string[] = [];
  const touch = (issue: Issue) => (issue.updated_at = new Date(now().getTime() + requests.length).toISOString());
  const octokit = {
    rest: {
      issues: {
        async listForRepo(p: { repo: string; state?: string; labels?: string; since?: string }) {
          requests.push(`list ${p.repo} ${p.state} ${p.labels}`);
          const data = issues.filter((issue) => p.repo === 'shop' && (p.state === 'all' || issue.state === p.state) && (p.labels ?? '').split(',').filter(Boolean).every((label) => issue.labels.includes(label)) && (!p.since || issue.updated_at >= p.since));
          return { data: data.map((issue) => ({ ...issue, labels: issue.labels.map((name) => ({ name })), assignees: [] })) };
        },
        async get(p: { issue_number: number }) {
          requests.push(`get #${p.issue_number}`);
          const issue = issues.find((candidate) => candidate.number === p.issue_number);
          if (!issue) throw Object.assign(new Error('Not Found'), { status: 404 });
          return { data: { ...issue, labels: issue.labels.map((name) => ({ name })), assignees: [] } };
        },
        async listComments(p: { issue_number: number }) {
          requests.push(`comments #${p.issue_number}`);
          return { data: comments.filter((comment) => comment.issue === p.issue_number) };
        },
        async createComment(p: { issue_number: number; body: string }) {
          requests.push(`comment #${p.issue_number}`);
          const comment = { id: comments.length + 1, issue: p.issue_number, body: p.body, user: { login: 'firewatch[bot]', type: 'Bot' }, created_at: now().toISOString(), html_url: 'https://github.test/c' };
          comments.push(comment);
          const issue = issues.find((candidate) => candidate.number === p.issue_number);
          if (issue) touch(issue);
          return { data: comment };
        },
        async addLabels(p: { issue_number: number; labels: string[] }) {
          requests.push(`label #${p.issue_number} ${p.labels.join(',')}`);
          const issue = issues.find((candidate) => candidate.number === p.issue_number);
          if (issue) {
            issue.labels.push(...p.labels.filter((label) => !issue.labels.includes(label)));
            touch(issue);
          }
          return {};
        },
        async create(p: { repo: string; title: string; body?: string; labels?: string[] }) {
          requests.push(`create ${p.repo} ${p.title}`);
          const issue: Issue = { number: 100 + issues.length, title: p.title, body: p.body ?? '', state: 'open', labels: p.labels ?? [], updated_at: now().toISOString(), created_at: now().toISOString(), html_url: 'https://github.test/i' };
          if (p.repo === 'shop') issues.push(issue);
          return { data: { ...issue, labels: issue.labels.map((name) => ({ name })) } };
        },
      },
    },
  };
  return { octokit, issues, comments, requests, touch };
}

const { config } = validateConfig({
  oncall: { layers: [{ name: 'rot-a', participants: ['alice', 'bob'], handoff: { weekday: 'monday', time: '11:00' }, start: '2026-02-23' }] },
  sweeps: { review: { enabled: false }, handoff: { enabled: false } },
});
const repo = { owner: 'acme', repo: 'shop' };

function triggered(number: number) {
  const state = incidentStateSchema.parse({ version: 1, id: `i${number}`, title: 'Checkout errors', source: 'manual', service: 'checkout', severity: 'P2', status: 'triggered', triggeredAt: '2026-03-02T10:00:00Z' });
  return { number, title: '[P2] checkout: Checkout errors', body: `summary\n\n${renderStateBlock(state)}`, state: 'open' as const, labels: ['incident', 'sev:P2', 'status:triggered'], updated_at: '2026-03-02T10:00:00Z', created_at: '2026-03-02T10:00:00Z', html_url: `https://github.test/acme/shop/issues/${number}` };
}

describe('sweep', () => {
  it('posts the ack-SLO escalation once, even across fresh processes (the marker on GitHub remembers)', async () => {
    let now = new Date('2026-03-02T10:11:00Z');
    const github = fakeGitHub(() => now);
    github.issues.push(triggered(7));
    const first = await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now });
    expect(first.executed.map((action) => `${action.kind} ${action.reason}`)).toEqual(['comment ack-slo', 'label ack-slo']);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toContain('On call now: @alice');
    expect(github.issues[0]?.labels).toContain('slo:breached');

    for (const minutes of [12, 13, 30]) {
      now = new Date(`2026-03-02T10:${minutes}:00Z`);
      const again = await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now });
      expect(again.plan).toEqual([]);
    }
    expect(github.comments).toHaveLength(1);
  });

  it('costs two list requests when nothing is due, and reads comments only once per change with memory', async () => {
    const now = new Date('2026-03-02T10:11:00Z');
    const github = fakeGitHub(() => now);
    github.issues.push(triggered(7));
    const memory = new SweepMemory();
    await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now, memory });
    github.requests.length = 0;
    await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now, memory });
    expect(github.requests).toEqual(['list shop open incident', 'list shop closed incident', 'comments #7']);
    github.requests.length = 0;
    await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now, memory });
    expect(github.requests).toEqual(['list shop open incident', 'list shop closed incident']);
  });

  it('plans without writing on a dry run', async () => {
    const now = new Date('2026-03-02T10:11:00Z');
    const github = fakeGitHub(() => now);
    github.issues.push(triggered(7));
    const result = await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now, dryRun: true });
    expect(result.plan.map((action) => action.reason)).toEqual(['ack-slo', 'ack-slo']);
    expect(result.executed).toEqual([]);
    expect(github.requests.filter((request) => !request.startsWith('list') && !request.startsWith('comments'))).toEqual([]);
  });

  it('does not trust a marker pasted by a person', async () => {
    const now = new Date('2026-03-02T10:11:00Z');
    const github = fakeGitHub(() => now);
    github.issues.push(triggered(7));
    github.comments.push({ id: 1, issue: 7, body: '<!-- firewatch:event {"type":"slo-breached","at":"2026-03-02T10:10:00Z","reminders":["ack-slo"]} -->', user: { login: 'mallory', type: 'User' }, created_at: now.toISOString(), html_url: '' });
    const result = await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now });
    expect(result.executed.map((action) => action.kind)).toEqual(['comment', 'label']);
  });

  it('posts each handoff as a comment on one handoff issue, opening it the first time, once per handoff', async () => {
    const { config: handoffConfig } = validateConfig({
      oncall: { layers: [{ name: 'rot-a', participants: ['alice', 'bob'], handoff: { weekday: 'monday', time: '11:00' }, start: '2026-02-23' }] },
      sweeps: { review: { enabled: false }, handoff: { mode: 'comment', startChecklist: ['Read the open incidents'] } },
    });
    let now = new Date('2026-03-02T11:05:00Z');
    const github = fakeGitHub(() => now);
    await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config: handoffConfig, clock: () => now });
    expect(github.issues.map((issue) => [issue.title, issue.labels])).toEqual([['On-call handoffs', ['handoff']]]);
    expect(github.comments.map((comment) => comment.issue)).toEqual([100]);
    expect(github.comments[0]?.body).toContain('## Shift handoff: rot-a at Mon 2026-03-02 11:00 UTC');
    expect(github.comments[0]?.body).toContain('@alice → @bob');
    expect(github.comments[0]?.body).toContain('- [ ] Read the open incidents');

    now = new Date('2026-03-02T11:20:00Z');
    expect((await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config: handoffConfig, clock: () => now })).plan).toEqual([]);
    now = new Date('2026-03-09T11:01:00Z');
    await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config: handoffConfig, clock: () => now });
    expect(github.issues).toHaveLength(1);
    expect(github.comments.map((comment) => comment.issue)).toEqual([100, 100]);
    expect(github.comments[1]?.body).toContain('@bob → @alice');
  });

  it('writes an incident\'s reminders under its lock, after checking they are still due: an /ack that lands after the listing stops the escalation', async () => {
    const now = new Date('2026-03-02T10:11:00Z');
    const github = fakeGitHub(() => now);
    github.issues.push(triggered(7));
    const keys: string[] = [];
    // The /ack lands while the sweep waits for the incident's lock (a command holds it).
    const serialize = async <T,>(key: string, task: () => Promise<T>): Promise<T> => {
      keys.push(key);
      const issue = github.issues[0];
      if (issue) {
        const state = incidentStateSchema.parse({ version: 1, id: 'i7', title: 'Checkout errors', source: 'manual', service: 'checkout', severity: 'P2', status: 'acknowledged', triggeredAt: '2026-03-02T10:00:00Z', acknowledgedAt: '2026-03-02T10:10:30Z' });
        issue.body = `summary\n\n${renderStateBlock(state)}`;
        issue.labels = ['incident', 'sev:P2', 'status:acknowledged'];
        github.touch(issue);
      }
      return task();
    };
    const result = await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now, serialize });
    expect(result.plan.map((action) => `${action.kind} ${action.reason}`)).toEqual(['comment ack-slo', 'label ack-slo']);
    expect(keys).toEqual(['issue:acme/shop#7']);
    expect(result.executed).toEqual([]);
    expect(github.comments).toEqual([]);
    expect(github.issues[0]?.labels).not.toContain('slo:breached');
  });

  it('writes what is still due when the incident did not change, at the cost of one read', async () => {
    const now = new Date('2026-03-02T10:11:00Z');
    const github = fakeGitHub(() => now);
    github.issues.push(triggered(7));
    const keys: string[] = [];
    const result = await sweep({ identity: FIREWATCH, octokit: github.octokit, repo, config, clock: () => now, serialize: (key, task) => (keys.push(key), task()) });
    expect(keys).toEqual(['issue:acme/shop#7']);
    expect(result.executed.map((action) => `${action.kind} ${action.reason}`)).toEqual(['comment ack-slo', 'label ack-slo']);
    expect(github.requests).toEqual(['list shop open incident', 'list shop closed incident', 'comments #7', 'get #7', 'comment #7', 'label #7 slo:breached']);
  });
});
