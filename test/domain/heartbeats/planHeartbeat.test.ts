import { describe, expect, it } from 'vitest';
import { heartbeatsConfigSchema } from '../../../src/domain/heartbeats/heartbeatConfig.ts';
import { planHeartbeat, type KnownIncident } from '../../../src/domain/heartbeats/planHeartbeat.ts';
import { openIncident } from '../../../src/domain/incident/openIncident.ts';
import { recordAlert } from '../../../src/domain/alerts/recordAlert.ts';

const [heartbeat] = heartbeatsConfigSchema.parse([{ name: 'prometheus-prod', interval: '10m', service: 'monitoring' }]);
if (!heartbeat) throw new Error('no heartbeat');
const t = (time: string) => new Date(`2026-03-02T${time}:00Z`);
const base = { heartbeat, watchedSince: t('09:00'), incidents: [] as KnownIncident[], timezone: 'UTC' };

function reported(missedAt: Date, open = true): KnownIncident {
  const decision = planHeartbeat({ ...base, lastPing: t('09:00'), now: missedAt });
  if (decision.kind !== 'missed') throw new Error(`expected missed, got ${decision.kind}`);
  return { number: 12, open, state: openIncident(decision.alert, missedAt) };
}

describe('planHeartbeat', () => {
  it('is fine while pings arrive within the interval', () => {
    expect(planHeartbeat({ ...base, lastPing: t('09:00'), now: t('09:10') })).toEqual({ kind: 'ok' });
  });

  it('is missed once the interval passes without a ping, saying for how long', () => {
    const decision = planHeartbeat({ ...base, lastPing: t('09:00'), now: t('09:12') });
    expect(decision.kind).toBe('missed');
    if (decision.kind !== 'missed') return;
    expect(decision.alert).toMatchObject({ source: 'heartbeat', status: 'firing', title: 'No heartbeat from prometheus-prod', severity: 'P2', service: 'monitoring', startsAt: '2026-03-02T09:10:00.000Z' });
    expect(decision.alert.summary).toBe('No heartbeat from prometheus-prod for 12 minutes: one is expected at least every 10 minutes, and the last one arrived at 2026-03-02 09:00 UTC.');
  });

  it('is missed an interval after watching began when it never pinged (after a restart without Redis too)', () => {
    expect(planHeartbeat({ ...base, now: t('09:09') }).kind).toBe('ok');
    expect(planHeartbeat({ ...base, now: t('09:11') })).toMatchObject({ kind: 'missed', alert: { summary: expect.stringContaining('none arrived since firewatch started watching at 2026-03-02 09:00 UTC') } });
  });

  it('reports a miss once: its firing alert on GitHub says it is reported, whatever this process remembers', () => {
    const incident = reported(t('09:12'));
    expect(planHeartbeat({ ...base, lastPing: t('09:00'), incidents: [incident], now: t('09:40') })).toEqual({ kind: 'reported', issue: 12 });
    // A restarted process knows no ping: still reported, not missed again.
    expect(planHeartbeat({ ...base, watchedSince: t('09:30'), incidents: [incident], now: t('09:45') })).toEqual({ kind: 'reported', issue: 12 });
  });

  it('is back once a ping follows the miss, with a note saying so', () => {
    const incident = reported(t('09:12'));
    const decision = planHeartbeat({ ...base, lastPing: t('09:20'), incidents: [incident], now: t('09:21') });
    expect(decision).toMatchObject({ kind: 'back', issue: 12, alert: { status: 'resolved', vendor: { action: { type: 'resolve', note: '💓 Heartbeat prometheus-prod is back: a ping arrived at 2026-03-02 09:20 UTC, after about 20 minutes without one.' } } } });
  });

  it('after people closed the incident while it was silent, a new silence is a new miss', () => {
    const closed = reported(t('09:12'), false);
    expect(planHeartbeat({ ...base, lastPing: t('09:20'), incidents: [closed], now: t('09:21') })).toEqual({ kind: 'ok' });
    expect(planHeartbeat({ ...base, lastPing: t('09:20'), incidents: [closed], now: t('09:35') }).kind).toBe('missed');
  });

  it('once its alert resolved, the incident no longer counts as reporting a miss', () => {
    const incident = reported(t('09:12'));
    const back = planHeartbeat({ ...base, lastPing: t('09:20'), incidents: [incident], now: t('09:21') });
    if (back.kind !== 'back') throw new Error('expected back');
    const state = recordAlert(incident.state, back.alert, t('09:21'));
    expect(planHeartbeat({ ...base, lastPing: t('09:20'), incidents: [{ ...incident, state }], now: t('09:25') })).toEqual({ kind: 'ok' });
  });

  it('refuses bad heartbeat config', () => {
    expect(heartbeatsConfigSchema.safeParse([{ name: 'a', interval: '30s' }]).success).toBe(false);
    expect(heartbeatsConfigSchema.safeParse([{ name: 'has space', interval: '5m' }]).success).toBe(false);
    expect(heartbeatsConfigSchema.safeParse([{ name: 'a', interval: '5m' }, { name: 'a', interval: '6m' }]).success).toBe(false);
  });
});
