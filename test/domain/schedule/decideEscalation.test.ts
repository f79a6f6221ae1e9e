import { describe, expect, it } from 'vitest';
import { incidentStateSchema, type IncidentState } from '../../../src/domain/incident/incidentState.ts';
import type { IncidentStatus } from '../../../src/domain/incident/incidentStatus.ts';
import { decideNextEscalation, notifiedEscalationSteps } from '../../../src/domain/schedule/decideEscalation.ts';
import { scheduleConfigSchema, type ScheduleConfigInput } from '../../../src/domain/schedule/scheduleConfig.ts';
import { NO_COMMENT_FACTS, planIncidentReminders, type PolicyFacts } from '../../../src/domain/sweep/planIncidentReminders.ts';
import { ackSloConfigSchema } from '../../../src/domain/slo/ackSloConfig.ts';
import { sweepConfigSchema } from '../../../src/domain/sweep/sweepConfig.ts';
import { postmortemRulesSchema } from '../../../src/domain/postmortem/postmortemConfig.ts';
import { transition } from '../../../src/domain/incident/transition.ts';

const T0 = '2026-03-02T15:00:00.000Z';
const now = new Date('2026-03-02T15:20:00.000Z');

function incident(overrides: Partial<IncidentState> = {}): IncidentState {
  return incidentStateSchema.parse({ version: 1, id: '20260302-checkout-1a2b', title: 'HighErrorRate', source: 'generic', service: 'checkout', severity: 'P2', status: 'triggered', triggeredAt: T0, timeline: [{ at: T0, type: 'triggered', text: 'Triggered' }], ...overrides });
}

const layers: ScheduleConfigInput['layers'] = [
  { name: 'primary', participants: ['alice', 'bob'], handoff: { weekday: 'monday', time: '11:00' }, start: '2026-02-23' },
  { name: 'secondary', participants: ['carol', 'no-one'], handoff: { weekday: 'monday', time: '11:00' }, start: '2026-02-23' },
];
const steps = [
  { afterMinutes: 15, mention: ['@bob'] },
  { afterMinutes: 45, mention: ['@acme/sre', '@dave'] },
];
const schedule = (input: ScheduleConfigInput) => scheduleConfigSchema.parse(input);

describe('notifiedEscalationSteps', () => {
  it('joins the sweep markers and the steps /escalate recorded in the timeline, ignoring other keys', () => {
    const state = incident({ timeline: [{ at: T0, type: 'escalated', text: 'Escalated to @dave (step 3)', step: 2 }, { at: T0, type: 'escalated', text: 'Escalated to erin' }] });
    expect(notifiedEscalationSteps(state, ['ack-slo', 'escalation-0', 'stale:2026-03-02T15:00:00.000Z', 'escalation-x'])).toEqual([0, 2]);
  });
});

describe('decideNextEscalation (/escalate without a target)', () => {
  it('takes the first step nobody paged, before its afterMinutes, splitting people from teams', () => {
    const plan = decideNextEscalation({ schedule: schedule({ layers, escalation: { steps } }), now: new Date(T0), notifiedSteps: [], assignees: [] });
    expect(plan).toEqual({ ok: true, kind: 'step', index: 0, count: 2, users: ['bob'], teams: [] });
  });

  it('skips the step the ack-SLO sweep already paged', () => {
    const plan = decideNextEscalation({ schedule: schedule({ escalation: { steps } }), now, notifiedSteps: [0], assignees: [] });
    expect(plan).toEqual({ ok: true, kind: 'step', index: 1, count: 2, users: ['dave'], teams: ['acme/sre'] });
  });

  it('says the policy is exhausted once every step was paged, and suggests naming someone', () => {
    const plan = decideNextEscalation({ schedule: schedule({ layers, escalation: { steps } }), now, notifiedSteps: [0, 1], assignees: [] });
    expect(plan).toMatchObject({ ok: false, reason: 'exhausted' });
    if (plan.ok) return;
    expect(plan.message).toContain('all 2 steps of the escalation policy have already been brought in');
    expect(plan.message).toContain('`/escalate @user reason`');
  });

  it('without a policy, brings in the people on call now who are not assigned yet', () => {
    // Since the 2026-03-02 11:00 UTC handoff alice's turn in primary is over (bob), carol's secondary slot became a gap.
    const plan = decideNextEscalation({ schedule: schedule({ layers }), now, notifiedSteps: [], assignees: ['Alice'] });
    expect(plan).toEqual({ ok: true, kind: 'on-call', users: ['bob'], teams: [] });
  });

  it('without a policy, refuses when everyone on call is already assigned', () => {
    const plan = decideNextEscalation({ schedule: schedule({ layers }), now, notifiedSteps: [], assignees: ['BOB'] });
    expect(plan).toMatchObject({ ok: false, reason: 'everyone-on-it' });
    if (!plan.ok) expect(plan.message).toContain('everyone on call now (`bob`) is already assigned');
  });

  it('without a policy, refuses when every layer is a gap', () => {
    const gaps = schedule({ layers: [{ name: 'solo', participants: ['no-one'], handoff: { time: '11:00' }, start: '2026-02-23' }] });
    expect(decideNextEscalation({ schedule: gaps, now, notifiedSteps: [], assignees: [] })).toMatchObject({ ok: false, reason: 'nobody-on-call' });
  });

  it('keeps the clear refusal when neither a policy nor a schedule is configured', () => {
    const plan = decideNextEscalation({ schedule: schedule({}), now, notifiedSteps: [], assignees: [] });
    expect(plan).toMatchObject({ ok: false, reason: 'not-configured' });
    if (!plan.ok) expect(plan.message).toMatch(/no escalation policy or on-call schedule is configured .*nobody was paged/);
  });
});

describe('transition escalate-next', () => {
  const facts = { actor: 'carol', now, ref: 91 };
  const command = { name: 'escalate-next' as const, step: { index: 1, count: 2 }, users: ['dave', 'erin'], teams: ['acme/sre'], assignable: ['dave'], reason: 'db failover' };

  it('records the step index, labels escalated, assigns only assignable people and mentions everyone', () => {
    const result = transition(incident(), command, facts);
    expect(result).toMatchObject({ ok: true, assign: ['dave'], addLabels: ['escalated'] });
    if (!result.ok) return;
    expect(result.entries).toEqual([{ at: now.toISOString(), type: 'escalated', actor: 'carol', ref: 91, text: 'Escalated to @dave, @erin, @acme/sre (step 2): db failover', step: 1 }]);
    expect(result.state.roles.responders).toEqual(['dave', 'erin']);
    expect(result.message).toBe('🆘 Escalation step 2 of 2: @dave, @erin, @acme/sre (assigned: `@dave`; not assignable in this repository, notified only: `@erin`; teams cannot be assigned; they are notified): db failover.');
    expect(notifiedEscalationSteps(result.state, [])).toEqual([1]);
  });

  it('on-call escalation records no step', () => {
    const result = transition(incident(), { name: 'escalate-next', users: ['bob'], teams: [], assignable: ['bob'] }, facts);
    expect(result.ok && result.entries[0]).toMatchObject({ text: 'Escalated to @bob (on call)' });
    expect(result.ok && result.entries[0]?.step).toBeUndefined();
  });

  for (const status of ['resolved', 'canceled'] as IncidentStatus[]) {
    it(`is refused on a ${status} incident and changes nothing`, () => {
      const before = incident({ status, acknowledgedAt: T0, ...(status === 'resolved' ? { resolvedAt: T0, mitigatedAt: T0 } : {}) });
      const frozen = structuredClone(before);
      const result = transition(before, command, facts);
      expect(result).toMatchObject({ ok: false, reason: status });
      expect(before).toEqual(frozen);
    });
  }
});

describe('the ack-SLO sweep after /escalate', () => {
  const policy: PolicyFacts = { oncall: schedule({ layers, escalation: { steps } }), ack: ackSloConfigSchema.parse({}), sweeps: sweepConfigSchema.parse({}), postmortem: postmortemRulesSchema.parse({}) };
  const facts = (state: IncidentState) => ({ number: 7, title: 'HighErrorRate', url: 'https://github.test/acme/shop/issues/7', open: true, labels: ['incident'], assignees: [], updatedAt: T0, state });

  it('does not page a step /escalate recorded in the timeline, even before reading comments', () => {
    const escalated = incident({ timeline: [{ at: T0, type: 'triggered', text: 'Triggered' }, { at: '2026-03-02T15:05:00Z', type: 'escalated', text: 'Escalated to @bob (step 1)', step: 0 }] });
    const at = new Date('2026-03-02T15:50:00Z');
    const [breach] = planIncidentReminders(facts(escalated), NO_COMMENT_FACTS, policy, at);
    // Step 1 was paged by /escalate: the breach comment takes step 2, never step 1 again.
    expect(breach).toMatchObject({ kind: 'ack-slo', keys: ['ack-slo', 'escalation-1'], escalation: { kind: 'due', index: 1 } });
    const later = planIncidentReminders(facts(escalated), { reminders: new Set(['ack-slo', 'escalation-1']), postmortem: null }, policy, new Date('2026-03-02T17:00:00Z'));
    expect(later.filter((reminder) => reminder.kind === 'escalation')).toEqual([]);
  });
});
