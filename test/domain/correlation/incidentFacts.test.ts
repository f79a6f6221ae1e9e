import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../../src/domain/alert.ts';
import { incidentFacts, NoAlertsError } from '../../../src/domain/correlation/incidentFacts.ts';

function alert(startsAt: string, labels: Record<string, string>, annotations: Record<string, string> = {}): NormalizedAlert {
  return { source: 'generic', fingerprint: startsAt, status: 'firing', title: 'HighErrorRate', severity: 'P2', service: 'checkout', labels, annotations, startsAt, links: { other: [] } };
}

describe('incidentFacts', () => {
  it('takes the earliest alert start, its environment and merged hints', () => {
    const facts = incidentFacts(
      [alert('2025-06-12T12:05:00Z', { env: 'staging', image: 'b' }), alert('2025-06-12T12:00:00Z', { environment: 'production', image: 'a' }, { revision: '1a2b3c4' })],
      { name: 'checkout', repos: ['acme/shop'], paths: ['services/checkout/**'] },
    );
    expect(facts).toEqual({
      service: 'checkout',
      firstAlertAt: '2025-06-12T12:00:00.000Z',
      environment: 'production',
      labels: { environment: 'production', image: 'a', env: 'staging' },
      annotations: { revision: '1a2b3c4' },
      servicePaths: ['services/checkout/**'],
      serviceRepos: ['acme/shop'],
    });
  });

  it('needs at least one alert', () => {
    expect(() => incidentFacts([], { name: 'x', repos: [], paths: [] })).toThrow(NoAlertsError);
  });
});
