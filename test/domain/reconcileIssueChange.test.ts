import { describe, expect, it } from 'vitest';
import { incidentStateSchema, type IncidentState } from '../../src/domain/incident/incidentState.ts';
import { planIssueUpdate } from '../../src/domain/incident/planIssueUpdate.ts';
import { reconcileIssueChange } from '../../src/domain/incident/reconcileIssueChange.ts';

const now = new Date('2026-01-14T10:00:00.000Z');
const facts = { actor: 'alice', now };
const admin = { permission: 'admin' } as const;
const state: IncidentState = incidentStateSchema.parse({
  version: 1, id: 'i-1', title: 'HighErrorRate', source: 'generic', service: 'checkout', severity: 'P3', status: 'investigating',
  triggeredAt: '2026-01-14T09:00:00.000Z', acknowledgedAt: '2026-01-14T09:05:00.000Z', acknowledgedBy: 'bob',
});
const issue = (labels: string[]) => ({ title: '[P3] checkout: HighErrorRate', body: 'b', state: 'open' as const, labels, assignees: [] });

describe('reconcileIssueChange', () => {
  it('takes a severity label swapped by hand as a severity change, in the timeline', () => {
    const result = reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'sev:P1', 'status:investigating'] }, facts, admin);
    expect(result.state.severity).toBe('P1');
    expect(result.entries.map((e) => e.text)).toEqual(['Severity P3 → P1 (in GitHub)']);
  });

  it('keeps the newest of two severity labels and plans removing the other', () => {
    const labels = ['incident', 'sev:P3', 'status:investigating', 'sev:P2'];
    const result = reconcileIssueChange(state, { kind: 'labels', labels, added: 'sev:P2' }, facts, admin);
    expect(result.state.severity).toBe('P2');
    expect(result.messages).toContain('🏷️ Several severity labels; kept the newest, `sev:P2`.');
    expect(planIssueUpdate(issue(labels), { state: result.state, body: 'b' }).labels).toEqual(['incident', 'status:investigating', 'sev:P2']);
  });

  it('puts a removed severity label back without changing the state', () => {
    const result = reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'status:investigating'] }, facts, admin);
    expect(result.state).toEqual(state);
    expect(result.messages[0]).toContain('put `sev:P3` back');
    expect(planIssueUpdate(issue(['incident', 'status:investigating']), { state: result.state, body: 'b' }).labels).toEqual(['incident', 'status:investigating', 'sev:P3']);
  });

  it('runs a status label through the state machine, and reverts one it refuses', () => {
    const monitoring = reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'sev:P3', 'status:monitoring'] }, facts, admin);
    expect(monitoring.state).toMatchObject({ status: 'monitoring', mitigatedAt: now.toISOString() });
    const back = reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'sev:P3', 'status:triggered'] }, facts, admin);
    expect(back.state).toEqual(state);
    expect(back.messages[0]).toContain('cannot be applied');
    expect(planIssueUpdate(issue(['incident', 'sev:P3', 'status:triggered']), { state: back.state, body: 'b' }).labels).toEqual(['incident', 'sev:P3', 'status:investigating']);
  });

  it('a status:resolved label resolves and closes the issue', () => {
    const result = reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'sev:P3', 'status:resolved'] }, facts, admin);
    expect(result.state.status).toBe('resolved');
    expect(planIssueUpdate(issue(['incident', 'sev:P3', 'status:resolved']), { state: result.state, body: 'b' })).toMatchObject({ state: 'closed', state_reason: 'completed' });
  });

  it('closing by hand resolves (completed) or cancels (not planned); reopening reopens', () => {
    expect(reconcileIssueChange(state, { kind: 'closed', reason: 'completed' }, facts, admin).state).toMatchObject({ status: 'resolved', resolvedAt: now.toISOString() });
    const canceled = reconcileIssueChange(state, { kind: 'closed', reason: 'not_planned' }, facts, admin).state;
    expect(canceled.status).toBe('canceled');
    expect(reconcileIssueChange(canceled, { kind: 'reopened' }, facts, admin).state.status).toBe('investigating');
    expect(reconcileIssueChange(state, { kind: 'reopened' }, facts, admin).entries).toEqual([]);
  });

  it('does nothing when the labels already agree', () => {
    expect(reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'sev:P3', 'status:investigating', 'team:payments'] }, facts, admin)).toEqual({ state, entries: [], messages: [], assign: [] });
  });
});

describe('reconcileIssueChange with the permission table of the commands', () => {
  const carol = { actor: 'carol', now };
  const triage = { permission: 'triage' } as const;
  const resolved = reconcileIssueChange(state, { kind: 'closed', reason: 'completed' }, facts, admin).state;

  it('refuses closing (resolve, cancel) to triage: state unchanged, the plan reopens the issue', () => {
    for (const reason of ['completed', 'not_planned'] as const) {
      const result = reconcileIssueChange(state, { kind: 'closed', reason }, carol, triage);
      expect(result).toMatchObject({ state, entries: [], refused: true });
      expect(result.messages).toEqual([
        `⚠️ Closing the issue${reason === 'not_planned' ? ' as not planned cancels' : ' resolves'} the incident, which needs **write** access; \`@carol\` has **triage**. Reopened it: ask someone with write access to run \`/${reason === 'not_planned' ? 'cancel' : 'resolve'}\`.`,
      ]);
      expect(planIssueUpdate({ ...issue(['incident', 'sev:P3', 'status:investigating']), state: 'closed' }, { state: result.state, body: 'b' })).toMatchObject({ state: 'open', state_reason: 'reopened' });
    }
  });

  it('refuses reopening to triage: the plan closes the issue again as completed', () => {
    const result = reconcileIssueChange(resolved, { kind: 'reopened' }, carol, triage);
    expect(result).toMatchObject({ state: resolved, refused: true });
    expect(result.messages[0]).toContain('Reopening the issue reopens the incident, which needs **write** access');
    expect(planIssueUpdate(issue(['incident', 'sev:P3', 'status:resolved']), { state: result.state, body: 'b' })).toMatchObject({ state: 'closed', state_reason: 'completed' });
  });

  it('refuses a status:resolved label to triage and puts the status back; allows what triage may do', () => {
    const refused = reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'sev:P3', 'status:resolved'], added: 'status:resolved' }, carol, triage);
    expect(refused).toMatchObject({ state, refused: true });
    expect(planIssueUpdate(issue(['incident', 'sev:P3', 'status:resolved']), { state: refused.state, body: 'b' }).labels).toEqual(['incident', 'sev:P3', 'status:investigating']);
    const allowed = reconcileIssueChange(state, { kind: 'labels', labels: ['incident', 'sev:P1', 'status:monitoring'] }, carol, triage);
    expect(allowed.state).toMatchObject({ severity: 'P1', status: 'monitoring' });
    expect(allowed.refused).toBeUndefined();
  });

  it('applies a severity label by the configured override, and refuses everything to none (a failed lookup)', () => {
    const labels = ['incident', 'sev:P1', 'status:investigating'];
    const overridden = reconcileIssueChange(state, { kind: 'labels', labels }, carol, { permission: 'triage', overrides: { severity: 'write' } });
    expect(overridden).toMatchObject({ state, refused: true });
    expect(overridden.messages[0]).toContain('`sev:P1` changes the severity, which needs **write** access; `@carol` has **triage**. Put `sev:P3` back');
    expect(reconcileIssueChange(state, { kind: 'labels', labels }, carol, { permission: 'none' })).toMatchObject({ state, refused: true });
  });

  it('lets write close, cancel and reopen', () => {
    const write = { permission: 'write' } as const;
    expect(reconcileIssueChange(state, { kind: 'closed', reason: 'completed' }, { actor: 'bob', now }, write).state.status).toBe('resolved');
    expect(reconcileIssueChange(resolved, { kind: 'reopened' }, { actor: 'bob', now }, write).state.status).toBe('investigating');
  });
});

