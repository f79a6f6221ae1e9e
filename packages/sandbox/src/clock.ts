/**
 * The sandbox's clock: every timestamp it writes (created_at, merged_at, ...) and, in sandbox mode,
 * the app's own time. It either runs (real time from where it was put) or stands still. A clock
 * that was set stands still unless told to run, so a test that sets 09:00 and acts gets 09:00 on
 * everything it did, however slow the machine; `npm start` leaves it running on real time.
 */
import { Duration } from 'luxon';
import { z } from 'zod';

export interface ClockReading {
  now: Date;
  running: boolean;
}

/** A change of the clock: put it at `now` or move it by `advanceMs`, and/or start or stop it. */
export interface ClockChange {
  now?: Date;
  advanceMs?: number;
  /** Default: a clock put at `now` stands still; `advanceMs` alone keeps running or standing as it was. */
  running?: boolean;
}

export class SandboxClock {
  /** Sandbox time (ms) at `realAt`; while standing still, simply the time. */
  private at: number;
  private realAt: number;
  private ticking: boolean;

  /** Without `start`: real time, running. With it: standing still at `start`. */
  constructor(start?: Date, private readonly realNow: () => number = Date.now) {
    this.realAt = realNow();
    this.at = start ? start.getTime() : this.realAt;
    this.ticking = start === undefined;
  }

  now(): Date {
    return new Date(this.ticking ? this.at + (this.realNow() - this.realAt) : this.at);
  }

  get running(): boolean {
    return this.ticking;
  }

  read(): ClockReading {
    return { now: this.now(), running: this.ticking };
  }

  /** Applies a change; returns whether the time itself moved (the app then sweeps at the new time). */
  change(change: ClockChange): boolean {
    const current = this.now().getTime();
    let next = current;
    if (change.now) next = change.now.getTime();
    if (change.advanceMs !== undefined) next += change.advanceMs;
    this.at = next;
    this.realAt = this.realNow();
    this.ticking = change.running ?? (change.now ? false : this.ticking);
    return change.now !== undefined || change.advanceMs !== undefined;
  }

  /** A snapshot to put back when something that moved the clock fails (an invalid fixture). */
  save(): () => void {
    const saved = { at: this.now().getTime(), ticking: this.ticking };
    return () => {
      this.at = saved.at;
      this.realAt = this.realNow();
      this.ticking = saved.ticking;
    };
  }
}

/**
 * `POST /_sandbox/clock`: `{"now": "<ISO-8601>"}` puts the clock there, standing still (add
 * `"running": true` to let it run from there); `{"advance": "PT30M"}` (an ISO-8601 duration, or a
 * number of milliseconds) moves it on, running or not as it was; `{"running": true|false}` alone
 * starts or stops it where it is.
 */
const ADVANCE_FORMAT = 'must be an ISO-8601 duration like "PT30M" or "P1D", or a number of milliseconds';

export const clockChangeSchema = z
  .strictObject({
    now: z.iso.datetime({ offset: true }).optional(),
    advance: z
      .union([z.number().finite(), z.string()], { error: ADVANCE_FORMAT })
      .transform((value, context) => {
        if (typeof value === 'number') return value;
        const duration = Duration.fromISO(value);
        if (duration.isValid) return duration.toMillis();
        context.addIssue({ code: 'custom', message: ADVANCE_FORMAT });
        return z.NEVER;
      })
      .optional(),
    running: z.boolean().optional(),
  })
  .refine((body) => body.now !== undefined || body.advance !== undefined || body.running !== undefined, { message: 'send "now", "advance" or "running"' })
  .refine((body) => body.now === undefined || body.advance === undefined, { message: 'send either "now" or "advance", not both' })
  .transform(
    (body): ClockChange => ({
      ...(body.now !== undefined ? { now: new Date(body.now) } : {}),
      ...(body.advance !== undefined ? { advanceMs: body.advance } : {}),
      ...(body.running !== undefined ? { running: body.running } : {}),
    }),
  );
