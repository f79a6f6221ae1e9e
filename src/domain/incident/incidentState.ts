import { z } from 'zod';
import { ALERT_SOURCES } from '../alerts/alert.ts';
import { findHiddenBlocks, findHiddenJson, removeHiddenBlocks, renderHiddenJson } from '../text/hiddenJson.ts';
import { INCIDENT_STATUSES } from './incidentStatus.ts';
import { SEVERITIES } from './severity.ts';
import type { StateScope } from './stateSeal.ts';

export const STATE_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });
const login = z.string().min(1).max(100);

/** One alert of the incident as last seen; the body's alerts table is rendered from these. */
const trackedAlertSchema = z.object({
  fingerprint: z.string(),
  title: z.string(),
  status: z.enum(['firing', 'resolved']),
  /** Labels worth showing (service, env, instance...), not every label the source sent. */
  labels: z.record(z.string(), z.string()).default({}),
  value: z.string().optional(),
  firstSeen: isoTime,
  lastSeen: isoTime,
  /** Notifications received for this alert. */
  count: z.number().int().min(1),
  links: z
    .object({
      generator: z.string().optional(),
      runbook: z.string().optional(),
      dashboard: z.string().optional(),
      silence: z.string().optional(),
    })
    .default({}),
  /** Whom the alert asked to page, as its sender named them (see `NormalizedAlert.responders`). */
  responders: z.array(z.string().min(1).max(200)).max(20).optional(),
});
export type TrackedAlert = z.infer<typeof trackedAlertSchema>;

export const timelineEntrySchema = z.object({
  at: isoTime,
  type: z.string(),
  actor: z.string().optional(),
  text: z.string(),
  /** When it was written down, for entries recorded after the fact (`/note 14:05 ...`). */
  recordedAt: isoTime.optional(),
  /** The comment that caused it, so a redelivered command is recognised. */
  ref: z.number().int().optional(),
  /**
   * `text` is Markdown firewatch wrote itself (links to its own PRs and deployments, user text
   * already escaped), so renderers show it as is instead of escaping it again.
   */
  markdown: z.literal(true).optional(),
  /** For `escalated` entries: the escalation-policy step (0-based) brought in, so it is never paged twice. */
  step: z.number().int().min(0).optional(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

/**
 * What firewatch knows about an incident, kept at the end of the issue body so GitHub stays the
 * only store. Unknown fields are dropped when read, so newer writers do not break older readers.
 */
export const incidentStateSchema = z.object({
  version: z.literal(STATE_VERSION),
  /** Stable, human-readable id, e.g. `20250114-checkout-3f9a`; also in logs and event markers. */
  id: z.string().min(1),
  title: z.string(),
  /** One or two sentences on the impact, from the first alert's summary when it had one. */
  summary: z.string().optional(),
  /** The first alert's longer description (Alertmanager's `description` annotation and its equivalents), cut to a few thousand characters. */
  description: z.string().optional(),
  source: z.enum([...ALERT_SOURCES, 'manual']),
  service: z.string(),
  severity: z.enum(SEVERITIES),
  status: z.enum(INCIDENT_STATUSES),
  fingerprints: z.array(z.string()).default([]),
  /** Search tokens (`fwfp…`) of the fingerprints, so the issue can be found by search. */
  fingerprintTokens: z.array(z.string()).default([]),
  groupKeys: z.array(z.string()).default([]),
  alerts: z.array(trackedAlertSchema).default([]),
  /**
   * Alerts of the latest group notification that have no row in `alerts` (a group larger than
   * firewatch tracks), by status: the body says "… and N more" with these.
   */
  untrackedAlerts: z.object({ firing: z.number().int().min(0), resolved: z.number().int().min(0) }).optional(),
  triggeredAt: isoTime,
  acknowledgedAt: isoTime.nullable().default(null),
  mitigatedAt: isoTime.nullable().default(null),
  resolvedAt: isoTime.nullable().default(null),
  roles: z
    .object({
      commander: login.nullable().default(null),
      comms: login.nullable().default(null),
      responders: z.array(login).default([]),
    })
    .prefault({}),
  timeline: z.array(timelineEntrySchema).default([]),
  /**
   * Timeline entries left out of the state so that it keeps fitting in the issue body (an incident
   * with thousands of notes): how many, and the time of the latest one left out. Each is still in
   * the event marker of the firewatch comment that recorded it, where the postmortem finds it.
   */
  earlierTimeline: z.object({ count: z.number().int().min(1), until: isoTime }).optional(),
  /** Who acknowledged it (the first `/ack` or status change). */
  acknowledgedBy: login.nullable().default(null),
  /** Status updates (`/status ... message`), oldest first; `internal` ones stay off public pages. */
  statusUpdates: z
    .array(z.object({ at: isoTime, actor: z.string().optional(), status: z.enum(INCIDENT_STATUSES), text: z.string(), internal: z.boolean().default(false) }))
    .default([]),
  /** Follow-up issues opened with `/followup`; `done` when that issue is closed. */
  followups: z.array(z.object({ repo: z.string(), number: z.number().int().positive(), title: z.string(), done: z.boolean().default(false) })).default([]),
  /** Issues or pull requests this incident was declared from (`/incident`), linked both ways. */
  declaredFrom: z.object({ repo: z.string(), number: z.number().int().positive() }).nullable().default(null),
});
export type IncidentState = z.infer<typeof incidentStateSchema>;
export type IncidentStateInput = z.input<typeof incidentStateSchema>;

/**
 * The state as a hidden block; sealed (a last `seal` field over the JSON before it) when `scope`
 * has a key. Without a scope the block is unsealed: for tests and fixtures, never for GitHub.
 */
export function renderStateBlock(state: IncidentState, scope?: StateScope): string {
  const seal = scope?.seal.sign(scope.repo, JSON.stringify(state));
  return renderHiddenJson('state', seal === undefined ? state : { ...state, seal });
}

/**
 * How far a state block can be trusted: `sealed` (firewatch wrote it), `unsealed` (no seal: an
 * earlier version wrote it, or no key is configured), `forged` (a seal that does not match, or no
 * seal where one is required: someone else wrote or edited it), `none` (no valid block).
 */
export type StateTrust = 'sealed' | 'unsealed' | 'forged' | 'none';

export type StateRead = { state: IncidentState; trust: 'sealed' | 'unsealed' } | { state: null; trust: 'forged' | 'none' };

/**
 * The incident's state from the last block of an issue body, checked against its seal. A forged
 * block gives no state: callers treat the issue as they would one whose block is missing, and
 * the `issues.edited` guard puts the last trusted one back. Pure.
 */
export function readIncidentState(body: string | null | undefined, scope: StateScope): StateRead {
  const block = body ? findHiddenBlocks('state', body).at(-1) : undefined;
  if (!block) return { state: null, trust: 'none' };
  let raw: unknown;
  try {
    raw = JSON.parse(block.json);
  } catch {
    return { state: null, trust: 'none' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { state: null, trust: 'none' };
  const { seal, ...fields } = raw as Record<string, unknown>;
  let trust: 'sealed' | 'unsealed';
  if (!scope.seal.keyed) {
    // Without a key nothing can be checked: read as before sealing existed (a runtime without a key configured).
    trust = 'unsealed';
  } else if (seal === undefined) {
    if (!scope.seal.acceptUnsealed) return { state: null, trust: 'forged' };
    trust = 'unsealed';
  } else {
    // Written by `renderStateBlock`, `JSON.stringify` of the parsed fields is exactly the JSON that was sealed.
    if (typeof seal !== 'string' || !scope.seal.verify(scope.repo, JSON.stringify(fields), seal)) return { state: null, trust: 'forged' };
    trust = 'sealed';
  }
  const parsed = incidentStateSchema.safeParse(fields);
  if (!parsed.success) return { state: null, trust: 'none' };
  // An unsealed block may be anyone's when a key is configured: its entries do not get to carry firewatch's own Markdown.
  const state = trust === 'unsealed' && scope.seal.keyed ? { ...parsed.data, timeline: parsed.data.timeline.map(({ markdown: _markdown, ...entry }) => entry) } : parsed.data;
  return { state, trust };
}

/**
 * The state at the end of an issue body, or `null` when there is none or it is not valid, without
 * checking its seal: for tests and tools that read what firewatch wrote. Decisions use
 * `readIncidentState` (ESLint refuses this one in src/ outside the domain).
 */
export function parseStateBlock(body: string | null | undefined): IncidentState | null {
  if (!body) return null;
  const blocks = findHiddenJson('state', body);
  const last = blocks[blocks.length - 1];
  if (last === undefined) return null;
  const parsed = incidentStateSchema.safeParse(last);
  return parsed.success ? parsed.data : null;
}

/** Removes every state block (the caller appends a fresh one). */
export function stripStateBlocks(body: string): string {
  return removeHiddenBlocks(body, findHiddenBlocks('state', body), { separator: '\n', trailing: 'whitespace' });
}
