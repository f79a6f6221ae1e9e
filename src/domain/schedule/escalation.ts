import type { EscalationPolicy, EscalationStep } from './scheduleConfig.ts';

export type EscalationDecision =
  /** The first step not yet notified is due now: mention its people, then record `index` as notified. */
  | { kind: 'due'; index: number; step: EscalationStep }
  /** Nothing is due yet; the next step fires in `inMinutes`. */
  | { kind: 'waiting'; index: number; step: EscalationStep; inMinutes: number }
  /** Every step has been notified (or the policy has none). */
  | { kind: 'exhausted' };

/**
 * The escalation step to act on. `afterMinutes` counts from the trigger. Steps are taken one at a
 * time in order, so a sweep that was down for a while catches up one step per call instead of
 * paging everyone at once; `/escalate` without a target passes `Infinity` to take the next step
 * whatever the time.
 */
export function nextEscalationStep(policy: EscalationPolicy, minutesSinceTrigger: number, alreadyNotifiedSteps: Iterable<number>): EscalationDecision {
  const notified = new Set(alreadyNotifiedSteps);
  const index = policy.steps.findIndex((_, position) => !notified.has(position));
  const step = policy.steps[index];
  if (index < 0 || !step) return { kind: 'exhausted' };
  if (minutesSinceTrigger >= step.afterMinutes) return { kind: 'due', index, step };
  return { kind: 'waiting', index, step, inMinutes: step.afterMinutes - minutesSinceTrigger };
}
