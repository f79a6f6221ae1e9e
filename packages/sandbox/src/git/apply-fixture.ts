/**
 * Turns a fixture repository's history into real git data: the initial commit from its files,
 * then every PR branched from its base, committed by its author and (when `merged_at` is set)
 * merged with a merge commit at that time, then the deployments. Nothing is emitted: a reset is
 * the world as it already was, not events happening now.
 */
import { resolveFixtureTime, type FixturePull, type FixtureRepo } from '../fixture.ts';
import { timestamp } from '../shapes.ts';
import type { RepoRecord, SandboxUser } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { commitChanges, type FileChange } from './branches.ts';
import { branchHead } from './refs.ts';
import { addDeploymentStatus, createDeployment } from './deployments.ts';
import { resolveRef } from './objects.ts';
import { createPull, mergePull } from './pull-requests.ts';

export class FixtureError extends Error {}

function slug(title: string): string {
  // Runs of `-` are one long after the first replace; trimming by hand keeps the linter's ReDoS rules quiet.
  const dashed = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const trimmed = (dashed.startsWith('-') ? dashed.slice(1) : dashed).slice(0, 40);
  return (trimmed.endsWith('-') ? trimmed.slice(0, -1) : trimmed) || 'change';
}

/** Someone real to attribute history to: the repository owner if a user, else its first admin. */
function historian(sandbox: SandboxApi, repo: RepoRecord): SandboxUser {
  const owner = sandbox.user(repo.owner);
  if (owner) return owner;
  const admin = [...repo.collaborators].find(([, permission]) => permission === 'admin')?.[0];
  return (admin ? sandbox.user(admin) : undefined) ?? { id: 0, login: repo.owner, type: 'Organization', name: repo.owner, email: `${repo.owner}@users.noreply.github.com` };
}

function userFor(sandbox: SandboxApi, login: string, context: string): SandboxUser {
  const user = sandbox.user(login);
  if (!user) throw new FixtureError(`${context}: unknown user "${login}"`);
  return user;
}

export function applyGitFixture(sandbox: SandboxApi, repo: RepoRecord, fixture: FixtureRepo): void {
  const now = sandbox.now();
  const at = (value: string): string => timestamp(resolveFixtureTime(value, now));
  const git = repo.git;

  const initial = commitChanges(git, {
    parent: undefined,
    changes: Object.entries(fixture.files).map(([path, content]) => ({ path, content })),
    message: 'Initial commit',
    author: historian(sandbox, repo),
    date: repo.created_at,
  });
  git.refs.set(`heads/${repo.default_branch}`, initial.sha);

  const pulls = fixture.pulls.map((pull, index) => {
    const mergedAt = pull.merged_at ? at(pull.merged_at) : undefined;
    const createdAt = pull.created_at ? at(pull.created_at) : timestamp(new Date(Date.parse(mergedAt ?? timestamp(now)) - 2 * 3_600_000));
    return { pull, index, mergedAt, createdAt, number: pull.number };
  });
  // Numbers follow creation order, around the ones the fixture pins.
  const taken = new Set(pulls.flatMap((p) => (p.number ? [p.number] : [])));
  let next = repo.nextNumber;
  for (const p of [...pulls].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.index - b.index)) {
    if (p.number) continue;
    while (taken.has(next) || repo.issues.has(next)) next++;
    p.number = next++;
  }
  // Merged PRs land in merge order; open ones after, in creation order.
  const order = [...pulls].sort((a, b) => {
    if (a.mergedAt && b.mergedAt) return a.mergedAt.localeCompare(b.mergedAt) || a.index - b.index;
    if (a.mergedAt || b.mergedAt) return a.mergedAt ? -1 : 1;
    return a.createdAt.localeCompare(b.createdAt) || a.index - b.index;
  });
  for (const { pull, mergedAt, createdAt, number } of order) applyPull(sandbox, repo, pull, { mergedAt, createdAt, number });

  for (const deployment of [...fixture.deployments].sort((a, b) => at(a.created_at).localeCompare(at(b.created_at)))) {
    const context = `deployment to ${deployment.environment} at ${deployment.created_at}`;
    let sha: string | undefined;
    if (deployment.pull !== undefined) {
      sha = repo.pulls.get(deployment.pull)?.merge_commit_sha ?? undefined;
      if (!sha) throw new FixtureError(`${context}: pull request #${deployment.pull} is not a merged PR of the fixture`);
    } else sha = resolveRef(git, deployment.ref ?? repo.default_branch);
    if (!sha) throw new FixtureError(`${context}: ref "${deployment.ref ?? ''}" does not exist`);
    const creator = deployment.creator ? userFor(sandbox, deployment.creator, context) : (sandbox.user(sandbox.state.installation.botLogin) ?? historian(sandbox, repo));
    const record = createDeployment(
      sandbox,
      repo,
      creator,
      { sha, ref: deployment.ref ?? repo.default_branch, environment: deployment.environment, createdAt: at(deployment.created_at), description: `Deploy ${sha.slice(0, 7)} to ${deployment.environment}` },
      { silent: true },
    );
    for (const status of [...deployment.statuses].sort((a, b) => at(a.created_at).localeCompare(at(b.created_at)))) {
      addDeploymentStatus(
        sandbox,
        repo,
        record,
        creator,
        {
          state: status.state,
          createdAt: at(status.created_at),
          description: status.description ?? `Deployment ${status.state.replace('_', ' ')}`,
          // Deploy pipelines link their run; fixtures have none, so point at a plausible one
          // (not at the sandbox, whose address is not known yet while the world is built).
          logUrl: `https://ci.${repo.owner}.example/${repo.name}/deploys/${record.id}`,
          environmentUrl: `https://${record.environment}.${repo.name}.${repo.owner}.example`,
        },
        { silent: true },
      );
    }
  }
}

function applyPull(sandbox: SandboxApi, repo: RepoRecord, pull: FixturePull, times: { mergedAt: string | undefined; createdAt: string; number: number | undefined }): void {
  const context = `pull request "${pull.title}"`;
  const author = userFor(sandbox, pull.user, context);
  const base = pull.base ?? repo.default_branch;
  const baseHead = branchHead(repo, base);
  if (!baseHead) throw new FixtureError(`${context}: base branch "${base}" does not exist`);
  let head = pull.head ?? `${author.login}/${slug(pull.title)}`;
  for (let i = 2; repo.git.refs.has(`heads/${head}`); i++) head = `${pull.head ?? `${author.login}/${slug(pull.title)}`}-${i}`;
  const changes: FileChange[] = pull.files.map((file) => (file.deleted ? { path: file.path, deleted: true } : { path: file.path, content: file.content ?? '' }));
  const commit = commitChanges(repo.git, { parent: baseHead, changes, message: pull.title, author, date: times.createdAt });
  repo.git.refs.set(`heads/${head}`, commit.sha);
  const record = createPull(sandbox, repo, author, {
    title: pull.title,
    body: pull.body,
    head,
    base,
    labels: pull.labels,
    createdAt: times.createdAt,
    ...(times.number ? { number: times.number } : {}),
  });
  if (times.mergedAt) {
    mergePull(sandbox, repo, record, author, { at: times.mergedAt, silent: true });
  }
}
