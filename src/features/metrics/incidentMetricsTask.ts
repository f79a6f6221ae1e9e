import type { IdentitySource } from '../../services/identity.ts';
import { Gauge, Histogram, type Registry } from 'prom-client';
import { isDue } from '../../domain/time/clock.ts';
import { incidentGaugeGroups, incidentObservations, type IncidentPhase } from '../../domain/metrics/incidentGauges.ts';
import { metricsReport } from '../../domain/metrics/metricsReport.ts';
import { parseSuspectsBlock } from '../../domain/correlation/suspectsView.ts';
import { readIncidentState } from '../../domain/incident/incidentState.ts';
import { INCIDENT_LABEL } from '../../domain/incident/labels.ts';
import type { IncidentRecord } from '../../domain/metrics/incidentMetrics.ts';
import { readIncidentRecords, type CommentVerdictCache } from '../report/readIncidentRecords.ts';
import { stateScope, UNSEALED, type StateSeal } from '../../domain/incident/stateSeal.ts';
import { labelNames, type IssueData, type RepoRef } from '../../adapters/github/types.ts';
import type { AfterSweepTask } from '../sweeps/afterSweepTask.ts';

type GroupLabel = 'repository' | 'service' | 'severity';
type GroupLabels = Record<GroupLabel, string>;

const GROUP_LABELS: GroupLabel[] = ['repository', 'service', 'severity'];
const DAY = 86_400_000;
/** 1m, 5m, 10m, 15m, 30m, 1h, 2h, 4h, 8h, 1d: ack SLOs sit at the low end, resolutions at the high end. */
const INCIDENT_DURATION_BUCKETS = [60, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];
const GROUPS_HELP = 'per repository, service and severity (no month label: that would add series every month; per-month figures are in `firewatch report`)';

interface IncidentGauges {
  incidents: Gauge<GroupLabel>;
  open: Gauge<GroupLabel>;
  mtta: Gauge<GroupLabel | 'quantile'>;
  mttr: Gauge<GroupLabel | 'quantile'>;
  sloBreach: Gauge<GroupLabel>;
  postmortemCompletion: Gauge<GroupLabel>;
  changeRelated: Gauge<GroupLabel>;
  rollback: Gauge<GroupLabel>;
  refreshed: Gauge<'repository'>;
  durations: Record<IncidentPhase, Histogram<GroupLabel>>;
}

const gaugesByRegistry = new WeakMap<Registry, IncidentGauges>();

/** The incident gauges and histograms on a registry, created once per registry. */
function incidentGauges(registry: Registry): IncidentGauges {
  let gauges = gaugesByRegistry.get(registry);
  if (gauges) return gauges;
  const registers = [registry];
  const gauge = <L extends string>(name: string, help: string, labelNames: L[]) => new Gauge<L>({ name, help, labelNames, registers });
  const histogram = (phase: string) =>
    new Histogram<GroupLabel>({
      name: `firewatch_incident_time_to_${phase}_seconds`,
      help: `Seconds from trigger to ${phase}, observed once per incident when this process sees it happen (canceled incidents are not observed; a reopened incident keeps its first observation), ${GROUPS_HELP}.`,
      labelNames: GROUP_LABELS,
      buckets: INCIDENT_DURATION_BUCKETS,
      registers,
    });
  gauges = {
    incidents: gauge('firewatch_incidents', `Incidents triggered in the last metrics.windowDays days, canceled ones not counted, ${GROUPS_HELP}.`, GROUP_LABELS),
    open: gauge('firewatch_incidents_open', `Incidents triggered in the window and neither resolved nor canceled, ${GROUPS_HELP}.`, GROUP_LABELS),
    mtta: gauge('firewatch_incident_mtta_seconds', `Time to acknowledge in the window, median (quantile 0.5) and p90, as in \`firewatch report\`, ${GROUPS_HELP}.`, [...GROUP_LABELS, 'quantile']),
    mttr: gauge('firewatch_incident_mttr_seconds', `Time to resolve (to the last resolution) in the window, median (quantile 0.5) and p90, as in \`firewatch report\`, ${GROUPS_HELP}.`, [...GROUP_LABELS, 'quantile']),
    sloBreach: gauge('firewatch_incident_slo_breach_ratio', `Share (0..1) of the window's incidents that breached their ack SLO, ${GROUPS_HELP}.`, GROUP_LABELS),
    postmortemCompletion: gauge('firewatch_incident_postmortem_completion_ratio', `Share (0..1) of the window's resolved incidents with a postmortem drafted or skipped on purpose, ${GROUPS_HELP}.`, GROUP_LABELS),
    changeRelated: gauge('firewatch_incident_change_related_ratio', `Share (0..1) of the window's incidents with a change-related cause (suspects named or a rollback), ${GROUPS_HELP}.`, GROUP_LABELS),
    rollback: gauge('firewatch_incident_rollback_ratio', `Share (0..1) of the window's incidents with a rollback, ${GROUPS_HELP}.`, GROUP_LABELS),
    refreshed: gauge('firewatch_incident_metrics_refreshed_timestamp_seconds', 'When the incident figures of a repository were last read from GitHub (Unix time, firewatch\'s clock).', ['repository']),
    durations: { acknowledge: histogram('acknowledge'), mitigate: histogram('mitigate'), resolve: histogram('resolve') },
  };
  gaugesByRegistry.set(registry, gauges);
  return gauges;
}

interface RepoMemory {
  refreshedAt: number | null;
  comments: CommentVerdictCache;
  /** Series set by the last publication, so groups that left the window (or lost a figure) disappear. */
  series: (() => void)[];
  /** `phase repo#number` already observed by a histogram. */
  observed: Set<string>;
  /**
   * What the last refresh read, by issue number, kept current between refreshes by firewatch's own
   * writes (`recordIssue`); null until the first refresh (or while metrics are off for the repository).
   */
  records: Map<number, { record: IncidentRecord; updatedAt: string }> | null;
  windowDays: number;
}

export interface IncidentMetricsTaskOptions {
  /**
   * When this process started, on firewatch's clock: histograms observe only what happens from
   * then on (a counter counts events as they happen; re-observing the window after a restart would
   * look like a burst to `increase()`). The gauges cover the whole window from the first refresh.
   */
  startedAt: Date;
  /** Who firewatch is: only its own suspects comments count as correlation's verdict. */
  identity: IdentitySource;
  /** Verifies incident state blocks, as every other reader does: a forged block is no incident to measure. Default none (unsealed). */
  stateSeal?: StateSeal;
}

/** An incident issue as GitHub returns it from a write (create or update). */
export interface WrittenIssue {
  number: number;
  html_url: string;
  body?: string | null;
  labels: IssueData['labels'];
  updated_at: string;
}

export interface IncidentMetricsTask extends AfterSweepTask {
  /**
   * The issue as firewatch just wrote it (an ack, a resolution, a new incident): the figures of its
   * repository are recomputed from it at once, without reading GitHub, so `/metrics` does not lag
   * `metrics.refreshMinutes` behind the incident. Ignored before the repository's first refresh
   * (the figures of the rest of the window are not known yet) and for issues outside the window.
   */
  recordIssue(repo: RepoRef, issue: WrittenIssue, now: Date): void;
  /** A comment firewatch just wrote on an issue: correlation's verdict naming suspects counts at once, as the next refresh would count it. */
  recordComment(repo: RepoRef, issueNumber: number, body: string, now: Date): void;
}

/**
 * Refreshes the incident figures of `/metrics` after a repository's sweep, at most every
 * `metrics.refreshMinutes` (firewatch's clock) over the last `metrics.windowDays` days, with the
 * report's own reading and computation. A refresh costs one list request per 100 incident issues
 * updated in the window, plus one comments request per incident whose issue changed since the last
 * refresh (the first refresh: every incident of the window). Between refreshes, firewatch's own
 * writes to incident issues and their comments update the figures at once (`recordIssue`,
 * `recordComment`); writes made elsewhere (people, other replicas) show at the next refresh.
 */
export function incidentMetricsTask(registry: Registry, options: IncidentMetricsTaskOptions): IncidentMetricsTask {
  const gauges = incidentGauges(registry);
  const stateSeal = options.stateSeal ?? UNSEALED;
  const memories = new Map<string, RepoMemory>();

  function clear(memory: RepoMemory): void {
    for (const remove of memory.series) remove();
    memory.series = [];
  }

  /** Sets the gauges of one repository from its records and observes what the histograms have not seen yet. */
  function publish(memory: RepoMemory, at: number): { incidents: number; count: number; observations: number } {
    const records = [...(memory.records?.values() ?? [])].map((entry) => entry.record);
    const from = new Date(at - memory.windowDays * DAY);
    // Inclusive of now: an incident triggered at this very instant is in the window already.
    const report = metricsReport(records, { from, to: new Date(at + 1) });

    clear(memory);
    const series = memory.series;
    const set = <L extends string>(gauge: Gauge<L>, labels: Record<L, string>, value: number | null): void => {
      if (value === null) return;
      gauge.set(labels, value);
      series.push(() => gauge.remove(labels));
    };
    const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);
    for (const group of incidentGaugeGroups(report.incidents)) {
      const labels: GroupLabels = { repository: group.repository, service: group.service, severity: group.severity };
      const { figures } = group;
      set(gauges.incidents, labels, figures.count);
      set(gauges.open, labels, group.open);
      set(gauges.mtta, { ...labels, quantile: '0.5' }, seconds(figures.mttaMedian));
      set(gauges.mtta, { ...labels, quantile: '0.9' }, seconds(figures.mttaP90));
      set(gauges.mttr, { ...labels, quantile: '0.5' }, seconds(figures.mttrMedian));
      set(gauges.mttr, { ...labels, quantile: '0.9' }, seconds(figures.mttrP90));
      set(gauges.sloBreach, labels, figures.sloBreachRate);
      set(gauges.postmortemCompletion, labels, figures.postmortemCompletionRate);
      set(gauges.changeRelated, labels, figures.changeRelatedShare);
      set(gauges.rollback, labels, figures.rollbackShare);
    }

    const observed = memory.observed;
    let observations = 0;
    for (const observation of incidentObservations(report.incidents, options.startedAt)) {
      const seen = `${observation.phase} ${observation.incident}`;
      if (observed.has(seen)) continue;
      observed.add(seen);
      gauges.durations[observation.phase].observe({ repository: observation.repository, service: observation.service, severity: observation.severity }, observation.seconds);
      observations++;
    }
    // Incidents that left the window can never be observed again; forget them.
    const measured = new Set(report.incidents.map((incident) => `${incident.repo}#${incident.number}`));
    for (const seen of observed) if (!measured.has(seen.slice(seen.indexOf(' ') + 1))) observed.delete(seen);
    return { incidents: report.incidents.length, count: report.all.count, observations };
  }

  return {
    name: 'incident-metrics',
    async run({ octokit, repo, config, now, log }) {
      const repository = `${repo.owner}/${repo.repo}`;
      const key = repository.toLowerCase();
      let memory = memories.get(key);
      if (!memory) memories.set(key, (memory = { refreshedAt: null, comments: new Map(), series: [], observed: new Set(), records: null, windowDays: config.metrics.windowDays }));
      const settings = config.metrics;
      if (!settings.enabled) {
        clear(memory);
        gauges.refreshed.remove({ repository });
        memory.refreshedAt = null;
        memory.records = null;
        return;
      }
      const at = now.getTime();
      const last = memory.refreshedAt;
      if (!isDue(last, at, settings.refreshMinutes * 60_000)) return;

      const from = new Date(at - settings.windowDays * DAY);
      const comments = memory.comments;
      const records = await readIncidentRecords(octokit, repo, from, { cache: comments, stateSeal, identity: await options.identity.resolve() });
      // The comment cache holds each measured issue's `updated_at` as listed, to tell later writes from earlier ones.
      memory.records = new Map(records.map((record) => [record.number, { record, updatedAt: comments.get(record.number)?.updatedAt ?? '' }]));
      memory.windowDays = settings.windowDays;
      const published = publish(memory, at);

      gauges.refreshed.set({ repository }, at / 1000);
      memory.refreshedAt = at;
      log.info({ repo: repository, incidents: published.incidents, observations: published.observations }, `incident metrics refreshed: ${published.count} incidents in the last ${settings.windowDays} days`);
    },
    recordComment(repo, issueNumber, body, now) {
      const memory = memories.get(`${repo.owner}/${repo.repo}`.toLowerCase());
      const known = memory?.records?.get(issueNumber);
      if (!memory || !known || known.record.hasSuspects || parseSuspectsBlock(body)?.verdict !== 'suspects') return;
      known.record = { ...known.record, hasSuspects: true };
      publish(memory, now.getTime());
    },
    recordIssue(repo, issue, now) {
      const memory = memories.get(`${repo.owner}/${repo.repo}`.toLowerCase());
      const records = memory?.records;
      if (!memory || !records) return;
      const known = records.get(issue.number);
      // A slower write answered after a later one: what is known is newer.
      if (known && Date.parse(issue.updated_at) < Date.parse(known.updatedAt)) return;
      const labels = labelNames(issue.labels);
      const { state } = readIncidentState(issue.body, stateScope(stateSeal, repo));
      const at = now.getTime();
      if (!labels.includes(INCIDENT_LABEL) || !state || Date.parse(state.triggeredAt) < at - memory.windowDays * DAY) {
        // No longer an incident firewatch can measure (or outside the window): as the next refresh would see it.
        if (!known) return;
        records.delete(issue.number);
      } else {
        const record: IncidentRecord = { repo: `${repo.owner}/${repo.repo}`, number: issue.number, url: issue.html_url, labels, state, hasSuspects: known?.record.hasSuspects ?? false };
        records.set(issue.number, { record, updatedAt: issue.updated_at });
      }
      publish(memory, at);
    },
  };
}
