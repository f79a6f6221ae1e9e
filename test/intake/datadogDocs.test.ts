import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATADOG_PAYLOAD_TEMPLATE, normalizeDatadog } from '../../src/adapters/intake/datadog.ts';

const readme = readFileSync(new URL('../../docs/alert-sources.md', import.meta.url), 'utf8');

describe('docs/alert-sources.md Datadog webhook payload', () => {
  it('is exactly DATADOG_PAYLOAD_TEMPLATE, so what users paste is what the normalizer reads', () => {
    const block = /<!-- datadog-payload:[^>]*-->\n```json\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(block).toBe(DATADOG_PAYLOAD_TEMPLATE);
  });

  it('is valid JSON once Datadog substitutes its variables, and normalizes to one alert', () => {
    const substituted = DATADOG_PAYLOAD_TEMPLATE.replace(/\$([A-Z_]+)/g, (_, name: string) =>
      ({ ALERT_TRANSITION: 'Triggered', ALERT_TITLE: 'High latency on checkout', ALERT_ID: '1234', DATE: '1700000000000', TAGS: 'service:checkout,env:prod' })[name] ?? '');
    const result = normalizeDatadog(JSON.parse(substituted), { receivedAt: new Date('2026-05-01T00:00:00Z') });
    expect(result).toMatchObject({ ok: true, alerts: [{ source: 'datadog', status: 'firing', service: 'checkout' }] });
  });
});
