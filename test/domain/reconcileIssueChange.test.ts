import { describe, expect, it } from 'vitest';
import { incidentStateSchema, type IncidentState } from '../../src/domain/incidentState.ts';
import { planIssueUpdate } from '../../src/domain/planIssueUpdate.ts';
import { reconcileIssueChange } from '../../src/domain/reconcileIssueChange.ts';

const now = new Date('2026-01-14T10:00:00.000Z');
const facts = { actor: 'alice', now };
const state: IncidentState = incidentStateSchema.parse({
  version: 1, id: 'i-1', title: 'HighErrorRate', source: 'generic', service: 'checkout', severity: 'P3', status: 'investigating',
  triggeredAt: '2026-01-14T09:00:00.000Z', acknowledgedAt: '2026-01-14T09:05:00.000Z', acknowledgedBy: 'bob',
});
const issue = (labels: string[]) => ({ title: '[P3] checkout: HighErrorRate', body: 'b', state: 'open' as const, labels, assignees: [] });

describe('reconcileIssueChange', () => {
  it('takes a severity label swapped by hand as a severity change, in the timeline', () => {
    const result = reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'sev:P1', 'status:investigating'] }, facts);
    expect(result.state.severity).toBe('P1');
    expect(result.entries.map((e) => e.text)).toEqual(['Severity P3 → P1 (in GitHub)']);
  });

  it('keeps the newest of two severity labels and plans removing the other', () => {
    const labels = ['incident', 'sev:P3', 'status:investigating', 'sev:P2'];
    const result = reconcileIssueChange(state, { kind: 'labels', labels, added: 'sev:P2' }, facts);
    expect(result.state.severity).toBe('P2');
    expect(result.messages).toContain('🏷️ Several severity labels; kept the newest, `sev:P2`.');
    expect(planIssueUpdate(issue(labels), { state: result.state, body: 'b' }).labels).toEqual(['incident', 'status:investigating', 'sev:P2']);
  });

  it('puts a removed severity label back without changing the state', () => {
    const result = reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'status:investigating'] }, facts);
    expect(result.state).toEqual(state);
    expect(result.messages[0]).toContain('put `sev:P3` back');
    expect(planIssueUpdate(issue(['incident', 'status:investigating']), { state: result.state, body: 'b' }).labels).toEqual(['incident', 'status:investigating', 'sev:P3']);
  });

  it('runs a status label through the state machine, and reverts one it refuses', () => {
    const monitoring = reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'sev:P3', 'status:monitoring'] }, facts);
    expect(monitoring.state).toMatchObject({ status: 'monitoring', mitigatedAt: now.toISOString() });
    const back = reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'sev:P3', 'status:triggered'] }, facts);
    expect(back.state).toEqual(state);
    expect(back.messages[0]).toContain('cannot be applied');
    expect(planIssueUpdate(issue(['incident', 'sev:P3', 'status:triggered']), { state: back.state, body: 'b' }).labels).toEqual(['incident', 'sev:P3', 'status:investigating']);
  });

  it('a status:resolved label resolves and closes the issue', () => {
    const result = reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'sev:P3', 'status:resolved'] }, facts);
    expect(result.state.status).toBe('resolved');
    expect(planIssueUpdate(issue(['incident', 'sev:P3', 'status:resolved']), { state: result.state, body: 'b' })).toMatchObject({ state: 'closed', state_reason: 'completed' });
  });

  it('closing by hand resolves (completed) or cancels (not planned); reopening reopens', () => {
    expect(reconcileIssueChange(state, { kind: 'closed', reason: 'completed' }, facts).state).toMatchObject({ status: 'resolved', resolvedAt: now.toISOString() });
    const canceled = reconcileIssueChange(state, { kind: 'closed', reason: 'not_planned' }, facts).state;
    expect(canceled.status).toBe('canceled');
    expect(reconcileIssueChange(canceled, { kind: 'reopened' }, facts).state.status).toBe('investigating');
    expect(reconcileIssueChange(state, { kind: 'reopened' }, facts).entries).toEqual([]);
  });

  it('does nothing when the labels already agree', () => {
    expect(reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'sev:P3', 'status:investigating', 'team:payments'] }, facts)).toEqual({ state, entries: [], messages: [], assign: [] });
  });
});
