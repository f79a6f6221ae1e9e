import { DateTime } from 'luxon';

/** Clocks disagree a little; a time this far ahead of ours still counts as "now". */
const FUTURE_TOLERANCE_MS = 60_000;

export type NoteTime =
  | { ok: true; /** ISO-8601 UTC, or `undefined` when the text names no time (the entry is now). */ at: string | undefined; text: string }
  | { ok: false; reason: 'future' | 'invalid'; message: string };

const CLOCK = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const AGO = /^-(?:(\d{1,3})d)?(?:(\d{1,3})h)?(?:(\d{1,4})m)?$/;
// A word that looks like an ISO-8601 date-time (date, `T`, time, optional offset).
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The optional time at the start of a `/note`: `14:05` (today in `timezone`), `-15m`/`-1h30m`/`-2d`
 * (that long before `now`), or ISO-8601 (without an offset, in `timezone`). Anything else is not a
 * time, and the whole text is the note. Times after `now` are refused: a timeline records what
 * happened. Pure: `now` and `timezone` come in.
 */
export function parseNoteTime(input: string, options: { now: Date; timezone: string }): NoteTime {
  const trimmed = input.trim();
  const first = trimmed.split(/\s+/)[0] ?? '';
  const text = trimmed.slice(first.length).trim();
  const now = DateTime.fromJSDate(options.now, { zone: 'utc' });
  const zone = options.timezone;
  let at: DateTime | undefined;
  let described = first;

  const clock = CLOCK.exec(first);
  const ago = AGO.exec(first);
  if (clock) {
    const local = now.setZone(zone);
    at = local.set({ hour: Number(clock[1]), minute: Number(clock[2]), second: 0, millisecond: 0 });
    described = `${first} today (${zone})`;
  } else if (ago && first !== '-' && (ago[1] ?? ago[2] ?? ago[3]) !== undefined) {
    at = now.minus({ days: Number(ago[1] ?? 0), hours: Number(ago[2] ?? 0), minutes: Number(ago[3] ?? 0) });
  } else if (ISO.test(first)) {
    at = DateTime.fromISO(first, { zone, setZone: false });
    if (!at.isValid) return { ok: false, reason: 'invalid', message: `\`${first}\` is not a valid date and time.` };
  } else {
    return { ok: true, at: undefined, text: trimmed };
  }
  if (at.toMillis() > now.toMillis() + FUTURE_TOLERANCE_MS) {
    const hint = clock ? ' For an earlier day, give the date: `2026-01-13T23:50` or `-30m`.' : '';
    return { ok: false, reason: 'future', message: `${described} is in the future (now is ${now.toFormat("yyyy-LL-dd HH:mm 'UTC'")}); the timeline records what already happened.${hint}` };
  }
  const when = at.toMillis() > now.toMillis() ? now : at;
  return { ok: true, at: when.toUTC().toISO() ?? options.now.toISOString(), text };
}
