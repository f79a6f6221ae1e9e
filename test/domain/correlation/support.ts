import { buildCorpus } from '../../../src/domain/correlation/alertMatch.ts';
import { alertText } from '../../../src/domain/correlation/alertText.ts';
import type { ChangeCandidate, IncidentFacts, PullCandidate, ShippedDeployment } from '../../../src/domain/correlation/candidate.ts';
import type { FeatureContext } from '../../../src/domain/correlation/features.ts';
import { scheduledJob } from '../../../src/domain/correlation/schedule.ts';

const FIRST_ALERT = '2025-06-12T12:00:00.000Z';

/** `minutes` before the first alert (negative: after). */
export function before(minutes: number): string {
  return new Date(Date.parse(FIRST_ALERT) - minutes * 60_000).toISOString();
}

export function facts(overrides: Partial<IncidentFacts> = {}): IncidentFacts {
  return { service: 'checkout', firstAlertAt: FIRST_ALERT, environment: 'production', labels: {}, annotations: {}, servicePaths: ['services/checkout/**'], serviceRepos: ['acme/shop'], ...overrides };
}

export function deployed(minutesBefore: number, overrides: Partial<ShippedDeployment> = {}): ShippedDeployment {
  return { environment: 'production', at: before(minutesBefore), state: 'success', ...overrides };
}

export function pull(number: number, overrides: Partial<PullCandidate> = {}): PullCandidate {
  return {
    kind: 'pull',
    repo: 'acme/shop',
    number,
    title: `Change ${number}`,
    url: `https://github.com/acme/shop/pull/${number}`,
    author: 'bob',
    mergedAt: before(120),
    sha: `${number}`.padStart(7, '0') + 'abcdef0123456789abcdef0123456789a',
    paths: ['services/checkout/orders.js'],
    additions: 10,
    deletions: 2,
    labels: [],
    isRevert: false,
    deployments: [deployed(30)],
    ...overrides,
  };
}

/** Feature context of an incident; `window` are the changes the alert's words are weighed among. */
export function context(overrides: Partial<IncidentFacts> = {}, deploys = true, window: readonly ChangeCandidate[] = []): FeatureContext {
  const f = facts(overrides);
  const alert = alertText(f);
  return {
    facts: f,
    firstAlertMs: Date.parse(FIRST_ALERT),
    windowBeforeMinutes: 1440,
    alertingEnvironment: f.environment ?? 'production',
    deploysToAlertingEnvironment: () => deploys,
    alert,
    corpus: buildCorpus(window, alert),
    schedule: scheduledJob(f),
  };
}
