import type { Probot } from 'probot';
import { parseStateBlock } from '../domain/incidentState.ts';
import { openIncident } from '../domain/openIncident.ts';
import { recordAlert } from '../domain/recordAlert.ts';
import { renderIncidentBody } from '../features/renderIncidentBody.ts';
import { NORMALIZERS } from '../intake/normalizers.ts';
import { precompileTemplates } from '../templates.ts';

export interface WarmUpResult {
  /** Templates that did not compile: the incidents that need them will fail too. */
  failedTemplates: { name: string; error: unknown }[];
  ms: number;
}

/** A notification as the generic source documents it (README "Generic JSON"). */
const SAMPLE_ALERT = {
  title: 'HighErrorRate',
  severity: 'critical',
  service: 'checkout',
  summary: 'error rate above 5%',
  runbook_url: 'https://runbooks.example.com/high-error-rate',
  links: [{ title: 'logs', url: 'https://logs.example.com/checkout' }],
  labels: { env: 'prod', team: 'payments' },
  started_at: '2026-01-01T00:00:00Z',
};

/**
 * Does once, at start-up, the work that is otherwise done lazily by the first alert of a storm:
 * compiling every template, the alert and incident-state schemas (zod compiles on first parse), and
 * the time-zone data behind the incident body's times. Measured on the alert storm benchmark, that
 * first-use work (about 250 ms, 85 ms of it for the incident template alone) ran on the event loop
 * that answers `POST /alerts`, so the notifications arriving with a storm's first incidents
 * waited for it. Pure and local: no GitHub request, nothing written.
 */
export function warmUp(): WarmUpResult {
  const started = performance.now();
  const failedTemplates = precompileTemplates();
  const receivedAt = new Date('2026-01-01T00:05:00Z');
  // Every source's schema, with a body each one refuses: the refusal path is compiled too.
  for (const normalize of Object.values(NORMALIZERS)) normalize({}, { receivedAt });
  const normalized = NORMALIZERS.generic?.(SAMPLE_ALERT, { receivedAt });
  if (normalized?.ok && normalized.alerts[0]) {
    const alert = normalized.alerts[0];
    const state = recordAlert(openIncident(alert, receivedAt), alert, new Date('2026-01-01T00:06:00Z'));
    const body = renderIncidentBody(state, { timezone: 'America/New_York' });
    parseStateBlock(renderIncidentBody(state, { timezone: 'UTC', existingBody: body }));
  }
  return { failedTemplates, ms: performance.now() - started };
}

/**
 * The HTTP clients' first use, done at start-up too: undici (behind `fetch`, so behind Octokit) loads
 * its HTTP client and compiles its parser on the first request, about 100 ms in the storm
 * benchmark, and the first Octokit builds its plugin stack. A request to our own health check does
 * the former, an Octokit authenticated as the app (no request is made) the latter. Best effort:
 * failing here only means the first alert pays for it.
 */
export async function warmUpClients(options: { healthUrl: string; probot: Pick<Probot, 'auth'> }): Promise<void> {
  await Promise.allSettled([
    fetch(options.healthUrl, { signal: AbortSignal.timeout(5_000) }).then((response) => response.arrayBuffer()),
    options.probot.auth(),
  ]);
}
