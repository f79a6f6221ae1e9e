/**
 * Small pieces shared by the pages: label chips, state badges, relative times and reactions.
 */
import type { IssueRecord, LabelRecord, PullRecord, ReactionContent, ReactionRecord, RepoRecord } from '../store.ts';
import { labelKey } from '../store.ts';
import { html, type SafeHtml } from './html.ts';

// Pure black (not Primer's #1f2328) keeps every background at WCAG AA (>= 4.5:1) with one of the two.
const DARK_TEXT = '000000';
const LIGHT_TEXT = 'ffffff';

function luminance(hex: string): number {
  const channel = (i: number): number => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Text colour with the better WCAG contrast on the label's background. */
export function labelTextColor(background: string): string {
  return contrast(background, DARK_TEXT) >= contrast(background, LIGHT_TEXT) ? DARK_TEXT : LIGHT_TEXT;
}

/** Colours go into a `style` attribute, so only six hex digits are let through. */
function safeColor(color: string | undefined): string {
  return color && /^[0-9a-f]{6}$/i.test(color) ? color.toLowerCase() : 'ededed';
}

export function labelChip(repo: RepoRecord, name: string): SafeHtml {
  const label: LabelRecord | undefined = repo.labels.get(labelKey(name));
  const background = safeColor(label?.color);
  return html`<span class="label" style="background-color:#${background};color:#${labelTextColor(background)}"${label?.description ? html` title="${label.description}"` : ''}>${name}</span>`;
}

const UNITS: readonly [string, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 hours ago" measured against the sandbox clock (which tests and demos move). */
function relativeTime(iso: string, now: Date): string {
  const diff = now.getTime() - Date.parse(iso);
  if (Number.isNaN(diff)) return iso;
  const abs = Math.abs(diff);
  if (abs < 60_000) return 'just now';
  for (const [unit, ms] of UNITS) {
    if (abs >= ms) {
      const n = Math.floor(abs / ms);
      const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return diff > 0 ? `${text} ago` : `in ${text}`;
    }
  }
  return 'just now';
}

export function timeAgo(iso: string, now: Date): SafeHtml {
  return html`<time datetime="${iso}" title="${iso}">${relativeTime(iso, now)}</time>`;
}

export type DisplayState = 'open' | 'closed' | 'not_planned' | 'merged' | 'draft' | 'pr-closed';

export function displayState(issue: IssueRecord, pull: PullRecord | undefined): DisplayState {
  if (pull) {
    if (pull.merged) return 'merged';
    if (issue.state === 'closed') return 'pr-closed';
    return pull.draft ? 'draft' : 'open';
  }
  if (issue.state === 'open') return 'open';
  return issue.state_reason === 'not_planned' ? 'not_planned' : 'closed';
}

const STATE_TEXT: Record<DisplayState, string> = {
  open: 'Open',
  closed: 'Closed',
  not_planned: 'Closed as not planned',
  merged: 'Merged',
  draft: 'Draft',
  'pr-closed': 'Closed',
};

export function stateBadge(state: DisplayState, small = false): SafeHtml {
  return html`<span class="state state-${state}${small ? ' state-small' : ''}">${STATE_TEXT[state]}</span>`;
}

const EMOJI: Record<ReactionContent, string> = {
  '+1': '👍',
  '-1': '👎',
  laugh: '😄',
  confused: '😕',
  heart: '❤️',
  hooray: '🎉',
  rocket: '🚀',
  eyes: '👀',
};

const REACTION_ORDER: readonly ReactionContent[] = ['+1', '-1', 'laugh', 'hooray', 'confused', 'heart', 'rocket', 'eyes'];

export function reactionList(reactions: readonly ReactionRecord[]): SafeHtml {
  const groups = REACTION_ORDER.map((content) => ({ content, users: reactions.filter((r) => r.content === content).map((r) => r.user) })).filter((g) => g.users.length > 0);
  if (groups.length === 0) return html``;
  return html`<ul class="reactions" aria-label="Reactions">${groups.map(
    (g) => html`<li title="${g.users.join(', ')} reacted with ${g.content}"><span aria-hidden="true">${EMOJI[g.content]}</span><span class="sr-only">${g.content}</span> ${g.users.length}</li>`,
  )}</ul>`;
}
