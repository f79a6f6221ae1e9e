import type { MetricsAggregate } from './aggregateMetrics.ts';
import type { IncidentMetrics } from './incidentMetrics.ts';

/** RFC 4180 field: quoted when it holds a comma, quote or line break; leading `=+-@` defused for spreadsheets. */
function field(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function seconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 1000);
}

function rate(value: number | null): string | null {
  return value === null ? null : value.toFixed(3);
}

function table(header: string[], rows: (string | number | boolean | null)[][]): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/** One row per incident; durations in seconds so spreadsheets can sum them. */
export function incidentsCsv(incidents: readonly IncidentMetrics[]): string {
  return table(
    ['repo', 'number', 'id', 'title', 'service', 'severity', 'status', 'triggered_at', 'month', 'tta_seconds', 'ttm_seconds', 'ttr_seconds', 'reopened', 'slo_breached', 'postmortem', 'change_related', 'rolled_back', 'url'],
    incidents.map((i) => [i.repo, i.number, i.id, i.title, i.service, i.severity, i.status, i.triggeredAt, i.month, seconds(i.timeToAcknowledge), seconds(i.timeToMitigate), seconds(i.timeToResolve), i.reopened, i.sloBreached, i.postmortem, i.changeRelated, i.rolledBack, i.url]),
  );
}

/** One row per group (`dimension` = service, severity, month or all). */
export function aggregatesCsv(groups: readonly { dimension: string; rows: readonly MetricsAggregate[] }[]): string {
  return table(
    ['dimension', 'key', 'count', 'canceled', 'resolved', 'mtta_median_seconds', 'mtta_p90_seconds', 'mttr_median_seconds', 'mttr_p90_seconds', 'slo_breach_rate', 'postmortem_completion_rate', 'change_related_share', 'rollback_share'],
    groups.flatMap(({ dimension, rows }) =>
      rows.map((r) => [dimension, r.key, r.count, r.canceled, r.resolved, seconds(r.mttaMedian), seconds(r.mttaP90), seconds(r.mttrMedian), seconds(r.mttrP90), rate(r.sloBreachRate), rate(r.postmortemCompletionRate), rate(r.changeRelatedShare), rate(r.rollbackShare)]),
    ),
  );
}
