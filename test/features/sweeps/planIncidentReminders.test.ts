import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/domain/config/config.ts';
import { incidentStateSchema, type IncidentStateInput } from '../../../src/domain/incident/incidentState.ts';
import { NO_COMMENT_FACTS, planIncidentReminders, type CommentFacts, type IncidentFacts, type PolicyFacts } from '../../../src/domain/sweep/planIncidentReminders.ts';

const { config } = validateConfig({
  oncall: {
    layers: [{ name: 'rot-a', participants: ['alice', 'bob'], handoff: { weekday: 'monday', time: '11:00' }, start: '2026-02-23' }],
    escalation: { steps: [{ afterMinutes: 20, mention: ['@carol'] }, { afterMinutes: 40, mention: ['@acme/sre'] }] },
  },
  sweeps: { staleMinutes: { P1: 30 } },
});
const policy: PolicyFacts = { oncall: config.oncall, ack: config.slo.ack, sweeps: config.sweeps, postmortem: config.postmortem.rules };

function incident(input: Partial<IncidentStateInput> = {}, facts: Partial<IncidentFacts> = {}): IncidentFacts {
  const state = incidentStateSchema.parse({ version: 1, id: 'x', title: 'Checkout errors', source: 'manual', service: 'checkout', severity: 'P2', status: 'triggered', triggeredAt: '2026-03-02T10:00:00Z', ...input });
  return { number: 7, title: state.title, url: 'https://github.test/acme/shop/issues/7', open: true, labels: ['incident'], assignees: [], updatedAt: '2026-03-02T10:00:00Z', state, ...facts };
}

function posted(...keys: string[]): CommentFacts {
  return { reminders: new Set(keys), postmortem: null };
}

const at = (iso: string) => new Date(iso);

describe('ack SLO', () => {
  it('is not breached within the business-hours 10 minutes', () => {
    expect(planIncidentReminders(incident(), NO_COMMENT_FACTS, policy, at('2026-03-02T10:10:00Z'))).toEqual([]);
  });

  it('ack after SLO escalates once: comment, label, on-call mention and the next step', () => {
    const [reminder, ...rest] = planIncidentReminders(incident(), NO_COMMENT_FACTS, policy, at('2026-03-02T10:11:00Z'));
    expect(rest).toEqual([]);
    expect(reminder).toMatchObject({ kind: 'ack-slo', keys: ['ack-slo'], comment: true, addLabel: true, onCall: ['alice'], escalation: { kind: 'waiting', index: 0, inMinutes: 9 } });
    expect(planIncidentReminders(incident({}, { labels: ['incident', 'slo:breached'] }), posted('ack-slo'), policy, at('2026-03-02T10:12:00Z'))).toEqual([]);
  });

  it('adds only the missing label when the comment is already there', () => {
    expect(planIncidentReminders(incident(), posted('ack-slo'), policy, at('2026-03-02T10:12:00Z'))).toMatchObject([{ kind: 'ack-slo', keys: [], comment: false, addLabel: true }]);
  });

  it('never escalates an acknowledged incident, even one acknowledged late', () => {
    const acknowledged = incident({ status: 'acknowledged', acknowledgedAt: '2026-03-02T10:30:00Z' });
    expect(planIncidentReminders(acknowledged, NO_COMMENT_FACTS, policy, at('2026-03-02T11:00:00Z'))).toEqual([]);
  });

  it('gives no guarantee at night, so a triggered incident at 03:00 on a Saturday is not escalated', () => {
    expect(planIncidentReminders(incident({ triggeredAt: '2026-03-07T03:00:00Z' }), NO_COMMENT_FACTS, policy, at('2026-03-07T06:59:00Z'))).toEqual([]);
  });

  it('takes the escalation steps one at a time after the breach, each once', () => {
    const breached = incident({}, { labels: ['incident', 'slo:breached'] });
    expect(planIncidentReminders(breached, posted('ack-slo'), policy, at('2026-03-02T10:21:00Z'))).toMatchObject([{ kind: 'escalation', keys: ['escalation-0'], step: { mention: ['@carol'] }, next: { kind: 'waiting', index: 1 } }]);
    expect(planIncidentReminders(breached, posted('ack-slo', 'escalation-0'), policy, at('2026-03-02T10:39:00Z'))).toEqual([]);
    expect(planIncidentReminders(breached, posted('ack-slo', 'escalation-0'), policy, at('2026-03-02T10:45:00Z'))).toMatchObject([{ kind: 'escalation', keys: ['escalation-1'], next: { kind: 'exhausted' } }]);
    expect(planIncidentReminders(breached, posted('ack-slo', 'escalation-0', 'escalation-1'), policy, at('2026-03-02T12:00:00Z'))).toEqual([]);
  });

  it('brings in a step that is already due in the breach comment itself', () => {
    expect(planIncidentReminders(incident(), NO_COMMENT_FACTS, policy, at('2026-03-02T10:25:00Z'))).toMatchObject([{ kind: 'ack-slo', keys: ['ack-slo', 'escalation-0'], escalation: { kind: 'due', index: 0 } }]);
  });
});

describe('stale incidents', () => {
  const p1 = incident({ severity: 'P1', status: 'investigating', acknowledgedAt: '2026-03-02T10:05:00Z', roles: { commander: 'bob', comms: 'carol' } });

  it('nudges commander and comms once per silence after the configured minutes', () => {
    expect(planIncidentReminders(p1, NO_COMMENT_FACTS, policy, at('2026-03-02T10:34:00Z'))).toEqual([]);
    expect(planIncidentReminders(p1, NO_COMMENT_FACTS, policy, at('2026-03-02T10:35:00Z'))).toMatchObject([{ kind: 'stale', keys: ['stale:2026-03-02T10:05:00.000Z'], mention: ['bob', 'carol'] }]);
    expect(planIncidentReminders(p1, posted('stale:2026-03-02T10:05:00.000Z'), policy, at('2026-03-02T12:00:00Z'))).toEqual([]);
  });

  it('leaves severities without a threshold alone', () => {
    expect(planIncidentReminders({ ...p1, state: { ...p1.state, severity: 'P3' } }, NO_COMMENT_FACTS, policy, at('2026-03-03T10:00:00Z'))).toEqual([]);
  });
});

describe('postmortem reminders', () => {
  const resolved = incident({ severity: 'P2', status: 'resolved', acknowledgedAt: '2026-03-02T10:05:00Z', acknowledgedBy: 'bob', resolvedAt: '2026-03-02T12:00:00Z' }, { open: false });

  it('reminds the commander (else whoever acknowledged) two days after resolution when no draft is linked', () => {
    expect(planIncidentReminders(resolved, NO_COMMENT_FACTS, policy, at('2026-03-04T11:59:00Z'))).toEqual([]);
    expect(planIncidentReminders(resolved, NO_COMMENT_FACTS, policy, at('2026-03-04T12:00:00Z'))).toMatchObject([{ kind: 'postmortem', mention: ['bob'] }]);
  });

  it('is skipped once a draft exists or the reminder was posted', () => {
    expect(planIncidentReminders(resolved, { reminders: new Set(), postmortem: { url: null, reviewed: false } }, policy, at('2026-03-05T00:00:00Z'))).toEqual([]);
    expect(planIncidentReminders(resolved, posted('postmortem'), policy, at('2026-03-05T00:00:00Z'))).toEqual([]);
  });

  it('is not sent for incidents the postmortem rules say need none (a short P4)', () => {
    expect(planIncidentReminders({ ...resolved, state: { ...resolved.state, severity: 'P4' } }, NO_COMMENT_FACTS, policy, at('2026-03-05T00:00:00Z'))).toEqual([]);
  });

  it('follows postmortem.rules, not a list of its own: a P4 open for five hours, a rollback, a data-loss label', () => {
    const p4 = { ...resolved.state, severity: 'P4' as const };
    // Resolved 5 h after the trigger: over the default PT4H, so drafting wants a postmortem and so does the reminder.
    const long = { ...resolved, state: { ...p4, resolvedAt: '2026-03-02T15:00:00Z' } };
    expect(planIncidentReminders(long, NO_COMMENT_FACTS, policy, at('2026-03-04T15:00:00Z'))).toMatchObject([{ kind: 'postmortem', mention: ['bob'] }]);
    const rolledBack = { ...resolved, state: { ...p4, timeline: [{ at: '2026-03-02T11:00:00Z', type: 'rollback', actor: 'bob', text: 'Rolled back #12' }] } };
    expect(planIncidentReminders(rolledBack, NO_COMMENT_FACTS, policy, at('2026-03-04T12:00:00Z'))).toMatchObject([{ kind: 'postmortem' }]);
    const dataLoss = { ...resolved, labels: ['incident', 'data-loss'], state: p4 };
    expect(planIncidentReminders(dataLoss, NO_COMMENT_FACTS, policy, at('2026-03-04T12:00:00Z'))).toMatchObject([{ kind: 'postmortem' }]);
  });

  it('is not sent for a P2 when the rules need postmortems for P1 only', () => {
    const { config: strict } = validateConfig({ postmortem: { rules: { severities: ['P1'], openLongerThan: null } } });
    const strictPolicy: PolicyFacts = { ...policy, postmortem: strict.postmortem.rules };
    expect(planIncidentReminders(resolved, NO_COMMENT_FACTS, strictPolicy, at('2026-03-04T12:00:00Z'))).toEqual([]);
  });

  it('is not sent after /postmortem skip, nor when the draft is on the timeline, without reading comments', () => {
    const skipped = { ...resolved, state: { ...resolved.state, timeline: [{ at: '2026-03-02T12:05:00Z', type: 'postmortem-skipped', actor: 'bob', text: 'No postmortem: known cause' }] } };
    expect(planIncidentReminders(skipped, NO_COMMENT_FACTS, policy, at('2026-03-04T12:00:00Z'))).toEqual([]);
    const drafted = { ...resolved, state: { ...resolved.state, timeline: [{ at: '2026-03-02T12:01:00Z', type: 'postmortem', actor: 'firewatch[bot]', text: 'Postmortem draft: acme/post_mortems#3', markdown: true as const }] } };
    expect(planIncidentReminders(drafted, NO_COMMENT_FACTS, policy, at('2026-03-04T12:00:00Z'))).toEqual([]);
  });
});
