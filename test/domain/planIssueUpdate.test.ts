import { describe, expect, it } from 'vitest';
import { incidentStateSchema } from '../../src/domain/incident/incidentState.ts';
import { planIssueUpdate, retitle } from '../../src/domain/incident/planIssueUpdate.ts';

const state = incidentStateSchema.parse({ version: 1, id: 'i', title: 't', source: 'manual', service: 's', severity: 'P1', status: 'resolved', triggeredAt: '2026-01-14T09:00:00.000Z' });
const current = { title: '[P3] s: t', body: 'old', state: 'open' as const, labels: ['incident', 'sev:P3', 'status:monitoring', 'team:x'], assignees: ['bob'] };

describe('planIssueUpdate', () => {
  it('plans only what differs: labels, title prefix, body, closing as completed, assignees', () => {
    expect(planIssueUpdate(current, { state, body: 'new', assign: ['carol', 'BOB'], addLabels: ['escalated'] })).toEqual({
      labels: ['incident', 'team:x', 'sev:P1', 'status:resolved', 'escalated'],
      title: '[P1] s: t',
      body: 'new',
      state: 'closed',
      state_reason: 'completed',
      assignees: ['bob', 'carol'],
    });
  });

  it('plans nothing when GitHub already shows the state (idempotent re-run)', () => {
    const done = { title: '[P1] s: t', body: 'b', state: 'closed' as const, labels: ['incident', 'sev:P1', 'status:resolved'], assignees: ['bob'] };
    expect(planIssueUpdate(done, { state, body: 'b', assign: ['bob'] })).toEqual({});
  });

  it('closes canceled incidents as not planned and reopens open ones', () => {
    expect(planIssueUpdate(current, { state: { ...state, status: 'canceled' }, body: 'old' })).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(planIssueUpdate({ ...current, state: 'closed' }, { state: { ...state, status: 'investigating' }, body: 'old' })).toMatchObject({ state: 'open', state_reason: 'reopened' });
  });

  it('leaves titles without the severity prefix as people wrote them', () => {
    expect(retitle('Checkout is down', 'P1')).toBe('Checkout is down');
    expect(retitle('[p4] x', 'P2')).toBe('[P2] x');
  });
});
