import { DateTime } from 'luxon';
import { scheduleConfigSchema } from '../scheduleConfig.ts';
import { shiftsBetween } from '../shifts.ts';
import type { ExpectedTimeline, ImportResult, RenderedEntry } from './importResult.ts';

/** A stretch during which firewatch and the vendor disagree about who is on call. */
interface ScheduleDifference {
  label: string;
  start: number;
  end: number;
  vendor: string[];
  firewatch: string[];
}

export interface SelfCheck {
  /** One line per compared timeline: its label and how many differences it has. */
  checked: { label: string; layers: string[]; differences: number }[];
  differences: ScheduleDifference[];
}

/** Who is on call at each instant of [start, end): elementary stretches where the set of logins is constant. */
function stepFunction(entries: readonly RenderedEntry[], start: number, end: number): { bounds: number[]; at: (instant: number) => string[] } {
  const clipped = entries.filter((entry) => entry.login !== null && entry.end > start && entry.start < end);
  const bounds = [start, end, ...clipped.flatMap((entry) => [Math.max(entry.start, start), Math.min(entry.end, end)])];
  return {
    bounds,
    at: (instant) => [...new Set(clipped.filter((entry) => entry.start <= instant && instant < entry.end).map((entry) => entry.login as string))].sort(),
  };
}

function compareOne(expected: ExpectedTimeline, actual: readonly RenderedEntry[], window: { start: number; end: number }): ScheduleDifference[] {
  const vendor = stepFunction(expected.entries, window.start, window.end);
  const ours = stepFunction(actual, window.start, window.end);
  const bounds = [...new Set([...vendor.bounds, ...ours.bounds])].filter((instant) => instant >= window.start && instant <= window.end).sort((a, b) => a - b);
  const differences: ScheduleDifference[] = [];
  for (let index = 0; index + 1 < bounds.length; index += 1) {
    const start = bounds[index] as number;
    const end = bounds[index + 1] as number;
    const theirs = vendor.at(start);
    const mine = ours.at(start);
    if (theirs.join(',') === mine.join(',')) continue;
    const last = differences[differences.length - 1];
    // Neighbouring stretches with the same disagreement are one difference to a reader.
    if (last && last.end === start && last.vendor.join(',') === theirs.join(',') && last.firewatch.join(',') === mine.join(',')) last.end = end;
    else differences.push({ label: expected.label, start, end, vendor: theirs, firewatch: mine });
  }
  return differences;
}

/**
 * Compares the shifts firewatch computes from the imported `oncall` section with the vendor's own
 * rendered schedule, over the import window: every stretch where the people on call differ.
 */
export function selfCheck(result: ImportResult): SelfCheck {
  const schedule = scheduleConfigSchema.parse(result.oncall);
  const entries = shiftsBetween(schedule, new Date(result.window.start), new Date(result.window.end));
  const checked: SelfCheck['checked'] = [];
  const differences: ScheduleDifference[] = [];
  for (const expected of result.expected) {
    const layers = new Set(expected.layers);
    const actual = entries
      .filter((entry) => layers.has(entry.layer))
      .map((entry) => ({ start: entry.shift.start.getTime(), end: entry.shift.end.getTime(), login: entry.login }));
    const found = compareOne(expected, actual, result.window);
    checked.push({ label: expected.label, layers: expected.layers, differences: found.length });
    differences.push(...found);
  }
  return { checked, differences };
}

function when(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ');
}

function people(logins: readonly string[]): string {
  return logins.length === 0 ? 'nobody' : logins.join(' + ');
}

/** The report `firewatch import` prints: the self-check, then what could not be expressed, then who is unmapped. */
export function formatImportReport(result: ImportResult, check: SelfCheck, zone: string): string {
  const lines: string[] = [];
  const total = check.differences.length;
  lines.push(
    `Self-check against ${result.vendor}'s rendered schedule, ${when(result.window.start, zone)} → ${when(result.window.end, zone)}: ` +
      (check.checked.length === 0 ? 'nothing to compare (no schedule was imported)' : total === 0 ? 'no differences' : `${total} ${total === 1 ? 'difference' : 'differences'}`),
  );
  for (const item of check.checked) {
    lines.push(`  ${item.label} (layer${item.layers.length === 1 ? '' : 's'} ${item.layers.join(', ')}): ${item.differences === 0 ? 'same' : `${item.differences} ${item.differences === 1 ? 'difference' : 'differences'}`}`);
    for (const difference of check.differences.filter((candidate) => candidate.label === item.label)) {
      lines.push(`    ${when(difference.start, zone)} → ${when(difference.end, zone)}: ${result.vendor} has ${people(difference.vendor)}, firewatch has ${people(difference.firewatch)}`);
    }
  }
  if (result.notExpressible.length > 0) {
    lines.push('', `Not expressible in firewatch (${result.notExpressible.length}):`, ...result.notExpressible.map((text) => `  - ${text}`));
  }
  if (result.notes.length > 0) lines.push('', 'Notes:', ...result.notes.map((text) => `  - ${text}`));
  if (result.unmapped.length > 0) {
    lines.push(
      '',
      `Unmapped people (${result.unmapped.length}): "no-one" (a gap) in rotations and overrides, left out of escalation steps; add "e-mail: github-login" lines to the --people file:`,
      ...result.unmapped.map((person) => `  - ${person.email}${person.name ? ` (${person.name})` : ''}: ${person.where.join('; ')}`),
    );
  }
  return `${lines.map(printable).join('\n')}\n`;
}

/** Vendor names reach a terminal: control characters (escape sequences) are shown as `?`. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
