import { incidentStateSchema, type IncidentState } from '../../../src/domain/incident/incidentState.ts';
import type { PostmortemInput } from '../../../src/domain/postmortem/postmortemView.ts';

/** Participants whose logins must never appear in a redacted postmortem. */
export const PARTICIPANTS = ['alice', 'bob-smith', 'carol', 'dave99', 'mallory'];

/**
 * An incident full of people: roles, actors, a back-dated note mentioning someone, logins in the
 * title, a summary, URLs, a follow-up title and a suspected change's author.
 */
export function hostileState(): IncidentState {
  return incidentStateSchema.parse({
    version: 1,
    id: '20260114-checkout-3f9a',
    title: 'checkout errors after bob-smith deploy',
    summary: 'Card payments failed; @carol noticed first. See https://grafana.example/d/alice/checkout',
    source: 'alertmanager',
    service: 'checkout',
    severity: 'P2',
    status: 'resolved',
    triggeredAt: '2026-01-14T09:03:00.000Z',
    acknowledgedAt: '2026-01-14T09:07:30.000Z',
    mitigatedAt: '2026-01-14T09:40:00.000Z',
    resolvedAt: '2026-01-14T10:15:00.000Z',
    acknowledgedBy: 'alice',
    alerts: [
      {
        fingerprint: 'f1',
        title: 'HighErrorRate checkout (owner: dave99)',
        status: 'resolved',
        labels: { service: 'checkout' },
        firstSeen: '2026-01-14T09:02:00.000Z',
        lastSeen: '2026-01-14T10:00:00.000Z',
        count: 3,
        links: { dashboard: 'https://grafana.example/d/dave99/errors?user=Dave99', runbook: 'https://github.com/acme/runbooks/blob/main/checkout.md' },
      },
    ],
    roles: { commander: 'alice', comms: 'carol', responders: ['bob-smith'] },
    timeline: [
      { at: '2026-01-14T09:07:30.000Z', type: 'acknowledged', actor: 'alice', text: 'Acknowledged' },
      { at: '2026-01-14T09:08:00.000Z', type: 'role', actor: 'alice', text: 'Incident commander: alice' },
      { at: '2026-01-14T09:10:00.000Z', type: 'responder', actor: 'alice', text: 'Responder added: bob-smith' },
      // Written at 09:30 about 08:55: must sort before everything else.
      { at: '2026-01-14T08:55:00.000Z', type: 'note', actor: 'carol', text: 'first customer report from @mallory via support; ping @Bob-Smith', recordedAt: '2026-01-14T09:30:00.000Z' },
      { at: '2026-01-14T09:35:00.000Z', type: 'rollback', actor: 'bob-smith', text: 'Rolled back acme/shop#7 (by bob-smith) https://github.com/bob-smith/shop/pull/7' },
      { at: '2026-01-14T10:15:00.000Z', type: 'resolved', actor: 'alice', text: 'Resolved: error rate normal, thanks ALICE and dave99' },
      { at: '2026-01-14T10:16:00.000Z', type: 'note', actor: 'firewatch[bot]', text: 'Follow-up opened' },
    ],
    statusUpdates: [{ at: '2026-01-14T09:20:00.000Z', actor: 'carol', status: 'identified', text: 'carol thinks the deploy by bob-smith did it' }],
    followups: [{ repo: 'acme/shop', number: 31, title: 'Alert on payment timeouts (ask alice)', done: false }],
  });
}

export function hostileInput(overrides: Partial<PostmortemInput> = {}): PostmortemInput {
  return {
    state: hostileState(),
    incident: { repo: 'acme/shop', number: 12, url: 'https://github.com/acme/shop/issues/12', title: '[P2] checkout: checkout errors after bob-smith deploy', labels: ['incident', 'sev:P2', 'status:resolved', 'data-loss'] },
    suspects: [{ reference: 'acme/shop#7', url: 'https://github.com/acme/shop/pull/7', title: 'Raise payment timeout (reviewed by @dave99)', author: 'bob-smith', score: 0.82, evidence: ['merged 6 minutes before the first alert by bob-smith'] }],
    webUrl: 'https://github.com',
    timezone: 'Europe/Berlin',
    redact: true,
    reviewWithinDays: 14,
    reasons: ['severity P2'],
    ...overrides,
  };
}
