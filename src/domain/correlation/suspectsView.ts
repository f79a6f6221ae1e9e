/**
 * The "Suspected changes" comment as a view model: the ranking turned into escaped Markdown
 * pieces (templates/suspects.md.hbs lays them out), plus the hidden block that lets firewatch find
 * the comment again and recompute it with the alert hints it was made from. Authors are shown as
 * code, never as mentions: being a suspect should not page anyone.
 */
import { z } from 'zod';
import { findHiddenJson, renderHiddenJson } from '../text/hiddenJson.ts';
import { formatTime } from '../incident/incidentView.ts';
import { escapeInline, escapeMarkdown, inlineCode, safeLink } from '../text/markdown.ts';
import type { Evidence } from './features.ts';
import { candidateKey, candidateReference, changedAt, type AlertStatement, type ChangeCandidate, type IncidentFacts } from './candidate.ts';
import { formatDuration } from './features.ts';
import { MAX_STATEMENT_LENGTH } from './incidentFacts.ts';
import type { Suspect, SuspectRanking } from './rankSuspects.ts';

/** Suspects listed in the comment (the issue asks for the top 5). */
const SHOWN_SUSPECTS = 5;
/** Evidence lines per suspect: the strongest for and against. */
const SHOWN_EVIDENCE = 4;
const MAX_HINTS = 40;
const MAX_HINT_LENGTH = 200;
/** Statements kept for a recompute: the words of the alerts, a stack trace's top included, in a few KB. */
const MAX_KEPT_STATEMENTS = 12;
const MAX_KEPT_STATEMENT_LENGTH = 1000;
const MAX_KEPT_STATEMENTS_TOTAL = 6000;
/** Evidence reasons kept per suspect in the hidden block, so postmortems can cite them. */
const MAX_EVIDENCE_LENGTH = 240;

/** Kept in the comment so a recompute (`/deploys`, another alert) sees the alerts' hints again. */
const suspectsBlockSchema = z.object({
  incident: z.string().optional(),
  service: z.string(),
  firstAlertAt: z.iso.datetime({ offset: true }),
  environment: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
  /** What the alerts said in words (names, summaries, descriptions, values), bounded. */
  statements: z
    .array(z.object({ source: z.enum(['name', 'summary', 'description', 'value']), text: z.string().max(MAX_STATEMENT_LENGTH) }))
    .max(MAX_KEPT_STATEMENTS)
    .optional(),
  verdict: z.enum(['suspects', 'no_likely_suspect']),
  /** `repo#n` keys with scores, best first. */
  suspects: z
    .array(
      z.object({
        key: z.string(),
        score: z.number(),
        command: z.string(),
        /** SHA of the last good deployment to the alerting environment before this change arrived (for `/redeploy`). */
        before: z.string().optional(),
        /** The evidence shown in the comment, in plain words; `against` when it lowered the score. */
        evidence: z
          .array(z.object({ reason: z.string().max(MAX_EVIDENCE_LENGTH), against: z.literal(true).optional() }))
          .max(SHOWN_EVIDENCE)
          .optional(),
      }),
    )
    .default([]),
  considered: z.number().int().min(0),
  /** GitHub requests the computation took (fetch only; the comment write is one more). */
  requests: z.number().int().min(0).optional(),
  at: z.iso.datetime({ offset: true }),
});
export type SuspectsBlock = z.infer<typeof suspectsBlockSchema>;

export const SUSPECTS_BLOCK_KIND = 'suspects';

export function renderSuspectsBlock(block: SuspectsBlock): string {
  return renderHiddenJson(SUSPECTS_BLOCK_KIND, block);
}

export function parseSuspectsBlock(body: string | null | undefined): SuspectsBlock | null {
  if (!body) return null;
  for (const found of findHiddenJson(SUSPECTS_BLOCK_KIND, body)) {
    const parsed = suspectsBlockSchema.safeParse(found);
    if (parsed.success) return parsed.data;
  }
  return null;
}

/** The alerts' statements worth keeping, bounded so the hidden block stays a few KB. */
function boundedStatements(statements: readonly AlertStatement[]): AlertStatement[] {
  const kept: AlertStatement[] = [];
  let total = 0;
  for (const statement of statements) {
    if (kept.length >= MAX_KEPT_STATEMENTS) break;
    const text = statement.text.slice(0, MAX_KEPT_STATEMENT_LENGTH);
    if (total + text.length > MAX_KEPT_STATEMENTS_TOTAL) break;
    total += text.length;
    kept.push({ source: statement.source, text });
  }
  return kept;
}

/** Label and annotation hints worth keeping, bounded so the hidden block stays small. */
function boundedHints(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, value]) => value.length <= MAX_HINT_LENGTH)
      .slice(0, MAX_HINTS),
  );
}

interface SuspectRow {
  rank: number;
  /** `[#7 Reserve inventory…](url)`, escaped. */
  link: string;
  kind: string;
  score: string;
  author: string;
  when: string;
  evidence: string[];
  command: string;
}

export interface SuspectsView {
  named: boolean;
  service: string;
  environment: string;
  firstAlert: string;
  window: string;
  considered: number;
  consideredPlural: boolean;
  suspects: SuspectRow[];
  /** For "no likely suspect": what was looked at and how strong the best was. */
  best: string;
  noChange: string;
  reverted: string[];
  notes: string[];
  recomputed: string;
}

function percent(score: number): string {
  if (score > 0 && score < 0.01) return '<1%';
  return `${Math.round(score * 100)}%`;
}

const KIND_WORDS: Record<ChangeCandidate['kind'], string> = { pull: 'PR', deployment: 'deployment', release: 'release', change: 'change event' };

/**
 * The strongest evidence for and against, as the comment shows it. A value the alert quotes that
 * the change carries too (`5000`, `CH-ZH`) is always shown: it is what the engineer checks first.
 */
export function shownEvidence(suspect: Pick<Suspect, 'evidence'>): Suspect['evidence'] {
  const telling = suspect.evidence.filter((e) => Math.abs(e.weight) >= 0.05);
  const shown = telling.slice(0, SHOWN_EVIDENCE);
  const value = telling.find((e) => e.feature === 'alert_value');
  if (!value || shown.includes(value)) return shown;
  return [...shown.slice(0, SHOWN_EVIDENCE - 1), value].sort((a, b) => b.weight - a.weight);
}

/** Evidence for the hidden block: plain reasons, each cut to a bounded length. */
function blockEvidence(suspect: Suspect): { reason: string; against?: true }[] {
  return shownEvidence(suspect).map((e) => {
    const reason = e.reason.length > MAX_EVIDENCE_LENGTH ? `${e.reason.slice(0, MAX_EVIDENCE_LENGTH - 1)}…` : e.reason;
    return e.weight < 0 ? { reason, against: true } : { reason };
  });
}

/** A reason as Markdown: its words escaped, what it quotes (paths, the alert's words) as code. */
export function renderReason(evidence: Pick<Evidence, 'reason' | 'parts'>): string {
  if (!evidence.parts) return escapeInline(evidence.reason);
  return evidence.parts
    .map((part) => (typeof part === 'string' ? escapeMarkdown(part.replace(/\s+/g, ' ')) : inlineCode(part.code.length > 160 ? `${part.code.slice(0, 159)}…` : part.code)))
    .join('')
    .trim();
}

function row(suspect: Suspect, rank: number, mainRepo: string | undefined, firstAlertMs: number, command: string): SuspectRow {
  const { candidate } = suspect;
  const reference = candidateReference(candidate, mainRepo);
  const title = candidate.title.length > 120 ? `${candidate.title.slice(0, 119)}…` : candidate.title;
  const at = Date.parse(changedAt(candidate));
  const verb = candidate.kind === 'pull' ? 'merged' : candidate.kind === 'release' ? 'published' : candidate.kind === 'change' ? 'reported' : 'deployed';
  const delta = firstAlertMs - at;
  return {
    rank,
    link: safeLink(`${reference} ${title}`, candidate.url),
    kind: KIND_WORDS[candidate.kind],
    score: percent(suspect.score),
    author: inlineCode(candidate.author),
    when: `${verb} ${formatDuration(delta)} ${delta >= 0 ? 'before' : 'after'} the first alert`,
    evidence: shownEvidence(suspect).map((e) => `${e.weight > 0 ? '⬆️' : '⬇️'} ${renderReason(e)}`),
    command,
  };
}

export interface SuspectsViewOptions {
  timezone: string;
  /** The rollback command to show per suspect (method-specific); default: the ranking's. */
  commandFor?: (suspect: Suspect) => string;
  /** Fetch notes (repositories not readable, lists cut short). */
  notes?: readonly string[];
  /** Who asked for a recompute (`/deploys`), shown in the footer. */
  recomputedBy?: string;
  now: Date;
}

export function suspectsView(facts: IncidentFacts, ranking: SuspectRanking, options: SuspectsViewOptions): SuspectsView {
  const mainRepo = facts.serviceRepos[0];
  const firstAlertMs = Date.parse(facts.firstAlertAt);
  const shown = ranking.suspects.slice(0, SHOWN_SUSPECTS);
  const commandFor = options.commandFor ?? ((s: Suspect) => s.rollback);
  const top = shown[0];
  const hours = (Date.parse(ranking.windowed.to) - Date.parse(ranking.windowed.from)) / 3_600_000;
  return {
    named: ranking.verdict === 'suspects',
    service: escapeInline(facts.service),
    environment: escapeInline(facts.environment ?? 'production'),
    firstAlert: formatTime(facts.firstAlertAt, options.timezone),
    window: `${formatTime(ranking.windowed.from, options.timezone)} to ${formatTime(ranking.windowed.to, options.timezone)} (${Number.isInteger(hours) ? hours : hours.toFixed(1)} h)`,
    considered: ranking.considered,
    consideredPlural: ranking.considered !== 1,
    suspects: shown.map((suspect, index) => row(suspect, index + 1, mainRepo, firstAlertMs, commandFor(suspect))),
    best: top ? `${escapeInline(candidateReference(top.candidate, mainRepo))} at ${percent(top.score)}` : '',
    noChange: percent(ranking.noChangeProbability),
    reverted: ranking.reverted.map((r) => escapeInline(r.reason)),
    notes: [...(options.notes ?? [])].map((note) => escapeInline(note)),
    recomputed: `${options.recomputedBy ? `Recomputed by ${inlineCode(options.recomputedBy)} at` : 'Updated'} ${formatTime(options.now.toISOString(), options.timezone)}`,
  };
}

export function suspectsBlock(
  facts: IncidentFacts,
  ranking: SuspectRanking,
  options: { incident?: string; requests?: number; now: Date; commandFor?: (suspect: Suspect) => string; beforeFor?: (suspect: Suspect) => string | undefined },
): SuspectsBlock {
  const commandFor = options.commandFor ?? ((s: Suspect) => s.rollback);
  return {
    ...(options.incident ? { incident: options.incident } : {}),
    service: facts.service,
    firstAlertAt: facts.firstAlertAt,
    ...(facts.environment ? { environment: facts.environment } : {}),
    labels: boundedHints(facts.labels),
    annotations: boundedHints(facts.annotations),
    ...(facts.statements?.length ? { statements: boundedStatements(facts.statements) } : {}),
    verdict: ranking.verdict,
    suspects: ranking.suspects.slice(0, SHOWN_SUSPECTS).map((s) => {
      const before = options.beforeFor?.(s);
      const evidence = blockEvidence(s);
      return { key: candidateKey(s.candidate), score: Math.round(s.score * 1000) / 1000, command: commandFor(s), ...(before ? { before } : {}), ...(evidence.length ? { evidence } : {}) };
    }),
    considered: ranking.considered,
    ...(options.requests !== undefined ? { requests: options.requests } : {}),
    at: options.now.toISOString(),
  };
}
