import { DateTime } from 'luxon';
import {
  compileSchedule,
  layerTimeline,
  overrideIntervals,
  UNBOUNDED_PAST,
  type CompiledSchedule,
  type ConfigPath,
  type Segment,
} from './layerTimeline.ts';
import { instantOf } from './onCallEntry.ts';
import { NO_ONE, type ScheduleConfig } from './scheduleConfig.ts';

export interface ScheduleWarning {
  /** Path inside the schedule section, e.g. `layers[1].participants[2]` (prefix it with the section name). */
  path: string;
  message: string;
}

/** Counts of real engineers may differ by one; beyond that, and by a quarter or more, a layer is unbalanced. */
const BALANCE_TOLERANCE = { difference: 1, ratio: 1.25 };

function formatPath(path: ConfigPath): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key), '');
}

function when(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ');
}

function span(start: number, end: number, zone: string): string {
  return start <= UNBOUNDED_PAST ? `until ${when(end, zone)}` : `from ${when(start, zone)} to ${when(end, zone)}`;
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count} times`;
}

function allSegments(schedule: CompiledSchedule, from: number, to: number): Segment[] {
  return [...schedule.rotations, ...schedule.holidays].flatMap((layer) => layerTimeline(schedule, layer, from, to));
}

function overrideWarnings(config: ScheduleConfig, schedule: CompiledSchedule): ScheduleWarning[] {
  const zone = config.timezone;
  const layerCount = schedule.rotations.length + schedule.holidays.length;
  const warnings: ScheduleWarning[] = [];
  for (const override of schedule.overrides) {
    const path = `overrides[${override.index}]`;
    if (override.from >= override.to) {
      warnings.push({ path: `${path}.to`, message: `ends at or before it starts (${when(override.from, zone)} → ${when(override.to, zone)}), so it covers no time` });
      continue;
    }
    if (override.layer === undefined && layerCount > 1) {
      warnings.push({ path, message: `names no layer, so it applies to whichever layer is on call first at the time; add "layer:" to say which shift it covers` });
    }
    // A rotation's time before its first handoff counts: it is an explicit gap, and covering it is legitimate.
    const covered = [...schedule.rotations, ...schedule.holidays].flatMap((layer) => overrideIntervals(schedule, layer, override));
    const coveredMs = covered.reduce((sum, interval) => sum + interval.end - interval.start, 0);
    const target = override.layer ?? 'any layer';
    if (coveredMs === 0) {
      const holiday = schedule.holidays.find((layer) => layer.name === override.layer);
      const why = holiday
        ? ` (${holiday.name} runs ${span(holiday.activeFrom, holiday.activeTo, zone)})`
        : override.layer !== undefined
          ? ` (${override.layer} is off while the holiday layers run)`
          : '';
      warnings.push({ path, message: `${span(override.from, override.to, zone)} is outside every shift of ${target}, so it changes nothing${why}` });
    } else if (coveredMs < override.to - override.from) {
      warnings.push({ path, message: `${span(override.from, override.to, zone)} is partly outside the shifts of ${target}; only the part inside a shift applies` });
    }
  }
  return warnings;
}

function gapWarnings(config: ScheduleConfig, segments: readonly Segment[]): ScheduleWarning[] {
  const zone = config.timezone;
  const byOrigin = new Map<string, Segment[]>();
  // Time outside a layer's restrictions is off duty by design, not a gap to warn about.
  for (const segment of segments.filter((candidate) => candidate.login === null && candidate.origin[candidate.origin.length - 1] !== 'restrictions')) {
    const key = formatPath(segment.origin);
    byOrigin.set(key, [...(byOrigin.get(key) ?? []), segment]);
  }
  return [...byOrigin].map(([path, gaps]) => {
    const first = gaps[0] as Segment;
    const where = `${span(first.start, first.end, zone)}${gaps.length > 1 ? ` (${times(gaps.length)} in the checked period)` : ''}`;
    if (first.origin[2] === 'start') {
      return { path, message: `${first.layer} has nobody on call before its first handoff, ${where}` };
    }
    if (first.origin[2] === 'from') return { path, message: `${first.layer} has nobody on call before its \`from\` time, ${where}` };
    if (first.origin[2] === 'until') return { path, message: `${first.layer} has nobody on call after its \`until\` time, ${where}` };
    if (first.source === 'override') return { path, message: `${first.layer} has nobody on call (override to "${NO_ONE}") ${where}` };
    if (first.source === 'holiday') return { path, message: `${first.layer} has an open holiday slot ("${NO_ONE}") ${where}; a volunteer can take it with an override` };
    return { path, message: `${first.layer} has nobody on call ("${NO_ONE}") ${where}; replace the placeholder or override the shift` };
  });
}

function newcomerWarnings(config: ScheduleConfig, segments: readonly Segment[]): ScheduleWarning[] {
  const newcomers = new Set(config.newcomers.map((login) => login.toLowerCase()));
  if (newcomers.size === 0) return [];
  const zone = config.timezone;
  const onCall = segments.filter((segment) => segment.login !== null && newcomers.has(segment.login.toLowerCase()));
  const pairs = new Map<string, { first: Segment; second: Segment; start: number; end: number; count: number }>();
  onCall.forEach((a, i) => {
    for (const b of onCall.slice(i + 1)) {
      if (a.layer === b.layer || a.start >= b.end || b.start >= a.end) continue;
      if (a.login?.toLowerCase() === b.login?.toLowerCase()) continue;
      // Point at the slot that starts later: moving it (or trading it) is the runbook's fix.
      const [first, second] = a.start <= b.start ? [a, b] : [b, a];
      const key = [formatPath(a.origin), formatPath(b.origin)].sort().join('|');
      const existing = pairs.get(key);
      if (existing) existing.count += 1;
      else pairs.set(key, { first, second, start: Math.max(a.start, b.start), end: Math.min(a.end, b.end), count: 1 });
    }
  });
  return [...pairs.values()].map(({ first, second, start, end, count }) => ({
    path: formatPath(second.origin),
    message:
      `newcomers ${first.login} (${first.layer}) and ${second.login} (${second.layer}) are on call together ${span(start, end, zone)}` +
      `${count > 1 ? ` (${times(count)} in the checked period)` : ''}; pair each new engineer with an experienced one: move one earlier in the rotation or trade a shift`,
  }));
}

function balanceWarnings(config: ScheduleConfig): ScheduleWarning[] {
  // Layers stacked `over` another share its slot, so only the reported layers are compared.
  const counts = config.layers.flatMap((layer, index) => (layer.over === undefined ? [layer] : []).map(() => ({
    index,
    name: layer.name,
    engineers: new Set(layer.participants.filter((participant) => participant !== NO_ONE).map((login) => login.toLowerCase())).size,
  })));
  if (counts.length < 2) return [];
  const largest = counts.reduce((best, layer) => (layer.engineers > best.engineers ? layer : best));
  return counts
    .filter((layer) => largest.engineers - layer.engineers > BALANCE_TOLERANCE.difference && largest.engineers >= layer.engineers * BALANCE_TOLERANCE.ratio)
    .map((layer) => ({
      path: `layers[${layer.index}].participants`,
      message:
        `${layer.name} has ${layer.engineers} engineer${layer.engineers === 1 ? '' : 's'} but ${largest.name} has ${largest.engineers}, ` +
        `so ${layer.name}'s engineers are on call ${layer.engineers === 0 ? 'never' : `${Number((largest.engineers / layer.engineers).toFixed(1))} times as often`}; ` +
        'balance the rotations (the runbook puts balance before time-zone coverage)',
    }));
}

/**
 * What the on-call runbook warns about, for `firewatch validate-config`: overrides that cover no
 * shift (or end before they start), gaps (`no-one` slots, overrides to nobody, time before a
 * rotation starts) and newcomers on call together within [from, to), and unbalanced rotations.
 */
export function scheduleWarnings(schedule: ScheduleConfig, window: { from: Date; to: Date }): ScheduleWarning[] {
  const from = instantOf(window.from, 'from');
  const to = instantOf(window.to, 'to');
  const compiled = compileSchedule(schedule);
  const segments = from < to ? allSegments(compiled, from, to) : [];
  return [...balanceWarnings(schedule), ...overrideWarnings(schedule, compiled), ...gapWarnings(schedule, segments), ...newcomerWarnings(schedule, segments)];
}
