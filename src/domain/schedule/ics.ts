import { UNBOUNDED_PAST } from './layerTimeline.ts';
import type { OnCallEntry } from './onCallEntry.ts';

export interface ICalendarOptions {
  /** Shown by calendar apps as the subscription's name (X-WR-CALNAME). */
  calendarName: string;
  /** DTSTAMP of every event: when this file was generated (injected, never read from the clock). */
  generatedAt: Date;
  /** Right-hand side of every UID. Default: firewatch. */
  uidDomain?: string;
  /** Whether gaps (nobody on call) become events too, so they stay visible. Default: true. */
  includeGaps?: boolean;
}

const MAX_OCTETS = 75;

/** RFC 5545 TEXT escaping: backslash, semicolon, comma and line breaks; other control characters are dropped. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

/**
 * Folds a content line so no physical line exceeds 75 octets (continuations start with one
 * space, which counts), without cutting a UTF-8 sequence in half.
 */
export function foldLine(line: string): string {
  const physical: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > MAX_OCTETS) {
      physical.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  physical.push(current);
  return physical.join('\r\n');
}

function utcStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z\d]+/g, '-').replace(/^-|-$/g, '') || 'calendar';
}

function summaryOf(entry: OnCallEntry): string {
  const who = entry.login ?? 'nobody on call (gap)';
  if (entry.source === 'override' && entry.replaces) return `${entry.layer}: ${who} (covering for ${entry.replaces})`;
  if (entry.source === 'override') return `${entry.layer}: ${who} (override)`;
  return `${entry.layer}: ${who}`;
}

function descriptionOf(entry: OnCallEntry): string {
  const lines = [`Layer: ${entry.layer}`, `On call: ${entry.login ? `@${entry.login}` : 'nobody (gap)'}`, `Source: ${entry.source}`];
  if (entry.source === 'override') lines.push(`Replaces: ${entry.replaces ? `@${entry.replaces}` : 'a gap'}`);
  return lines.join('\n');
}

/**
 * An iCalendar (RFC 5545) file of on-call shifts that people can subscribe to. Times are in UTC
 * (`Z`), so no VTIMEZONE is needed; UIDs depend only on the calendar, layer and shift start, so
 * re-exports update events instead of duplicating them. A layer's gap before its rotation starts
 * has no beginning and is left out.
 */
export function toICalendar(entries: readonly OnCallEntry[], options: ICalendarOptions): string {
  const domain = options.uidDomain ?? 'firewatch';
  const includeGaps = options.includeGaps ?? true;
  const stamp = utcStamp(options.generatedAt);
  const calendar = slug(options.calendarName);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//firewatch//on-call schedule//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(options.calendarName)}`,
  ];
  for (const entry of entries) {
    if (entry.shift.start.getTime() <= UNBOUNDED_PAST) continue;
    if (entry.login === null && !includeGaps) continue;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${calendar}-${entry.layer}-${utcStamp(entry.shift.start)}@${domain}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${utcStamp(entry.shift.start)}`,
      `DTEND:${utcStamp(entry.shift.end)}`,
      `SUMMARY:${escapeText(summaryOf(entry))}`,
      `DESCRIPTION:${escapeText(descriptionOf(entry))}`,
      `CATEGORIES:${escapeText(entry.layer)}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
