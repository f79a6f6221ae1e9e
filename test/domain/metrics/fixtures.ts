import { incidentStateSchema, type IncidentState, type IncidentStateInput } from '../../../src/domain/incident/incidentState.ts';
import type { IncidentRecord } from '../../../src/domain/metrics/incidentMetrics.ts';

/** A valid incident state with only what a test cares about changed. */
export function stateOf(overrides: Partial<IncidentStateInput> = {}): IncidentState {
  return incidentStateSchema.parse({
    version: 1,
    id: 'inc-1',
    title: 'Checkout errors',
    source: 'generic',
    service: 'checkout',
    severity: 'P2',
    status: 'triggered',
    triggeredAt: '2026-01-14T09:00:00.000Z',
    ...overrides,
  });
}

export function recordOf(state: IncidentState, extra: Partial<Omit<IncidentRecord, 'state'>> = {}): IncidentRecord {
  return { repo: 'acme/shop', number: 1, url: 'https://github.example/acme/shop/issues/1', labels: ['incident'], hasSuspects: false, state, ...extra };
}

const MINUTE = 60_000;
export const minutes = (n: number): number => n * MINUTE;

/** A resolved incident acknowledged, mitigated and resolved the given minutes after its trigger. */
export function resolvedRecord(options: { number: number; triggeredAt: string; ack: number; mitigate?: number; resolve: number; service?: string; severity?: 'P1' | 'P2' | 'P3' | 'P4' | 'P5'; labels?: string[]; timeline?: IncidentStateInput['timeline']; hasSuspects?: boolean }): IncidentRecord {
  const at = (offset: number): string => new Date(Date.parse(options.triggeredAt) + minutes(offset)).toISOString();
  const state = stateOf({
    id: `inc-${options.number}`,
    title: `Incident ${options.number}`,
    service: options.service ?? 'checkout',
    severity: options.severity ?? 'P2',
    status: 'resolved',
    triggeredAt: options.triggeredAt,
    acknowledgedAt: at(options.ack),
    mitigatedAt: at(options.mitigate ?? options.resolve),
    resolvedAt: at(options.resolve),
    timeline: options.timeline ?? [],
  });
  return recordOf(state, { number: options.number, url: `https://github.example/acme/shop/issues/${options.number}`, labels: ['incident', ...(options.labels ?? [])], hasSuspects: options.hasSuspects ?? false });
}
