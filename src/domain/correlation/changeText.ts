/**
 * What a change says, as correlation reads it: the words of its changed paths, title, labels,
 * description and (for the few candidates whose patches were fetched) the lines it adds and
 * removes; and, per file, the lines it changed, so an alert naming `ledger.py:88` can be checked
 * against the hunks. Built once per candidate.
 */
import type { ChangeCandidate } from './candidate.ts';
import { terms } from './terms.ts';

export type ChangeField = 'path' | 'title' | 'labels' | 'body' | 'patch';

/** How much a match counts by where the change says the word: paths and titles are chosen words, bodies and diffs are long. */
export const FIELD_FACTOR: Record<ChangeField, number> = { path: 1.0, title: 1.0, patch: 0.7, body: 0.6, labels: 0.5 };

/** Where a word was found: the field, how it was written, and the file for paths and patches. */
export interface Occurrence {
  field: ChangeField;
  shown: string;
  path?: string;
}

export interface ChangedLines {
  /** New-side line numbers of added lines, and of the line where lines were removed. */
  lines: number[];
  /** Hunks as new-side line ranges, to quote: `80–95`. */
  hunks: { from: number; to: number }[];
}

export interface ChangeDocument {
  /** Term key → its strongest occurrence. */
  terms: Map<string, Occurrence>;
  /** Path → lines changed, for files whose patch is known. */
  changedLines: Map<string, ChangedLines>;
  /** The text of the lines the known patches add and remove (bounded). */
  changedText: string[];
  /** The same, by file. */
  changedTextByPath: Map<string, string[]>;
  /**
   * By file, the unchanged lines just above each change (at most `CONTEXT_ABOVE`): where a patch
   * changes a value, the key it belongs to is often the line above it (`name = "maxmemory-policy"`
   * over `value = "noeviction"`), and an engineer reads the two together.
   */
  contextTextByPath: Map<string, string[]>;
  /** By file, the lines the known patches add (bounded): what the change writes, not what it removes. */
  addedTextByPath: Map<string, string[]>;
}

/** Bounds on what is read of a change: descriptions and patches can be long. */
const MAX_BODY = 4000;
const MAX_PATCH_LINES = 400;
/** Unchanged lines read above each change. */
const CONTEXT_ABOVE = 3;

/** Reads a unified diff (`@@ -a,b +c,d @@`): the changed lines, the hunks, and the text of added and removed lines. */
export function readPatch(patch: string): ChangedLines & { text: string[]; context: string[]; added: string[] } {
  const lines: number[] = [];
  const hunks: { from: number; to: number }[] = [];
  const text: string[] = [];
  const context: string[] = [];
  const added: string[] = [];
  /** Unchanged lines since the last change, the last `CONTEXT_ABOVE` of them. */
  let above: string[] = [];
  const changed = (line: string): void => {
    if (text.length < MAX_PATCH_LINES) text.push(line.slice(1));
    if (context.length < MAX_PATCH_LINES) context.push(...above);
    above = [];
  };
  let next = 0;
  for (const line of patch.split('\n')) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (header) {
      next = Number(header[1]);
      const length = header[2] === undefined ? 1 : Number(header[2]);
      hunks.push({ from: next, to: Math.max(next, next + length - 1) });
      above = [];
      continue;
    }
    if (line.startsWith('+')) {
      lines.push(next);
      if (added.length < MAX_PATCH_LINES) added.push(line.slice(1));
      changed(line);
      next++;
    } else if (line.startsWith('-')) {
      lines.push(next);
      changed(line);
    } else if (line.startsWith(' ')) {
      above = [...above, line.slice(1)].slice(-CONTEXT_ABOVE);
      next++;
    }
  }
  return { lines, hunks, text, context, added };
}

const documents = new WeakMap<ChangeCandidate, ChangeDocument>();

export function changeDocument(candidate: ChangeCandidate): ChangeDocument {
  const cached = documents.get(candidate);
  if (cached) return cached;
  const found = new Map<string, Occurrence>();
  const add = (text: string, field: ChangeField, path?: string): void => {
    for (const term of terms(text)) {
      const known = found.get(term.key);
      if (!known || FIELD_FACTOR[known.field] < FIELD_FACTOR[field]) found.set(term.key, { field, shown: term.shown, ...(path ? { path } : {}) });
    }
  };
  for (const path of candidate.paths) add(path, 'path', path);
  add(candidate.title, 'title');
  add(candidate.labels.join(' '), 'labels');
  if (candidate.body) add(candidate.body.slice(0, MAX_BODY), 'body');
  const changedLines = new Map<string, ChangedLines>();
  const changedText: string[] = [];
  const changedTextByPath = new Map<string, string[]>();
  const contextTextByPath = new Map<string, string[]>();
  const addedTextByPath = new Map<string, string[]>();
  for (const [path, patch] of Object.entries(candidate.patches ?? {})) {
    const read = readPatch(patch);
    contextTextByPath.set(path, read.context);
    addedTextByPath.set(path, read.added);
    changedLines.set(path, { lines: read.lines, hunks: read.hunks });
    for (const line of read.text) add(line, 'patch', path);
    const kept = read.text.slice(0, Math.max(0, MAX_PATCH_LINES - changedText.length));
    changedText.push(...kept);
    changedTextByPath.set(path, kept);
  }
  const document = { terms: found, changedLines, changedText, changedTextByPath, contextTextByPath, addedTextByPath };
  documents.set(candidate, document);
  return document;
}
