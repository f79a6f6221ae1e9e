import type { NormalizedAlert } from './alert.ts';
import { ACTION_TYPE, decideAlertBatch, RESOLVED_TYPE, type BatchDecision, type BatchSettings, type FoundIncident, type Notice } from './decideAlertBatch.ts';
import type { IncidentState, TimelineEntry, TrackedAlert } from '../incident/incidentState.ts';
import { escapeInline, escapeMarkdown } from '../text/markdown.ts';

/** Longest note quoted in a comment (Opsgenie allows 25,000 characters). */
const MAX_NOTE_LENGTH = 4_000;
/** Longest incident summary taken from a description. */
const MAX_SUMMARY_LENGTH = 1_024;
const MAX_TITLE_LENGTH = 256;
/** Timeline entries keep a line of the note; the comment has all of it. */
const TIMELINE_NOTE_LENGTH = 200;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A note as a Markdown quote: escaped, every line quoted, cut to `MAX_NOTE_LENGTH`. */
function quoteNote(text: string): string {
  return escapeMarkdown(clip(text.trim(), MAX_NOTE_LENGTH))
    .split('\n')
    .map((line) => `> ${line}`.trimEnd())
    .join('\n');
}

/** A tracked alert as a resolved notification, so resolution takes the same path (and words) as any source's. */
function resolvedCopy(tracked: TrackedAlert, state: IncidentState, source: NormalizedAlert['source'], at: string): NormalizedAlert {
  return {
    source,
    fingerprint: tracked.fingerprint,
    status: 'resolved',
    title: tracked.title,
    severity: state.severity,
    service: state.service,
    labels: tracked.labels,
    annotations: {},
    startsAt: tracked.firstSeen,
    endsAt: at,
    links: { other: [] },
  };
}

const CLOSING_ACTIONS = new Set(['acknowledge', 'resolve']);

/**
 * What acts sent through the vendor APIs (acknowledge, resolve or close, notes, a new message,
 * description or priority) do to the incident of their alert. Pure, like `decideAlertBatch`:
 * the caller found the incident (or none) and writes the decision.
 *
 * - No incident: dropped (PagerDuty drops acknowledge and resolve events for unknown keys).
 * - A closed incident: acknowledge and resolve are dropped (as PagerDuty does once an alert is
 *   resolved); notes are still posted, edits still recorded.
 * - Acknowledge: a triggered incident becomes acknowledged, with nobody assigned; the comment and
 *   the timeline say which integration did it.
 * - Resolve: every alert of the incident still firing resolves, exactly as if its source had sent
 *   the resolution (one comment; the incident closes when `autoResolve` says so).
 * - Message, description: the alert's title, and the incident's title or summary when they came
 *   from that alert. Priority: the severity, with a comment.
 */
export function decideAlertActions(input: { incident?: FoundIncident; actions: readonly NormalizedAlert[]; now: Date; settings: BatchSettings }): BatchDecision {
  const { incident, now, settings } = input;
  const at = now.toISOString();
  const acts = input.actions.flatMap((alert) => (alert.vendor?.action ? [{ alert, action: alert.vendor.action }] : []));
  const kinds = [...new Set(acts.map(({ action }) => action.type))].join(', ') || 'nothing';
  if (!incident) return { kind: 'ignore', reason: 'no_incident', message: `${kinds} for an alert without an incident: nothing to do` };
  if (!incident.open && acts.every(({ action }) => CLOSING_ACTIONS.has(action.type))) {
    return { kind: 'ignore', reason: 'already_resolved', message: `incident #${incident.number} is closed: ${kinds} dropped` };
  }

  let state = incident.state;
  let open = incident.open;
  let resolve = false;
  const comments: Notice[] = [];
  const entry = (type: string, text: string): void => {
    const added: TimelineEntry = { at, type, text };
    state = { ...state, timeline: [...state.timeline, added] };
  };
  const withNote = (text: string, note: string | undefined): string => (note?.trim() ? `${text}\n\n${quoteNote(note)}` : text);

  for (const { alert, action } of acts) {
    switch (action.type) {
      case 'acknowledge': {
        if (!open || state.acknowledgedAt || state.status !== 'triggered') break;
        state = { ...state, status: 'acknowledged', acknowledgedAt: at };
        entry('acknowledged', `Acknowledged by ${action.by}`);
        comments.push({ type: ACTION_TYPE, text: withNote(`✅ Acknowledged by ${escapeInline(action.by)}: status **acknowledged**.`, action.note) });
        break;
      }
      case 'resolve': {
        const firing = state.alerts.filter((tracked) => tracked.status === 'firing');
        if (!open || firing.length === 0) break;
        const decision = decideAlertBatch({
          incident: { number: incident.number, open: true, state, closedAt: null },
          alerts: firing.map((tracked) => resolvedCopy(tracked, state, alert.source, at)),
          now,
          settings,
        });
        if (decision.kind !== 'update') break;
        state = decision.state;
        const note = action.note?.trim();
        comments.push(...decision.comments.map((notice) => (note && notice.type === RESOLVED_TYPE ? { ...notice, text: `${quoteNote(note)}\n\n${notice.text}` } : notice)));
        if (decision.resolve) {
          resolve = true;
          open = false;
        }
        break;
      }
      case 'note': {
        if (!action.text.trim()) break;
        entry('note', `Note from ${action.by}: ${clip(action.text.replace(/\s+/g, ' ').trim(), TIMELINE_NOTE_LENGTH)}`);
        comments.push({ type: ACTION_TYPE, text: `📝 Note from ${escapeInline(action.by)}:\n\n${quoteNote(action.text)}` });
        break;
      }
      case 'retitle': {
        const title = clip(action.title.replace(/\s+/g, ' ').trim(), MAX_TITLE_LENGTH);
        const row = state.alerts.find((tracked) => tracked.fingerprint === alert.fingerprint);
        if (!title || !row || row.title === title) break;
        state = {
          ...state,
          title: state.title === row.title ? title : state.title,
          alerts: state.alerts.map((tracked) => (tracked === row ? { ...tracked, title } : tracked)),
        };
        break;
      }
      case 'describe': {
        const summary = clip(action.description.trim(), MAX_SUMMARY_LENGTH);
        // The summary is the first alert's: another alert's description does not replace it.
        if (!summary || state.fingerprints[0] !== alert.fingerprint || state.summary === summary) break;
        state = { ...state, summary };
        break;
      }
      case 'reprioritize': {
        if (state.severity === action.severity || state.status === 'canceled') break;
        const before = state.severity;
        state = { ...state, severity: action.severity };
        entry('severity', `Severity ${before} → ${action.severity} (priority set by ${action.by})`);
        comments.push({ type: ACTION_TYPE, text: `🌡️ Severity **${before} → ${action.severity}**: priority set by ${escapeInline(action.by)}.` });
        break;
      }
    }
  }
  return { kind: 'update', number: incident.number, state, comments, ...(resolve ? { resolve: true as const } : {}) };
}
