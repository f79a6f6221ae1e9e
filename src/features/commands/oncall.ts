import { DateTime } from 'luxon';
import { UNBOUNDED_PAST } from '../../domain/schedule/layerTimeline.ts';
import type { OnCallEntry } from '../../domain/schedule/onCallEntry.ts';
import type { ScheduleConfig } from '../../domain/schedule/scheduleConfig.ts';
import { shiftsBetween } from '../../domain/schedule/shifts.ts';
import { whoIsOnCall } from '../../domain/schedule/whoIsOnCall.ts';
import { escapeInline, inlineCode, quietMention, tableRow } from '../../domain/text/markdown.ts';
import type { Executor } from './commandContext.ts';

function when(at: Date, zone: string): string {
  return at.getTime() <= UNBOUNDED_PAST ? '(start)' : DateTime.fromJSDate(at, { zone }).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ');
}

function whoOf(entry: OnCallEntry): string {
  const who = entry.login ?? 'nobody (gap)';
  if (entry.source === 'override') return `${who} (override${entry.replaces ? ` for ${entry.replaces}` : ''})`;
  return entry.source === 'holiday' ? `${who} (holiday)` : who;
}

/** `firewatch oncall`: one row per shift overlapping [from, to), as a plain-text table. */
export function oncallTable(schedule: ScheduleConfig, from: Date, to: Date, zone: string): string {
  const entries = shiftsBetween(schedule, from, to);
  if (entries.length === 0) return `No on-call layers are configured (oncall.layers in .github/firewatch.yml).\n`;
  const rows = entries.map((entry) => [entry.layer, when(entry.shift.start, zone), when(entry.shift.end, zone), whoOf(entry)]);
  const header = ['layer', 'from', 'to', 'on call'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line), ''].join('\n');
}

/** `/oncall [time]`: who is on call at an instant, per layer, as a Markdown reply. Mentions are not pinged. */
export function oncallReply(schedule: ScheduleConfig, at: Date, zone: string): string {
  const answer = whoIsOnCall(schedule, at);
  if (answer.layers.length === 0) return `Nobody is on call at ${when(at, zone)}: no on-call layers are configured (\`oncall.layers\` in \`.github/firewatch.yml\`).`;
  const lines = answer.layers.map((entry) =>
    tableRow([escapeInline(entry.layer), `${entry.login ? quietMention(entry.login) : '**nobody (gap)**'}${entry.source === 'override' ? ' (override)' : entry.source === 'holiday' ? ' (holiday)' : ''}`, when(entry.shift.end, zone)]),
  );
  return [`On call at ${when(at, zone)}:`, '', '| layer | on call | until |', '|---|---|---|', ...lines].join('\n');
}

/**
 * Reads a time a person typed: an ISO instant (`2026-03-02T10:00Z`), a local date-time or date in
 * `zone` (`2026-03-02 10:00`, `2026-03-02`), or `now`. Null when it is not a time.
 */
export function parseWhen(text: string | undefined, zone: string, now: Date): Date | null {
  if (text === undefined || text.trim() === '' || text.trim().toLowerCase() === 'now') return now;
  const parsed = DateTime.fromISO(text.trim().replace(' ', 'T'), { zone });
  return parsed.isValid ? parsed.toJSDate() : null;
}

/**
 * `/oncall [time]` in any issue: the on-call people per layer at that time. Reads only the config
 * (no GitHub calls); the reply does not notify them.
 */
export const oncallCommand: Executor = async (context) => {
  const { request, config, now } = context;
  if (request.name !== 'oncall') throw new Error(`oncall cannot run /${request.name}`);
  const at = parseWhen(request.at, config.timezone, now);
  if (!at) {
    return { ok: false, reply: `⚠️ \`/oncall\`: ${inlineCode(request.at ?? '')} is not a time. Write it like \`/oncall 2026-03-02 14:00\` (${escapeInline(config.timezone)}) or \`/oncall 2026-03-02T14:00Z\`.` };
  }
  return { ok: true, reply: oncallReply(config.oncall, at, config.timezone) };
};
