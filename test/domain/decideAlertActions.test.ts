import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { decideAlertActions } from '../../src/domain/alerts/decideAlertActions.ts';
import { decideAlertBatch, type BatchSettings, type FoundIncident } from '../../src/domain/alerts/decideAlertBatch.ts';
import { openIncident } from '../../src/domain/incident/openIncident.ts';
import type { AlertAction } from '../../src/domain/alerts/vendorEvent.ts';

const settings: BatchSettings = { noticeIntervalMs: 30 * 60_000, reopenWindowMs: 3_600_000, autoResolve: false };
const at = (time: string) => new Date(`2026-01-01T${time}:00Z`);
const alert = (over: Partial<NormalizedAlert> = {}): NormalizedAlert => ({
  source: 'pagerduty',
  fingerprint: 'a',
  groupKey: 'key/dedup',
  status: 'firing',
  title: 'Disk full on db-1',
  severity: 'P2',
  service: 'db',
  labels: {},
  annotations: {},
  startsAt: '2026-01-01T09:00:00Z',
  links: { other: [] },
  ...over,
});
const act = (action: AlertAction, over: Partial<NormalizedAlert> = {}) => alert({ title: 'placeholder', vendor: { integration: 'key', action }, ...over });
const by = 'the PagerDuty integration "key"';

function incident(over: Partial<FoundIncident> = {}, alerts: NormalizedAlert[] = [alert()]): FoundIncident {
  let state = openIncident(alerts[0] ?? alert(), at('09:00'));
  for (const more of alerts.slice(1)) {
    const decision = decideAlertBatch({ incident: { number: 7, open: true, state }, alerts: [more], now: at('09:00'), settings });
    if (decision.kind === 'update') state = decision.state;
  }
  return { number: 7, open: true, state, ...over };
}

describe('decideAlertActions', () => {
  it('acknowledges a triggered incident, naming the integration and assigning nobody', () => {
    const decision = decideAlertActions({ incident: incident(), actions: [act({ type: 'acknowledge', by })], now: at('09:05'), settings });
    expect(decision.kind).toBe('update');
    if (decision.kind !== 'update') return;
    expect(decision.state).toMatchObject({ status: 'acknowledged', acknowledgedAt: '2026-01-01T09:05:00.000Z', acknowledgedBy: null });
    expect(decision.state.timeline.at(-1)).toEqual({ at: '2026-01-01T09:05:00.000Z', type: 'acknowledged', text: `Acknowledged by ${by}` });
    expect(decision.comments).toEqual([{ type: 'alerts.action', text: '✅ Acknowledged by the PagerDuty integration "key": status **acknowledged**.' }]);
  });

  it('acknowledges once: a second acknowledge changes nothing', () => {
    const first = decideAlertActions({ incident: incident(), actions: [act({ type: 'acknowledge', by })], now: at('09:05'), settings });
    if (first.kind !== 'update') throw new Error('expected an update');
    const second = decideAlertActions({ incident: { number: 7, open: true, state: first.state }, actions: [act({ type: 'acknowledge', by })], now: at('09:06'), settings });
    expect(second).toMatchObject({ kind: 'update', comments: [] });
    if (second.kind === 'update') expect(second.state).toEqual(first.state);
  });

  it('resolves every firing alert of the incident, and the incident when autoResolve says so', () => {
    const found = incident({}, [alert(), alert({ fingerprint: 'b', title: 'Disk full on db-2' })]);
    const kept = decideAlertActions({ incident: found, actions: [act({ type: 'resolve', by })], now: at('09:30'), settings });
    expect(kept).toMatchObject({ kind: 'update', comments: [{ type: 'alerts.resolved', text: expect.stringContaining('The incident stays open until someone resolves it.') }] });
    if (kept.kind === 'update') expect(kept.state.alerts.map((a) => a.status)).toEqual(['resolved', 'resolved']);
    const closed = decideAlertActions({ incident: found, actions: [act({ type: 'resolve', by, note: 'Fixed by restarting db-1.' })], now: at('09:30'), settings: { ...settings, autoResolve: true } });
    expect(closed).toMatchObject({ kind: 'update', resolve: true });
    if (closed.kind === 'update') {
      expect(closed.state).toMatchObject({ status: 'resolved', resolvedAt: '2026-01-01T09:30:00.000Z' });
      expect(closed.comments[0]?.text).toMatch(/^> Fixed by restarting db-1\.\n\n✅ All 2 alerts have resolved/);
    }
  });

  it('drops acknowledge and resolve for a closed incident or none, as PagerDuty drops them', () => {
    const resolved = incident({ open: false });
    expect(decideAlertActions({ incident: resolved, actions: [act({ type: 'acknowledge', by })], now: at('10:00'), settings })).toMatchObject({ kind: 'ignore', reason: 'already_resolved' });
    expect(decideAlertActions({ actions: [act({ type: 'resolve', by })], now: at('10:00'), settings })).toMatchObject({ kind: 'ignore', reason: 'no_incident' });
    // A note is still worth posting on a closed incident.
    expect(decideAlertActions({ incident: resolved, actions: [act({ type: 'note', by, text: 'root cause found' })], now: at('10:00'), settings })).toMatchObject({ kind: 'update', comments: [{ type: 'alerts.action' }] });
  });

  it('posts notes escaped and quoted, mentions made inert', () => {
    const decision = decideAlertActions({ incident: incident(), actions: [act({ type: 'note', by: 'the Opsgenie integration "og" (user "@eve")', text: 'ping @bob <img src=x>\n**now**' })], now: at('09:10'), settings });
    if (decision.kind !== 'update') throw new Error('expected an update');
    expect(decision.comments[0]?.text).toBe('📝 Note from the Opsgenie integration "og" (user "`@eve`"):\n\n> ping `@bob` &lt;img src=x&gt;\n> \\*\\*now\\*\\*');
    expect(decision.state.timeline.at(-1)?.text).toBe('Note from the Opsgenie integration "og" (user "@eve"): ping @bob <img src=x> **now**');
  });

  it("renames the alert and the incident it named; a description replaces the first alert's summary; a priority the severity", () => {
    const decision = decideAlertActions({
      incident: incident(),
      actions: [act({ type: 'retitle', by, title: 'Disk full on db-1 (95%)' }), act({ type: 'describe', by, description: 'Only 5% left.' }), act({ type: 'reprioritize', by, severity: 'P1' })],
      now: at('09:10'),
      settings,
    });
    if (decision.kind !== 'update') throw new Error('expected an update');
    expect(decision.state).toMatchObject({ title: 'Disk full on db-1 (95%)', summary: 'Only 5% left.', severity: 'P1' });
    expect(decision.state.alerts[0]?.title).toBe('Disk full on db-1 (95%)');
    expect(decision.comments.map((c) => c.text)).toEqual([`🌡️ Severity **P2 → P1**: priority set by the PagerDuty integration "key".`]);
    // Another alert's message leaves the incident alone.
    const other = decideAlertActions({ incident: incident(), actions: [act({ type: 'retitle', by, title: 'x' }, { fingerprint: 'zzz' })], now: at('09:10'), settings });
    expect(other.kind === 'update' && other.state.title).toBe('Disk full on db-1');
  });
});
