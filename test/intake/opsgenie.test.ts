import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeOpsgenieAction, normalizeOpsgenieCreate, OPSGENIE_ACTIONS, opsgenieAlertId, type OpsgenieActionName } from '../../src/adapters/intake/opsgenie.ts';
import { pagingFixture } from '../support/pagingFixtures.ts';

const integration = { name: 'og-prod' };
const context = { integration, receivedAt: new Date('2026-03-02T10:00:00Z'), requestId: 'req-1', newAlias: () => 'generated-alias' };
const ALIAS = '73818545e9251aff39c7c0024aa13a3c5490815438079b64fed78418865168eb';

describe('normalizeOpsgenieCreate', () => {
  it("reads Alertmanager's description back into the group's alerts, with the receiver's priority", () => {
    const result = normalizeOpsgenieCreate(pagingFixture('opsgenie', 'update_alerts-create-priority-tags').body, context);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.request).toEqual({ id: 'req-1', action: 'Create', integration: 'og-prod', alertId: opsgenieAlertId('og-prod', ALIAS), alias: ALIAS });
    expect(result.alerts).toHaveLength(1);
    expect(result.alerts[0]).toMatchObject({
      source: 'opsgenie',
      title: 'CheckoutHighErrorRate',
      severity: 'P1',
      service: 'checkout',
      summary: 'Checkout error rate 31.96% on 127.0.0.1:34389',
      labels: { alertname: 'CheckoutHighErrorRate', instance: '127.0.0.1:34389', job: 'checkout', service: 'checkout', severity: 'critical' },
      links: { runbook: 'https://runbooks.example.com/checkout/high-error-rate' },
      groupKey: `og-prod/${opsgenieAlertId('og-prod', ALIAS)}`,
    });
    expect(result.alerts[0]?.severityDefaulted).toBeUndefined();
    expect(result.alerts[0]?.links.silence).toMatch(/^http:\/\/127\.0\.0\.1:46293\/#\/silences\/new/);
  });

  it("asks for the receiver's responders on every alert of the group (opsgenie_configs responders:)", () => {
    // The captured group as Alertmanager sends it when the receiver lists responders.
    const body = { ...(pagingFixture('opsgenie', 'create-2-alerts').body as Record<string, unknown>), responders: [{ type: 'user', username: 'carol@example.com' }, { type: 'team', name: 'payments' }] };
    const result = normalizeOpsgenieCreate(body, context);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.alerts.map((alert) => alert.responders)).toEqual([
      ['user:carol@example.com', 'team:payments'],
      ['user:carol@example.com', 'team:payments'],
    ]);
  });

  it('makes both alerts of a two-alert group rows of one incident', () => {
    const result = normalizeOpsgenieCreate(pagingFixture('opsgenie', 'create-2-alerts').body, context);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.alerts.map((alert) => alert.labels['instance'])).toEqual(['127.0.0.1:33843', '127.0.0.1:34389']);
    expect(new Set(result.alerts.map((alert) => alert.groupKey)).size).toBe(1);
  });

  it('maps a plain create field by field, with the note posted after it', () => {
    const result = normalizeOpsgenieCreate(
      {
        message: 'Queue backlog above 10k',
        alias: 'backlog-eu',
        description: 'Orders are waiting.',
        responders: [{ type: 'team', name: 'payments' }, { type: 'user', username: 'jane@example.com' }],
        tags: ['queue', 'eu'],
        details: { region: 'eu-west-1', depth: 12034 },
        entity: 'orders-queue',
        source: 'cron-check',
        priority: 'P2',
        user: 'Jane',
        note: 'Paging because the backlog doubles every 10 minutes.',
      },
      context,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [alert, note] = result.alerts;
    expect(alert).toMatchObject({
      title: 'Queue backlog above 10k',
      summary: 'Orders are waiting.',
      severity: 'P2',
      labels: { region: 'eu-west-1', depth: '12034', tags: 'queue,eu', entity: 'orders-queue', responders: 'team:payments, user:jane@example.com' },
      annotations: { source: 'cron-check' },
      fingerprint: expect.any(String),
      responders: ['team:payments', 'user:jane@example.com'],
    });
    expect(note?.vendor?.action).toEqual({ type: 'note', by: 'the Opsgenie integration "og-prod" (user "Jane")', text: 'Paging because the backlog doubles every 10 minutes.' });
    expect(note?.fingerprint).toBe(alert?.fingerprint);
  });

  it('gives an alert without alias one of its own, so it is a new alert', () => {
    const result = normalizeOpsgenieCreate({ message: 'm' }, context);
    expect(result.ok && result.request.alias).toBe('generated-alias');
    expect(result.ok && result.alerts[0]?.severityDefaulted).toBe(true);
  });

  it.each([
    [{}, { message: 'Message can not be empty.' }],
    [{ message: '   ' }, { message: 'Message can not be empty.' }],
    [{ message: 'm', priority: 'P9' }, { priority: 'Priority should be one of [P1, P2, P3, P4, P5].' }],
    [{ message: 'm', alias: 'a'.repeat(513) }, { alias: 'Alias can not be longer than 512 characters.' }],
    [{ message: 'm', tags: 'a,b' }, { tags: 'Tags should be a list of strings.' }],
    [{ message: 5 }, { message: 'Message should be a string.' }],
  ])('refuses %j with Opsgenie errors', (body, errors) => {
    expect(normalizeOpsgenieCreate(body, context)).toEqual({ ok: false, errors });
  });
});

describe('normalizeOpsgenieAction', () => {
  it("closes by alias as Alertmanager does, finding the alert's group", () => {
    const result = normalizeOpsgenieAction('close', ALIAS, 'alias', pagingFixture('opsgenie', 'close').body, context);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.alerts[0]).toMatchObject({ groupKey: `og-prod/${opsgenieAlertId('og-prod', ALIAS)}`, vendor: { action: { type: 'resolve' }, request: { action: 'Close', alias: ALIAS } } });
  });

  it('finds the same group by id, and the incident issue by tiny id', () => {
    const id = opsgenieAlertId('og-prod', ALIAS);
    const byId = normalizeOpsgenieAction('acknowledge', id, null, { note: 'on it', user: 'bob' }, context);
    expect(byId.ok && byId.alerts[0]).toMatchObject({ groupKey: `og-prod/${id}`, vendor: { action: { type: 'acknowledge', note: 'on it', by: 'the Opsgenie integration "og-prod" (user "bob")' } } });
    const byTiny = normalizeOpsgenieAction('notes', '42', 'tiny', { note: 'hello' }, context);
    expect(byTiny.ok && byTiny.alerts[0]?.vendor).toMatchObject({ issue: 42, action: { type: 'note', text: 'hello' } });
  });

  it('reads message, description and priority updates', () => {
    const message = normalizeOpsgenieAction('message', ALIAS, 'alias', pagingFixture('opsgenie', 'update_alerts-message').body, context);
    expect(message.ok && message.alerts[0]?.vendor?.action).toEqual({ type: 'retitle', by: 'the Opsgenie integration "og-prod"', title: '[FIRING:1] CheckoutHighErrorRate checkout (127.0.0.1:34389 checkout critical)' });
    const description = normalizeOpsgenieAction('description', ALIAS, 'alias', pagingFixture('opsgenie', 'update_alerts-description').body, context);
    expect(description.ok && description.alerts[0]?.vendor?.action?.type).toBe('describe');
    expect(normalizeOpsgenieAction('priority', ALIAS, 'alias', { priority: 'P1' }, context)).toMatchObject({ ok: true, alerts: [{ vendor: { action: { type: 'reprioritize', severity: 'P1' } } }] });
  });

  it.each([
    ['notes', '1', 'id', {}, { note: 'Note can not be empty.' }],
    ['priority', '1', 'id', { priority: 'urgent' }, { priority: 'Priority should be one of [P1, P2, P3, P4, P5].' }],
    ['close', '1', 'name', {}, { identifierType: 'Identifier type should be one of [id, alias, tiny].' }],
    ['close', 'abc', 'tiny', {}, { identifier: 'A tiny id is the number of the incident issue.' }],
    ['message', '1', 'id', { message: '' }, { message: 'Message can not be empty.' }],
  ] as const)('refuses %s %s (%s) %j', (name, identifier, type, body, errors) => {
    expect(normalizeOpsgenieAction(name, identifier, type, body, context)).toEqual({ ok: false, errors });
  });

  it('answers every request with alerts or errors, never a throw (fuzzed)', () => {
    const names = Object.keys(OPSGENIE_ACTIONS) as OpsgenieActionName[];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.string({ maxLength: 600 }), fc.option(fc.constantFrom('id', 'alias', 'tiny', 'x')), fc.jsonValue(), (name, identifier, type, body) => {
        const result = normalizeOpsgenieAction(name, identifier, type, body, context);
        if (result.ok) expect(result.alerts.every((alert) => alert.vendor?.action && alert.vendor.request?.id === 'req-1')).toBe(true);
        else expect(Object.keys(result.errors).length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ message: fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue()), alias: fc.string(), details: fc.jsonValue(), tags: fc.jsonValue(), responders: fc.jsonValue(), priority: fc.jsonValue(), description: fc.string({ maxLength: 20_000 }) }, { requiredKeys: [] })), (body) => {
        const result = normalizeOpsgenieCreate(body, context);
        if (result.ok) {
          expect(result.alerts.length).toBeGreaterThan(0);
          for (const alert of result.alerts) expect(alert.title.length).toBeLessThanOrEqual(256);
        } else expect(Object.keys(result.errors).length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
