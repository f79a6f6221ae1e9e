import { z } from 'zod';
import { alertmanagerAlertSchema, alertmanagerPayloadSchema, groupFacts, labelledAlert } from './alertmanager.ts';
import { problemsFromZod, type NormalizeContext, type NormalizeResult } from './normalizer.ts';
import { clip, webLink } from './sourceFields.ts';

/** One alert of a Grafana webhook: Alertmanager's alert plus Grafana's links and evaluated values. */
const grafanaAlertSchema = alertmanagerAlertSchema.extend({
  silenceURL: z.string().max(8192).optional(),
  dashboardURL: z.string().max(8192).optional(),
  panelURL: z.string().max(8192).optional(),
  imageURL: z.string().max(8192).optional(),
  /** Query/expression ref ID → value that triggered the state, e.g. `{ "B": 44.2, "C": 1 }`. */
  values: z.record(z.string().max(256), z.number().nullable()).nullable().optional(),
  /** Older Grafana's rendering of the same values: `[ var='B' labels={...} value=44.2 ]`. */
  valueString: z.string().max(65_536).optional(),
});

/**
 * Grafana unified alerting's webhook contact point
 * (https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/).
 * `title`, `state` and `message` are deprecated by Grafana and not used.
 */
const grafanaPayloadSchema = alertmanagerPayloadSchema.extend({
  orgId: z.number().optional(),
  alerts: z.array(grafanaAlertSchema).min(1, { error: 'a notification carries at least one alert' }),
});

/**
 * As Alertmanager (same labels and annotations, see `normalizeAlertmanager`), plus:
 * - links: `silenceURL` as the silence link, `dashboardURL` as the dashboard (else the annotations),
 *   `panelURL` and `imageURL` as extra links
 * - value: annotation `value`, else `values` (`B=44.24, C=1`), else `valueString`
 */
export function normalizeGrafana(payload: unknown, context: NormalizeContext): NormalizeResult {
  const parsed = grafanaPayloadSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
  const notification = parsed.data;

  const alerts = notification.alerts.map((alert) => {
    const normalized = labelledAlert('grafana', alert, notification, context);
    const silence = webLink(alert.silenceURL);
    if (silence) normalized.links.silence = silence;
    const dashboard = webLink(alert.dashboardURL);
    if (dashboard) normalized.links.dashboard = dashboard;
    const panel = webLink(alert.panelURL);
    if (panel) normalized.links.other.unshift({ title: 'Panel', url: panel });
    const image = webLink(alert.imageURL);
    if (image) normalized.links.other.push({ title: 'Screenshot', url: image });
    if (!normalized.value) {
      const value = formatValues(alert.values) ?? (alert.valueString?.trim() || undefined);
      if (value) normalized.value = clip(value, 256);
    }
    return normalized;
  });

  return { ok: true, alerts, ...groupFacts('Grafana', notification) };
}

const valueFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4, useGrouping: false });

/** `{ B: 44.2394, C: 1 }` → `B=44.2394, C=1`; undefined when there are none. */
export function formatValues(values: Record<string, number | null> | null | undefined): string | undefined {
  if (!values) return undefined;
  const parts = Object.entries(values).map(([ref, value]) => `${ref}=${value === null ? 'none' : formatNumber(value)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** Four decimals for ordinary values; four significant digits for small ones, which would otherwise read as 0. */
function formatNumber(value: number): string {
  return Math.abs(value) >= 1 || value === 0 ? valueFormat.format(value) : String(Number(value.toPrecision(4)));
}
