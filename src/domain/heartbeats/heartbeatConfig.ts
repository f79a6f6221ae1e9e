import { z } from 'zod';
import { parseDuration } from '../alerts/intakeConfig.ts';
import { SEVERITIES } from '../incident/severity.ts';

/** Heartbeat names as they appear in `/alerts/heartbeats/{name}/ping`. */
export const HEARTBEAT_NAME = /^[A-Za-z0-9][\w.-]{0,99}$/;

const MINUTE = 60_000;

const interval = z
  .string()
  .refine((text) => parseDuration(text) !== undefined, 'must be a duration such as 5m, 10m or 1h')
  .refine((text) => (parseDuration(text) ?? 0) >= MINUTE, 'must be at least 1m (sweeps check heartbeats every minute)')
  .refine((text) => (parseDuration(text) ?? 0) <= 7 * 86_400_000, 'must be at most 7d');

const heartbeatSchema = z.strictObject({
  name: z.string().regex(HEARTBEAT_NAME, 'must be letters, digits, . _ - (at most 100), as in /alerts/heartbeats/{name}/ping'),
  interval: interval.describe('How long without a ping before the heartbeat counts as missed, e.g. 10m.'),
  service: z.string().trim().min(1).max(128).optional().describe('Service of the incident (routing.services match it). Default: the heartbeat name.'),
  severity: z.enum(SEVERITIES).default('P2').describe('Severity of the "no heartbeat" incident.'),
});
export type HeartbeatConfig = z.output<typeof heartbeatSchema>;

export const heartbeatsConfigSchema = z
  .array(heartbeatSchema)
  .max(100)
  .default([])
  .superRefine((heartbeats, context) => {
    const seen = new Set<string>();
    heartbeats.forEach((heartbeat, index) => {
      if (seen.has(heartbeat.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `heartbeat "${heartbeat.name}" is listed twice` });
      seen.add(heartbeat.name);
    });
  })
  .describe(
    "Dead man's switches: senders ping POST|GET /alerts/heartbeats/{name}/ping (or Alertmanager's always-firing Watchdog is routed there); no ping for longer than `interval` opens an incident, and a ping after that says so on it and resolves its alert.",
  );

export function intervalMs(heartbeat: Pick<HeartbeatConfig, 'interval'>): number {
  return parseDuration(heartbeat.interval) ?? 10 * MINUTE;
}
