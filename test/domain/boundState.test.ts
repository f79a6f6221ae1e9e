import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { fitState, MAX_FINGERPRINTS, MAX_TRACKED_ALERTS, STATE_BLOCK_BUDGET } from '../../src/domain/incident/boundState.ts';
import { decideAlertBatch } from '../../src/domain/alerts/decideAlertBatch.ts';
import { renderStateBlock } from '../../src/domain/incident/incidentState.ts';
import { recordMitigation } from '../../src/domain/incident/mitigation.ts';
import { openIncident } from '../../src/domain/incident/openIncident.ts';
import { recordAlerts } from '../../src/domain/alerts/recordAlert.ts';
import { transition } from '../../src/domain/incident/transition.ts';

const pod = (i: number, over: Partial<NormalizedAlert> = {}): NormalizedAlert => ({
  source: 'alertmanager',
  fingerprint: `pod-${i}`,
  groupKey: '{}:{alertname="PodCrashLooping"}',
  status: 'firing',
  title: 'PodCrashLooping',
  severity: 'P2',
  service: 'checkout',
  labels: { pod: `checkout-${i}` },
  annotations: {},
  startsAt: '2026-01-14T08:55:00Z',
  links: { other: [] },
  ...over,
});
const group = (n: number, over: Partial<NormalizedAlert> = {}) => Array.from({ length: n }, (_, i) => pod(i, over));
const at = (time: string) => new Date(`2026-01-14T${time}:00Z`);

describe('a large alert group in the state', () => {
  it('keeps at most the tracked rows, counts the rest by status, and bounds fingerprints and tokens', () => {
    const state = recordAlerts(openIncident(pod(0), at('09:00')), group(1_000), at('09:00'));
    expect(state.alerts).toHaveLength(MAX_TRACKED_ALERTS);
    expect(state.untrackedAlerts).toEqual({ firing: 1_000 - MAX_TRACKED_ALERTS, resolved: 0 });
    expect(state.fingerprints.length).toBeLessThanOrEqual(MAX_FINGERPRINTS);
    for (const alert of state.alerts) expect(state.fingerprints).toContain(alert.fingerprint);
    // The group's token, which finds the incident, is always kept.
    expect(state.fingerprintTokens.filter((token) => token.startsWith('fwgk'))).toHaveLength(1);
    expect(renderStateBlock(state).length).toBeLessThan(STATE_BLOCK_BUDGET);
  });

  it('lets alerts tracked before keep their rows (and counts) against newcomers of the same notification', () => {
    let state = recordAlerts(openIncident(pod(0), at('09:00')), group(200).slice(1), at('09:00'));
    const tracked = state.alerts.map((alert) => alert.fingerprint).sort();
    for (const time of ['09:05', '09:10']) state = recordAlerts(state, [...group(200)].reverse(), at(time));
    expect(state.alerts.map((alert) => alert.fingerprint).sort()).toEqual(tracked);
    expect(state.alerts.every((alert) => alert.count === 3)).toBe(true);
  });

  it('counts the group as its latest notification reports it: resolved pods move from firing to resolved', () => {
    let state = recordAlerts(openIncident(pod(0), at('09:00')), group(120), at('09:00'));
    state = recordAlerts(state, group(120, { status: 'resolved' }), at('09:30'));
    expect(state.untrackedAlerts).toEqual({ firing: 0, resolved: 120 - MAX_TRACKED_ALERTS });
  });

  it('fitState shrinks a state with huge rows below the budget by tracking fewer alerts, never dropping the timeline', () => {
    const huge = group(50, { links: { other: [], generator: `https://prom.example/graph?q=${'x'.repeat(2_000)}` } });
    const state = recordAlerts(openIncident(huge[0] as NormalizedAlert, at('09:00')), huge, at('09:00'));
    expect(renderStateBlock(state).length).toBeGreaterThan(STATE_BLOCK_BUDGET);
    const fitted = fitState(state);
    expect(renderStateBlock(fitted).length).toBeLessThanOrEqual(STATE_BLOCK_BUDGET);
    expect(fitted.alerts.length).toBeGreaterThan(0);
    expect(fitted.alerts.length + (fitted.untrackedAlerts?.firing ?? 0)).toBe(50);
    expect(fitted.timeline).toEqual(state.timeline);
  });
});

describe('alerts after an incident was resolved', () => {
  it('update the rows of alerts that were still firing, with no comment and no reopening', () => {
    const firing = openIncident(pod(0), at('09:00'));
    const resolved = transition(firing, { name: 'resolve' }, { actor: 'bob', now: at('09:30') });
    if (!resolved.ok) throw new Error(resolved.message);
    expect(resolved.message).toContain('⚠️ 1 alert still firing; resolving anyway');
    expect(resolved.entries[0]?.text).toBe('Resolved (1 alert still firing; resolving anyway)');
    const decision = decideAlertBatch({ incident: { number: 1, open: false, state: resolved.state }, alerts: [pod(0, { status: 'resolved' })], now: at('09:40'), settings: { noticeIntervalMs: 1_800_000, reopenWindowMs: 3_600_000, autoResolve: false } });
    expect(decision.kind).toBe('update');
    if (decision.kind !== 'update') return;
    expect(decision.comments).toEqual([]);
    expect(decision.reopen).toBeUndefined();
    expect(decision.state.alerts[0]?.status).toBe('resolved');
    expect(decision.state.status).toBe('resolved');
  });
});

describe('recordMitigation', () => {
  const state = openIncident(pod(0), at('09:00'));

  it('keeps the earliest mitigation and ignores one after the resolution or on a canceled incident', () => {
    const first = recordMitigation(state, '2026-01-14T09:20:00.000Z');
    expect(first.mitigatedAt).toBe('2026-01-14T09:20:00.000Z');
    expect(recordMitigation(first, '2026-01-14T09:25:00.000Z').mitigatedAt).toBe('2026-01-14T09:20:00.000Z');
    expect(recordMitigation(first, '2026-01-14T09:10:00.000Z').mitigatedAt).toBe('2026-01-14T09:10:00.000Z');
    expect(recordMitigation({ ...state, status: 'resolved', resolvedAt: '2026-01-14T09:15:00.000Z' }, '2026-01-14T09:20:00.000Z').mitigatedAt).toBeNull();
    expect(recordMitigation({ ...state, status: 'canceled' }, '2026-01-14T09:20:00.000Z').mitigatedAt).toBeNull();
  });

  it('survives /resolve: resolving does not move an earlier mitigation', () => {
    const resolved = transition(recordMitigation(state, '2026-01-14T09:20:00.000Z'), { name: 'resolve' }, { actor: 'bob', now: at('10:00') });
    expect(resolved.ok && resolved.state.mitigatedAt).toBe('2026-01-14T09:20:00.000Z');
  });
});
