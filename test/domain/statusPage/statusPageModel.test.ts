import { describe, expect, it } from 'vitest';
import { statusFeed, statusJson } from '../../../src/domain/statusPage/statusFeed.ts';
import { statusPageModel } from '../../../src/domain/statusPage/statusPageModel.ts';
import { buildStatusPage } from '../../../src/features/statusPage/buildStatusPage.ts';
import { stateOf } from '../metrics/fixtures.ts';

const now = new Date('2026-03-01T12:00:00Z');
const secret = 'db-primary-7 password rotation by @dave';

const active = stateOf({
  id: '20260301-checkout-1',
  title: 'HighErrorRate checkout-db-3',
  service: 'checkout',
  severity: 'P1',
  status: 'identified',
  triggeredAt: '2026-03-01T10:00:00Z',
  acknowledgedAt: '2026-03-01T10:05:00Z',
  roles: { commander: 'alice', responders: ['bob'] },
  timeline: [{ at: '2026-03-01T10:06:00Z', type: 'note', actor: 'bob', text: `note: ${secret}` }],
  statusUpdates: [
    { at: '2026-03-01T10:10:00Z', actor: 'carol', status: 'investigating', text: 'Card payments fail for some customers.' },
    { at: '2026-03-01T10:20:00Z', actor: 'carol', status: 'identified', text: secret, internal: true },
    { at: '2026-03-01T10:30:00Z', actor: 'carol', status: 'identified', text: 'We found the cause <and> are rolling out a fix.' },
  ],
});
const past = stateOf({
  id: '20260210-search-2',
  service: 'search',
  severity: 'P3',
  status: 'resolved',
  triggeredAt: '2026-02-10T08:00:00Z',
  acknowledgedAt: '2026-02-10T08:02:00Z',
  resolvedAt: '2026-02-10T09:30:00Z',
  statusUpdates: [{ at: '2026-02-10T09:30:00Z', status: 'resolved', text: 'Search is fast again.' }],
});
const unacknowledged = stateOf({ id: 'maybe-noise', service: 'billing', severity: 'P1', status: 'triggered', triggeredAt: '2026-03-01T11:50:00Z' });
const canceled = stateOf({ id: 'noise', service: 'search', severity: 'P1', status: 'canceled', triggeredAt: '2026-02-20T08:00:00Z', acknowledgedAt: '2026-02-20T08:01:00Z' });
const old = stateOf({ id: 'old', service: 'legacy', severity: 'P1', status: 'resolved', triggeredAt: '2025-10-01T08:00:00Z', acknowledgedAt: '2025-10-01T08:01:00Z', resolvedAt: '2025-10-01T09:00:00Z' });
const incidents = [active, past, unacknowledged, canceled, old].map((state, index) => ({ number: index + 1, state }));

describe('statusPageModel', () => {
  const model = statusPageModel(incidents, { now, services: ['api'] });

  it('derives each service state from its confirmed open incidents', () => {
    expect(model.services.map((service) => [service.name, service.level])).toEqual([
      ['api', 'operational'],
      ['checkout', 'outage'],
      ['search', 'operational'],
    ]);
    expect(model.overall).toBe('outage');
    const monitoring = statusPageModel([{ number: 1, state: { ...active, status: 'monitoring' } }], { now });
    expect(monitoring.services[0]?.level).toBe('degraded');
    const minor = statusPageModel([{ number: 1, state: { ...active, severity: 'P3' } }], { now });
    expect(minor.overall).toBe('degraded');
  });

  it('publishes only public updates, newest first, and no titles, names or notes', () => {
    expect(model.active).toHaveLength(1);
    expect(model.active[0]?.updates.map((update) => update.text)).toEqual(['We found the cause <and> are rolling out a fix.', 'Card payments fail for some customers.']);
    const everything = [statusJson(model, { title: 'Acme status' }), statusFeed(model, { title: 'Acme status' }), buildStatusPage(incidents, { title: 'Acme status' }, now).get('index.html') ?? ''].join('\n');
    for (const leak of ['db-primary-7', 'HighErrorRate', 'checkout-db-3', 'alice', 'bob', 'carol', 'dave']) expect(everything).not.toContain(leak);
  });

  it('keeps unacknowledged, canceled and out-of-window incidents off the page', () => {
    const ids = [...model.active, ...model.past].map((incident) => incident.id);
    expect(ids).toEqual(['20260301-checkout-1', '20260210-search-2']);
    expect(model.services.map((service) => service.name)).not.toContain('billing');
    expect(model.services.map((service) => service.name)).not.toContain('legacy');
  });

  it('draws 90 daily bars per service and counts only outages against uptime', () => {
    const checkout = model.services.find((service) => service.name === 'checkout');
    const search = model.services.find((service) => service.name === 'search');
    expect(checkout?.days).toHaveLength(90);
    expect(checkout?.days[0]?.date).toBe('2025-12-02');
    expect(checkout?.days.at(-1)).toEqual({ date: '2026-03-01', level: 'outage' });
    expect(search?.days.find((day) => day.date === '2026-02-10')?.level).toBe('degraded');
    expect(search?.days.filter((day) => day.level !== 'operational')).toHaveLength(1);
    expect(search?.uptime).toBe(1);
    // Two hours of outage in 89.5 days.
    expect(checkout?.uptime).toBe(Math.floor((1 - 2 / (89.5 * 24)) * 10_000) / 10_000);
  });
});

describe('status page files', () => {
  const files = buildStatusPage(incidents, { title: 'Acme status', siteUrl: 'https://status.acme.test' }, now);

  it('renders accessible HTML with escaped messages and no scripts', () => {
    const html = files.get('index.html') ?? '';
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Acme status</h1>');
    expect(html).toContain('Major outage in progress');
    expect(html).toContain('We found the cause &lt;and&gt; are rolling out a fix.');
    expect(html).toMatch(/role="img" aria-label="checkout: 99\.90% uptime over 90 days; major outage on 2026-03-01\."/);
    expect(html).not.toMatch(/<script/i);
  });

  it('writes an Atom feed of public updates with absolute links', () => {
    const feed = files.get('feed.atom') ?? '';
    expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(feed.match(/<entry>/g)).toHaveLength(3);
    expect(feed).toContain('<title>Major outage: checkout — Identified</title>');
    expect(feed).toContain('<content type="text">We found the cause &lt;and&gt; are rolling out a fix.</content>');
    expect(feed).toContain('<link rel="alternate" type="text/html" href="https://status.acme.test/#incident-20260301-checkout-1"/>');
  });

  it('writes a JSON summary other tools can read', () => {
    const json = JSON.parse(files.get('status.json') ?? '{}') as { version: number; overall: string; services: { name: string; level: string }[]; active: { id: string }[] };
    expect(json).toMatchObject({ version: 1, overall: 'outage', active: [{ id: '20260301-checkout-1' }] });
    expect(json.services.map((service) => service.name)).toEqual(['checkout', 'search']);
  });
});
