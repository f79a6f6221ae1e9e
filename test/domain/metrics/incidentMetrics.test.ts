import { describe, expect, it } from 'vitest';
import { incidentMetrics } from '../../../src/domain/metrics/incidentMetrics.ts';
import { transition } from '../../../src/domain/incident/transition.ts';
import type { IncidentCommand } from '../../../src/domain/incident/transition.ts';
import type { IncidentState } from '../../../src/domain/incident/incidentState.ts';
import { minutes, recordOf, resolvedRecord, stateOf } from './fixtures.ts';

/** Drives a state through real transitions, as the ChatOps commands would. */
function run(state: IncidentState, steps: [string, IncidentCommand][]): IncidentState {
  let current = state;
  for (const [at, command] of steps) {
    const result = transition(current, command, { actor: 'carol', now: new Date(at) });
    if (!result.ok) throw new Error(`${command.name} at ${at}: ${result.message}`);
    current = result.state;
  }
  return current;
}

describe('incidentMetrics', () => {
  it('measures acknowledge, mitigate and resolve from the trigger', () => {
    const state = run(stateOf(), [
      ['2026-01-14T09:04:00Z', { name: 'ack' }],
      ['2026-01-14T09:30:00Z', { name: 'status', status: 'monitoring', message: 'rolled back' }],
      ['2026-01-14T09:45:00Z', { name: 'resolve' }],
    ]);
    const metrics = incidentMetrics(recordOf(state));
    expect(metrics).toMatchObject({ timeToAcknowledge: minutes(4), timeToMitigate: minutes(30), timeToResolve: minutes(45), reopened: 0, month: '2026-01', postmortem: 'missing' });
  });

  it('ignores back-dated notes: a note about 08:00 neither moves the trigger nor counts as a response', () => {
    const state = run(stateOf(), [
      ['2026-01-14T09:10:00Z', { name: 'note', at: '2026-01-14T08:00:00Z', text: 'deploy of checkout v2.3 started' }],
      ['2026-01-14T09:12:00Z', { name: 'note', at: '2026-01-14T09:01:00Z', text: 'first support ticket' }],
      ['2026-01-14T09:20:00Z', { name: 'ack' }],
      ['2026-01-14T09:50:00Z', { name: 'resolve' }],
    ]);
    expect(state.timeline.map((entry) => entry.type)).toEqual(['note', 'note', 'acknowledged', 'resolved']);
    const metrics = incidentMetrics(recordOf(state));
    expect(metrics.timeToAcknowledge).toBe(minutes(20));
    expect(metrics.timeToResolve).toBe(minutes(50));
    expect(metrics.triggeredAt).toBe('2026-01-14T09:00:00.000Z');
  });

  it('measures a reopened incident to its last resolution and counts the reopen', () => {
    const state = run(stateOf(), [
      ['2026-01-14T09:04:00Z', { name: 'ack' }],
      ['2026-01-14T09:30:00Z', { name: 'status', status: 'monitoring' }],
      ['2026-01-14T09:45:00Z', { name: 'resolve' }],
      ['2026-01-14T10:00:00Z', { name: 'reopen' }],
      ['2026-01-14T10:10:00Z', { name: 'status', status: 'monitoring', message: 'second fix' }],
      ['2026-01-14T10:20:00Z', { name: 'resolve' }],
    ]);
    const metrics = incidentMetrics(recordOf(state));
    expect(metrics).toMatchObject({ timeToAcknowledge: minutes(4), timeToMitigate: minutes(70), timeToResolve: minutes(80), reopened: 1, status: 'resolved' });
  });

  it('has no time to resolve while a reopened incident is open again', () => {
    const state = run(stateOf(), [
      ['2026-01-14T09:04:00Z', { name: 'ack' }],
      ['2026-01-14T09:45:00Z', { name: 'resolve' }],
      ['2026-01-14T10:00:00Z', { name: 'reopen' }],
    ]);
    const metrics = incidentMetrics(recordOf(state));
    expect(metrics).toMatchObject({ timeToResolve: null, timeToMitigate: null, reopened: 1, postmortem: null });
  });

  it('falls back to the timeline when an older state has no timestamps', () => {
    const state = stateOf({
      status: 'resolved',
      timeline: [
        { at: '2026-01-14T09:07:00Z', type: 'acknowledged', text: 'Acknowledged' },
        { at: '2026-01-14T09:40:00Z', type: 'resolved', text: 'Resolved' },
      ],
    });
    expect(incidentMetrics(recordOf(state))).toMatchObject({ timeToAcknowledge: minutes(7), timeToMitigate: minutes(40), timeToResolve: minutes(40) });
  });

  it('reads SLO breach from the label, postmortem outcome and causes from the timeline and suspects', () => {
    const breached = resolvedRecord({ number: 2, triggeredAt: '2026-02-01T00:00:00Z', ack: 20, resolve: 60, labels: ['slo:breached'], timeline: [{ at: '2026-02-01T02:00:00Z', type: 'postmortem-skipped', text: 'No postmortem: test alert' }] });
    expect(incidentMetrics(breached)).toMatchObject({ sloBreached: true, postmortem: 'skipped', changeRelated: false, rolledBack: false });
    const rolledBack = resolvedRecord({ number: 3, triggeredAt: '2026-02-01T00:00:00Z', ack: 2, resolve: 30, timeline: [{ at: '2026-02-01T00:10:00Z', type: 'rollback', text: 'Rollback of #12 opened' }, { at: '2026-02-01T03:00:00Z', type: 'postmortem', text: 'Postmortem draft' }] });
    expect(incidentMetrics(rolledBack)).toMatchObject({ sloBreached: false, postmortem: 'drafted', changeRelated: true, rolledBack: true });
    const suspected = resolvedRecord({ number: 4, triggeredAt: '2026-02-01T00:00:00Z', ack: 2, resolve: 30, hasSuspects: true });
    expect(incidentMetrics(suspected)).toMatchObject({ changeRelated: true, rolledBack: false });
  });
});
