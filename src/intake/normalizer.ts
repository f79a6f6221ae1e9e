import type { z } from 'zod';
import type { NormalizedAlert } from '../domain/alert.ts';

/** One thing wrong with a payload, located by its path (`links[0].url`, `(root)`). */
export interface IntakeProblem {
  path: string;
  message: string;
}

/** One notification may carry several alerts (an Alertmanager group); the generic source sends one. */
export type NormalizeResult = { ok: true; alerts: NormalizedAlert[] } | { ok: false; problems: IntakeProblem[] };

export interface NormalizeContext {
  /** When the notification arrived: the default start time of its alerts. */
  receivedAt: Date;
}

/** Turns a parsed JSON body into alerts, or says what is wrong with it. Never throws. */
export type Normalizer = (payload: unknown, context: NormalizeContext) => NormalizeResult;

export function problemsFromZod(error: z.ZodError): IntakeProblem[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

export function formatPath(path: readonly PropertyKey[]): string {
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
