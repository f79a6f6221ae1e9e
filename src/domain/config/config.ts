import yaml from 'js-yaml';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { closest } from '../text/closest.ts';
import { COMMAND_NAMES } from '../commands/commands.ts';
import { REQUIRABLE_LEVELS } from '../commands/permissions.ts';
import { SEVERITIES } from '../incident/severity.ts';
import { alertsConfigSchema, routingConfigSchema } from '../alerts/intakeConfig.ts';
import { correlationConfigSchema } from '../correlation/correlationConfig.ts';
import { postmortemConfigSchema } from '../postmortem/postmortemConfig.ts';
import { scheduleConfigSchema } from '../schedule/scheduleConfig.ts';
import { sloConfigSchema, sweepConfigSchema } from '../sweep/sweepConfig.ts';
import { statusPageConfigSchema } from '../statusPage/statusPageConfig.ts';
import { notificationConfigSchema } from '../notifications/notificationConfig.ts';
import { metricsConfigSchema } from '../metrics/metricsConfig.ts';
import { heartbeatsConfigSchema } from '../heartbeats/heartbeatConfig.ts';
import { pagingConfigSchema } from '../paging/pagingConfig.ts';

/** Where firewatch reads its configuration, in the incident repository (or the org's `.github`). */
export const CONFIG_PATH = '.github/firewatch.yml';

const githubLogin = z
  .string()
  .regex(/^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/, 'must be a GitHub login such as octocat (without @)');

const incidents = z
  .strictObject({
    repo: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name, e.g. acme/incidents')
      .optional()
      .describe('Repository (owner/name) where incident issues are opened. Default: the repository this file is in.'),
    defaultSeverity: z.enum(SEVERITIES).default('P3').describe('Severity for incidents whose alert does not say (P1 = worst).'),
    assignees: z
      .array(githubLogin)
      .max(10, 'GitHub assigns at most 10 people')
      .default([])
      .describe('People assigned to every new incident. Logins that cannot be assigned in the repository are skipped and logged.'),
    labels: z
      .array(z.string().trim().min(1).max(50, 'GitHub label names are at most 50 characters'))
      .default([])
      .describe('Extra labels put on every new incident issue, next to the contract labels.'),
  })
  .describe('Incident issues.');

const commands = z
  .strictObject({
    permissions: z
      .partialRecord(z.enum(COMMAND_NAMES), z.enum(REQUIRABLE_LEVELS))
      .default({})
      .describe('Minimum repository permission per command, overriding the defaults (e.g. `help: triage`).'),
    rateLimit: z
      .strictObject({
        max: z.number().int().min(1).max(1000).default(30).describe('Commands one person may run within the window.'),
        windowSeconds: z.number().int().min(1).max(86_400).default(300).describe('Length of the sliding window, in seconds.'),
      })
      .prefault({})
      .describe('Per-user limit on commands, so a flood of comments cannot flood the incident (or the API).'),
    followupRepos: z
      .record(z.string().min(1), z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name, e.g. acme/checkout'))
      .default({})
      .describe("Where `/followup` opens issues, by service name (e.g. `checkout: acme/checkout`). Default: the incident's repository."),
  })
  .describe('Slash commands in issue comments.');

/**
 * `.github/firewatch.yml`. Every field has a default, so an empty file (or none) is valid;
 * objects are strict so a typo is reported instead of silently ignored.
 */
export const firewatchConfigSchema = z
  .strictObject({
    _extends: z.string().optional().describe('Inherit settings from another repository, e.g. `.github` or `acme/.github:firewatch.yml` (merged by Probot).'),
    timezone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Europe/Berlin or America/New_York')
      .default('UTC')
      .describe('Time zone for times shown to people (timeline, schedules), as an IANA name.'),
    incidents: incidents.prefault({}),
    commands: commands.prefault({}),
    routing: routingConfigSchema.prefault({}),
    alerts: alertsConfigSchema.prefault({}),
    correlation: correlationConfigSchema.prefault({}),
    postmortem: postmortemConfigSchema.prefault({}),
    oncall: scheduleConfigSchema.prefault({}),
    slo: sloConfigSchema.prefault({}),
    sweeps: sweepConfigSchema.prefault({}),
    statusPage: statusPageConfigSchema.prefault({}),
    notifications: notificationConfigSchema.prefault({}),
    metrics: metricsConfigSchema.prefault({}),
    heartbeats: heartbeatsConfigSchema,
    paging: pagingConfigSchema.prefault({}),
  })
  .describe('firewatch configuration (.github/firewatch.yml)');

export type FirewatchConfig = z.output<typeof firewatchConfigSchema>;

export interface ConfigProblem {
  /** Dotted path of the offending value (`incidents.assignees[1]`); `''` for the file itself. */
  path: string;
  message: string;
  /** 1-based line in the YAML text, when known. */
  line?: number;
}

export interface ConfigResult {
  config: FirewatchConfig;
  problems: ConfigProblem[];
}

export const DEFAULT_CONFIG: FirewatchConfig = firewatchConfigSchema.parse({});

type Path = readonly PropertyKey[];

export function formatPath(path: Path): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/** The object schema at `path`, looking through defaults and optionals, for key suggestions. */
function keysAt(path: Path): string[] {
  let schema: z.ZodType = firewatchConfigSchema;
  for (const key of path) {
    schema = unwrap(schema);
    if (!(schema instanceof z.ZodObject)) return [];
    const next: z.ZodType | undefined = (schema.shape as Record<string, z.ZodType>)[String(key)];
    if (!next) return [];
    schema = next;
  }
  schema = unwrap(schema);
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodRecord && schema.keyType instanceof z.ZodEnum) return schema.keyType.options.map(String);
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function describeIssue(issue: z.core.$ZodIssue): ConfigProblem[] {
  const at = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(issue.path);
      return issue.keys.map((key) => {
        const suggestion = closest(key, known);
        const hint = suggestion ? `did you mean "${suggestion}"?` : known.length ? `known keys: ${known.join(', ')}` : '';
        return { path: formatPath([...issue.path, key]), message: `unknown key "${key}"${hint ? ` (${hint})` : ''}` };
      });
    }
    case 'invalid_value':
      return [{ path: at, message: `must be one of ${issue.values.map(String).join(', ')}` }];
    case 'invalid_type':
      return [{ path: at, message: `must be ${article(issue.expected)}` }];
    case 'invalid_key':
      return [{ path: at, message: `unknown key (known: ${keysAt(issue.path.slice(0, -1)).join(', ')})` }];
    case 'invalid_union':
      return [{ path: at, message: zodWording(issue.message) ? unionMessage(issue.errors) : issue.message }];
    default:
      return [{ path: at, message: zodWording(issue.message) ? plainMessage(issue) : issue.message }];
  }
}

/**
 * zod's own wording ("Too small: expected number to be >=1", "Invalid input") as opposed to the
 * plain sentences the schema gives where it knows better ("must be a GitHub login such as octocat").
 */
function zodWording(message: string): boolean {
  return /^(?:Too (?:small|big)|Invalid)\b/.test(message);
}

function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
    const small = issue.code === 'too_small';
    const inclusive = issue.inclusive !== false;
    if (issue.origin === 'array' || issue.origin === 'set') return small ? `needs at least ${bound} ${bound === 1 ? 'entry' : 'entries'}` : `may have at most ${bound} ${bound === 1 ? 'entry' : 'entries'}`;
    if (issue.origin === 'string') return small ? (bound <= 1 ? 'must not be empty' : `must be at least ${bound} characters long`) : `must be at most ${bound} characters long`;
    if (small) return inclusive ? `must be ${bound} or more` : `must be more than ${bound}`;
    return inclusive ? `must be ${bound} or less` : `must be less than ${bound}`;
  }
  if (issue.code === 'invalid_format') return issue.format === 'url' ? 'must be a URL such as https://example.com/' : `is not written the way it should be (expected ${issue.format === 'regex' ? 'another form' : `a ${issue.format}`}; see docs/configuration.md)`;
  if (issue.code === 'not_multiple_of') return `must be a multiple of ${String(issue.divisor)}`;
  return 'is not a valid value here (see docs/configuration.md)';
}

/** A union's alternatives in words: "must be a string or a mapping". */
function unionMessage(branches: z.core.$ZodIssue[][]): string {
  const expected = branches.map((issues) => issues[0]).map((first) => (first?.code === 'invalid_type' ? article(first.expected) : first?.code === 'invalid_value' ? `one of ${first.values.map(String).join(', ')}` : undefined));
  if (expected.some((entry) => entry === undefined)) return 'is not a valid value here (see docs/configuration.md)';
  return `must be ${[...new Set(expected)].join(' or ')}`;
}

function article(expected: string): string {
  const nouns: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false' };
  return nouns[expected] ?? expected;
}

type Json = Record<string, unknown> | unknown[];

/** Removes the value at `path` so the rest of the config can still be used. */
function dropAt(root: Json, path: Path): void {
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  let parent: unknown = root;
  for (const key of parentPath) {
    if (typeof parent !== 'object' || parent === null) return;
    parent = (parent as Record<PropertyKey, unknown>)[key];
  }
  if (typeof parent !== 'object' || parent === null || last === undefined) return;
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else delete (parent as Record<PropertyKey, unknown>)[last];
}

/**
 * Validates a parsed config. Never throws: each problem is reported with its path, and the
 * offending values are dropped so everything else (and the defaults) keeps working.
 */
export function validateConfig(input: unknown): ConfigResult {
  if (input === undefined || input === null) return { config: DEFAULT_CONFIG, problems: [] };
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { config: DEFAULT_CONFIG, problems: [{ path: '', message: 'must be a mapping of settings (key: value)' }] };
  }
  const first = firewatchConfigSchema.safeParse(input);
  if (first.success) return { config: first.data, problems: [] };
  const problems = first.error.issues.flatMap(describeIssue);

  let salvage: Json = structuredClone(input) as Json;
  let issues = first.error.issues;
  for (let attempt = 0; attempt < 10; attempt++) {
    // Deepest and last array positions first, so earlier indices stay valid while splicing.
    const paths = issues
      .flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path]))
      .sort((a, b) => b.length - a.length || String(b[b.length - 1]).localeCompare(String(a[a.length - 1]), 'en', { numeric: true }));
    if (paths.some((path) => path.length === 0)) break;
    for (const path of paths) dropAt(salvage, path);
    const retry = firewatchConfigSchema.safeParse(salvage);
    if (retry.success) return { config: retry.data, problems };
    issues = retry.error.issues;
    salvage = structuredClone(salvage);
  }
  return { config: DEFAULT_CONFIG, problems };
}

/** Parses and validates the YAML text of `.github/firewatch.yml`; syntax errors become problems with a line. */
export function parseConfigText(text: string): ConfigResult {
  let parsed: unknown;
  try {
    parsed = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const line = error.mark ? error.mark.line + 1 : undefined;
      const where = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : '';
      return { config: DEFAULT_CONFIG, problems: [{ path: '', message: `YAML syntax error${where}: ${error.reason}`, ...(line ? { line } : {}) }] };
    }
    throw error;
  }
  return validateConfig(parsed);
}
