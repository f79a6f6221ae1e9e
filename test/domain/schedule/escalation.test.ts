import { describe, expect, it } from 'vitest';
import { nextEscalationStep } from '../../../src/domain/schedule/escalation.ts';
import { escalationPolicySchema } from '../../../src/domain/schedule/scheduleConfig.ts';

const policy = escalationPolicySchema.parse({
  steps: [
    { afterMinutes: 15, mention: ['@acme/sre'] },
    { afterMinutes: 30, mention: ['@carol', '@acme/eng-leads'] },
    { afterMinutes: 60, mention: ['@vp-eng'] },
  ],
});

describe('nextEscalationStep', () => {
  it('waits until the first step is due and says how long', () => {
    expect(nextEscalationStep(policy, 5, [])).toEqual({ kind: 'waiting', index: 0, step: policy.steps[0], inMinutes: 10 });
  });

  it('fires a step exactly at its minute, once', () => {
    expect(nextEscalationStep(policy, 15, [])).toEqual({ kind: 'due', index: 0, step: policy.steps[0] });
    expect(nextEscalationStep(policy, 16, [0])).toEqual({ kind: 'waiting', index: 1, step: policy.steps[1], inMinutes: 14 });
  });

  it('catches up one step per call after a long silence instead of paging everyone at once', () => {
    expect(nextEscalationStep(policy, 90, [])).toMatchObject({ kind: 'due', index: 0 });
    expect(nextEscalationStep(policy, 90, [0])).toMatchObject({ kind: 'due', index: 1 });
    expect(nextEscalationStep(policy, 90, new Set([0, 1]))).toMatchObject({ kind: 'due', index: 2, step: { mention: ['@vp-eng'] } });
    expect(nextEscalationStep(policy, 90, [0, 1, 2])).toEqual({ kind: 'exhausted' });
  });

  it('takes the next step whatever the time when /escalate passes Infinity', () => {
    expect(nextEscalationStep(policy, Number.POSITIVE_INFINITY, [0])).toMatchObject({ kind: 'due', index: 1 });
  });

  it('has nothing to do without steps', () => {
    expect(nextEscalationStep(escalationPolicySchema.parse({}), 1000, [])).toEqual({ kind: 'exhausted' });
  });

  it('rejects steps listed out of order and mentions that are not @user or @org/team', () => {
    const result = escalationPolicySchema.safeParse({
      steps: [
        { afterMinutes: 10, mention: ['@carol'] },
        { afterMinutes: 30, mention: ['carol', '@acme/sre'] },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['steps.1.mention.0', 'must be @user or @org/team']]);
    const ordered = escalationPolicySchema.safeParse({ steps: [{ afterMinutes: 30, mention: ['@carol'] }, { afterMinutes: 10, mention: ['@acme/sre'] }] });
    expect(ordered.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['steps.1.afterMinutes', 'must be at least 30 (steps are listed in the order they fire)']]);
  });
});
