import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per server instance, so tests can run several servers in one process. */
export interface Metrics {
  registry: Registry;
  webhooks: Counter<'event'>;
  alerts: Counter<'source' | 'outcome'>;
  githubRequests: Counter<'status'>;
  commands: Counter<'command' | 'outcome'>;
  queueDepth: Gauge;
  queueDropped: Counter<'reason'>;
  queueRetries: Counter;
  alertsDropped: Counter<'source' | 'reason'>;
  githubRefusals: Counter<'kind' | 'resource'>;
  githubPaced: Counter<'budget'>;
  githubPacedSeconds: Counter<'budget'>;
  githubWaiting: Gauge;
  githubRetries: Counter<'reason'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'firewatch_' });
  const registers = [registry];
  return {
    registry,
    webhooks: new Counter({
      name: 'firewatch_webhooks_total',
      help: 'GitHub webhook deliveries received, by event name.',
      labelNames: ['event'],
      registers,
    }),
    alerts: new Counter({
      name: 'firewatch_alerts_total',
      help: 'Alerts by source and outcome: accepted, rejected, unauthorized at intake; created, updated, reopened, ignored, failed once processed.',
      labelNames: ['source', 'outcome'],
      registers,
    }),
    githubRequests: new Counter({
      name: 'firewatch_github_requests_total',
      help: 'Requests made to the GitHub API, by response status.',
      labelNames: ['status'],
      registers,
    }),
    commands: new Counter({
      name: 'firewatch_commands_total',
      help: 'Slash commands handled, by command name and outcome (ok, refused, error).',
      labelNames: ['command', 'outcome'],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'firewatch_alert_queue_depth',
      help: 'Alerts accepted but not yet processed (with Redis: across all replicas).',
      registers,
    }),
    queueDropped: new Counter({
      name: 'firewatch_alert_queue_dropped_total',
      help: 'Alerts the queue gave up on: full (refused with 503), expired (retried too long), failed (a permanent error).',
      labelNames: ['reason'],
      registers,
    }),
    queueRetries: new Counter({
      name: 'firewatch_alert_queue_retries_total',
      help: 'Batches put back on the queue after a temporary failure (GitHub unreachable, rate limited, 5xx).',
      registers,
    }),
    alertsDropped: new Counter({
      name: 'firewatch_alerts_dropped_total',
      help: 'Alerts deliberately not filed, by source and reason (ignored by a config rule, resolved without an incident, ...).',
      labelNames: ['source', 'reason'],
      registers,
    }),
    githubRefusals: new Counter({
      name: 'firewatch_github_rate_limit_refusals_total',
      help: 'GitHub requests refused for a rate limit (403/429), by kind (secondary, primary) and resource (core, search, graphql); each is sent again after the wait GitHub asked for (a wait over 15 minutes goes to the caller instead).',
      labelNames: ['kind', 'resource'],
      registers,
    }),
    githubPaced: new Counter({
      name: 'firewatch_github_paced_requests_total',
      help: "GitHub requests that waited for their turn under GitHub's limits before being sent, by budget (content: content-creating, search, other: per-endpoint points or a pause after a refusal).",
      labelNames: ['budget'],
      registers,
    }),
    githubPacedSeconds: new Counter({
      name: 'firewatch_github_paced_wait_seconds_total',
      help: 'Seconds GitHub requests waited for their turn, by budget.',
      labelNames: ['budget'],
      registers,
    }),
    githubWaiting: new Gauge({
      name: 'firewatch_github_requests_waiting',
      help: "GitHub requests waiting for their turn under GitHub's limits now.",
      registers,
    }),
    githubRetries: new Counter({
      name: 'firewatch_github_retries_total',
      help: 'GitHub requests sent again after a transient failure, by reason (server error: a 5xx).',
      labelNames: ['reason'],
      registers,
    }),
  };
}
