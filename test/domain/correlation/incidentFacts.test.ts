import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../../src/domain/alerts/alert.ts';
import { incidentFacts, MAX_STATEMENT_LENGTH } from '../../../src/domain/correlation/incidentFacts.ts';
import { NoAlertsError } from '../../../src/domain/errors/errors.ts';

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
      statements: [{ source: 'name', text: 'HighErrorRate' }],
      servicePaths: ['services/checkout/**'],
      serviceRepos: ['acme/shop'],
    });
  });

  it('keeps what the alerts say in words, each statement once, bounded', () => {
    const first = { ...alert('2025-06-12T12:00:00Z', {}), title: 'ReservationReleaseJobFailing', summary: 'job failed 6 times', description: 'Traceback (most recent call last):\n  File "/srv/app/inventory/reservations.py", line 142', value: '6' };
    const second = { ...alert('2025-06-12T12:01:00Z', {}), title: 'ReservationReleaseJobFailing', description: 'x'.repeat(5000) };
    const facts = incidentFacts([second, first], { name: 'inventory', repos: ['acme/inventory'], paths: [] });
    expect(facts.statements).toEqual([
      { source: 'name', text: 'ReservationReleaseJobFailing' },
      { source: 'summary', text: 'job failed 6 times' },
      { source: 'description', text: 'Traceback (most recent call last):\n  File "/srv/app/inventory/reservations.py", line 142' },
      { source: 'value', text: '6' },
      { source: 'description', text: 'x'.repeat(MAX_STATEMENT_LENGTH) },
    ]);
  });

  it('needs at least one alert', () => {
    expect(() => incidentFacts([], { name: 'x', repos: [], paths: [] })).toThrow(NoAlertsError);
  });
});
