import { DateTime } from 'luxon';
import { escapeInline } from '../text/markdown.ts';

const UTC_ZONES = new Set(['utc', 'etc/utc', 'etc/uct', 'uct', 'etc/universal', 'universal', 'etc/zulu', 'zulu', 'gmt', 'etc/gmt', 'etc/gmt0', 'etc/gmt+0', 'etc/gmt-0', 'gmt0', 'z']);

/** Whether a zone is UTC under another name, so times are not shown twice (`18:50 UTC (18:50 UTC)`). */
export function isUtcZone(timezone: string): boolean {
  return UTC_ZONES.has(timezone.trim().toLowerCase());
}

/** `2025-01-14 09:03 UTC`, plus the team's local time when the team is not on UTC. */
export function formatTime(iso: string, timezone: string): string {
  const utc = DateTime.fromISO(iso, { zone: 'utc' });
  if (!utc.isValid) return escapeInline(iso);
  const base = utc.toFormat("yyyy-LL-dd HH:mm 'UTC'");
  if (isUtcZone(timezone)) return base;
  const local = utc.setZone(timezone).setLocale('en-US');
  if (!local.isValid) return base;
  const sameDay = local.toISODate() === utc.toISODate();
  return `${base} (${local.toFormat(sameDay ? 'HH:mm ZZZZ' : 'LLL d HH:mm ZZZZ')})`;
}
