import type { IncidentState } from '../incident/incidentState.ts';
import { nextEscalationStep } from './escalation.ts';
import type { ScheduleConfig } from './scheduleConfig.ts';
import { whoIsOnCall } from './whoIsOnCall.ts';

/** Reminder key that marks an escalation step as notified (shared by the ack-SLO sweep and `/escalate`). */
export function escalationStepKey(index: number): string {
  return `escalation-${index}`;
}

/**
 * Escalation steps already brought in: `escalation-N` keys of our comments' reminder markers (the
 * ack-SLO sweep and `/escalate` replies), and the steps `/escalate` recorded in the incident's
 * timeline. Either one is enough, so a page is never sent twice for the same step.
 */
export function notifiedEscalationSteps(state: Pick<IncidentState, 'timeline'>, reminderKeys: Iterable<string>): number[] {
  const steps = new Set<number>();
  for (const key of reminderKeys) {
    const match = /^escalation-(\d+)$/.exec(key);
    if (match) steps.add(Number(match[1]));
  }
  for (const entry of state.timeline) if (entry.type === 'escalated' && entry.step !== undefined) steps.add(entry.step);
  return [...steps].sort((a, b) => a - b);
}

export interface NextEscalationFacts {
  schedule: ScheduleConfig;
  now: Date;
  /** From `notifiedEscalationSteps`. */
  notifiedSteps: readonly number[];
  /** The issue's current assignees: on-call people already on it are not paged again. */
  assignees: readonly string[];
}

export type NextEscalation =
  /** The next step of the escalation policy: mention all of it, assign its users, record `index`. */
  | { ok: true; kind: 'step'; index: number; count: number; users: string[]; teams: string[] }
  /** No policy, but people on call now are not on the incident yet: bring them in. */
  | { ok: true; kind: 'on-call'; users: string[]; teams: [] }
  | { ok: false; reason: 'exhausted' | 'everyone-on-it' | 'nobody-on-call' | 'not-configured'; message: string };

const NAME_SOMEONE = 'Name who should help: `/escalate @user reason` or `/escalate @org/team reason`.';

/**
 * What `/escalate` without a target does. With an escalation policy: the first step not yet
 * notified, whatever its `afterMinutes` (a person asking for help now should not wait for the
 * timer); the sweep then carries on from the step after it. Without a policy but with a schedule:
 * the people on call now who are not assigned yet (a secondary layer, or a shift that changed
 * since the incident opened). Pure; the caller looked up the notified steps and the assignees.
 */
export function decideNextEscalation(facts: NextEscalationFacts): NextEscalation {
  const { schedule } = facts;
  const steps = schedule.escalation.steps;
  if (steps.length > 0) {
    const decision = nextEscalationStep(schedule.escalation, Number.POSITIVE_INFINITY, facts.notifiedSteps);
    if (decision.kind !== 'due') {
      return {
        ok: false,
        reason: 'exhausted',
        message: `⚠️ \`/escalate\`: all ${steps.length} step${steps.length === 1 ? '' : 's'} of the escalation policy have already been brought in (by the ack-SLO sweep or an earlier \`/escalate\`), so nobody new was paged. ${NAME_SOMEONE}`,
      };
    }
    const mentions = decision.step.mention.map((mention) => mention.slice(1));
    return {
      ok: true,
      kind: 'step',
      index: decision.index,
      count: steps.length,
      users: mentions.filter((name) => !name.includes('/')),
      teams: mentions.filter((name) => name.includes('/')),
    };
  }
  if (schedule.layers.length === 0 && schedule.holidays.length === 0) {
    return {
      ok: false,
      reason: 'not-configured',
      message: `⚠️ \`/escalate\` without a target pages the next step of the escalation policy, but no escalation policy or on-call schedule is configured for this repository (\`oncall\` in \`.github/firewatch.yml\`), so nobody was paged. ${NAME_SOMEONE}`,
    };
  }
  const onCall = [...new Set(whoIsOnCall(schedule, facts.now).layers.flatMap((entry) => (entry.login ? [entry.login] : [])))];
  if (onCall.length === 0) {
    return {
      ok: false,
      reason: 'nobody-on-call',
      message: `⚠️ \`/escalate\`: nobody is on call right now (every layer has a gap) and no escalation policy is configured (\`oncall.escalation.steps\`), so nobody was paged. ${NAME_SOMEONE}`,
    };
  }
  const assigned = new Set(facts.assignees.map((login) => login.toLowerCase()));
  const missing = onCall.filter((login) => !assigned.has(login.toLowerCase()));
  if (missing.length === 0) {
    return {
      ok: false,
      reason: 'everyone-on-it',
      message: `⚠️ \`/escalate\`: everyone on call now (${onCall.map((login) => `\`${login}\``).join(', ')}) is already assigned and no escalation policy is configured (\`oncall.escalation.steps\`), so nobody new was paged. ${NAME_SOMEONE}`,
    };
  }
  return { ok: true, kind: 'on-call', users: missing, teams: [] };
}
