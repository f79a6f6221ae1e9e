import type { ScheduleConfigInput } from '../scheduleConfig.ts';

/** One stretch of a vendor's own rendered schedule, its person already mapped to a login (null: nobody, or someone unmapped). */
export interface RenderedEntry {
  start: number;
  end: number;
  login: string | null;
}

/**
 * What the vendor says one of its schedules (or rotations) looks like over the check window, and
 * which firewatch layers stand for it: the people on call in those layers together must be the
 * people the vendor renders, at every instant.
 */
export interface ExpectedTimeline {
  /** How the vendor names it, for the report: `schedule "Primary"`, `rotation "Nights" of schedule "Ops"`. */
  label: string;
  layers: string[];
  entries: RenderedEntry[];
}

export interface UnmappedPerson {
  /** The e-mail the vendor has for them (Opsgenie's username), or their vendor id when it has none. */
  email: string;
  name?: string;
  /** Where they appear: `schedule "Primary" layer 2`, `escalation policy "Ops" rule 1`. */
  where: string[];
}

/** The outcome of converting one vendor's dump: the `oncall` section, and everything a person must know about it. */
export interface ImportResult {
  vendor: 'PagerDuty' | 'Opsgenie';
  oncall: ScheduleConfigInput;
  /** What the vendor has that firewatch cannot say, and what was done instead. */
  notExpressible: string[];
  /** What was left out on purpose (ended layers, disabled schedules) or carried over implicitly. */
  notes: string[];
  unmapped: UnmappedPerson[];
  expected: ExpectedTimeline[];
  window: { start: number; end: number };
}

/** Collects the people the mapping file does not name, once each, with every place they appear. */
export class UnmappedPeople {
  private readonly byKey = new Map<string, UnmappedPerson>();

  add(email: string, name: string | undefined, where: string): void {
    const key = email.toLowerCase();
    const existing = this.byKey.get(key);
    if (existing) {
      if (!existing.where.includes(where)) existing.where.push(where);
      return;
    }
    this.byKey.set(key, { email, ...(name ? { name } : {}), where: [where] });
  }

  list(): UnmappedPerson[] {
    return [...this.byKey.values()].sort((a, b) => a.email.localeCompare(b.email));
  }
}

/** A layer name firewatch accepts (letters, digits, `.`, `_`, `-`; 50 at most), unique among `taken`. */
export function layerName(text: string, taken: Set<string>): string {
  const base =
    text
      .normalize('NFKD')
      .replace(/[^\w.-]+/g, '-')
      .replace(/^[^A-Za-z\d]+/, '')
      .replace(/-+/g, '-')
      .replace(/-$/, '')
      .toLowerCase()
      .slice(0, 44) || 'layer';
  let name = base;
  for (let n = 2; taken.has(name); n += 1) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

/** Rotates a list so that position `shift` comes first (negative shifts count back). */
export function rotate<T>(items: readonly T[], shift: number): T[] {
  const count = items.length;
  const by = ((shift % count) + count) % count;
  return [...items.slice(by), ...items.slice(0, by)];
}
