import { describe, expect, it } from 'vitest';
import { notificationConfigSchema } from '../../../src/domain/notifications/notificationConfig.ts';
import { notificationEvents, slackPayload, targetsFor, webhookPayload } from '../../../src/domain/notifications/notificationEvents.ts';
import { stateOf } from '../metrics/fixtures.ts';

const context = { url: 'https://github.example/acme/shop/issues/7', at: '2026-01-14T09:10:00.000Z' };
const open = stateOf({ status: 'investigating', acknowledgedAt: '2026-01-14T09:04:00Z' });

describe('notificationEvents', () => {
  it('announces a new incident', () => {
    expect(notificationEvents(null, open, context)).toEqual([
      { kind: 'opened', at: context.at, incident: { id: 'inc-1', title: 'Checkout errors', service: 'checkout', severity: 'P2', status: 'investigating', url: context.url }, text: 'P2 incident opened: Checkout errors' },
    ]);
  });

  it('sends severity changes and public updates, never internal ones', () => {
    const after = {
      ...open,
      severity: 'P1' as const,
      statusUpdates: [
        { at: '2026-01-14T09:08:00Z', status: 'identified' as const, text: 'db creds rotated', internal: true },
        { at: '2026-01-14T09:09:00Z', status: 'identified' as const, text: 'Cause found, fix rolling out', internal: false },
      ],
    };
    expect(notificationEvents(open, after, context).map((event) => [event.kind, event.text])).toEqual([
      ['severity', 'Severity P2 → P1: Checkout errors'],
      ['status-update', 'identified: Cause found, fix rolling out'],
    ]);
  });

  it('sends a resolution once, with its public summary, and an SLO breach', () => {
    const resolved = { ...open, status: 'resolved' as const, statusUpdates: [{ at: context.at, status: 'resolved' as const, text: 'stable again', internal: false }] };
    expect(notificationEvents(open, resolved, context).map((event) => event.text)).toEqual(['Resolved: Checkout errors (stable again)']);
    expect(notificationEvents(resolved, resolved, context)).toEqual([]);
    expect(notificationEvents(open, open, { ...context, sloBreached: true }).map((event) => event.kind)).toEqual(['slo-breached']);
  });
});

describe('targetsFor', () => {
  const config = notificationConfigSchema.parse({
    targets: [
      { name: 'all', type: 'webhook', url: 'https://hooks.example/all' },
      { name: 'checkout-p1', type: 'slack', url: 'https://hooks.example/slack', services: ['checkout'], minSeverity: 'P1' },
      { name: 'search-only', type: 'webhook', url: 'https://hooks.example/search', services: ['search'] },
      { name: 'resolutions', type: 'webhook', url: 'https://hooks.example/res', events: ['resolved'] },
    ],
  });
  it('filters by service, minimum severity and event kind', () => {
    const [p2] = notificationEvents(null, open, context);
    const [p1] = notificationEvents(null, { ...open, severity: 'P1' }, context);
    expect(targetsFor(config, p2!).map((target) => target.name)).toEqual(['all']);
    expect(targetsFor(config, p1!).map((target) => target.name)).toEqual(['all', 'checkout-p1']);
  });
  it('refuses a target without a URL', () => {
    expect(notificationConfigSchema.safeParse({ targets: [{ type: 'slack' }] }).success).toBe(false);
  });
});

describe('payloads', () => {
  const [event] = notificationEvents(null, { ...open, title: '<!channel> & co' }, context);
  it('disarms Slack mentions and links the issue', () => {
    expect(slackPayload(event!).text).toBe(':rotating_light: *checkout* P2 incident opened: &lt;!channel&gt; &amp; co — <https://github.example/acme/shop/issues/7|inc-1>');
  });
  it('versions the generic payload', () => {
    expect(webhookPayload(event!)).toMatchObject({ version: 1, event: 'opened', incident: { id: 'inc-1', url: context.url } });
  });
});
