import { compileSchedule, layersOnCallAt, layerTimeline } from './layerTimeline.ts';
import { instantOf, toOnCallEntry, type OnCallEntry } from './onCallEntry.ts';
import type { ScheduleConfig } from './scheduleConfig.ts';

export interface OnCallAnswer {
  at: Date;
  /** One entry per layer on call at `at`, in config order: every rotation, or the holiday layers while they run. */
  layers: OnCallEntry[];
}

/**
 * Who is on call at an instant. Exact across DST: handoffs happen at the configured wall-clock
 * time in each layer's zone; a handoff time that does not exist that day (spring forward) moves
 * forward by the gap, and one that happens twice (fall back) happens at the later instant.
 */
export function whoIsOnCall(schedule: ScheduleConfig, at: Date): OnCallAnswer {
  const instant = instantOf(at, 'at');
  const compiled = compileSchedule(schedule);
  const layers = layersOnCallAt(compiled, instant).map((layer) => {
    const [segment] = layerTimeline(compiled, layer, instant, instant + 1);
    if (!segment) throw new Error(`layer ${layer.name} has no segment at ${at.toISOString()}`);
    return toOnCallEntry(segment);
  });
  return { at: new Date(instant), layers };
}
