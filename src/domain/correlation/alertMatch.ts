/**
 * Evidence from what the alert says: the files a stack trace names, and the words of the alert
 * (name, summary, description, labels, values) that a change's paths, title, description or diff
 * also carry. Weighed like every other feature, as log likelihood ratios:
 *
 * - A word match. A culprit carries one of the alert's rarer words about half the time (q = 0.5).
 *   How often an innocent change does is estimated from the other changes in the window (the
 *   "candidate set", an IDF of sorts), smoothed toward a base rate p0 with a pseudo-count of 3:
 *   p = (others with the word + 3·p0) / (others + 3), p0 = 0.15 for a word and 0.04 for a
 *   compound (`homefeed`, `max_connections`), which names one thing. So a word only this change
 *   carries among three weighs ln(0.5/0.09) ≈ +1.7 (alone in the window +1.2), a compound +2.5;
 *   a word every change carries weighs nothing. Scaled by where the alert says it (its name and
 *   labels 1.0, summary 0.9, description and annotations 0.8, value 0.5) and where the change does
 *   (paths and title 1.0, diff 0.7, description 0.6, labels 0.5). Matches overlap (a phrase gives
 *   several words), so each further one counts half the one before; at most +3.0.
 * - A file the alert names. A stack trace's failing frame names the file where it broke: a change
 *   to that file is strong evidence (+2.5; +1.2 for another frame of the trace), less when only a
 *   common file name matches (`index.js`, `main.go`: ×0.4), divided among the changes that touch
 *   it. When the diff is known: the named line within 3 lines of a changed one +1.0; the file
 *   changed far from it ×0.7. At most +3.5. Words then count half: they mostly repeat the path.
 * - Nothing matched. When the alert names a file (−1.0) or at least three things in its name,
 *   labels or summary (−0.5), a change that matches none of it is somewhat less likely the
 *   culprit: some culprits do not match (a config value the error never names), most innocent
 *   changes do not either, so it weighs little.
 * What the alert says about causes outside the changes (a provider's 503, a node gone, one zone)
 * is read by `externalCause.ts`.
 */
import type { AlertText, AlertWord, FileReference } from './alertText.ts';
import type { ChangeCandidate } from './candidate.ts';
import { settingWritten, valueOccurrence, VALUE_WEIGHTS } from './alertValues.ts';
import { changeDocument, FIELD_FACTOR, type ChangedLines, type Occurrence } from './changeText.ts';

export const MATCH_WEIGHTS = {
  culpritCarriesWord: 0.5,
  /** How often an innocent change carries a word of the alert, before looking at the window. */
  wordBaseRate: 0.15,
  /** The same for a compound (`homefeed`, `ledgerprojector`): rarer by far. */
  compoundBaseRate: 0.04,
  pseudoCount: 3,
  wordMax: 2.5,
  wordsMax: 3.0,
  primaryFile: 2.5,
  otherFile: 1.2,
  commonFileName: 0.4,
  lineInHunk: 1.0,
  farFromLine: 0.7,
  filesMax: 3.5,
  /** Lines of slack between the named line and a changed line. */
  lineSlack: 3,
  /** The alert names a file (a trace, a culprit) and this change touches none of it and shares none of its words. */
  unmatchedFile: -1.0,
  /** The alert names several things in its name, labels or summary and this change matches none. */
  unmatchedWords: -0.5,
  /** Words of the name, labels and summary it takes for an alert to say enough to go by. */
  tellingWords: 3,
} as const;

/** What the feature needs about the whole window: how many changes carry each alert word or file. */
export interface Corpus {
  size: number;
  /** Term key → candidates whose text carries it. */
  termFrequency: Map<string, number>;
  /** Index into `AlertText.files` → candidates that change that file. */
  fileFrequency: number[];
  /** Index into `AlertText.values` → candidates that carry that value. */
  valueFrequency: number[];
}

/** A piece of a reason: plain words, or a quote shown as code. */
export type ReasonPart = string | { code: string };

export interface MatchEvidence {
  weight: number;
  parts: ReasonPart[];
}

const COMMON_STEMS = new Set(['index', 'main', 'init', '__init__', 'app', 'application', 'utils', 'util', 'helpers', 'helper', 'handler', 'handlers', 'server', 'mod', 'lib', 'base', 'common', 'types', 'models', 'views', 'routes', 'config', 'settings']);

/** Languages whose files are compiled to others: a trace of `dist/x.js` names `src/x.ts`. */
const FAMILIES = [['js', 'mjs', 'cjs', 'jsx', 'ts', 'tsx', 'mts', 'cts'], ['kt', 'kts', 'java', 'scala', 'groovy'], ['ex', 'exs'], ['yml', 'yaml'], ['c', 'cc', 'cpp', 'cxx', 'h', 'hpp']];

function sameFamily(a: string, b: string): boolean {
  return a === b || FAMILIES.some((family) => family.includes(a) && family.includes(b));
}

const flat = (segment: string): string => segment.toLowerCase().replace(/[_-]/g, '');

function split(path: string): { dirs: string[]; stem: string; extension: string } {
  const parts = path.split('/').filter(Boolean);
  const file = parts.pop() ?? '';
  const dot = file.lastIndexOf('.');
  return { dirs: parts.map(flat), stem: flat(dot > 0 ? file.slice(0, dot) : file), extension: dot > 0 ? file.slice(dot + 1).toLowerCase() : '' };
}

/** How specifically `ref` names `path`: 0 not at all, else the number of path parts that agree. */
export function fileMatch(ref: FileReference, path: string): number {
  const { dirs, stem, extension } = split(path);
  if (ref.module) {
    // `app.billing.proration`, `com.acme.label.LabelRenderer.render`: trailing parts may be functions.
    for (let k = ref.segments.length; k >= 1; k--) {
      if (flat(ref.segments[k - 1] ?? '') !== stem) continue;
      let found = 1;
      let at = 0;
      for (const part of ref.segments.slice(0, k - 1).map(flat)) {
        const index = dirs.indexOf(part, at);
        if (index >= 0) {
          found++;
          at = index + 1;
        }
      }
      return found;
    }
    return 0;
  }
  if (!sameFamily(ref.extension, extension)) return 0;
  const wanted = ref.segments.map(flat);
  const have = [...dirs, stem];
  let agree = 0;
  while (agree < wanted.length && agree < have.length && wanted[wanted.length - 1 - agree] === have[have.length - 1 - agree]) agree++;
  return agree;
}

/** `reservations.py:142`, `app.billing.proration`: what the alert named, as short as it stays clear. */
function shownReference(ref: FileReference): string {
  if (ref.module) return ref.written;
  const parts = ref.written.split('/').filter(Boolean);
  const file = parts.slice(-1).join('/');
  return ref.line === undefined ? file : `${file}:${ref.line}`;
}

function hunkAround(changed: ChangedLines, line: number): { from: number; to: number } | undefined {
  const near = changed.lines.some((l) => Math.abs(l - line) <= MATCH_WEIGHTS.lineSlack);
  if (!near) return undefined;
  return changed.hunks.find((h) => line >= h.from - MATCH_WEIGHTS.lineSlack && line <= h.to + MATCH_WEIGHTS.lineSlack) ?? { from: line, to: line };
}

const range = (h: { from: number; to: number }): string => (h.from === h.to ? `line ${h.from}` : `lines ${h.from}–${h.to}`);

/** The best file the alert names that this change touches, with its line when the diff is known. */
export function fileEvidence(candidate: ChangeCandidate, alert: AlertText, corpus: Corpus): MatchEvidence | undefined {
  const document = changeDocument(candidate);
  const matches: { weight: number; parts: ReasonPart[] }[] = [];
  alert.files.forEach((ref, index) => {
    let best: { path: string; agree: number } | undefined;
    for (const path of candidate.paths) {
      const agree = fileMatch(ref, path);
      if (agree > (best?.agree ?? 0)) best = { path, agree };
    }
    if (!best) return;
    let weight = ref.primary ? MATCH_WEIGHTS.primaryFile : MATCH_WEIGHTS.otherFile;
    if (best.agree === 1 && COMMON_STEMS.has(split(best.path).stem)) weight *= MATCH_WEIGHTS.commonFileName;
    weight /= Math.max(1, corpus.fileFrequency[index] ?? 1);
    const parts: ReasonPart[] = ['the alert names ', { code: shownReference(ref) }, `; this ${noun(candidate)} changes `, { code: best.path }];
    const changed = document.changedLines.get(best.path);
    // Line numbers of compiled output (`dist/x.js`) say nothing about the source's (`src/x.ts`).
    if (ref.line !== undefined && changed && ref.extension === split(best.path).extension) {
      const hunk = hunkAround(changed, ref.line);
      if (hunk) {
        weight += MATCH_WEIGHTS.lineInHunk / Math.max(1, corpus.fileFrequency[index] ?? 1);
        parts.push(` ${range(hunk)}`);
      } else {
        weight *= MATCH_WEIGHTS.farFromLine;
        const hunks = changed.hunks.map(range).slice(0, 2).join(', ');
        if (hunks) parts.push(` (${hunks}, not near line ${ref.line})`);
      }
    }
    matches.push({ weight, parts });
  });
  if (matches.length === 0) return undefined;
  matches.sort((a, b) => b.weight - a.weight);
  const [first, ...rest] = matches;
  if (!first) return undefined;
  const weight = Math.min(MATCH_WEIGHTS.filesMax, first.weight + rest.reduce((sum, m) => sum + m.weight / 2, 0));
  return { weight, parts: first.parts };
}

/** Log likelihood ratio of a change carrying a word that `othersWith` of the `others` changes in the window carry too. */
export function wordWeight(othersWith: number, others: number, compound = false): number {
  const { culpritCarriesWord, wordBaseRate, compoundBaseRate, pseudoCount, wordMax } = MATCH_WEIGHTS;
  const base = compound ? compoundBaseRate : wordBaseRate;
  const innocent = (othersWith + pseudoCount * base) / (others + pseudoCount);
  return Math.max(0, Math.min(wordMax, Math.log(culpritCarriesWord / innocent)));
}

/** `PR`, `deployment`, `release`: how the comment calls the change. */
function noun(candidate: ChangeCandidate): string {
  return candidate.kind === 'pull' ? 'PR' : candidate.kind;
}

function whereInChange(occurrence: Occurrence): ReasonPart[] {
  switch (occurrence.field) {
    case 'path':
      return ['changes ', { code: occurrence.path ?? occurrence.shown }];
    case 'title':
      return ['says ', { code: occurrence.shown }, ' in its title'];
    case 'patch':
      return ['changes a line with ', { code: occurrence.shown }, ...(occurrence.path ? [' in ', { code: occurrence.path }] : [])];
    case 'body':
      return ['says ', { code: occurrence.shown }, ' in its description'];
    case 'labels':
      return ['is labelled ', { code: occurrence.shown }];
  }
}

/** The second match, shorter: `also \`client\` (description), in its path`. */
function alsoInChange(occurrence: Occurrence): string {
  return { path: 'in a changed path', title: 'in its title', patch: 'in a changed line', body: 'in its description', labels: 'in its labels' }[occurrence.field];
}

/** The alert's words this change carries too, rare ones weighing most. */
export function wordEvidence(candidate: ChangeCandidate, alert: AlertText, corpus: Corpus): MatchEvidence | undefined {
  const document = changeDocument(candidate);
  const matched: { word: AlertWord; occurrence: Occurrence; weight: number }[] = [];
  for (const word of alert.words) {
    const occurrence = document.terms.get(word.key);
    if (!occurrence) continue;
    const others = corpus.size - 1;
    const othersWith = Math.max(0, (corpus.termFrequency.get(word.key) ?? 1) - 1);
    const weight = wordWeight(othersWith, others, word.compound) * word.factor * FIELD_FACTOR[occurrence.field];
    if (weight > 0.05) matched.push({ word, occurrence, weight });
  }
  if (matched.length === 0) return undefined;
  matched.sort((a, b) => b.weight - a.weight || b.word.shown.length - a.word.shown.length);
  let weight = 0;
  matched.forEach((m, index) => (weight += m.weight / 2 ** index));
  // Quote the strongest match and two more, skipping words an earlier quote already contains.
  const quoted: typeof matched = [];
  for (const m of matched) {
    if (quoted.length === 3) break;
    if (!quoted.some((q) => q.word.shown.toLowerCase().includes(m.word.shown.toLowerCase()))) quoted.push(m);
  }
  const parts: ReasonPart[] = [];
  quoted.forEach((m, index) => {
    if (index === 0) parts.push(`the alert's ${m.word.where} says `, { code: m.word.shown }, `; this ${noun(candidate)} `, ...whereInChange(m.occurrence));
    else parts.push('; also ', { code: m.word.shown }, ` (${m.word.where}), ${alsoInChange(m.occurrence)}`);
  });
  return { weight: Math.min(MATCH_WEIGHTS.wordsMax, weight), parts };
}

/** The literal values the alert quotes that this change carries too (`alertValues.ts`), the rarest first. */
export function valueEvidence(candidate: ChangeCandidate, alert: AlertText, corpus: Corpus): MatchEvidence | undefined {
  const found = alert.values
    .map((value, index) => {
      const occurrence = valueOccurrence(candidate, value);
      return { occurrence, weight: ((value.kind === 'quoted' ? VALUE_WEIGHTS.quoted : VALUE_WEIGHTS.first) * (occurrence?.factor ?? 1)) / Math.max(1, corpus.valueFrequency[index] ?? 1) };
    })
    .filter((m): m is { occurrence: NonNullable<typeof m.occurrence>; weight: number } => m.occurrence !== undefined)
    .sort((a, b) => b.weight - a.weight);
  const [first, ...rest] = found;
  if (!first) return undefined;
  const setting = settingWritten(candidate, alert.values);
  const weight = Math.min(VALUE_WEIGHTS.max, first.weight + rest.reduce((sum, m, index) => sum + m.weight / 2 ** (index + 1), 0)) + (setting ? VALUE_WEIGHTS.setting : 0);
  const parts: ReasonPart[] = ['the alert says ', { code: first.occurrence.value.text }, `; this ${noun(candidate)} has it in ${first.occurrence.where}`];
  for (const m of rest.slice(0, 2)) parts.push('; also ', { code: m.occurrence.value.text }, `, in ${m.occurrence.where}`);
  if (setting) parts.push('; it writes ', { code: setting.line }, ` in ${setting.path}`);
  return { weight, parts };
}

/**
 * A change that matches nothing of what a telling alert says: some culprits do not (a config value
 * the error never names), most innocent changes do not either, so it weighs little, and only when
 * the alert names a file or several things.
 */
export function mismatchEvidence(candidate: ChangeCandidate, alert: AlertText, corpus: Corpus): MatchEvidence | undefined {
  const telling = alert.words.filter((w) => w.factor >= 0.9 && !w.compound);
  const files = alert.files.filter((f) => f.primary);
  if (files.length === 0 && telling.length < MATCH_WEIGHTS.tellingWords) return undefined;
  if (fileEvidence(candidate, alert, corpus)) return undefined;
  const words = wordEvidence(candidate, alert, corpus);
  if (words && words.weight >= 0.3) return undefined;
  const named = files.length ? files.map(shownReference).slice(0, 1) : telling.slice(0, 2).map((w) => w.shown);
  const parts: ReasonPart[] = ['nothing in it matches what the alert names ('];
  named.forEach((name, index) => parts.push(...(index ? [', '] : []), { code: name }));
  parts.push(')');
  return { weight: files.length ? MATCH_WEIGHTS.unmatchedFile : MATCH_WEIGHTS.unmatchedWords, parts };
}

/** How many changes in the window carry each alert word and touch each named file. */
export function buildCorpus(candidates: readonly ChangeCandidate[], alert: AlertText): Corpus {
  const termFrequency = new Map<string, number>();
  const fileFrequency = alert.files.map(() => 0);
  const valueFrequency = alert.values.map(() => 0);
  for (const candidate of candidates) {
    alert.values.forEach((value, index) => {
      if (valueOccurrence(candidate, value)) valueFrequency[index] = (valueFrequency[index] ?? 0) + 1;
    });
    const document = changeDocument(candidate);
    for (const word of alert.words) if (document.terms.has(word.key)) termFrequency.set(word.key, (termFrequency.get(word.key) ?? 0) + 1);
    alert.files.forEach((ref, index) => {
      if (candidate.paths.some((path) => fileMatch(ref, path) > 0)) fileFrequency[index] = (fileFrequency[index] ?? 0) + 1;
    });
  }
  return { size: candidates.length, termFrequency, fileFrequency, valueFrequency };
}

/** The plain text of a reason, quotes in backticks: for logs, the hidden block and postmortems. */
export function plainReason(parts: readonly ReasonPart[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : `\`${part.code}\``)).join('');
}
