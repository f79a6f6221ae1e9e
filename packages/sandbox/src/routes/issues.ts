/**
 * Issues: create, get, update, list, lock/unlock, assignees. Pull requests share the number
 * space and appear in lists, as on GitHub. Fields a caller may not set (labels and assignees
 * below triage) are dropped silently, as GitHub does; editing someone else's issue needs write.
 */
import { z } from 'zod';
import { actingUser, atLeast, forbidden, requireRepo } from '../auth.ts';
import { emitPull } from '../git/pull-events.ts';
import { recordCrossReferences, recordIssueEvent, recordLabelEvent } from '../issueEvents.ts';
import { paginated } from '../paginate.ts';
import { HttpError, type Router, type SandboxRequest } from '../router.ts';
import { createLabel } from '../seed.ts';
import { issueJson, labelJson, nodeId, restIssueJson, timestamp, userByLogin } from '../shapes.ts';
import { labelKey, type IssueRecord, type LabelRecord, type RepoRecord, type SandboxUser } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { parseBody } from '../validate.ts';

export const MAX_BODY_CHARS = 65_536;

const labelInput = z.union([z.string().min(1), z.object({ name: z.string().min(1) }).transform((l) => l.name)]);
const bodyText = z.string().max(MAX_BODY_CHARS, `body is too long (maximum is ${MAX_BODY_CHARS} characters)`);

const createSchema = z.object({
  title: z.union([z.string().trim().min(1).max(256), z.number().transform(String)]),
  body: bodyText.nullish(),
  assignee: z.string().nullish(),
  assignees: z.array(z.string()).optional(),
  labels: z.array(labelInput).optional(),
  milestone: z.union([z.string(), z.number()]).nullish(),
});

const updateSchema = z.object({
  title: z.union([z.string().trim().min(1).max(256), z.number().transform(String)]).nullish(),
  body: bodyText.nullish(),
  state: z.enum(['open', 'closed']).optional(),
  state_reason: z.enum(['completed', 'not_planned', 'reopened', 'duplicate']).nullish(),
  assignee: z.string().nullish(),
  assignees: z.array(z.string()).optional(),
  labels: z.array(labelInput).optional(),
  milestone: z.union([z.string(), z.number()]).nullish(),
});

const lockSchema = z.object({ lock_reason: z.enum(['off-topic', 'too heated', 'resolved', 'spam']).optional() }).nullish();
const assigneesSchema = z.object({ assignees: z.array(z.string()).default([]) });

export function findIssue(repo: RepoRecord, request: SandboxRequest): IssueRecord {
  const number = Number(request.params['issue_number']);
  const issue = Number.isInteger(number) ? repo.issues.get(number) : undefined;
  if (!issue) throw new HttpError(404, 'Not Found');
  return issue;
}

/** Emits an `issues` event, or the `pull_request` event GitHub sends when the issue is a PR. */
function emitIssueEvent(sandbox: SandboxApi, repo: RepoRecord, issue: IssueRecord, action: string, sender: SandboxUser, extra: Record<string, unknown> = {}): void {
  if (issue.isPullRequest) {
    const pull = repo.pulls.get(issue.number);
    if (pull) emitPull(sandbox, repo, pull, action, sender, extra);
    return;
  }
  sandbox.emit('issues', { action, issue: issueJson(sandbox, repo, issue), ...extra }, { repo, sender });
}

/** Finds a label by name, creating it (and announcing it) when missing, as adding labels does on GitHub. */
function ensureLabel(sandbox: SandboxApi, repo: RepoRecord, name: string, sender: SandboxUser): LabelRecord {
  const existing = repo.labels.get(labelKey(name));
  if (existing) return existing;
  const label = createLabel(sandbox, repo, { name });
  sandbox.emit('label', { action: 'created', label: labelJson(sandbox, repo, label) }, { repo, sender });
  return label;
}

/** Replaces an issue's labels, emitting `labeled`/`unlabeled` for the difference. */
export function applyLabels(sandbox: SandboxApi, repo: RepoRecord, issue: IssueRecord, names: string[], sender: SandboxUser): void {
  const wanted: LabelRecord[] = [];
  for (const name of names) {
    const label = ensureLabel(sandbox, repo, name, sender);
    if (!wanted.includes(label)) wanted.push(label);
  }
  const before = issue.labels.map((n) => repo.labels.get(labelKey(n))).filter((l): l is LabelRecord => l !== undefined);
  const removed = before.filter((l) => !wanted.includes(l));
  const added = wanted.filter((l) => !before.includes(l));
  if (!removed.length && !added.length) return;
  issue.labels = [...before.filter((l) => wanted.includes(l)), ...added].map((l) => l.name);
  issue.updated_at = timestamp(sandbox.now());
  for (const label of removed) {
    recordLabelEvent(sandbox, repo, issue, 'unlabeled', label.name, sender);
    emitIssueEvent(sandbox, repo, issue, 'unlabeled', sender, { label: labelJson(sandbox, repo, label) });
  }
  for (const label of added) {
    recordLabelEvent(sandbox, repo, issue, 'labeled', label.name, sender);
    emitIssueEvent(sandbox, repo, issue, 'labeled', sender, { label: labelJson(sandbox, repo, label) });
  }
}

function checkAssignable(repo: RepoRecord, logins: string[]): void {
  const invalid = logins.filter((login) => !repo.collaborators.has(login));
  if (invalid.length) {
    throw new HttpError(422, 'Validation Failed', invalid.map((login) => ({ resource: 'Issue', field: 'assignees', code: 'invalid', message: `${login} is not assignable` })));
  }
}

/** Replaces an issue's assignees, emitting `assigned`/`unassigned` for the difference. */
function applyAssignees(sandbox: SandboxApi, repo: RepoRecord, issue: IssueRecord, logins: string[], sender: SandboxUser): void {
  const wanted = [...new Set(logins)];
  checkAssignable(repo, wanted);
  const removed = issue.assignees.filter((l) => !wanted.includes(l));
  const added = wanted.filter((l) => !issue.assignees.includes(l));
  if (!removed.length && !added.length) return;
  issue.assignees = [...issue.assignees.filter((l) => wanted.includes(l)), ...added].slice(0, 10);
  issue.updated_at = timestamp(sandbox.now());
  for (const login of removed) {
    recordIssueEvent(sandbox, repo, issue, 'unassigned', sender, { subject: login });
    emitIssueEvent(sandbox, repo, issue, 'unassigned', sender, { assignee: userByLogin(sandbox, login) });
  }
  for (const login of added) {
    recordIssueEvent(sandbox, repo, issue, 'assigned', sender, { subject: login });
    emitIssueEvent(sandbox, repo, issue, 'assigned', sender, { assignee: userByLogin(sandbox, login) });
  }
}

function assigneeList(input: { assignee?: string | null | undefined; assignees?: string[] | undefined }): string[] | undefined {
  if (input.assignees !== undefined) return input.assignees;
  if (input.assignee !== undefined) return input.assignee === null ? [] : [input.assignee];
  return undefined;
}

function sortIssues(issues: IssueRecord[], sort: string | null, direction: string | null, commentCount: (i: IssueRecord) => number): IssueRecord[] {
  const key = sort === 'updated' ? (i: IssueRecord) => i.updated_at : sort === 'comments' ? (i: IssueRecord) => commentCount(i) : (i: IssueRecord) => i.created_at;
  const sign = direction === 'asc' ? 1 : -1;
  return [...issues].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka < kb) return -sign;
    if (ka > kb) return sign;
    return sign * (a.number - b.number);
  });
}

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'POST',
    '/repos/{owner}/{repo}/issues',
    (request) => {
      const { repo, permission } = requireRepo(sandbox, request, 'read');
      const sender = actingUser(request);
      const input = parseBody(createSchema, request.body, 'Issue');
      const now = timestamp(sandbox.now());
      const id = sandbox.nextId();
      const issue: IssueRecord = {
        id,
        node_id: nodeId('Issue', id),
        number: repo.nextNumber++,
        title: input.title,
        body: input.body ?? null,
        user: sender.login,
        state: 'open',
        state_reason: null,
        labels: [],
        assignees: [],
        locked: false,
        active_lock_reason: null,
        created_at: now,
        updated_at: now,
        closed_at: null,
        closed_by: null,
        isPullRequest: false,
      };
      const assignees = assigneeList(input);
      const canTriage = atLeast(permission, 'triage');
      if (canTriage && assignees) checkAssignable(repo, assignees);
      repo.issues.set(issue.number, issue);
      emitIssueEvent(sandbox, repo, issue, 'opened', sender);
      recordCrossReferences(sandbox, repo, issue, issue.body, sender);
      if (canTriage && input.labels) applyLabels(sandbox, repo, issue, input.labels, sender);
      if (canTriage && assignees) applyAssignees(sandbox, repo, issue, assignees, sender);
      issue.updated_at = now;
      return {
        status: 201,
        body: restIssueJson(sandbox, repo, issue),
        headers: { location: `${sandbox.apiUrl}/repos/${repo.owner}/${repo.name}/issues/${issue.number}` },
      };
    },
    { contentCreating: true },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const q = request.query;
      const state = q.get('state') ?? 'open';
      const labels = (q.get('labels') ?? '').split(',').map((l) => l.trim().toLowerCase()).filter(Boolean);
      const since = q.get('since');
      if (since && Number.isNaN(Date.parse(since))) throw new HttpError(422, 'Validation Failed', [{ resource: 'Issue', field: 'since', code: 'invalid', message: 'since must be an ISO-8601 timestamp' }]);
      const assignee = q.get('assignee');
      const creator = q.get('creator');
      const comments = new Map<number, number>();
      for (const c of repo.comments.values()) comments.set(c.issueNumber, (comments.get(c.issueNumber) ?? 0) + 1);
      const matching = [...repo.issues.values()].filter((issue) => {
        if (state !== 'all' && issue.state !== state) return false;
        if (labels.length && !labels.every((l) => issue.labels.some((n) => n.toLowerCase() === l))) return false;
        if (since && issue.updated_at < timestamp(new Date(since))) return false;
        if (assignee === 'none' && issue.assignees.length) return false;
        if (assignee === '*' && !issue.assignees.length) return false;
        if (assignee && assignee !== 'none' && assignee !== '*' && !issue.assignees.includes(assignee)) return false;
        if (creator && issue.user !== creator) return false;
        return true;
      });
      const sorted = sortIssues(matching, q.get('sort'), q.get('direction'), (i) => comments.get(i.number) ?? 0);
      return paginated(sandbox.apiUrl, request, sorted, (issue) => restIssueJson(sandbox, repo, issue));
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/{issue_number}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      return { status: 200, body: restIssueJson(sandbox, repo, findIssue(repo, request)) };
    },
    { auth: 'optional' },
  );

  router.add('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', (request) => {
    const { repo, permission } = requireRepo(sandbox, request, 'read');
    const sender = actingUser(request);
    const issue = findIssue(repo, request);
    const input = parseBody(updateSchema, request.body, 'Issue');
    const isAuthor = issue.user === sender.login;
    const editsContent = (input.title != null && input.title !== issue.title) || (input.body !== undefined && (input.body ?? null) !== issue.body);
    if (editsContent && !isAuthor && !atLeast(permission, 'write')) throw forbidden(request, 'write');
    const changesState = input.state !== undefined && input.state !== issue.state;
    if ((changesState || input.state_reason !== undefined) && !isAuthor && !atLeast(permission, 'triage')) throw forbidden(request, 'triage');
    const canTriage = atLeast(permission, 'triage');
    const assignees = assigneeList(input);
    if (canTriage && assignees) checkAssignable(repo, assignees);

    const now = timestamp(sandbox.now());
    const changes: Record<string, { from: string }> = {};
    if (input.title != null && input.title !== issue.title) {
      changes['title'] = { from: issue.title };
      recordIssueEvent(sandbox, repo, issue, 'renamed', sender, { rename: { from: issue.title, to: input.title } });
      issue.title = input.title;
    }
    if (input.body !== undefined && (input.body ?? null) !== issue.body) {
      changes['body'] = { from: issue.body ?? '' };
      issue.body = input.body ?? null;
      recordCrossReferences(sandbox, repo, issue, issue.body, sender);
    }
    if (Object.keys(changes).length) {
      issue.updated_at = now;
      emitIssueEvent(sandbox, repo, issue, 'edited', sender, { changes });
    }
    if (changesState && input.state === 'closed') {
      Object.assign(issue, { state: 'closed', closed_at: now, closed_by: sender.login, updated_at: now });
      issue.state_reason = input.state_reason === 'not_planned' || input.state_reason === 'duplicate' ? 'not_planned' : 'completed';
      recordIssueEvent(sandbox, repo, issue, 'closed', sender, { state_reason: issue.state_reason });
      emitIssueEvent(sandbox, repo, issue, 'closed', sender);
    } else if (changesState && input.state === 'open') {
      Object.assign(issue, { state: 'open', closed_at: null, closed_by: null, state_reason: 'reopened', updated_at: now });
      recordIssueEvent(sandbox, repo, issue, 'reopened', sender, { state_reason: 'reopened' });
      emitIssueEvent(sandbox, repo, issue, 'reopened', sender);
    } else if (input.state_reason !== undefined && issue.state === 'closed' && input.state_reason !== 'reopened') {
      issue.state_reason = input.state_reason === 'not_planned' || input.state_reason === 'duplicate' ? 'not_planned' : 'completed';
      issue.updated_at = now;
    }
    if (canTriage && input.labels) applyLabels(sandbox, repo, issue, input.labels, sender);
    if (canTriage && assignees) applyAssignees(sandbox, repo, issue, assignees, sender);
    return { status: 200, body: restIssueJson(sandbox, repo, issue) };
  });

  router.add('PUT', '/repos/{owner}/{repo}/issues/{issue_number}/lock', (request) => {
    const { repo } = requireRepo(sandbox, request, 'triage');
    const sender = actingUser(request);
    const issue = findIssue(repo, request);
    const input = parseBody(lockSchema, request.body, 'Issue');
    if (!issue.locked || issue.active_lock_reason !== (input?.lock_reason ?? null)) {
      issue.locked = true;
      issue.active_lock_reason = input?.lock_reason ?? null;
      issue.updated_at = timestamp(sandbox.now());
      recordIssueEvent(sandbox, repo, issue, 'locked', sender, { lock_reason: issue.active_lock_reason });
      emitIssueEvent(sandbox, repo, issue, 'locked', sender);
    }
    return { status: 204 };
  });

  router.add('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/lock', (request) => {
    const { repo } = requireRepo(sandbox, request, 'triage');
    const sender = actingUser(request);
    const issue = findIssue(repo, request);
    if (issue.locked) {
      issue.locked = false;
      issue.active_lock_reason = null;
      issue.updated_at = timestamp(sandbox.now());
      recordIssueEvent(sandbox, repo, issue, 'unlocked', sender);
      emitIssueEvent(sandbox, repo, issue, 'unlocked', sender);
    }
    return { status: 204 };
  });

  router.add('POST', '/repos/{owner}/{repo}/issues/{issue_number}/assignees', (request) => {
    const { repo } = requireRepo(sandbox, request, 'triage');
    const sender = actingUser(request);
    const issue = findIssue(repo, request);
    const input = parseBody(assigneesSchema, request.body, 'Issue');
    applyAssignees(sandbox, repo, issue, [...issue.assignees, ...input.assignees], sender);
    return { status: 201, body: restIssueJson(sandbox, repo, issue) };
  });

  router.add('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/assignees', (request) => {
    const { repo } = requireRepo(sandbox, request, 'triage');
    const sender = actingUser(request);
    const issue = findIssue(repo, request);
    const input = parseBody(assigneesSchema, request.body, 'Issue');
    applyAssignees(sandbox, repo, issue, issue.assignees.filter((l) => !input.assignees.includes(l)), sender);
    return { status: 200, body: restIssueJson(sandbox, repo, issue) };
  });
}
