import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/domain/config/config.ts';
import type { IncidentState } from '../../../src/domain/incident/incidentState.ts';
import { openIncident } from '../../../src/domain/incident/openIncident.ts';
import { parseContacts } from '../../../src/domain/paging/contacts.ts';
import { readPageRecord, renderPageMarker, type PageMarker } from '../../../src/domain/paging/pageRecord.ts';
import { escalatedLogins, planPages, type PagingFacts } from '../../../src/domain/paging/planPages.ts';
import { resolveResponder } from '../../../src/domain/paging/responders.ts';
import { transition } from '../../../src/domain/incident/transition.ts';

const T0 = new Date('2026-03-03T03:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const { config } = parseConfigText(`
oncall:
  layers:
    - { name: primary, participants: [bob], handoff: { weekday: monday, time: '09:00' }, start: '2026-03-02' }
  escalation:
    steps:
      - { afterMinutes: 10, mention: ['@carol', '@acme/sre'] }
      - { afterMinutes: 30, mention: ['@dave'] }
paging:
  policies:
    P1: { channels: [ntfy, sms], repeatMinutes: 5, escalateAfterMinutes: 10, maxPages: 3 }
    P3: { channels: [email], repeatMinutes: 30 }
`);
const { contacts } = parseContacts(`
people:
  bob: { channels: [{ sms: '+15550100001' }, { email: bob@example.com }, { ntfy: bob-topic }] }
  carol: { channels: [{ email: carol@example.com }], timezone: Europe/Berlin, quietHours: { from: '22:00', to: '07:00' } }
`);

function incident(severity: 'P1' | 'P3' = 'P1'): IncidentState {
  return openIncident({ source: 'generic', fingerprint: 'f', status: 'firing', title: 'Down', severity, service: 'api', labels: {}, annotations: {}, startsAt: T0.toISOString(), links: { other: [] } }, T0);
}

let nextComment = 1;
function comment(marker: Partial<PageMarker> & { at: string }) {
  return { id: nextComment++, body: `text\n\n${renderPageMarker({ type: 'page', pages: [], holds: [], ...marker })}` };
}

function facts(overrides: Partial<PagingFacts> = {}): PagingFacts {
  return { state: incident(), open: true, assignees: ['bob'], paging: config.paging, oncall: config.oncall, contacts, record: readPageRecord([]), steps: new Map(), mentioned: new Set(), now: T0, ...overrides };
}

describe('planPages', () => {
  it('pages the person on call at once on the policy channels in their order, with the rest as fallbacks', () => {
    const plan = planPages(facts());
    if (plan.kind !== 'page') throw new Error(plan.kind);
    expect(plan.pages).toHaveLength(1);
    expect(plan.pages[0]).toMatchObject({ id: 'bob-1', login: 'bob', round: 1, reason: 'on call', mention: true, assign: false, methods: [{ channel: 'sms', index: 0 }, { channel: 'ntfy', index: 2 }], fallbacks: [{ channel: 'email', index: 1 }] });
    expect(plan.next).toEqual(minutes(5));
  });

  it('re-pages only once repeatMinutes passed since the last claim, and never past maxPages', () => {
    const claimed = (round: number, at: Date) => comment({ at: at.toISOString(), pages: [{ id: `bob-${round}`, login: 'bob', round, channels: ['github', 'sms'], reason: 'on call' }] });
    const record = readPageRecord([claimed(1, T0)]);
    expect(planPages(facts({ record, now: minutes(4.9) }))).toMatchObject({ kind: 'page', pages: [] });
    const due = planPages(facts({ record, now: minutes(5) }));
    expect(due.kind === 'page' && due.pages.map((page) => page.id)).toEqual(['bob-2']);
    const all = readPageRecord([claimed(1, T0), claimed(2, minutes(5)), claimed(3, minutes(10))]);
    const done = planPages(facts({ record: all, now: minutes(9.5), steps: new Map([[0, minutes(9)], [1, minutes(9)]]) }));
    expect(done.kind === 'page' && done.pages.find((page) => page.login === 'bob')).toBeUndefined();
  });

  it('a page claimed by two runs belongs to the earlier comment', () => {
    const a = comment({ at: T0.toISOString(), pages: [{ id: 'bob-1', login: 'bob', round: 1, channels: ['github'], reason: 'on call' }] });
    const b = comment({ at: T0.toISOString(), pages: [{ id: 'bob-1', login: 'bob', round: 1, channels: ['github'], reason: 'on call' }] });
    expect(readPageRecord([b, a]).pages.get('bob-1')?.commentId).toBe(a.id);
  });

  it('escalates to the next step escalateAfterMinutes after the last level was first paged, one step at a time', () => {
    const record = readPageRecord([comment({ at: T0.toISOString(), pages: [{ id: 'bob-1', login: 'bob', round: 1, channels: ['github'], reason: 'on call' }] })]);
    expect(planPages(facts({ record, now: minutes(9) }))).toMatchObject({ kind: 'page', escalation: null });
    const plan = planPages(facts({ record, now: minutes(10) }));
    if (plan.kind !== 'page') throw new Error(plan.kind);
    expect(plan.escalation).toMatchObject({ index: 0, count: 2, users: ['carol'], teams: ['acme/sre'] });
    expect(plan.pages.map((page) => [page.login, page.reason])).toEqual([['bob', 'on call'], ['carol', 'escalation step 1']]);
    // Step 1 brought in at 10 (by anyone): step 2 is due at 20, not before.
    const later = planPages(facts({ record, now: minutes(19), steps: new Map([[0, minutes(10)]]) }));
    expect(later.kind === 'page' && later.escalation).toBeNull();
    const second = planPages(facts({ record, now: minutes(20), steps: new Map([[0, minutes(10)]]) }));
    expect(second.kind === 'page' && second.escalation?.index).toBe(1);
  });

  it('someone without any policy channel is paged by the first way they gave; someone without contacts on GitHub only', () => {
    const plan = planPages(facts({ now: minutes(10), steps: new Map([[0, T0]]), record: readPageRecord([comment({ at: T0.toISOString(), pages: [{ id: 'bob-1', login: 'bob', round: 1, channels: ['github'], reason: 'on call' }] })]) }));
    if (plan.kind !== 'page') throw new Error(plan.kind);
    expect(plan.pages.find((page) => page.login === 'carol')).toMatchObject({ methods: [{ channel: 'email', index: 0 }], missing: ['ntfy', 'sms'], noContacts: false });
  });

  it('quiet hours hold back a P3 until they end, never a P1', () => {
    const state = { ...incident('P3'), roles: { commander: 'carol', comms: null, responders: [] } };
    const night = new Date('2026-03-03T23:30:00Z');
    const held = planPages(facts({ state, now: night }));
    if (held.kind !== 'page') throw new Error(held.kind);
    expect(held.holds).toEqual([{ id: 'carol-1', login: 'carol', until: new Date('2026-03-04T06:00:00Z') }]);
    expect(held.pages.map((page) => page.login)).toEqual(['bob']);
    const p1 = planPages(facts({ state: { ...incident('P1'), roles: state.roles }, now: night }));
    expect(p1.kind === 'page' && p1.pages.map((page) => page.login)).toEqual(['bob', 'carol']);
  });

  it('stops at acknowledge, resolve and cancel', () => {
    const state = incident();
    const acked = transition(state, { name: 'ack' }, { actor: 'carol', now: minutes(3) });
    if (!acked.ok) throw new Error('ack');
    expect(planPages(facts({ state: acked.state }))).toMatchObject({ kind: 'idle', reason: 'acknowledged', message: 'acknowledged by carol' });
    expect(planPages(facts({ state: { ...state, status: 'resolved' }, open: false }))).toMatchObject({ kind: 'idle', reason: 'closed' });
    expect(planPages(facts({ state: { ...state, status: 'canceled' } }))).toMatchObject({ kind: 'idle', reason: 'closed' });
    expect(planPages(facts({ state: { ...state, severity: 'P5' } }))).toMatchObject({ kind: 'idle', reason: 'no-policy' });
  });

  it('pages people /escalate named, the commander and the alert responders', () => {
    let state: IncidentState = { ...incident(), alerts: incident().alerts.map((alert) => ({ ...alert, responders: ['erin'] })) };
    for (const command of [{ name: 'escalate', target: { kind: 'user', login: 'frank' }, assignable: true, reason: 'db' }, { name: 'commander', login: 'gina' }] as const) {
      const result = transition(state, command, { actor: 'alice', now: minutes(1) });
      if (!result.ok) throw new Error(result.message);
      state = result.state;
    }
    const plan = planPages(facts({ state }));
    expect(plan.kind === 'page' && plan.pages.map((page) => [page.login, page.reason])).toEqual([['bob', 'on call'], ['erin', 'alert responder'], ['frank', 'escalated'], ['gina', 'incident commander']]);
  });

  it('pages the responders Opsgenie named: users by the e-mail address in their private contacts, schedules by who is on call in that layer', () => {
    const refs = ['user:Carol@Example.com', 'schedule:primary', 'team:payments', 'user:nobody@example.com', 'user:0b1f5c3e-4d2a-4c1e-9f00-aaaaaaaaaaaa', 'escalation:ops'];
    const state: IncidentState = { ...incident(), alerts: incident().alerts.map((alert) => ({ ...alert, responders: refs })) };
    const plan = planPages(facts({ state }));
    expect(plan.kind === 'page' && plan.pages.map((page) => [page.login, page.reason])).toEqual([['bob', 'on call'], ['carol', 'alert responder']]);
  });
});

describe('resolveResponder', () => {
  it('says why a responder names nobody firewatch can page', () => {
    expect(resolveResponder('team:payments', contacts, config.oncall, T0)).toEqual({ ref: 'team:payments', logins: [], unresolved: 'a team is not a person: the people on call are paged' });
    expect(resolveResponder('user:nobody@example.com', contacts, config.oncall, T0)).toMatchObject({ logins: [], unresolved: 'no contact has this e-mail address' });
    expect(resolveResponder('schedule:night', contacts, config.oncall, T0)).toMatchObject({ logins: [], unresolved: 'no on-call layer of this name' });
    expect(resolveResponder('user:@dave', contacts, config.oncall, T0)).toEqual({ ref: 'user:@dave', logins: ['dave'] });
    expect(resolveResponder('schedule:PRIMARY', contacts, config.oncall, T0)).toEqual({ ref: 'schedule:PRIMARY', logins: ['bob'] });
  });
});

describe('escalatedLogins', () => {
  it('reads the entries transition writes for /escalate, and leaves teams and steps out', () => {
    const state = incident();
    const person = transition(state, { name: 'escalate', target: { kind: 'user', login: 'frank' }, assignable: true, reason: 'needs db: now' }, { actor: 'a', now: T0 });
    const team = transition(state, { name: 'escalate', target: { kind: 'team', org: 'acme', slug: 'sre' }, assignable: false }, { actor: 'a', now: T0 });
    const onCall = transition(state, { name: 'escalate-next', users: ['bob', 'carol'], teams: [], assignable: [] }, { actor: 'a', now: T0 });
    const step = transition(state, { name: 'escalate-next', step: { index: 0, count: 1 }, users: ['carol'], teams: [], assignable: [] }, { actor: 'a', now: T0 });
    const entry = (result: typeof person) => (result.ok ? (result.entries[0] ?? { at: '', type: '', text: '' }) : { at: '', type: '', text: '' });
    expect(escalatedLogins(entry(person))).toEqual(['frank']);
    expect(escalatedLogins(entry(team))).toEqual([]);
    expect(escalatedLogins(entry(onCall))).toEqual(['bob', 'carol']);
    expect(escalatedLogins(entry(step))).toEqual([]);
  });
});
