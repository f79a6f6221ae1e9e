/**
 * Change events (PagerDuty's `/v2/change/enqueue`: "Build success", "Config update applied",
 * "Feature flag enabled") as deploy-correlation candidates, ranked next to merged PRs and
 * deployments. Each is kept on GitHub as one comment of firewatch's change-log issue in the
 * incident repository, with the event in a hidden block (`<!-- firewatch:change {...} -->`), so
 * it survives restarts and replicas and stays readable by people.
 */
import { z } from 'zod';
import type { ChangeEventCandidate } from './candidate.ts';
import { findHiddenJson, renderHiddenJson } from '../text/hiddenJson.ts';
import { formatTime } from '../incident/incidentView.ts';
import { escapeInline, inlineCode, safeLink } from '../text/markdown.ts';

const CHANGE_BLOCK_KIND = 'change';
/** The label of the change-log issue, which is found by it. */
export const CHANGE_LOG_LABEL = 'firewatch-changes';
export const CHANGE_LOG_TITLE = 'firewatch: change events';

const MAX_DETAILS_CHARS = 8_000;

const isoTime = z.iso.datetime({ offset: true });
const changeEventSchema = z.object({
  summary: z.string().min(1).max(1_024),
  source: z.string().max(1_024).optional(),
  at: isoTime,
  receivedAt: isoTime,
  /** The integration (routing key name) it came through. */
  integration: z.string().max(64),
  /** The service its key maps to, when it does. */
  service: z.string().max(128).optional(),
  links: z.array(z.object({ title: z.string().max(256), url: z.string().max(2_048) })).max(16).default([]),
  details: z.record(z.string(), z.string()).default({}),
});
export type ChangeEvent = z.infer<typeof changeEventSchema>;

/** A change event as read back from its comment. */
export interface ChangeEventRecord extends ChangeEvent {
  /** The comment's id: the event's identity. */
  id: number;
  url: string;
  repo: string;
}

/** Details within `MAX_DETAILS_CHARS`, so one event never fills the comment or the block. */
export function boundedDetails(details: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  let size = 0;
  for (const [key, value] of Object.entries(details)) {
    size += key.length + value.length;
    if (size > MAX_DETAILS_CHARS) break;
    out[key] = value;
  }
  return out;
}

/** The comment recording `event`: readable for people, its data in the hidden block. */
export function renderChangeComment(event: ChangeEvent, timezone: string): string {
  const from = event.source ? ` from ${inlineCode(event.source)}` : '';
  const service = event.service ? ` for **${escapeInline(event.service)}**` : '';
  const lines = [`🔄 **Change**${service}${from} at ${formatTime(event.at, timezone)}: ${escapeInline(event.summary)}`];
  for (const link of event.links) lines.push(`- ${safeLink(link.title, link.url)}`);
  const details = Object.entries(event.details);
  if (details.length) {
    lines.push('', '<details><summary>Details</summary>', '');
    for (const [key, value] of details) lines.push(`- ${inlineCode(key)}: ${escapeInline(value.length > 300 ? `${value.slice(0, 299)}…` : value)}`);
    lines.push('', '</details>');
  }
  lines.push('', `<sub>Received through the PagerDuty Events API (integration ${inlineCode(event.integration)}); deploy correlation ranks it with merged PRs and deployments.</sub>`);
  return `${lines.join('\n')}\n\n${renderHiddenJson(CHANGE_BLOCK_KIND, event)}`;
}

export function parseChangeBlock(body: string | null | undefined): ChangeEvent | null {
  if (!body) return null;
  for (const candidate of findHiddenJson(CHANGE_BLOCK_KIND, body)) {
    const parsed = changeEventSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return null;
}

const COMMIT_KEYS = /^(commit|sha|git[_-]?sha|git[_-]?commit|commit[_-]?sha|revision|head[_-]?sha)$/i;
const REVERT_WORDS = /\b(revert(ed|s)?|roll(ed|s|ing)?[ -]?back|rollback)\b/i;

/** A commit the event names in its details (`commit`, `sha`, `revision`…): alerts naming it point at the event. */
function namedCommit(details: Record<string, string>): string {
  for (const [key, value] of Object.entries(details)) {
    const sha = value.trim().toLowerCase();
    if (COMMIT_KEYS.test(key) && /^[0-9a-f]{7,40}$/.test(sha)) return sha;
  }
  return '';
}

/** The change events reported in the window, as candidates (no paths or size: the event says what it says). */
export function changeEventCandidates(records: readonly ChangeEventRecord[], window: { from: string; to: string }): ChangeEventCandidate[] {
  const fromMs = Date.parse(window.from);
  const toMs = Date.parse(window.to);
  return records
    .filter((record) => Date.parse(record.at) >= fromMs && Date.parse(record.at) <= toMs)
    .map((record) => {
      const body = [...Object.entries(record.details).map(([key, value]) => `${key}: ${value}`), ...record.links.map((link) => link.title)].join('\n');
      return {
        kind: 'change',
        repo: record.repo,
        id: record.id,
        reportedAt: record.at,
        title: record.summary,
        url: record.links[0]?.url ?? record.url,
        author: record.source ?? record.integration,
        sha: namedCommit(record.details),
        paths: [],
        additions: 0,
        deletions: 0,
        labels: [],
        ...(body ? { body } : {}),
        isRevert: REVERT_WORDS.test(record.summary),
        deployments: [],
        integration: record.integration,
        ...(record.source ? { source: record.source } : {}),
        ...(record.service ? { service: record.service } : {}),
      };
    });
}
