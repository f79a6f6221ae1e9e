import { DateTime } from 'luxon';

export type SinceResult = { ok: true; since: Date } | { ok: false; message: string };

const RELATIVE = /^(\d{1,4})([hdw])$/;
const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `--since`: a length back from `now` (`90d`, `12w`, `48h`) or a date (`2026-01-01`, UTC). */
export function parseSince(input: string, now: Date): SinceResult {
  const text = input.trim();
  const relative = RELATIVE.exec(text);
  if (relative) {
    const unit = relative[2] as keyof typeof UNIT_MS;
    return { ok: true, since: new Date(now.getTime() - Number(relative[1]) * UNIT_MS[unit]) };
  }
  const date = DateTime.fromISO(text, { zone: 'utc' });
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && date.isValid) {
    if (date.toMillis() > now.getTime()) return { ok: false, message: `--since ${text} is in the future.` };
    return { ok: true, since: date.toJSDate() };
  }
  return { ok: false, message: `--since "${text}" is neither a length (90d, 12w, 48h) nor a date (2026-01-01).` };
}
