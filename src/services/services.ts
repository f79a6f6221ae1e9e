import type { Clock } from '../domain/time/clock.ts';
import { UNSEALED, type StateSeal } from '../domain/incident/stateSeal.ts';
import type { Metrics } from '../adapters/telemetry/metrics.ts';
import type { Pager } from '../features/paging/pager.ts';
import { renderTemplate, type Render } from '../adapters/templates/templates.ts';
import { createConfigSource, type ConfigSource } from './configSource.ts';
import { memoryCoordination, type Coordination } from './coordination.ts';
import { fixedIdentity, type IdentitySource } from './identity.ts';

/** What the app tells about itself on /metrics (the server); nothing elsewhere. */
interface Telemetry {
  metrics?: Metrics;
}

/**
 * Everything the app's handlers and use cases depend on, built once per process by its runtime's
 * composition root (`runtimes/server/services.ts`, `runtimes/action/services.ts`, the CLI) and
 * passed down as parameters: no use case builds one of these itself.
 */
export interface Services {
  clock: Clock;
  config: ConfigSource;
  coordination: Coordination;
  identity: IdentitySource;
  telemetry: Telemetry;
  templates: { render: Render };
  /** Seals the incident state blocks firewatch writes and verifies those it reads (`runtimes/stateKey.ts`). */
  stateSeal: StateSeal;
  /** Pages people (docs/paging.md); without one, nobody is paged beyond GitHub's own notifications. Its services hold the same seal. */
  pager?: Pager;
}

/**
 * A `Services` for one process with in-memory coordination and a fresh config cache; what is not
 * given is defaulted. Tests and the CLI use it; the runtimes pass what they built.
 */
export function createServices(parts: Partial<Services> & { clock: Clock }): Services {
  return {
    config: createConfigSource(),
    coordination: memoryCoordination(),
    identity: fixedIdentity('firewatch[bot]'),
    telemetry: {},
    templates: { render: renderTemplate },
    stateSeal: UNSEALED,
    ...parts,
  };
}
