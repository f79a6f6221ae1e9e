/**
 * Repository labels (write to create/edit/delete) and issue labels (triage to add/set/remove).
 * Adding a label that does not exist creates it, as GitHub does.
 */
import { z } from 'zod';
import { actingUser, requireRepo } from '../auth.ts';
import { paginated } from '../paginate.ts';
import { HttpError, type Router, type SandboxRequest } from '../router.ts';
import { createLabel } from '../seed.ts';
import { labelJson } from '../shapes.ts';
import { labelKey, type IssueRecord, type LabelRecord, type RepoRecord } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { parseBody } from '../validate.ts';
import { applyLabels, findIssue } from './issues.ts';

const color = z
  .string()
  .regex(/^#?[0-9a-fA-F]{6}$/, 'color must be a 6-character hex code')
  .transform((c) => c.replace(/^#/, '').toLowerCase());
const labelName = z.string().trim().min(1).max(50);

const createSchema = z.object({ name: labelName, color: color.optional(), description: z.string().max(100).nullish() });
const updateSchema = z.object({ new_name: labelName.optional(), name: labelName.optional(), color: color.optional(), description: z.string().max(100).nullish() });

const nameList = z.array(z.union([z.string().min(1), z.object({ name: z.string().min(1) }).transform((l) => l.name)]));
/** GitHub accepts `{labels: [...]}`, a bare array of names, or `{labels: [{name}]}`. */
const issueLabelsSchema = z.union([z.object({ labels: nameList }).transform((b) => b.labels), nameList]);

function findLabel(repo: RepoRecord, request: SandboxRequest): LabelRecord {
  const label = repo.labels.get(labelKey(request.params['name'] ?? ''));
  if (!label) throw new HttpError(404, 'Not Found');
  return label;
}

function labelsOf(sandbox: SandboxApi, repo: RepoRecord, issue: IssueRecord): unknown[] {
  return issue.labels.flatMap((name) => {
    const label = repo.labels.get(labelKey(name));
    return label ? [labelJson(sandbox, repo, label)] : [];
  });
}

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/repos/{owner}/{repo}/labels',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      return paginated(sandbox.apiUrl, request, [...repo.labels.values()].sort((a, b) => a.name.localeCompare(b.name)), (l) => labelJson(sandbox, repo, l));
    },
    { auth: 'optional' },
  );

  router.add(
    'POST',
    '/repos/{owner}/{repo}/labels',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'write');
      const sender = actingUser(request);
      const input = parseBody(createSchema, request.body, 'Label');
      if (repo.labels.has(labelKey(input.name))) throw new HttpError(422, 'Validation Failed', [{ resource: 'Label', field: 'name', code: 'already_exists' }]);
      const label = createLabel(sandbox, repo, { name: input.name, ...(input.color ? { color: input.color } : {}), description: input.description ?? null });
      sandbox.emit('label', { action: 'created', label: labelJson(sandbox, repo, label) }, { repo, sender });
      return { status: 201, body: labelJson(sandbox, repo, label) };
    },
    { contentCreating: true },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/labels/{name}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      return { status: 200, body: labelJson(sandbox, repo, findLabel(repo, request)) };
    },
    { auth: 'optional' },
  );

  router.add('PATCH', '/repos/{owner}/{repo}/labels/{name}', (request) => {
    const { repo } = requireRepo(sandbox, request, 'write');
    const sender = actingUser(request);
    const label = findLabel(repo, request);
    const input = parseBody(updateSchema, request.body, 'Label');
    const newName = input.new_name ?? input.name;
    const changes: Record<string, { from: string }> = {};
    if (newName !== undefined && newName !== label.name) {
      const clash = repo.labels.get(labelKey(newName));
      if (clash && clash !== label) throw new HttpError(422, 'Validation Failed', [{ resource: 'Label', field: 'name', code: 'already_exists' }]);
      changes['name'] = { from: label.name };
      repo.labels.delete(labelKey(label.name));
      for (const issue of repo.issues.values()) issue.labels = issue.labels.map((n) => (labelKey(n) === labelKey(label.name) ? newName : n));
      label.name = newName;
      repo.labels.set(labelKey(newName), label);
    }
    if (input.color !== undefined && input.color !== label.color) {
      changes['color'] = { from: label.color };
      label.color = input.color;
    }
    if (input.description !== undefined && (input.description ?? null) !== label.description) {
      changes['description'] = { from: label.description ?? '' };
      label.description = input.description ?? null;
    }
    if (Object.keys(changes).length) sandbox.emit('label', { action: 'edited', label: labelJson(sandbox, repo, label), changes }, { repo, sender });
    return { status: 200, body: labelJson(sandbox, repo, label) };
  });

  router.add('DELETE', '/repos/{owner}/{repo}/labels/{name}', (request) => {
    const { repo } = requireRepo(sandbox, request, 'write');
    const sender = actingUser(request);
    const label = findLabel(repo, request);
    const payloadLabel = labelJson(sandbox, repo, label);
    repo.labels.delete(labelKey(label.name));
    for (const issue of repo.issues.values()) issue.labels = issue.labels.filter((n) => labelKey(n) !== labelKey(label.name));
    sandbox.emit('label', { action: 'deleted', label: payloadLabel }, { repo, sender });
    return { status: 204 };
  });

  router.add(
    'GET',
    '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const issue = findIssue(repo, request);
      return paginated(sandbox.apiUrl, request, labelsOf(sandbox, repo, issue));
    },
    { auth: 'optional' },
  );

  router.add(
    'POST',
    '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'triage');
      const sender = actingUser(request);
      const issue = findIssue(repo, request);
      const names = parseBody(issueLabelsSchema, request.body, 'Label');
      applyLabels(sandbox, repo, issue, [...issue.labels, ...names], sender);
      return { status: 200, body: labelsOf(sandbox, repo, issue) };
    },
    { contentCreating: true },
  );

  router.add(
    'PUT',
    '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'triage');
      const sender = actingUser(request);
      const issue = findIssue(repo, request);
      const names = parseBody(issueLabelsSchema, request.body ?? [], 'Label');
      applyLabels(sandbox, repo, issue, names, sender);
      return { status: 200, body: labelsOf(sandbox, repo, issue) };
    },
    { contentCreating: true },
  );

  router.add('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/labels', (request) => {
    const { repo } = requireRepo(sandbox, request, 'triage');
    const sender = actingUser(request);
    applyLabels(sandbox, repo, findIssue(repo, request), [], sender);
    return { status: 204 };
  });

  router.add('DELETE', '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', (request) => {
    const { repo } = requireRepo(sandbox, request, 'triage');
    const sender = actingUser(request);
    const issue = findIssue(repo, request);
    const key = labelKey(request.params['name'] ?? '');
    if (!issue.labels.some((n) => labelKey(n) === key)) throw new HttpError(404, 'Label does not exist');
    applyLabels(sandbox, repo, issue, issue.labels.filter((n) => labelKey(n) !== key), sender);
    return { status: 200, body: labelsOf(sandbox, repo, issue) };
  });
}
