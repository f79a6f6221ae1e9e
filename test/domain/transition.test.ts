import { describe, expect, it } from 'vitest';
import { incidentStateSchema, type IncidentState } from '../../src/domain/incident/incidentState.ts';
import type { IncidentStatus } from '../../src/domain/incident/incidentStatus.ts';
import { transition, type IncidentCommand } from '../../src/domain/incident/transition.ts';

const T0 = '2026-01-14T09:00:00.000Z';
const now = new Date('2026-01-14T09:30:00.000Z');
const facts = { actor: 'carol', now, ref: 77 };

function incident(overrides: Partial<IncidentState> = {}): IncidentState {
  return incidentStateSchema.parse({
    version: 1,
    id: '20260114-checkout-3f9a',
    title: 'HighErrorRate',
    source: 'generic',
    service: 'checkout',
    severity: 'P3',
    status: 'triggered',
    triggeredAt: T0,
    timeline: [{ at: T0, type: 'triggered', text: 'Triggered' }],
    ...overrides,
  });
}

const STATUSES: IncidentStatus[] = ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring', 'resolved', 'canceled'];
const at = (status: IncidentStatus) =>
  incident({ status, ...(status !== 'triggered' ? { acknowledgedAt: T0, acknowledgedBy: 'bob' } : {}), ...(status === 'resolved' ? { resolvedAt: T0, mitigatedAt: T0 } : {}) });

/** For each command, the statuses it may start from; every other one must be refused and change nothing. */
const MATRIX: { command: IncidentCommand; allowed: IncidentStatus[] }[] = [
  { command: { name: 'ack' }, allowed: ['triggered'] },
  { command: { name: 'severity', severity: 'P1', reason: 'all payments fail' }, allowed: ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring', 'resolved'] },
  { command: { name: 'status', status: 'investigating' }, allowed: ['triggered', 'acknowledged', 'identified', 'monitoring'] },
  { command: { name: 'status', status: 'identified', message: 'bad config' }, allowed: ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring'] },
  { command: { name: 'status', status: 'monitoring' }, allowed: ['triggered', 'acknowledged', 'investigating', 'identified'] },
  { command: { name: 'status', status: 'resolved', message: 'fixed' }, allowed: ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring'] },
  { command: { name: 'commander', login: 'alice' }, allowed: ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring'] },
  { command: { name: 'comms', login: 'alice' }, allowed: ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring'] },
  { command: { name: 'responder', action: 'add', login: 'dave' }, allowed: ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring'] },
  { command: { name: 'note', text: 'restarted workers' }, allowed: STATUSES },
  { command: { name: 'escalate', target: { kind: 'user', login: 'alice' }, assignable: true }, allowed: ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring'] },
  { command: { name: 'resolve', summary: 'rolled back' }, allowed: ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring'] },
  { command: { name: 'cancel', reason: 'false alarm' }, allowed: ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring'] },
  { command: { name: 'reopen' }, allowed: ['resolved', 'canceled'] },
  { command: { name: 'followup', repo: 'acme/shop', number: 14, title: 'Alert on queue depth' }, allowed: STATUSES },
];

describe('transition: every command from every status', () => {
  for (const { command, allowed } of MATRIX) {
    for (const status of STATUSES) {
      const label = `${command.name}${'status' in command ? ` ${command.status}` : ''} from ${status}`;
      if (allowed.includes(status)) {
        it(`allows ${label}, with a timeline entry`, () => {
          const before = at(status);
          const result = transition(before, command, facts);
          expect(result.ok, JSON.stringify(result)).toBe(true);
          if (!result.ok) return;
          expect(result.entries.length).toBeGreaterThan(0);
          expect(result.state.timeline).toEqual([...before.timeline, ...result.entries]);
          expect(result.entries.every((entry) => entry.ref === 77 && entry.actor === 'carol')).toBe(true);
          expect(result.message.length).toBeGreaterThan(0);
        });
      } else {
        it(`refuses ${label} and says why`, () => {
          const before = at(status);
          const frozen = structuredClone(before);
          const result = transition(before, command, facts);
          expect(result.ok).toBe(false);
          if (result.ok) return;
          expect(result.message).toMatch(/\w{3,}/);
          expect(before).toEqual(frozen);
        });
      }
    }
  }
});

describe('transition: what each change does', () => {
  it('ack records the time to acknowledge and assigns the author', () => {
    const result = transition(incident(), { name: 'ack' }, facts);
    expect(result).toMatchObject({ ok: true, assign: ['carol'], state: { status: 'acknowledged', acknowledgedAt: now.toISOString(), acknowledgedBy: 'carol' } });
  });

  it('refuses a second ack, naming who acknowledged and when', () => {
    const result = transition(at('acknowledged'), { name: 'ack' }, facts);
    expect(result).toMatchObject({ ok: false, reason: 'already' });
    expect(result.ok ? '' : result.message).toContain('by `@bob` at 2026-01-14 09:00 UTC');
  });

  it('a status change on a triggered incident also acknowledges it', () => {
    const result = transition(incident(), { name: 'status', status: 'investigating' }, facts);
    expect(result).toMatchObject({ ok: true, assign: ['carol'], state: { status: 'investigating', acknowledgedAt: now.toISOString() } });
  });

  it('monitoring marks the mitigation; going back un-mitigates', () => {
    const monitoring = transition(at('identified'), { name: 'status', status: 'monitoring', message: 'rolled back' }, facts);
    expect(monitoring.ok && monitoring.state.mitigatedAt).toBe(now.toISOString());
    if (!monitoring.ok) return;
    const back = transition(monitoring.state, { name: 'status', status: 'investigating', message: 'errors are back' }, facts);
    expect(back.ok && back.state.mitigatedAt).toBeNull();
  });

  it('keeps status messages as status updates, internal ones flagged', () => {
    const result = transition(at('investigating'), { name: 'status', status: 'identified', message: 'bad config', internal: true }, facts);
    expect(result.ok && result.state.statusUpdates).toEqual([{ at: now.toISOString(), actor: 'carol', status: 'identified', text: 'bad config', internal: true }]);
    expect(result.ok && result.message).toContain('internal');
  });

  it('the same status again is refused without a message and is an update with one', () => {
    expect(transition(at('investigating'), { name: 'status', status: 'investigating' }, facts)).toMatchObject({ ok: false, reason: 'unchanged' });
    expect(transition(at('investigating'), { name: 'status', status: 'investigating', message: 'still looking' }, facts)).toMatchObject({ ok: true, state: { status: 'investigating' } });
  });

  it('the same severity, role or responder again is refused as unchanged', () => {
    expect(transition(incident(), { name: 'severity', severity: 'P3' }, facts)).toMatchObject({ ok: false, reason: 'unchanged' });
    const withRoles = incident({ roles: { commander: 'alice', comms: null, responders: ['dave'] } });
    expect(transition(withRoles, { name: 'commander', login: 'Alice' }, facts)).toMatchObject({ ok: false, reason: 'unchanged' });
    expect(transition(withRoles, { name: 'responder', action: 'add', login: 'dave' }, facts)).toMatchObject({ ok: false, reason: 'unchanged' });
    expect(transition(withRoles, { name: 'responder', action: 'remove', login: 'erin' }, facts)).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it('removing a responder unassigns them unless they hold a role', () => {
    const state = incident({ roles: { commander: 'alice', comms: null, responders: ['alice', 'dave'] } });
    expect(transition(state, { name: 'responder', action: 'remove', login: 'dave' }, facts)).toMatchObject({ ok: true, unassign: ['dave'] });
    expect(transition(state, { name: 'responder', action: 'remove', login: 'alice' }, facts)).toMatchObject({ ok: true, unassign: [] });
  });

  it('refuses a note dated more than a week before the trigger, and says why', () => {
    const result = transition(incident(), { name: 'note', at: '2024-01-14T09:00:00.000Z', text: 'db failover' }, facts);
    expect(result).toEqual({
      ok: false,
      reason: 'too-early',
      message: expect.stringContaining('Cannot note it at 2024-01-14 09:00 UTC: that is 731d 0h before this incident was triggered (2026-01-14 09:00 UTC), and a note may go back at most 7 days'),
    });
    expect(transition(incident(), { name: 'note', at: '2026-01-07T09:00:00.000Z', text: 'the deploy a week before' }, facts).ok).toBe(true);
    expect(transition(incident(), { name: 'note', at: '2026-01-07T08:59:00.000Z', text: 'a minute more' }, facts).ok).toBe(false);
  });

  it('a note at a past time is placed then, and remembers when it was written', () => {
    const result = transition(incident(), { name: 'note', at: '2026-01-14T08:45:00.000Z', text: 'deploy started' }, facts);
    expect(result.ok && result.entries).toEqual([{ at: '2026-01-14T08:45:00.000Z', recordedAt: now.toISOString(), type: 'note', actor: 'carol', text: 'deploy started', ref: 77 }]);
  });

  it('escalate labels, assigns an assignable person and mentions the target', () => {
    const result = transition(at('investigating'), { name: 'escalate', target: { kind: 'user', login: 'alice' }, reason: 'payments', assignable: true }, facts);
    expect(result).toMatchObject({ ok: true, addLabels: ['escalated'], assign: ['alice'], state: { roles: { responders: ['alice'] } } });
    expect(result.ok && result.message).toContain('@alice');
    const team = transition(at('investigating'), { name: 'escalate', target: { kind: 'team', org: 'acme', slug: 'payments' }, assignable: false }, facts);
    expect(team).toMatchObject({ ok: true, assign: [], addLabels: ['escalated'] });
    expect(team.ok && team.message).toContain('@acme/payments');
  });

  it('resolve sets the resolution (and mitigation if none); cancel does not count as resolved', () => {
    expect(transition(at('investigating'), { name: 'resolve' }, facts)).toMatchObject({ ok: true, state: { status: 'resolved', resolvedAt: now.toISOString(), mitigatedAt: now.toISOString() } });
    expect(transition(at('investigating'), { name: 'cancel' }, facts)).toMatchObject({ ok: true, state: { status: 'canceled', resolvedAt: null } });
  });

  it('/resolve on a canceled incident says why and what to do instead', () => {
    const canceled = transition(at('investigating'), { name: 'cancel', reason: 'false alarm' }, facts);
    if (!canceled.ok) throw new Error('cancel refused');
    const result = transition(canceled.state, { name: 'resolve' }, facts);
    expect(result).toMatchObject({ ok: false, reason: 'canceled' });
    expect(result.ok ? '' : result.message).toBe('Cannot resolve it: this incident was canceled at 2026-01-14 09:30 UTC (not an incident). If it was one after all, `/reopen` it first.');
  });

  it('reopen goes back to investigating (or triggered when never acknowledged) and restarts the clock', () => {
    expect(transition(at('resolved'), { name: 'reopen' }, facts)).toMatchObject({ ok: true, state: { status: 'investigating', resolvedAt: null, mitigatedAt: null } });
    expect(transition(incident({ status: 'canceled' }), { name: 'reopen' }, facts)).toMatchObject({ ok: true, state: { status: 'triggered' } });
  });

  it('follow-ups tick and untick once', () => {
    const opened = transition(incident(), { name: 'followup', repo: 'acme/shop', number: 14, title: 'Alert on queue depth' }, facts);
    if (!opened.ok) throw new Error('refused');
    const done = transition(opened.state, { name: 'followup-state', repo: 'acme/shop', number: 14, done: true }, facts);
    expect(done.ok && done.state.followups).toEqual([{ repo: 'acme/shop', number: 14, title: 'Alert on queue depth', done: true }]);
    if (!done.ok) return;
    expect(transition(done.state, { name: 'followup-state', repo: 'acme/shop', number: 14, done: true }, facts)).toMatchObject({ ok: false, reason: 'unchanged' });
    expect(transition(done.state, { name: 'followup-state', repo: 'acme/shop', number: 99, done: true }, facts)).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it('marks changes made in GitHub as such in the timeline', () => {
    const result = transition(incident(), { name: 'severity', severity: 'P1' }, { ...facts, via: 'github' });
    expect(result.ok && result.entries[0]?.text).toBe('Severity P3 → P1 (in GitHub)');
  });

  it('escapes user text in the reply line (no mentions, no HTML)', () => {
    const result = transition(incident(), { name: 'note', text: 'ping @acme/everyone <img src=x>' }, facts);
    expect(result.ok && result.message).toBe('📝 Noted: ping `@acme/everyone` &lt;img src=x&gt;');
  });
});
