import type { ScheduleConfigInput } from '../scheduleConfig.ts';

type StepInput = NonNullable<NonNullable<ScheduleConfigInput['escalation']>['steps']>[number];

export interface PlannedStep {
  afterMinutes: number;
  mention: string[];
}

/** Most loops PagerDuty allows (`num_loops` ≤ 9); Opsgenie repeats are cut to the same so a policy stays readable. */
export const MAX_LOOPS = 9;

/**
 * firewatch escalation steps from a vendor's rules: steps in order of `afterMinutes` (stable),
 * the same person or team mentioned once per step, and steps left with nobody to mention dropped.
 */
export function toSteps(planned: readonly PlannedStep[]): StepInput[] {
  return planned
    .map((step, index) => ({ step, index }))
    .sort((a, b) => a.step.afterMinutes - b.step.afterMinutes || a.index - b.index)
    .map(({ step }) => ({ afterMinutes: step.afterMinutes, mention: [...new Set(step.mention)] }))
    .filter((step) => step.mention.length > 0);
}
