import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, toICalendar } from '../../../src/domain/schedule/ics.ts';
import type { OnCallEntry } from '../../../src/domain/schedule/onCallEntry.ts';
import { shiftsBetween } from '../../../src/domain/schedule/shifts.ts';
import { runbookSchedule } from './runbookSchedule.ts';

const generatedAt = new Date('2026-11-01T12:00:00Z');

/** Minimal RFC 5545 reader: unfolds, then splits each content line into name and value. */
function parse(text: string): { physical: string[]; lines: { name: string; value: string }[] } {
  expect(text.endsWith('\r\n')).toBe(true);
  const physical = text.slice(0, -2).split('\r\n');
  expect(physical.every((line) => !line.includes('\n') && !line.includes('\r'))).toBe(true);
  const unfolded: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ')) unfolded[unfolded.length - 1] += line.slice(1);
    else unfolded.push(line);
  }
  return {
    physical,
    lines: unfolded.map((line) => {
      const colon = line.indexOf(':');
      return { name: line.slice(0, colon), value: line.slice(colon + 1) };
    }),
  };
}

function unescape(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, char: string) => (char.toLowerCase() === 'n' ? '\n' : char));
}

describe('toICalendar', () => {
  const entries = shiftsBetween(runbookSchedule, new Date('2026-11-01T00:00:00Z'), new Date('2027-01-15T00:00:00Z'));
  const ics = toICalendar(entries, { calendarName: 'acme/shop on-call; Engineering, "rot-a & rot-b"', generatedAt });
  const { physical, lines } = parse(ics);

  it('produces balanced BEGIN/END blocks with CRLF lines no longer than 75 octets', () => {
    const stack: string[] = [];
    for (const { name, value } of lines) {
      if (name === 'BEGIN') stack.push(value);
      if (name === 'END') expect(stack.pop()).toBe(value);
    }
    expect(stack).toEqual([]);
    expect(lines[0]).toEqual({ name: 'BEGIN', value: 'VCALENDAR' });
    expect(lines.at(-1)).toEqual({ name: 'END', value: 'VCALENDAR' });
    for (const line of physical) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });

  it('writes one event per shift with UTC times, an injected DTSTAMP and unique UIDs', () => {
    const events = lines.filter((line) => line.name === 'BEGIN' && line.value === 'VEVENT').length;
    // The gap before rot-a and rot-b start has no beginning, so it is left out.
    expect(events).toBe(entries.filter((entry) => entry.shift.start.getUTCFullYear() > 2000).length);
    const starts = lines.filter((line) => line.name === 'DTSTART').map((line) => line.value);
    const ends = lines.filter((line) => line.name === 'DTEND').map((line) => line.value);
    for (const value of [...starts, ...ends]) expect(value).toMatch(/^\d{8}T\d{6}Z$/);
    expect(lines.filter((line) => line.name === 'DTSTAMP').every((line) => line.value === '20261101T120000Z')).toBe(true);
    const uids = lines.filter((line) => line.name === 'UID').map((line) => line.value);
    expect(new Set(uids).size).toBe(events);
    expect(starts).toContain('20261102T160000Z');
    expect(lines.find((line) => line.name === 'X-WR-CALNAME')!.value).toBe('acme/shop on-call\\; Engineering\\, "rot-a & rot-b"');
  });

  it('describes overrides and gaps in readable summaries', () => {
    const summaries = lines.filter((line) => line.name === 'SUMMARY').map((line) => unescape(line.value));
    expect(summaries).toContain('rot-a: grace (covering for bob)');
    expect(summaries).toContain('rot-a: nobody on call (gap)');
    expect(summaries).toContain('holiday-a: bob (override)');
    const description = lines.find((line) => line.name === 'DESCRIPTION')!.value;
    expect(unescape(description).split('\n')[0]).toMatch(/^Layer: rot-/);
  });

  it('keeps UIDs stable when the same shifts are exported again later', () => {
    const later = toICalendar(shiftsBetween(runbookSchedule, new Date('2026-11-20T00:00:00Z'), new Date('2026-12-01T00:00:00Z')), { calendarName: 'acme/shop on-call; Engineering, "rot-a & rot-b"', generatedAt: new Date('2026-11-20T00:00:00Z') });
    const uids = (text: string) => new Set(parse(text).lines.filter((line) => line.name === 'UID').map((line) => line.value));
    const all = uids(ics);
    for (const uid of uids(later)) expect(all.has(uid)).toBe(true);
  });

  it('can leave gaps out', () => {
    const withoutGaps = parse(toICalendar(entries, { calendarName: 'on-call', generatedAt, includeGaps: false })).lines;
    expect(withoutGaps.filter((line) => line.name === 'SUMMARY').some((line) => line.value.includes('nobody'))).toBe(false);
  });
});

describe('RFC 5545 text', () => {
  it('escapes backslash, semicolon, comma and line breaks', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds long lines at 75 octets without splitting a multi-byte character', () => {
    const line = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.length).toBeGreaterThan(1);
    for (const part of folded) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.slice(1).every((part) => part.startsWith(' '))).toBe(true);
    expect(folded.map((part, index) => (index === 0 ? part : part.slice(1))).join('')).toBe(line);
    expect(foldLine('SHORT:line')).toBe('SHORT:line');
  });

  it('round-trips a long, hostile layer summary through folding and escaping', () => {
    const entry: OnCallEntry = {
      layer: 'rot-a',
      login: 'alice',
      shift: { start: new Date('2026-01-05T16:00:00Z'), end: new Date('2026-01-12T16:00:00Z') },
      source: 'rotation',
    };
    const name = `Team ${'x'.repeat(80)}, with; commas\\ and\nnewlines ✓`;
    const { lines } = parse(toICalendar([entry], { calendarName: name, generatedAt }));
    expect(unescape(lines.find((line) => line.name === 'X-WR-CALNAME')!.value)).toBe(name);
    expect(lines.find((line) => line.name === 'UID')!.value).toBe(`team-${'x'.repeat(80)}-with-commas-and-newlines-rot-a-20260105T160000Z@firewatch`);
  });
});
