/** The captured Alertmanager 0.25 → PagerDuty / Opsgenie requests of test/fixtures/alerts/alertmanager-paging/ (see its README). */
import { readFileSync } from 'node:fs';

export interface CapturedRequest {
  method: string;
  /** Path and query as Alertmanager sent them (to the capture server's prefix). */
  path: string;
  headers: Record<string, string>;
  /** The exact bytes, as text. */
  rawBody: string;
  body: Record<string, unknown>;
}

export function pagingFixture(receiver: 'pagerduty-v2' | 'opsgenie' | 'webhook', name: string): CapturedRequest {
  return JSON.parse(readFileSync(new URL(`../fixtures/alerts/alertmanager-paging/${receiver}/${name}.json`, import.meta.url), 'utf8')) as CapturedRequest;
}
