import type { NormalizedAlert } from './alert.ts';
import { labelPattern, type AlertsConfig, type LabelMatchers, type RoutingConfig, type ServiceRoute } from './intakeConfig.ts';
import type { Severity } from '../incident/severity.ts';

export interface RouteSettings {
  routing: RoutingConfig;
  alerts: Pick<AlertsConfig, 'autoResolve'>;
  /** `incidents.defaultSeverity`, for alerts whose source gave no level. */
  defaultSeverity: Severity;
  /** Where unrouted alerts (and services without a `repo`) go: `incidents.repo` or the home repository. */
  defaultRepo: string;
}

export type RouteDecision =
  | {
      ok: true;
      /** `owner/name`. */
      repo: string;
      /** The alert with its routed service and mapped severity. */
      alert: NormalizedAlert;
      /** Issue labels from the label templates (rendered, deduplicated, at most 50 characters each). */
      labels: string[];
      autoResolve: boolean;
      /** The matching `routing.services[].name`, or none when the alert went to the default repository. */
      route?: string;
    }
  | { ok: false; reason: 'ignored'; message: string };

/** Labels that carry a source's own level, in the order they are read. */
const LEVEL_LABELS = ['severity', 'priority', 'level'];
/** Alert annotation (or label) with which one alert opts out of `autoResolve`. */
const AUTO_RESOLVE_OPT_OUT = 'firewatch_auto_resolve';

/** The value a matcher sees for `name`: the label, else the alert field of that meaning. */
function valueOf(alert: NormalizedAlert, name: string): string | undefined {
  const label = alert.labels[name];
  if (label !== undefined) return label;
  if (name === 'service') return alert.service;
  if (name === 'source') return alert.source;
  if (name === 'alertname') return alert.title;
  return undefined;
}

export function matches(alert: NormalizedAlert, matchers: LabelMatchers): boolean {
  return Object.entries(matchers).every(([name, expected]) => {
    const actual = valueOf(alert, name);
    if (typeof expected === 'string') return actual === expected;
    // Like Prometheus' `=~`: anchored, and a missing label is the empty string.
    return labelPattern(expected.regex)?.matches(actual ?? '') ?? false;
  });
}

function mappedSeverity(alert: NormalizedAlert, overrides: Record<string, Severity>[], defaultSeverity: Severity): Severity {
  for (const name of LEVEL_LABELS) {
    const level = alert.labels[name]?.trim().toLowerCase();
    if (!level) continue;
    for (const map of overrides) {
      const severity = map[level];
      if (severity) return severity;
    }
  }
  return alert.severityDefaulted ? defaultSeverity : alert.severity;
}

/** `team:{{labels.team}}` → `team:payments`; undefined when a referenced value is missing. */
export function renderLabelTemplate(template: string, alert: NormalizedAlert): string | undefined {
  let missing = false;
  const rendered = template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_match, path: string) => {
    const value = path.startsWith('labels.') ? alert.labels[path.slice('labels.'.length)] : path === 'service' ? alert.service : path === 'source' ? alert.source : path === 'severity' ? alert.severity : undefined;
    const clean = value?.replace(/[\s,]+/g, ' ').trim();
    if (!clean) missing = true;
    return clean ?? '';
  });
  if (missing) return undefined;
  const label = rendered.trim().slice(0, 50).trim();
  return label || undefined;
}

function wantsAutoResolve(setting: boolean | Severity[], severity: Severity, alert: NormalizedAlert): boolean {
  const optOut = (alert.annotations[AUTO_RESOLVE_OPT_OUT] ?? alert.labels[AUTO_RESOLVE_OPT_OUT])?.trim().toLowerCase();
  if (optOut === 'false' || optOut === 'no' || optOut === 'off') return false;
  return Array.isArray(setting) ? setting.includes(severity) : setting;
}

/**
 * Where an alert goes and how it is rated, from config: the first `routing.services` entry whose
 * matchers all match names the service, repository, severity overrides and labels; `ignore` rules
 * drop the alert (the caller counts and logs it). Unrouted alerts go to the default repository.
 */
export function routeAlert(alert: NormalizedAlert, settings: RouteSettings): RouteDecision {
  const { routing } = settings;
  const ignored = routing.ignore.find((rule) => Object.keys(rule.match).length > 0 && matches(alert, rule.match));
  if (ignored) {
    const rule = Object.entries(ignored.match)
      .map(([name, value]) => `${name}${typeof value === 'string' ? `=${value}` : `=~${value.regex}`}`)
      .join(',');
    return { ok: false, reason: 'ignored', message: ignored.reason ? `${ignored.reason} (ignore rule {${rule}})` : `matched ignore rule {${rule}}` };
  }

  // A vendor integration key mapped to a route (its `route`) takes the alert there, whatever its labels say.
  const forced = alert.vendor?.route === undefined ? undefined : routing.services.find((candidate) => candidate.name === alert.vendor?.route);
  const route: ServiceRoute | undefined = forced ?? routing.services.find((candidate) => matches(alert, candidate.match));
  const severity = mappedSeverity(alert, route ? [route.severity, routing.severity] : [routing.severity], settings.defaultSeverity);
  const routed: NormalizedAlert = { ...alert, service: route?.name ?? alert.service, severity };
  delete routed.severityDefaulted;
  const labels = [...new Set([...routing.labels, ...(route?.labels ?? [])].map((template) => renderLabelTemplate(template, routed)).filter((label): label is string => label !== undefined))];
  return {
    ok: true,
    repo: route?.repo ?? settings.defaultRepo,
    alert: routed,
    labels,
    autoResolve: wantsAutoResolve(route?.autoResolve ?? settings.alerts.autoResolve, severity, alert),
    ...(route ? { route: route.name } : {}),
  };
}
