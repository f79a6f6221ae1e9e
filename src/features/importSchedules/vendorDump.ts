/**
 * A vendor dump on disk: a folder of API responses, each file exactly the body the vendor sent,
 * named after the request (the migration guides give the `curl` commands that write them;
 * `firewatch import --save DIR` writes the same). This module turns such a set of files into the
 * dump the pure importers take, validating each file against the vendor's documented shape.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import {
  pdEscalationPolicySchema,
  pdOverrideSchema,
  pdScheduleSchema,
  pdUserSchema,
  pdV3CustomShiftSchema,
  pdV3OverrideSchema,
  pdV3ScheduleSchema,
  type PagerDutyDump,
} from '../../domain/schedule/import/pagerDutyApi.ts';
import { ogEscalationSchema, ogOverrideSchema, ogScheduleSchema, ogTimelineSchema, ogUserSchema, type OpsgenieDump } from '../../domain/schedule/import/opsgenieApi.ts';
import { z } from 'zod';
import { DumpError } from '../../domain/errors/errors.ts';

/** Relative path (with `/`) → parsed JSON body. */
export type DumpFiles = Map<string, unknown>;

const windowSchema = z.object({ since: z.string(), until: z.string() });

function field<T extends z.ZodType>(files: DumpFiles, path: string, schema: T): z.output<T> {
  const value = files.get(path);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new DumpError(`${path}${where}: ${issue ? inWords(issue, valueAt(value, issue.path)) : 'not the shape the vendor API answers'}`);
}

const KINDS: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object' };

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return KINDS[typeof value] ?? typeof value;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
}

/** A schema problem as the person who ran the curl commands reads it: what is missing or what it is instead. */
function inWords(issue: z.core.$ZodIssue, actual: unknown): string {
  if (issue.code === 'invalid_type') {
    const expected = KINDS[issue.expected] ?? issue.expected;
    return actual === undefined ? `missing (the vendor API always sends ${expected} here; was the file cut or edited?)` : `should be ${expected}, not ${kindOf(actual)}`;
  }
  if (issue.code === 'invalid_value') return `should be one of ${issue.values.map((option) => JSON.stringify(option)).join(', ')}, not ${kindOf(actual)}`;
  if (issue.code === 'unrecognized_keys') return `unexpected field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  return `not the shape the vendor API answers (${issue.message})`;
}

/** Files named `prefix-<offset>.json` (one per page), in offset order. */
function pages(files: DumpFiles, prefix: string): string[] {
  const offset = (path: string) => Number(path.slice(prefix.length + 1, -'.json'.length));
  return [...files.keys()].filter((path) => path.startsWith(`${prefix}-`) && path.endsWith('.json') && Number.isInteger(offset(path))).sort((a, b) => offset(a) - offset(b));
}

function list<T extends z.ZodType>(files: DumpFiles, prefix: string, key: string, item: T): z.output<T>[] {
  return pages(files, prefix).flatMap((path) => field(files, path, z.object({ [key]: z.array(item) }))[key] as z.output<T>[]);
}

function ids(files: DumpFiles, folder: string): string[] {
  return [...files.keys()].flatMap((path) => {
    const match = new RegExp(`^${folder}/([^/.]+)\\.json$`).exec(path);
    return match?.[1] ? [match[1]] : [];
  });
}

export function pagerDutyDumpFromFiles(files: DumpFiles): PagerDutyDump {
  if (!files.has('window.json')) throw new DumpError('window.json is missing: it says which since/until the schedules were rendered for ({"since": "…", "until": "…"})');
  return {
    window: field(files, 'window.json', windowSchema),
    users: list(files, 'users', 'users', pdUserSchema),
    escalationPolicies: list(files, 'escalation_policies', 'escalation_policies', pdEscalationPolicySchema),
    schedules: ids(files, 'schedules').map((id) => ({
      schedule: field(files, `schedules/${id}.json`, z.object({ schedule: pdScheduleSchema })).schedule,
      overrides: files.has(`schedules/${id}.overrides.json`) ? field(files, `schedules/${id}.overrides.json`, z.object({ overrides: z.array(pdOverrideSchema) })).overrides : [],
    })),
    v3Schedules: ids(files, 'v3').map((id) => ({
      schedule: field(files, `v3/${id}.json`, z.object({ schedule: pdV3ScheduleSchema })).schedule,
      overrides: list(files, `v3/${id}.overrides`, 'overrides', pdV3OverrideSchema),
      customShifts: list(files, `v3/${id}.custom_shifts`, 'custom_shifts', pdV3CustomShiftSchema),
    })),
  };
}

const FOUR_WEEKS_MS = 28 * 86_400_000;

export function opsgenieDumpFromFiles(files: DumpFiles): OpsgenieDump {
  const data = <T extends z.ZodType>(path: string, schema: T): z.output<T> => (field(files, path, z.object({ data: schema })) as { data: z.output<T> }).data;
  if (!files.has('schedules.json')) throw new DumpError('schedules.json is missing (GET /v2/schedules?expand=rotation)');
  const schedules = data('schedules.json', z.array(ogScheduleSchema)).map((schedule) => ({
    schedule,
    overrides: files.has(`schedules/${schedule.id}.overrides.json`) ? data(`schedules/${schedule.id}.overrides.json`, z.array(ogOverrideSchema)) : [],
    timeline: files.has(`schedules/${schedule.id}.timeline.json`) ? data(`schedules/${schedule.id}.timeline.json`, ogTimelineSchema) : null,
  }));
  // The timeline says which weeks it covers; window.json (written by --save) wins when present.
  const timeline = schedules.find((item) => item.timeline?.startDate)?.timeline;
  const window = files.has('window.json')
    ? field(files, 'window.json', windowSchema)
    : timeline?.startDate
      ? { since: timeline.startDate, until: timeline.endDate ?? new Date(Date.parse(timeline.startDate) + FOUR_WEEKS_MS).toISOString() }
      : undefined;
  if (!window) throw new DumpError('window.json is missing and no timeline says which weeks were rendered');
  return {
    window,
    users: pages(files, 'users').flatMap((path) => data(path, z.array(ogUserSchema))),
    schedules,
    escalations: files.has('escalations.json') ? data('escalations.json', z.array(ogEscalationSchema)) : [],
  };
}

/** Every `*.json` under `dir`, parsed. */
export function readDumpFiles(dir: string): DumpFiles {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new DumpError(`${dir}: no such folder`);
  }
  if (!stat.isDirectory()) throw new DumpError(`${dir} is not a folder (give the folder the curl commands wrote)`);
  const files: DumpFiles = new Map();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) {
        const name = relative(dir, path).split(sep).join('/');
        try {
          files.set(name, JSON.parse(readFileSync(path, 'utf8')));
        } catch (error) {
          throw new DumpError(`${name}: not JSON (${error instanceof Error ? error.message : String(error)})`);
        }
      }
    }
  };
  walk(dir);
  return files;
}

export function writeDumpFiles(dir: string, files: DumpFiles): void {
  for (const [name, body] of files) {
    const path = join(dir, ...name.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
  }
}
