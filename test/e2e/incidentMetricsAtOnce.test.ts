/**
 * The incident figures on /metrics follow the incident as it happens: after the first refresh,
 * an /ack, a /resolve and a new alert show on the next scrape, with no sweep or refresh between
 * (the refresh interval is 15 minutes; the sandbox clock stands still where the test puts it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatops, type Chatops } from './chatopsHarness.ts';

let chat: Chatops;
let number = 0;
const LABELS = 'repository="acme/shop",service="checkout",severity="P3"';

async function scrape(): Promise<string> {
  const response = await fetch(`${chat.running.server.url}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

function value(text: string, series: string): number | null {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  chat = await startChatops(new Date('2026-01-14T09:00:00.000Z'));
  number = await chat.alert('Checkout 500s');
  await chat.setClock('2026-01-14T09:01:00Z'); // sweep + first refresh: one open, unacknowledged incident
}, 60_000);

afterAll(async () => {
  await chat?.close();
});

describe('incident figures on /metrics, updated by the incident itself', () => {
  it('shows the MTTA as soon as /ack is answered', async () => {
    const before = await scrape();
    expect(value(before, `firewatch_incidents_open{${LABELS}}`)).toBe(1);
    expect(value(before, `firewatch_incident_mtta_seconds{${LABELS},quantile="0.5"}`)).toBeNull();
    const refreshed = value(before, 'firewatch_incident_metrics_refreshed_timestamp_seconds{repository="acme/shop"}');

    await chat.setClock('2026-01-14T09:04:00Z');
    chat.sandbox.resetStats();
    const { reactions } = await chat.say('bob', number, '/ack');
    expect(reactions).toEqual(['eyes', 'rocket']);
    const text = await scrape();
    expect(value(text, `firewatch_incident_mtta_seconds{${LABELS},quantile="0.5"}`)).toBe(240);
    expect(value(text, `firewatch_incident_time_to_acknowledge_seconds_count{${LABELS}}`)).toBe(1);
    expect(value(text, `firewatch_incidents_open{${LABELS}}`)).toBe(1);
    // Not a refresh: nothing was read from GitHub for it.
    expect(value(text, 'firewatch_incident_metrics_refreshed_timestamp_seconds{repository="acme/shop"}')).toBe(refreshed);
    expect(chat.sandbox.stats().byRoute['GET /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBeUndefined();
  });

  it('shows the MTTR and the closed incident as soon as /resolve is answered', async () => {
    await chat.setClock('2026-01-14T09:34:00Z');
    const { reactions } = await chat.say('bob', number, '/resolve error rate back to normal');
    expect(reactions).toEqual(['eyes', 'rocket']);
    const text = await scrape();
    expect(value(text, `firewatch_incident_mttr_seconds{${LABELS},quantile="0.5"}`)).toBe(2040);
    expect(value(text, `firewatch_incidents_open{${LABELS}}`)).toBe(0);
    expect(value(text, `firewatch_incident_time_to_resolve_seconds_count{${LABELS}}`)).toBe(1);
    expect(value(text, `firewatch_incident_time_to_resolve_seconds_bucket{le="3600",${LABELS}}`)).toBe(1);
  });

  it('counts a new incident as soon as its alert is filed', async () => {
    await chat.setClock('2026-01-14T09:40:00Z');
    await chat.alert('Checkout latency');
    const text = await scrape();
    expect(value(text, `firewatch_incidents{${LABELS}}`)).toBe(2);
    expect(value(text, `firewatch_incidents_open{${LABELS}}`)).toBe(1);
  });
});
