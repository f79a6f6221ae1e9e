/**
 * An incident raised by an alert, acknowledged and resolved with comments against the sandbox;
 * moving the sandbox clock runs the sweep, whose after-task refreshes the incident figures:
 * GET /metrics shows MTTA/MTTR and the histograms, a later refresh counts nothing twice, and a
 * refresh with nothing changed costs one list request.
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

/** The value of one exposition line (`name{labels}`), or null when it is not there. */
function value(text: string, series: string): number | null {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  chat = await startChatops(new Date('2026-01-14T09:00:00.000Z'));
  number = await chat.alert('Checkout 500s');
  await chat.setClock('2026-01-14T09:04:00Z'); // sweep + first refresh: one open, unacknowledged incident
  await chat.say('bob', number, '/ack');
  await chat.setClock('2026-01-14T09:34:00Z'); // 30 min later: due again
  await chat.say('bob', number, '/resolve error rate back to normal');
  await chat.setClock('2026-01-14T09:50:00Z'); // refresh after the resolution
  await chat.settle();
}, 60_000);

afterAll(async () => {
  await chat?.close();
});

describe('incident figures on /metrics, refreshed by the sweep', () => {
  it('shows MTTA and MTTR of the resolved incident and one observation per histogram', async () => {
    const text = await scrape();
    expect(value(text, `firewatch_incidents{${LABELS}}`)).toBe(1);
    expect(value(text, `firewatch_incidents_open{${LABELS}}`)).toBe(0);
    // Acknowledged 4 minutes after the alert, resolved 34 minutes after it, to the second: the sandbox clock stands where it was set.
    expect(value(text, `firewatch_incident_mtta_seconds{${LABELS},quantile="0.5"}`)).toBe(240);
    expect(value(text, `firewatch_incident_mttr_seconds{${LABELS},quantile="0.5"}`)).toBe(2040);
    expect(value(text, `firewatch_incident_mttr_seconds{${LABELS},quantile="0.9"}`)).toBe(2040);
    for (const phase of ['acknowledge', 'mitigate', 'resolve']) expect(value(text, `firewatch_incident_time_to_${phase}_seconds_count{${LABELS}}`)).toBe(1);
    expect(value(text, `firewatch_incident_time_to_acknowledge_seconds_bucket{le="300",${LABELS}}`)).toBe(1);
    expect(value(text, `firewatch_incident_time_to_acknowledge_seconds_bucket{le="60",${LABELS}}`)).toBe(0);
    expect(value(text, `firewatch_incident_time_to_resolve_seconds_bucket{le="1800",${LABELS}}`)).toBe(0);
    expect(value(text, `firewatch_incident_time_to_resolve_seconds_bucket{le="3600",${LABELS}}`)).toBe(1);
    expect(value(text, 'firewatch_incident_metrics_refreshed_timestamp_seconds{repository="acme/shop"}')).toBe(Date.parse('2026-01-14T09:50:00Z') / 1000);
  });

  it('a later refresh counts nothing twice and, with nothing changed, costs one list request', async () => {
    chat.sandbox.resetStats();
    await chat.setClock('2026-01-14T10:10:00Z');
    const byRoute = chat.sandbox.stats().byRoute;
    // The sweep's two lists (open, recently closed) and the refresh's one (everything updated in 90 days).
    expect(byRoute['GET /repos/{owner}/{repo}/issues']).toBe(3);
    expect(byRoute['GET /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBeUndefined();
    const text = await scrape();
    expect(value(text, 'firewatch_incident_metrics_refreshed_timestamp_seconds{repository="acme/shop"}')).toBe(Date.parse('2026-01-14T10:10:00Z') / 1000);
    for (const phase of ['acknowledge', 'mitigate', 'resolve']) expect(value(text, `firewatch_incident_time_to_${phase}_seconds_count{${LABELS}}`)).toBe(1);
    expect(value(text, `firewatch_incidents{${LABELS}}`)).toBe(1);
  });
});
