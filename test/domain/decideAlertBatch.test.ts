import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { decideAlertBatch, type BatchSettings, type FoundIncident } from '../../src/domain/alerts/decideAlertBatch.ts';
import { openIncident } from '../../src/domain/incident/openIncident.ts';

const settings: BatchSettings = { noticeIntervalMs: 30 * 60_000, reopenWindowMs: 3_600_000, autoResolve: false };
const base: NormalizedAlert = {
  source: 'alertmanager',
  fingerprint: 'a',
  groupKey: 'g',
  status: 'firing',
  title: 'HighErrorRate',
  severity: 'P2',
  service: 'checkout',
  labels: {},
  annotations: {},
  startsAt: '2026-01-01T09:00:00Z',
  links: { other: [] },
};
const at = (time: string) => new Date(`2026-01-01T${time}:00Z`);
const alert = (over: Partial<NormalizedAlert> = {}): NormalizedAlert => ({ ...base, ...over });

function incident(over: Partial<FoundIncident> = {}, alerts: NormalizedAlert[] = [alert()]): FoundIncident {
  let state = openIncident(alerts[0] ?? alert(), at('09:00'));
  for (const more of alerts.slice(1)) {
    const decision = decideAlertBatch({ incident: { number: 1, open: true, state }, alerts: [more], now: at('09:00'), settings });
    if (decision.kind === 'update') state = decision.state;
  }
  return { number: 1, open: true, state, ...over };
}

describe('decideAlertBatch', () => {
  it('opens an incident for a firing alert with no incident, with every firing alert of the batch', () => {
    const decision = decideAlertBatch({ alerts: [alert(), alert({ fingerprint: 'b' }), alert({ fingerprint: 'c', status: 'resolved' })], now: at('09:01'), settings });
    expect(decision.kind).toBe('open');
    if (decision.kind === 'open') expect(decision.state.fingerprints).toEqual(['a', 'b']);
  });

  it('drops resolved alerts that have no incident', () => {
    expect(decideAlertBatch({ alerts: [alert({ status: 'resolved' })], now: at('09:01'), settings })).toMatchObject({ kind: 'ignore', reason: 'resolved_without_incident' });
  });

  it('updates an open incident in place without a comment inside the notice interval', () => {
    const decision = decideAlertBatch({ incident: incident(), alerts: [alert(), alert()], now: at('09:10'), settings });
    expect(decision).toMatchObject({ kind: 'update', number: 1, comments: [] });
    if (decision.kind === 'update') expect(decision.state.alerts[0]?.count).toBe(3);
  });

  it('says "still firing" once the notice interval has passed, then waits another interval', () => {
    const first = decideAlertBatch({ incident: incident(), alerts: [alert()], now: at('09:31'), settings });
    expect(first).toMatchObject({ kind: 'update', comments: [{ type: 'alerts.notice', text: expect.stringContaining('Still firing') }] });
    if (first.kind !== 'update') return;
    const second = decideAlertBatch({ incident: { number: 1, open: true, state: first.state }, alerts: [alert()], now: at('09:50'), settings });
    expect(second).toMatchObject({ comments: [] });
  });

  it('announces a new alert of the group when the interval allows', () => {
    const decision = decideAlertBatch({ incident: incident(), alerts: [alert({ fingerprint: 'b', title: 'Latency' })], now: at('09:45'), settings });
    expect(decision).toMatchObject({ comments: [{ text: expect.stringMatching(/New alert joined: \*\*Latency\*\*\. 2 alerts firing now/) }] });
  });

  it('comments once when the last alert resolves; stays open unless autoResolve', () => {
    const found = incident({}, [alert(), alert({ fingerprint: 'b' })]);
    const partly = decideAlertBatch({ incident: found, alerts: [alert({ status: 'resolved' })], now: at('09:05'), settings });
    expect(partly).toMatchObject({ comments: [] });
    if (partly.kind !== 'update') return;
    const all = decideAlertBatch({ incident: { ...found, state: partly.state }, alerts: [alert({ fingerprint: 'b', status: 'resolved' })], now: at('09:06'), settings });
    expect(all).toMatchObject({ kind: 'update', comments: [{ type: 'alerts.resolved', text: expect.stringContaining('All 2 alerts have resolved') }] });
    expect(all).not.toHaveProperty('resolve');
    const auto = decideAlertBatch({ incident: { ...found, state: partly.state }, alerts: [alert({ fingerprint: 'b', status: 'resolved' })], now: at('09:06'), settings: { ...settings, autoResolve: true } });
    expect(auto).toMatchObject({ kind: 'update', resolve: true, state: { status: 'resolved', resolvedAt: at('09:06').toISOString() } });
  });

  it('reopens a resolved incident when an alert fires again within the window', () => {
    const closed = incident({ open: false, closedAt: at('09:30').toISOString() });
    closed.state = { ...closed.state, status: 'resolved', resolvedAt: at('09:30').toISOString(), alerts: closed.state.alerts.map((a) => ({ ...a, status: 'resolved' as const })) };
    const decision = decideAlertBatch({ incident: closed, alerts: [alert({ startsAt: at('10:10').toISOString() })], now: at('10:10'), settings });
    expect(decision).toMatchObject({ kind: 'update', reopen: true, state: { status: 'triggered', resolvedAt: null }, comments: [{ type: 'reopened', text: expect.stringContaining('fired again 40 min after') }] });
  });

  it('opens a new incident linking the previous one when the alert fires again after the window', () => {
    const closed = incident({ open: false });
    closed.state = { ...closed.state, status: 'resolved', resolvedAt: at('09:30').toISOString() };
    const decision = decideAlertBatch({ incident: closed, alerts: [alert({ startsAt: at('11:00').toISOString() })], now: at('11:00'), settings });
    expect(decision).toMatchObject({ kind: 'open', previous: { number: 1 } });
    if (decision.kind === 'open') expect(decision.state.timeline.map((e) => e.text)).toContain('Fired before in #1, resolved 90 min earlier');
  });

  it('does not reopen for a repeat notification of an alert that never resolved', () => {
    const closed = incident({ open: false, closedAt: at('09:30').toISOString() });
    expect(decideAlertBatch({ incident: closed, alerts: [alert()], now: at('09:40'), settings })).toMatchObject({ kind: 'ignore', reason: 'already_resolved' });
  });

  it('opens a new incident instead of reopening a canceled one', () => {
    const canceled = incident({ open: false });
    canceled.state = { ...canceled.state, status: 'canceled' };
    expect(decideAlertBatch({ incident: canceled, alerts: [alert()], now: at('09:40'), settings })).toMatchObject({ kind: 'open', previous: { number: 1 } });
  });
});
