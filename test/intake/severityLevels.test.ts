import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY, rateAlert, severityFromLevel } from '../../src/adapters/intake/severityLevels.ts';

describe('severityFromLevel', () => {
  it.each([
    // Alertmanager / Grafana severity labels
    ['critical', 'P1'],
    ['page', 'P1'],
    ['error', 'P2'],
    ['warning', 'P3'],
    ['info', 'P4'],
    ['none', 'P5'],
    // Sentry levels
    ['fatal', 'P1'],
    ['debug', 'P5'],
    // Datadog priorities and alert types
    ['P1', 'P1'],
    ['p5', 'P5'],
    [' WARNING ', 'P3'],
  ])('maps %j to %s', (level, severity) => {
    expect(severityFromLevel(level)).toBe(severity);
  });

  it.each([[undefined], [''], ['success'], ['sev1'], ['__proto__'], ['toString'], ['constructor']])('knows no severity for %j', (level) => {
    expect(severityFromLevel(level)).toBeUndefined();
  });
});

describe('rateAlert', () => {
  it('takes the first level it understands, in order', () => {
    expect(rateAlert(undefined, 'banana', 'error', 'critical')).toEqual({ severity: 'P2' });
  });

  it('defaults to P3 and flags the default when no level is understood', () => {
    expect(rateAlert('banana', undefined)).toEqual({ severity: DEFAULT_SEVERITY, severityDefaulted: true });
    expect(DEFAULT_SEVERITY).toBe('P3');
  });
});
