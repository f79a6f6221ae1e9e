/**
 * A tiny in-memory stand-in for the Octokit methods features use, recording every call so
 * tests can assert the exact API traffic. Listing issues honours `state`, `labels`, `creator` and
 * pages (`per_page`, `page`); every issue is opened by `firewatch[bot]`.
 */
import type { IssueData } from '../../src/adapters/github/types.ts';

interface FakeIssue extends IssueData {
  assignees: string[];
  user: { login: string };
  created_at: string;
  updated_at: string;
}

export function fakeGitHub(options: { permissions?: Record<string, string>; assignable?: string[]; labels?: string[] } = {}) {
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  const issues: FakeIssue[] = [];
  const comments: { issue_number: number; body: string }[] = [];
  const labels = new Set(options.labels ?? []);
  const reactions: { comment_id: number; content: string }[] = [];
  const record = (method: string, params: object) => calls.push({ method, params: { ...params } });
  const notFound = () => Object.assign(new Error('Not Found'), { status: 404 });

  const octokit = {
    rest: {
      issues: {
        async create(p: { title: string; body?: string; labels?: string[]; assignees?: string[] }) {
          record('issues.create', p);
          const number = issues.length + 1;
          const issue: FakeIssue = { number, html_url: `https://github.test/acme/shop/issues/${number}`, title: p.title, body: p.body ?? null, state: 'open', labels: (p.labels ?? []).map((name) => ({ name })), assignees: p.assignees ?? [], user: { login: 'firewatch[bot]' }, created_at: '2026-01-14T09:00:00Z', updated_at: '2026-01-14T09:00:00Z' };
          issues.push(issue);
          return { data: issue };
        },
        async get(p: { issue_number: number }) {
          record('issues.get', p);
          const issue = issues.find((i) => i.number === p.issue_number);
          if (!issue) throw notFound();
          return { data: issue };
        },
        async update(p: { issue_number: number; title?: string; body?: string; state?: 'open' | 'closed'; labels?: string[]; assignees?: string[] }) {
          record('issues.update', p);
          const issue = issues.find((i) => i.number === p.issue_number);
          if (!issue) throw notFound();
          if (p.body !== undefined) issue.body = p.body;
          if (p.state) issue.state = p.state;
          if (p.labels) issue.labels = p.labels.map((name) => ({ name }));
          if (p.title !== undefined) issue.title = p.title;
          if (p.assignees) issue.assignees = p.assignees;
          return { data: issue };
        },
        async createComment(p: { issue_number: number; body: string }) {
          record('issues.createComment', p);
          comments.push({ issue_number: p.issue_number, body: p.body });
          return { data: { id: 1000 + comments.length, html_url: `https://github.test/c/${comments.length}` } };
        },
        async listLabelsForRepo(p: object) {
          record('issues.listLabelsForRepo', p);
          return { data: [...labels].map((name) => ({ name })) };
        },
        async createLabel(p: { name: string }) {
          record('issues.createLabel', p);
          labels.add(p.name);
          return {};
        },
        async updateLabel(p: { name: string }) {
          record('issues.updateLabel', p);
          return {};
        },
        async listForRepo(p: { state?: string; labels?: string; creator?: string; per_page?: number; page?: number }) {
          record('issues.listForRepo', p);
          const state = p.state ?? 'open';
          const wanted = (p.labels ?? '').split(',').filter(Boolean);
          const matching = issues.filter((i) => (state === 'all' || i.state === state) && wanted.every((name) => i.labels.some((l) => typeof l !== 'string' && l.name === name)) && (!p.creator || i.user.login === p.creator));
          const size = p.per_page ?? 30;
          const page = p.page ?? 1;
          return { data: matching.slice((page - 1) * size, page * size).map((i) => ({ ...i, assignees: i.assignees.map((login) => ({ login })) })) };
        },
        async checkUserCanBeAssigned(p: { assignee: string }) {
          record('issues.checkUserCanBeAssigned', p);
          if (!(options.assignable ?? []).includes(p.assignee)) throw notFound();
          return {};
        },
      },
      reactions: {
        async createForIssueComment(p: { comment_id: number; content: string }) {
          record('reactions.createForIssueComment', p);
          const existed = reactions.some((r) => r.comment_id === p.comment_id && r.content === p.content);
          if (!existed) reactions.push({ comment_id: p.comment_id, content: p.content });
          return { status: existed ? 200 : 201, data: { user: { login: 'firewatch[bot]' } } };
        },
        async listForIssueComment(p: { comment_id: number }) {
          record('reactions.listForIssueComment', p);
          return { data: reactions.filter((r) => r.comment_id === p.comment_id).map((r) => ({ content: r.content, user: { login: 'firewatch[bot]' } })) };
        },
      },
      repos: {
        async getCollaboratorPermissionLevel(p: { username: string }) {
          record('repos.getCollaboratorPermissionLevel', p);
          const role = options.permissions?.[p.username];
          if (!role) throw notFound();
          return { data: { permission: role === 'triage' ? 'read' : role === 'maintain' ? 'write' : role, role_name: role } };
        },
      },
    },
  };
  return {
    octokit,
    calls,
    methods: () => calls.map((c) => c.method),
    issues,
    comments,
    labels,
    reactions,
  };
}

export const quietLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function recordingLog() {
  const lines: { level: string; details: object; message: string }[] = [];
  const at = (level: string) => (details: object, message: string) => lines.push({ level, details, message });
  return { log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}
