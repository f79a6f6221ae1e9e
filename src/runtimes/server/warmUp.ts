import { Agent, request } from 'node:http';
import type { Probot } from 'probot';
import { readIncidentState } from '../../domain/incident/incidentState.ts';
import { createStateSeal, stateScope } from '../../domain/incident/stateSeal.ts';
import { openIncident } from '../../domain/incident/openIncident.ts';
import { recordAlert } from '../../domain/alerts/recordAlert.ts';
import { renderIncidentBody } from '../../features/incidents/renderIncidentBody.ts';
import { NORMALIZERS } from '../../adapters/intake/normalizers.ts';
import { signAlertBody, SIGNATURE_HEADER, type IntakeAuth } from '../../adapters/intake/verify.ts';
import { precompileTemplates } from '../../adapters/templates/templates.ts';

/** Sealing runs on every write, so it is warmed up too (with a key of its own: nothing is written). */
const WARM_UP_SCOPE = stateScope(createStateSeal(['warm-up']), { owner: 'acme', repo: 'warm-up' });

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
    const body = renderIncidentBody(state, { timezone: 'America/New_York', scope: WARM_UP_SCOPE });
    readIncidentState(renderIncidentBody(state, { timezone: 'UTC', existingBody: body, scope: WARM_UP_SCOPE }), WARM_UP_SCOPE);
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

/** An Alertmanager notification (webhook version 4) of two alerts in one group. */
const SAMPLE_ALERTMANAGER = {
  version: '4',
  groupKey: '{}:{alertname="HighErrorRate"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'firewatch',
  groupLabels: { alertname: 'HighErrorRate' },
  commonLabels: { alertname: 'HighErrorRate', service: 'checkout', severity: 'critical' },
  commonAnnotations: { summary: 'error rate above 5%' },
  externalURL: 'http://alertmanager.example.com:9093',
  alerts: ['checkout-1', 'checkout-2'].map((instance, i) => ({
    status: 'firing',
    labels: { alertname: 'HighErrorRate', service: 'checkout', severity: 'critical', instance },
    annotations: { summary: 'error rate above 5%', runbook_url: 'https://runbooks.example.com/high-error-rate' },
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.example.com:9090/graph?g0.expr=rate',
    fingerprint: `f${i}a1b2c3d4e5f6a7b8`,
  })),
};

export interface IntakeWarmUpOptions {
  /** The server's own base URL (loopback). */
  url: string;
  auth: IntakeAuth;
  /** Dry-run notifications to send; 0 sends none. */
  requests: number;
  /** Sent at once over keep-alive connections. Default 8. */
  concurrency?: number;
  /** Stops early after this long, whatever is left. Default 5 s. */
  maxMs?: number;
}

export interface IntakeWarmUpResult {
  /** Requests answered `200` as a dry run. */
  answered: number;
  /** Requests that failed or were answered otherwise (a bug or a closed intake: nothing is filed either way). */
  failed: number;
  ms: number;
  /** Why nothing was sent. */
  skipped?: string;
}

/**
 * Sends the server's own alert route `requests` dry-run notifications (`?dry_run=1`, so nothing is
 * queued or counted), generic and Alertmanager ones, authenticated as a sender would be. V8 runs
 * new code slowly until it has been called often enough to be optimized, and the code that answers
 * `POST /alerts` (Node's HTTP parser and sockets, our route, the checks, the schemas) is otherwise
 * first called that often by the first storm: measured with `npm run bench:storm`, a fresh server
 * spent about 1 ms of CPU per notification over a storm's first 5,000, a warmed one 0.3 ms. Best
 * effort: a failure only means the first storm pays for it. Nothing reaches GitHub.
 */
export async function warmUpIntake(options: IntakeWarmUpOptions): Promise<IntakeWarmUpResult> {
  const started = performance.now();
  const { token, secret } = options.auth;
  if (options.requests <= 0) return { answered: 0, failed: 0, ms: 0, skipped: 'disabled' };
  if (!token && !secret) return { answered: 0, failed: 0, ms: 0, skipped: 'alert intake is closed' };
  const deadline = started + (options.maxMs ?? 5_000);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 8 });
  const bodies = ['generic', 'alertmanager'].flatMap((source) =>
    Array.from({ length: 8 }, (_, i) => {
      const payload = source === 'generic' ? { ...SAMPLE_ALERT, title: `${SAMPLE_ALERT.title}${i}` } : { ...SAMPLE_ALERTMANAGER, groupKey: `${SAMPLE_ALERTMANAGER.groupKey}${i}` };
      const body = JSON.stringify(payload);
      const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      if (token) headers['authorization'] = `Bearer ${token}`;
      else if (secret) headers[SIGNATURE_HEADER] = `sha256=${signAlertBody(secret, body)}`;
      return { path: `/alerts/${source}?dry_run=1`, body, headers };
    }),
  );
  let next = 0;
  let answered = 0;
  let failed = 0;
  const send = (sample: (typeof bodies)[number]) =>
    new Promise<number>((resolve) => {
      const outgoing = request(new URL(sample.path, options.url), { method: 'POST', agent, headers: sample.headers, timeout: 5_000 }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(0));
      });
      outgoing.on('timeout', () => outgoing.destroy());
      outgoing.on('error', () => resolve(0));
      outgoing.end(sample.body);
    });
  const sender = async () => {
    // A route that refuses the first requests will refuse the rest too.
    while (next < options.requests && performance.now() < deadline && (answered > 0 || failed < 16)) {
      const sample = bodies[next++ % bodies.length];
      if (!sample) break;
      if ((await send(sample)) === 200) answered++;
      else failed++;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, sender));
  } finally {
    agent.destroy();
  }
  return { answered, failed, ms: performance.now() - started };
}
