import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per server instance, so tests can run several servers in one process. */
export interface Metrics {
  registry: Registry;
  webhooks: Counter<'event'>;
  alerts: Counter<'source' | 'outcome'>;
  githubRequests: Counter<'status'>;
  commands: Counter<'command' | 'outcome'>;
  queueDepth: Gauge;
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
      help: 'Alert notifications received, by source and outcome (created, updated, rejected, unauthorized, ignored, failed).',
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
      help: 'Alert notifications accepted but not yet processed.',
      registers,
    }),
  };
}
