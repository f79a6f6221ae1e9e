import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES } from '../../src/domain/incident/incidentStatus.ts';
import { CONTRACT_LABELS, planLabels, readLabels } from '../../src/domain/incident/labels.ts';
import { SEVERITIES } from '../../src/domain/incident/severity.ts';

describe('contract labels', () => {
  it('are incident, sev:P1..P5 and the seven statuses, each with a color and a description', () => {
    expect(CONTRACT_LABELS.map((l) => l.name)).toEqual([
      'incident',
      'sev:P1', 'sev:P2', 'sev:P3', 'sev:P4', 'sev:P5',
      'status:triggered', 'status:acknowledged', 'status:investigating', 'status:identified', 'status:monitoring', 'status:resolved', 'status:canceled',
    ]);
    for (const label of CONTRACT_LABELS) {
      expect(label.color).toMatch(/^[0-9a-f]{6}$/);
      expect(label.description.length).toBeGreaterThan(0);
      expect(label.description.length).toBeLessThanOrEqual(100);
    }
  });
});

describe('planLabels', () => {
  it('adds all three labels to a bare issue', () => {
    expect(planLabels(['bug'], { severity: 'P2', status: 'triggered' })).toEqual({ add: ['incident', 'sev:P2', 'status:triggered'], remove: [] });
  });

  it('swaps severity and status and leaves other labels alone', () => {
    const plan = planLabels(['incident', 'sev:P3', 'status:triggered', 'team:payments', 'escalated'], { severity: 'P1', status: 'acknowledged' });
    expect(plan).toEqual({ add: ['sev:P1', 'status:acknowledged'], remove: ['sev:P3', 'status:triggered'] });
  });

  it('removes extra severities added by hand, keeping the desired one (case-insensitively)', () => {
    expect(planLabels(['incident', 'sev:p2', 'sev:P4', 'status:monitoring'], { severity: 'P2', status: 'monitoring' })).toEqual({ add: [], remove: ['sev:P4'] });
  });

  it('does not treat look-alike labels as contract labels', () => {
    expect(planLabels(['incident', 'sev:high', 'status:wontfix', 'sev:P1', 'status:resolved'], { severity: 'P1', status: 'resolved' })).toEqual({ add: [], remove: [] });
  });

  it('always ends with exactly one severity and one status, and keeps every unrelated label', () => {
    const anyLabel = fc.oneof(
      fc.constantFrom(...CONTRACT_LABELS.map((l) => l.name)),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.array(anyLabel, { maxLength: 12 }), fc.constantFrom(...SEVERITIES), fc.constantFrom(...INCIDENT_STATUSES), (current, severity, status) => {
        const { add, remove } = planLabels(current, { severity, status });
        const after = [...current.filter((l) => !remove.includes(l)), ...add];
        const reading = readLabels(after);
        expect(reading.incident).toBe(true);
        expect(new Set(reading.severities)).toEqual(new Set([severity]));
        expect(new Set(reading.statuses)).toEqual(new Set([status]));
        for (const label of current) {
          if (readLabels([label]).severities.length === 0 && readLabels([label]).statuses.length === 0) expect(remove).not.toContain(label);
        }
      }),
    );
  });
});
