import matter from 'gray-matter';
import yaml from 'js-yaml';
import { postmortemFrontMatterSchema, type PostmortemFrontMatter } from './frontMatter.ts';

/** Front matter fields humans own once the file exists: a refresh never overwrites them. */
const HUMAN_FIELDS = ['status', 'review_date', 'tags'] as const;

const SECTION = /<!-- firewatch:generated:([\w-]+):start -->[\s\S]*?<!-- firewatch:generated:\1:end -->/g;

// Read with the YAML 1.2 core schema: dates stay strings, so what we wrote is what we read.
const engines = {
  yaml: {
    parse: (text: string) => (yaml.load(text, { schema: yaml.CORE_SCHEMA }) ?? {}) as object,
    // The default schema quotes date-like strings, so plain YAML readers (gray-matter's default) get strings too.
    stringify: (data: object) => yaml.dump(data, { lineWidth: -1, noRefs: true }),
  },
};

interface ParsedPostmortem {
  data: Record<string, unknown>;
  body: string;
}

function parsePostmortem(text: string): ParsedPostmortem {
  const parsed = matter(text, { engines });
  return { data: { ...(parsed.data as Record<string, unknown>) }, body: parsed.content };
}

function stringifyPostmortem(data: Record<string, unknown>, body: string): string {
  return matter.stringify(body.startsWith('\n') ? body : `\n${body}`, data, { engines });
}

/** The generated sections of a body by name (markers included). */
function generatedSections(body: string): Map<string, string> {
  return new Map([...body.matchAll(SECTION)].map((match) => [match[1] ?? '', match[0]]));
}

/**
 * Combines a fresh render with the file as humans left it: generated sections are replaced by the
 * fresh ones, everything outside them (and sections whose markers a human removed) stays as
 * written; generated front matter is refreshed while `status`, `review_date`, `tags` and any
 * field firewatch does not know stay as they are. With no existing file, the fresh render.
 */
export function mergePostmortem(existing: string | null, fresh: { frontMatter: PostmortemFrontMatter; body: string }): string {
  if (existing === null) return stringifyPostmortem(fresh.frontMatter, fresh.body);
  const old = parsePostmortem(existing);
  const sections = generatedSections(fresh.body);
  const body = old.body.replace(SECTION, (whole, name: string) => sections.get(name) ?? whole);
  const data: Record<string, unknown> = { ...old.data, ...fresh.frontMatter };
  for (const field of HUMAN_FIELDS) if (field in old.data) data[field] = old.data[field];
  return stringifyPostmortem(data, body);
}

/** Sets the front matter status (`/postmortem reviewed`), keeping everything else. */
export function withStatus(text: string, status: PostmortemFrontMatter['status']): string {
  const old = parsePostmortem(text);
  return stringifyPostmortem({ ...old.data, status }, old.body);
}

/** The front matter checked against the schema; problems as readable paths. */
export function readFrontMatter(text: string): { ok: true; data: PostmortemFrontMatter } | { ok: false; problems: string[] } {
  const result = postmortemFrontMatterSchema.safeParse(parsePostmortem(text).data);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, problems: result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`) };
}

/** The generated data of a file, for "did anything change" after a merge (human text ignored). */
export function generatedFingerprint(text: string): string {
  const parsed = parsePostmortem(text);
  const data = Object.fromEntries(Object.entries(parsed.data).filter(([key]) => !(HUMAN_FIELDS as readonly string[]).includes(key)));
  return JSON.stringify([data, [...generatedSections(parsed.body).entries()]]);
}
