import { DateTime } from 'luxon';
import { formatDuration } from '../incident/durations.ts';
import type { IncidentStatus } from '../incident/incidentStatus.ts';
import type { PublicIncident, ServiceLevel, StatusPageModel } from './statusPageModel.ts';

/** Words people read on a status page, not our internal status names. */
const LEVEL_TEXT: Record<ServiceLevel, string> = { operational: 'Operational', degraded: 'Degraded performance', outage: 'Major outage' };
const OVERALL_TEXT: Record<ServiceLevel, string> = { operational: 'All systems operational', degraded: 'Some systems are degraded', outage: 'Major outage in progress' };
const STATUS_TEXT: Record<IncidentStatus, string> = {
  triggered: 'Investigating',
  acknowledged: 'Investigating',
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  canceled: 'Resolved',
};

export interface StatusPageView {
  title: string;
  generatedAt: string;
  generatedAtText: string;
  overall: { level: ServiceLevel; text: string };
  historyDays: number;
  services: {
    name: string;
    level: ServiceLevel;
    levelText: string;
    uptimeText: string;
    /** Text alternative of the bars: uptime and the days that were not fine. */
    barsLabel: string;
    bars: { x: number; level: ServiceLevel; title: string }[];
    barsWidth: number;
  }[];
  active: IncidentView[];
  past: IncidentView[];
  feedHref: string;
  jsonHref: string;
}

interface IncidentView {
  anchor: string;
  heading: string;
  level: ServiceLevel;
  levelText: string;
  statusText: string;
  startedText: string;
  startedAt: string;
  durationText: string | null;
  updates: { at: string; atText: string; statusText: string; text: string }[];
}

const BAR_STEP = 6;

function when(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat("d LLL yyyy, HH:mm ZZZZ");
}

export function publicStatusText(status: IncidentStatus): string {
  return STATUS_TEXT[status];
}

export function incidentHeading(incident: PublicIncident): string {
  return `${LEVEL_TEXT[incident.level]}: ${incident.service}`;
}

function incidentView(incident: PublicIncident, zone: string): IncidentView {
  return {
    anchor: `incident-${incident.id.replace(/[^\w-]/g, '-')}`,
    heading: incidentHeading(incident),
    level: incident.resolvedAt ? 'operational' : incident.level,
    levelText: LEVEL_TEXT[incident.level],
    statusText: STATUS_TEXT[incident.status],
    startedText: when(incident.startedAt, zone),
    startedAt: incident.startedAt,
    durationText: incident.resolvedAt ? formatDuration(Date.parse(incident.resolvedAt) - Date.parse(incident.startedAt)) : null,
    updates: incident.updates.map((update) => ({ at: update.at, atText: when(update.at, zone), statusText: STATUS_TEXT[update.status], text: update.text })),
  };
}

/** Everything the HTML template shows, already worded; the template escapes it as HTML. */
export function statusPageView(model: StatusPageModel, options: { title: string; timezone?: string }): StatusPageView {
  const zone = options.timezone ?? 'UTC';
  return {
    title: options.title,
    generatedAt: model.generatedAt,
    generatedAtText: when(model.generatedAt, zone),
    overall: { level: model.overall, text: OVERALL_TEXT[model.overall] },
    historyDays: model.historyDays,
    services: model.services.map((service) => {
      const bad = service.days.filter((day) => day.level !== 'operational');
      const uptimeText = `${(Math.floor(service.uptime * 10_000) / 100).toFixed(2)}% uptime`;
      return {
        name: service.name,
        level: service.level,
        levelText: LEVEL_TEXT[service.level],
        uptimeText,
        barsLabel: `${service.name}: ${uptimeText} over ${model.historyDays} days; ${bad.length ? bad.map((day) => `${LEVEL_TEXT[day.level].toLowerCase()} on ${day.date}`).join(', ') : 'no incidents'}.`,
        bars: service.days.map((day, index) => ({ x: index * BAR_STEP, level: day.level, title: `${day.date}: ${LEVEL_TEXT[day.level]}` })),
        barsWidth: service.days.length * BAR_STEP,
      };
    }),
    active: model.active.map((incident) => incidentView(incident, zone)),
    past: model.past.map((incident) => incidentView(incident, zone)),
    feedHref: 'feed.atom',
    jsonHref: 'status.json',
  };
}
