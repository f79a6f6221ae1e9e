import type { ProbotOctokit } from 'probot';
import type { Metrics } from '../telemetry/metrics.ts';

/**
 * Counts every GitHub API request by response status. Registered last on the Probot Octokit class,
 * so its hooks wrap retries and throttling: one count per request the app made, whatever it took.
 */
export function octokitMetrics(metrics: Pick<Metrics, 'githubRequests'>) {
  return function firewatchMetricsPlugin(octokit: Pick<InstanceType<typeof ProbotOctokit>, 'hook'>) {
    octokit.hook.after('request', (response) => {
      metrics.githubRequests.inc({ status: String(response.status) });
    });
    octokit.hook.error('request', (error: unknown) => {
      const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
      metrics.githubRequests.inc({ status: typeof status === 'number' && status > 0 ? String(status) : 'error' });
      throw error;
    });
    return {};
  };
}
