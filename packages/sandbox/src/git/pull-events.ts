/** The `pull_request` webhooks, and the synchronization of open PRs after a push to their head branch. */
import { timestamp } from '../shapes.ts';
import type { PullRecord, RepoRecord, SandboxUser } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { issueOf, refreshHead } from './pull-facts.ts';
import { pullJson } from './pull-json.ts';

export function emitPull(sandbox: SandboxApi, repo: RepoRecord, pull: PullRecord, action: string, sender: SandboxUser, extra: Record<string, unknown> = {}): void {
  sandbox.emit('pull_request', { action, number: pull.number, pull_request: pullJson(sandbox, repo, pull, 'webhook'), ...extra }, { repo, sender });
}

/** Open PRs whose head is `branch`, synchronized after a push, as GitHub does. */
export function synchronizePulls(sandbox: SandboxApi, repo: RepoRecord, branch: string, sender: SandboxUser, before: string | undefined): void {
  for (const pull of repo.pulls.values()) {
    if (pull.head.ref !== branch || repo.issues.get(pull.number)?.state !== 'open') continue;
    if (refreshHead(repo, pull)) {
      issueOf(repo, pull).updated_at = timestamp(sandbox.now());
      emitPull(sandbox, repo, pull, 'synchronize', sender, { before: before ?? pull.head.sha, after: pull.head.sha });
    }
  }
}
