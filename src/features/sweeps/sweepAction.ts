import { DateTime } from 'luxon';
import type { RepoRef } from '../../adapters/github/types.ts';

type SweepReason = 'ack-slo' | 'escalation' | 'stale' | 'postmortem' | 'review' | 'handoff';

/** Where a comment goes: an existing issue, or the handoff issue that has to be opened first. */
export type CommentTarget = { number: number } | { create: { title: string; body: string; labels: string[] } };

/**
 * One write the sweep will make; the plan is a list of these, printed by `firewatch sweep
 * --dry-run`. `settles` names repository-level reminders it completes, so this process does not
 * look them up again.
 */
export type SweepAction =
  | { kind: 'comment'; reason: SweepReason; repo: RepoRef; target: CommentTarget; body: string; marker: string; summary: string; settles?: string[] }
  | { kind: 'label'; reason: SweepReason; repo: RepoRef; issueNumber: number; labels: string[]; summary: string }
  | {
      kind: 'issue';
      reason: SweepReason;
      repo: RepoRef;
      title: string;
      body: string;
      labels: string[];
      summary: string;
      settles?: string[];
      /** The body to post instead when the `files` action named `unless` (planned before this one) failed. */
      fallback?: { unless: string; body: string };
    }
  | {
      /** Files committed to `branch` in one commit (the review's report), each path under `directory`. */
      kind: 'files';
      reason: SweepReason;
      repo: RepoRef;
      key: string;
      branch: string;
      directory: string;
      files: ReadonlyMap<string, string>;
      message: string;
      summary: string;
    };

export function mention(logins: readonly string[]): string {
  return logins.map((login) => (login.startsWith('@') ? login : `@${login}`)).join(', ');
}

/** `Mon 2026-03-02 09:00 EST`: times shown to people, in the team's zone. */
export function formatInstant(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ');
}

export function repoName(repo: RepoRef): string {
  return `${repo.owner}/${repo.repo}`;
}

/** One line per action, for logs and the CLI. */
export function describeAction(action: SweepAction): string {
  if (action.kind === 'files') return `${action.reason.padEnd(10)} commit ${action.files.size} files to ${repoName(action.repo)}:${action.branch} ${action.directory}/: ${action.summary}`;
  const where = action.kind === 'comment' ? ('number' in action.target ? `${repoName(action.repo)}#${action.target.number}` : `${repoName(action.repo)} (new issue "${action.target.create.title}")`) : action.kind === 'label' ? `${repoName(action.repo)}#${action.issueNumber}` : repoName(action.repo);
  const verb = action.kind === 'comment' ? 'comment on' : action.kind === 'label' ? `label ${action.labels.join(', ')} on` : `open issue "${action.title}" in`;
  return `${action.reason.padEnd(10)} ${verb} ${where}: ${action.summary}`;
}
