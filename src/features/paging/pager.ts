import type { ConfigResult, FirewatchConfig } from '../../domain/config/config.ts';
import { missingContactLines, missingContacts } from '../../domain/paging/contactWarnings.ts';
import type { RepoRef } from '../../adapters/github/types.ts';
import type { Log } from '../../services/log.ts';
import { hasPagingApis, pageIncident, type PageIncidentResult } from './pageIncident.ts';
import type { PagingServices } from './pagingServices.ts';

/** A sweep's view of an incident: enough to tell whether paging may have work. */
interface SweptIncident {
  number: number;
  open: boolean;
  state: { status: string; acknowledgedAt: string | null; severity: string };
}

export interface Pager {
  services: PagingServices;
  /** Pages what is due on one issue now. Never throws: failures are logged and the next run retries. */
  pageIssue(octokit: unknown, repo: RepoRef, issueNumber: number, config: FirewatchConfig | (() => Promise<ConfigResult>), log: Log): Promise<PageIncidentResult | null>;
  /** Re-pages and escalations of every unacknowledged incident a sweep read (runs on the sweep's lease). */
  afterSweep(octokit: unknown, repo: RepoRef, config: FirewatchConfig, incidents: readonly SweptIncident[], log: Log): Promise<void>;
}

export function createPager(services: PagingServices): Pager {
  const warned = new Map<string, string>();
  const pageIssue: Pager['pageIssue'] = async (octokit, repo, issueNumber, config, log) => {
    if (!hasPagingApis(octokit)) {
      log.warn({ repo: `${repo.owner}/${repo.repo}`, issue: issueNumber }, 'paging: this GitHub client lacks the comment and assignee APIs paging needs; not paging');
      return null;
    }
    try {
      const resolved = typeof config === 'function' ? (await config()).config : config;
      if (Object.keys(resolved.paging.policies).length === 0) return null;
      const result = await pageIncident({ octokit, repo, issueNumber, config: resolved, services, log });
      if (result.outcome === 'paged') log.info({ repo: `${repo.owner}/${repo.repo}`, issue: issueNumber, deliveries: result.deliveries.length, next: result.next?.toISOString() ?? null }, `paging: paged on #${issueNumber}`);
      return result;
    } catch (error) {
      log.error({ err: error, repo: `${repo.owner}/${repo.repo}`, issue: issueNumber }, 'paging failed; the next sweep tries again');
      return null;
    }
  };
  return {
    services,
    pageIssue,
    async afterSweep(octokit, repo, config, incidents, log) {
      if (Object.keys(config.paging.policies).length === 0) return;
      const contacts = services.contacts();
      if (contacts) {
        const lines = missingContactLines(missingContacts(config.oncall, contacts));
        const key = `${repo.owner}/${repo.repo}`.toLowerCase();
        // Once per change, not every minute.
        if (lines.length && warned.get(key) !== lines.join('\n')) for (const line of lines) log.warn({ repo: key }, `paging: ${line}`);
        warned.set(key, lines.join('\n'));
      }
      for (const incident of incidents) {
        const policy = config.paging.policies[incident.state.severity as keyof FirewatchConfig['paging']['policies']];
        if (!policy || !incident.open || incident.state.status !== 'triggered' || incident.state.acknowledgedAt) continue;
        await pageIssue(octokit, repo, incident.number, config, log);
      }
    },
  };
}
