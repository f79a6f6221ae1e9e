import type { Segment, ShiftSource } from './layerTimeline.ts';

;

/** One layer's answer for a stretch of time: who is on call (null = explicit gap) and why. */
export interface OnCallEntry {
  layer: string;
  login: string | null;
  /** The stretch during which this answer holds; a partial override splits a shift into several. */
  shift: { start: Date; end: Date };
  source: ShiftSource;
  /** Only for overrides: who the rotation had at that time (null when it was a gap). */
  replaces?: string | null;
}

export function toOnCallEntry(segment: Segment): OnCallEntry {
  return {
    layer: segment.layer,
    login: segment.login,
    shift: { start: new Date(segment.start), end: new Date(segment.end) },
    source: segment.source,
    ...(segment.source === 'override' ? { replaces: segment.replaces ?? null } : {}),
  };
}

export function instantOf(date: Date, name: string): number {
  const instant = date.getTime();
  if (Number.isNaN(instant)) throw new RangeError(`${name} is not a valid date`);
  return instant;
}
