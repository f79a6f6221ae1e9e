import type { ProbotOctokit } from 'probot';
import type { Metrics } from '../telemetry/metrics.ts';

/**
 * Counts every GitHub API request by response status. Registered inside the policy's plugin, so each
 * attempt counts: a request refused for a rate limit and sent again is a 403 and then its answer.
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
