import type { z } from 'zod';
import type { NormalizedAlert } from '../../domain/alerts/alert.ts';

/** One thing wrong with a payload, located by its path (`links[0].url`, `(root)`). */
export interface IntakeProblem {
  path: string;
  message: string;
}

/** What a grouped notification (Alertmanager, Grafana) says about its group as a whole. */
export interface NotificationGroup {
  key?: string;
  /** `resolved` only once every alert of the group has resolved. */
  status: 'firing' | 'resolved';
  /** Alerts the sender left out of this notification (its `max_alerts`): they exist but are not in `alerts`. */
  truncatedAlerts: number;
}

/**
 * One notification may carry several alerts (an Alertmanager group); the generic source sends one.
 * `notes` are facts worth logging or showing (e.g. truncated alerts); they never make a payload fail.
 */
export type NormalizeResult =
  | { ok: true; alerts: NormalizedAlert[]; group?: NotificationGroup; notes?: string[] }
  | { ok: false; problems: IntakeProblem[] };

export interface NormalizeContext {
  /** When the notification arrived: the default start time of its alerts. */
  receivedAt: Date;
}

/** Turns a parsed JSON body into alerts, or says what is wrong with it. Never throws. */
export type Normalizer = (payload: unknown, context: NormalizeContext) => NormalizeResult;

export function problemsFromZod(error: z.ZodError): IntakeProblem[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (!/^[A-Za-z_][\w-]*$/.test(name)) return `[${JSON.stringify(name)}]`;
      return index === 0 ? name : `.${name}`;
    })
    .join('');
}
