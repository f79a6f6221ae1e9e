import type { CommentFacts } from '../../domain/sweep/planIncidentReminders.ts';

/**
 * What earlier sweeps of this process already read from GitHub, so a sweep where nothing changed
 * costs only its list requests. Everything here is derived from GitHub and may be thrown away:
 * a fresh process (CLI, Action) simply reads again.
 */
export class SweepMemory {
  private readonly comments = new Map<string, { updatedAt: string; facts: CommentFacts }>();
  private readonly settled = new Set<string>();

  /** Comment facts of an issue, valid while its `updated_at` (bumped by every comment) is unchanged. */
  commentFacts(issueKey: string, updatedAt: string): CommentFacts | undefined {
    const known = this.comments.get(issueKey);
    return known && known.updatedAt === updatedAt ? known.facts : undefined;
  }

  rememberComments(issueKey: string, updatedAt: string, facts: CommentFacts): void {
    this.comments.set(issueKey, { updatedAt, facts });
  }

  /** Repository-level reminders (a review slot, a handoff) seen posted on GitHub. */
  isSettled(key: string): boolean {
    return this.settled.has(key);
  }

  settle(key: string): void {
    this.settled.add(key);
  }
}
