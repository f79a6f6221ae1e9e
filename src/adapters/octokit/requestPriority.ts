import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which GitHub requests go first when the rate-limit budget binds (the pacer, `githubPacer.ts`):
 * lower goes first. A new P1 incident before a new P2 ... before a new P5; a responder's command
 * before alert notices on existing incidents; then suspects comments, label tidying, sweeps, and
 * reports last. Requests made outside any `withPriority` count as notices.
 */
export const PRIORITY = {
  /** A new incident issue of severity P1 (add 1 per severity step: P2 is 2, ... P5 is 5). */
  newIncidentP1: 1,
  /** A person waiting on a slash command's answer. */
  command: 10,
  /** An alert joining, updating or resolving an incident that exists. */
  notice: 20,
  /** The suspects comment of a new incident (correlation). */
  suspects: 30,
  /** Labels created or aligned so each dimension has exactly one. */
  labels: 40,
  /** Scheduled sweeps: reminders, escalations, reviews, handoffs. */
  sweep: 50,
  /** Status pages, reports, metrics refreshes. */
  report: 60,
} as const;

export type RequestPriority = number;

/** The priority of creating a new incident issue of `severity` (`P1` ... `P5`; anything else as P5). */
export function newIncidentPriority(severity: string): RequestPriority {
  const rank = /^P([1-5])$/.exec(severity)?.[1];
  return PRIORITY.newIncidentP1 + (rank ? Number(rank) - 1 : 4);
}

const context = new AsyncLocalStorage<RequestPriority>();

/** Runs `work` with every GitHub request it makes (however deep) paced at `priority`. */
export function withPriority<T>(priority: RequestPriority, work: () => T): T {
  return context.run(priority, work);
}

/** The priority of the request being made now. */
export function currentPriority(): RequestPriority {
  return context.getStore() ?? PRIORITY.notice;
}
