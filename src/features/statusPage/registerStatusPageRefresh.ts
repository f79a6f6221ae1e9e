import type { Probot } from 'probot';
import type { Clock } from '../../domain/time/clock.ts';
import { readIncidentState } from '../../domain/incident/incidentState.ts';
import { isPublicChange } from '../../domain/statusPage/publicChange.ts';
import type { LoadConfig } from '../../services/configSource.ts';
import { loadConfig } from '../../adapters/github/loadConfig.ts';
import { refreshStatusPage } from './refreshStatusPage.ts';
import { stateScope, UNSEALED, type StateSeal } from '../../domain/incident/stateSeal.ts';

/**
 * Republishes the status page when an incident's body changes what the page shows (status,
 * severity, a public `/status` message, resolution). Every status change rewrites the body, so
 * `issues.edited` sees them all, whoever made them. Publishing never fails the delivery: the
 * incident matters more than its public page, and the next change or sweep publishes again.
 */
export function registerStatusPageRefresh(app: Probot, deps: { clock: Clock; loadConfig?: LoadConfig; stateSeal?: StateSeal }): void {
  app.on('issues.edited', async (context) => {
    const payload = context.payload as { issue: { body?: string | null; number: number }; changes?: { body?: { from?: string } }; repository: { name: string; owner: { login: string } } };
    const from = payload.changes?.body?.from;
    if (from === undefined) return;
    const incidents = { owner: payload.repository.owner.login, repo: payload.repository.name };
    // Only firewatch's own (sealed) states count: a forged block must not reach the public page.
    const scope = stateScope(deps.stateSeal ?? UNSEALED, incidents);
    const after = readIncidentState(payload.issue.body, scope).state;
    const before = readIncidentState(from, scope).state;
    if (!after && !before) return;
    if (!isPublicChange(before, after)) return;
    const log = context.log.child({ deliveryId: context.id, incident: after?.id ?? null, repo: `${incidents.owner}/${incidents.repo}`, issue: payload.issue.number });
    try {
      const { config } = await (deps.loadConfig ?? loadConfig)(context.octokit, incidents);
      const settings = config.statusPage;
      if (!settings.publish) return;
      const result = await refreshStatusPage({ octokit: context.octokit, incidents, config: settings, timezone: config.timezone, now: deps.clock(), ...(deps.stateSeal ? { stateSeal: deps.stateSeal } : {}) });
      log.info({ target: result.target, outcome: result.outcome, requests: result.requests }, 'status page refreshed');
    } catch (error) {
      log.warn({ err: error }, 'status page not published; the next change or sweep tries again');
    }
  });
}
