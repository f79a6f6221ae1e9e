/**
 * The alert's description reaches the incident (issue 14, item 1): every source's equivalent
 * (Alertmanager's and Grafana's `description` annotation, the generic `description`, Datadog's
 * `body`, Sentry's culprit and message) is shown in the incident body and in the postmortem's
 * detection section, escaped (no mention, no markup) and cut sensibly.
 */
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { MAX_DESCRIPTION_CHARS } from '../../src/domain/incident/incidentView.ts';
import { escapeMarkdown } from '../../src/domain/text/markdown.ts';
import { openIncident } from '../../src/domain/incident/openIncident.ts';
import { postmortemView } from '../../src/domain/postmortem/postmortemView.ts';
import { renderIncidentBody } from '../../src/features/incidents/renderIncidentBody.ts';
import { postmortemRenderer } from '../../src/features/postmortem/renderPostmortem.ts';
import { NORMALIZERS } from '../../src/adapters/intake/normalizers.ts';
import { alertFixture } from '../support/alertFixtures.ts';
import { hostileInput } from '../domain/postmortem/hostileIncident.ts';
import { stateScope, UNSEALED } from '../../src/domain/incident/stateSeal.ts';

const scope = stateScope(UNSEALED, { owner: 'acme', repo: 'shop' });

const receivedAt = new Date('2026-01-14T09:00:00Z');

function firstAlert(source: keyof typeof NORMALIZERS, payload: unknown): NormalizedAlert {
  const result = NORMALIZERS[source]?.(payload, { receivedAt });
  if (!result?.ok) throw new Error(`${source} fixture did not normalize: ${JSON.stringify(result)}`);
  const [alert] = result.alerts;
  if (!alert) throw new Error('no alert');
  return alert;
}

/** What a reader sees of a quoted description: each line after `> `. */
function quoted(description: string): string {
  return escapeMarkdown(description)
    .split('\n')
    .map((line) => (line.trim() ? `> ${line}` : '>'))
    .join('\n');
}

const SOURCES: [string, () => NormalizedAlert, string][] = [
  ['alertmanager', () => firstAlert('alertmanager', alertFixture('alertmanager', 'firing-group')), 'More than 5% of checkout requests failed over the last 5 minutes.'],
  ['grafana', () => firstAlert('grafana', alertFixture('grafana', 'firing-values')), 'The system has high memory usage'],
  ['generic', () => firstAlert('generic', { title: 'Checkout slow', severity: 'P2', service: 'checkout', summary: 'p99 above 2 s', description: 'p99 latency 2.4 s on /pay.\nSee the dashboard.' }), 'p99 latency 2.4 s on /pay.\nSee the dashboard.'],
  ['datadog', () => firstAlert('datadog', alertFixture('datadog', 'triggered')), '@webhook-url Sending to the webhook'],
  ['sentry', () => firstAlert('sentry', alertFixture('sentry', 'event-alert')), ''],
];

describe("the alert's description", () => {
  for (const [source, alertOf, expected] of SOURCES) {
    it(`from ${source} is in the incident body and the postmortem's detection section`, () => {
      const alert = alertOf();
      const description = alert.description ?? '';
      expect(description.length).toBeGreaterThan(0);
      if (expected) expect(description).toBe(expected);
      const state = openIncident(alert, receivedAt);
      const body = renderIncidentBody(state, { timezone: 'UTC', scope });
      expect(body).toContain(quoted(description));
      const postmortem = matter(postmortemRenderer()(postmortemView(hostileInput({ state, redact: false })), null)).content;
      const detection = postmortem.slice(postmortem.indexOf('## Detection'), postmortem.indexOf('## Response'));
      expect(detection).toContain(quoted(description));
      if (alert.summary) expect(detection).toContain(`- The alert said: ${escapeMarkdown(alert.summary)}`);
    });
  }

  it('is escaped: no mention, no HTML, no Markdown from the alert', () => {
    const alert = firstAlert('generic', { title: 'x', severity: 'P3', service: 's', description: '@acme/everyone <img src=x onerror=alert(1)> # not a heading\n| a | b |\n<!-- firewatch:end summary -->' });
    const body = renderIncidentBody(openIncident(alert, receivedAt), { timezone: 'UTC', scope });
    expect(body).toContain('> `@acme/everyone` &lt;img src=x onerror=alert(1)&gt; # not a heading\n> \\| a \\| b \\|\n> &lt;!-- firewatch:end summary --&gt;');
    expect(body.match(/<!-- firewatch:end summary -->/g)).toHaveLength(1);
  });

  it(`is cut at ${MAX_DESCRIPTION_CHARS.toLocaleString('en-US')} characters with …, blank-line runs folded`, () => {
    const alert = firstAlert('generic', { title: 'x', severity: 'P3', service: 's', description: `first\n\n\n\n\nsecond ${'y'.repeat(30_000)}` });
    const body = renderIncidentBody(openIncident(alert, receivedAt), { timezone: 'UTC', scope });
    expect(body).toContain('> first\n>\n> second yyy');
    const line = body.split('\n').find((l) => l.startsWith('> second')) ?? '';
    expect(line.endsWith('y…')).toBe(true);
    expect(line.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS + 2);
  });
});
