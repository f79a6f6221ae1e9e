import { z } from 'zod';
import { findHiddenJson, renderHiddenJson } from '../text/hiddenJson.ts';
import { timelineEntrySchema } from '../incident/incidentState.ts';
import { PAGE_CHANNELS } from './pagingConfig.ts';

/**
 * What firewatch paged, kept where everything else is: in the event markers of its own comments
 * on the incident. A paging run first posts its claims (who, which page, which channels), then
 * sends, then edits the same comment to add the outcomes. A fresh process, another replica or a
 * rerun of the Action reads this back: a page that is claimed is never sent again, and the next
 * page is due a fixed time after the last claim.
 */
const channelSchema = z.enum(['github', ...PAGE_CHANNELS]);

const pageClaimSchema = z.object({
  /** Unique per incident: `<login>-<round>`, lower case. */
  id: z.string().min(1).max(60),
  login: z.string().min(1).max(39),
  /** 1 for the first page of this person on this incident, 2 for the first re-page, ... */
  round: z.int().min(1),
  channels: z.array(channelSchema),
  /** Why they are paged, in words (`on call`, `escalation step 1`, ...). */
  reason: z.string().max(100),
});
export type PageClaim = z.infer<typeof pageClaimSchema>;

const deliverySchema = z.object({
  page: z.string(),
  channel: channelSchema,
  ok: z.boolean(),
  attempts: z.int().min(0),
  error: z.string().max(300).optional(),
  /** The channel that failed, when this delivery is its fallback. */
  fallbackFor: channelSchema.optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

const pageMarkerSchema = z.object({
  type: z.literal('page'),
  at: z.iso.datetime({ offset: true }),
  incident: z.string().optional(),
  pages: z.array(pageClaimSchema).default([]),
  /** Pages held back by quiet hours: `<login>-<round>` and until when. */
  holds: z.array(z.object({ id: z.string(), login: z.string(), until: z.iso.datetime({ offset: true }) })).default([]),
  /** Written after sending; absent while the run is in flight (or when it died while sending). */
  deliveries: z.array(deliverySchema).optional(),
  /** Escalation steps this run brought in (`escalation-N`), read by the ack-SLO sweep and `/escalate` too. */
  reminders: z.array(z.string()).optional(),
  entries: z.array(timelineEntrySchema).optional(),
});
export type PageMarker = z.infer<typeof pageMarkerSchema>;

export function renderPageMarker(marker: PageMarker): string {
  return renderHiddenJson('event', marker);
}

export function pageId(login: string, round: number): string {
  return `${login.toLowerCase()}-${round}`;
}

export interface RecordedPage {
  claim: PageClaim;
  at: Date;
  commentId: number;
  deliveries: Delivery[] | undefined;
}

export interface PageRecord {
  /** Winning claims by page id: the one in the earliest comment when two runs claimed the same page. */
  pages: Map<string, RecordedPage>;
  /** Page ids held back by quiet hours (and announced) already. */
  holds: Set<string>;
  /** When each escalation step was brought in by a paging run. */
  steps: Map<number, Date>;
}

export interface MarkedComment {
  id: number;
  body?: string | null | undefined;
}

/** The page record from firewatch's own comments on the incident (the caller keeps only the bot's). */
export function readPageRecord(comments: readonly MarkedComment[]): PageRecord {
  const record: PageRecord = { pages: new Map(), holds: new Set(), steps: new Map() };
  for (const comment of [...comments].sort((a, b) => a.id - b.id)) {
    for (const raw of findHiddenJson('event', comment.body ?? '')) {
      const parsed = pageMarkerSchema.safeParse(raw);
      if (!parsed.success) continue;
      const marker = parsed.data;
      const at = new Date(marker.at);
      for (const claim of marker.pages) {
        if (record.pages.has(claim.id)) continue;
        record.pages.set(claim.id, { claim, at, commentId: comment.id, deliveries: marker.deliveries?.filter((delivery) => delivery.page === claim.id) });
      }
      for (const hold of marker.holds) record.holds.add(hold.id);
      for (const key of marker.reminders ?? []) {
        const step = /^escalation-(\d+)$/.exec(key);
        if (step && !record.steps.has(Number(step[1]))) record.steps.set(Number(step[1]), at);
      }
    }
  }
  return record;
}

/** The pages of one person, oldest first. */
export function pagesOf(record: PageRecord, login: string): RecordedPage[] {
  const lower = login.toLowerCase();
  return [...record.pages.values()].filter((page) => page.claim.login.toLowerCase() === lower).sort((a, b) => a.claim.round - b.claim.round);
}

/**
 * `text` with code spans (fenced code too) and HTML comments blanked: what GitHub shows as text,
 * where a mention notifies. One pass: a closing found is jumped past, and once no closing run of
 * some length is left, longer unclosed runs are not searched for again.
 */
function outsideCode(text: string): string {
  let out = '';
  let at = 0;
  let noCloseFrom = Number.POSITIVE_INFINITY;
  while (at < text.length) {
    if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      // Unclosed: GitHub hides the rest.
      if (end === -1) break;
      out += ' ';
      at = end + 3;
      continue;
    }
    if (text[at] !== '`') {
      out += text[at];
      at++;
      continue;
    }
    let length = 1;
    while (text[at + length] === '`') length++;
    const close = length >= noCloseFrom ? -1 : text.indexOf('`'.repeat(length), at + length);
    if (close === -1) {
      noCloseFrom = Math.min(noCloseFrom, length);
      out += '`'.repeat(length);
      at += length;
      continue;
    }
    out += ' ';
    at = close + length;
  }
  return out;
}

/**
 * Logins firewatch already mentioned for real in `text` (its own comments): `@login` not inside
 * code and not neutralized. The GitHub channel mentions a person once per incident; if an
 * escalation comment or a command reply already did, the page only assigns.
 */
export function realMentions(text: string): Set<string> {
  const found = new Set<string>();
  for (const match of outsideCode(text).matchAll(/(^|[^\w`@/])@([A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38})(?![\w/-])/g)) {
    if (match[2]) found.add(match[2].toLowerCase());
  }
  return found;
}
