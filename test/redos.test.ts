/**
 * Every parser of untrusted text (comments, issue bodies, alert payloads, config strings, labels,
 * titles, markers) against the shapes that make backtracking regular expressions quadratic or
 * worse, at 100,000 characters. A linear parser takes a few milliseconds on these; the patterns
 * they replaced took seconds (`/\s+$/` on 65,000 spaces and an `x`: 4.3 s). The bound is wide so
 * a loaded machine does not fail it, and a slow run is retried before it counts. The sandbox's own
 * parsers have the same test in packages/sandbox/test/redos.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/domain/commands/commands.ts';
import { parseRollbackLink } from '../src/domain/correlation/rollbackLink.ts';
import { parseSuspectsBlock } from '../src/domain/correlation/suspectsView.ts';
import { readPullReference } from '../src/domain/correlation/readCorrelationCommand.ts';
import { fileReferences } from '../src/domain/correlation/alertText.ts';
import { dependencyBump } from '../src/domain/correlation/features.ts';
import { splitIdentifier } from '../src/domain/correlation/terms.ts';
import { parseEventMarker } from '../src/domain/text/eventMarker.ts';
import { parseFollowupMarker } from '../src/domain/text/followupMarker.ts';
import { findHiddenJson } from '../src/domain/text/hiddenJson.ts';
import { parseStateBlock, stripStateBlocks } from '../src/domain/incident/incidentState.ts';
import { validateConfig } from '../src/domain/config/config.ts';
import { parseDuration } from '../src/domain/alerts/intakeConfig.ts';
import { escapeInline, escapeMarkdown, markdownToPlain, inlineCode, markdownUrl, safeLink, tableCell, truncateBody } from '../src/domain/text/markdown.ts';
import { findSections, mergeBody, section } from '../src/domain/incident/mergeBody.ts';
import { parseSince } from '../src/domain/metrics/parseSince.ts';
import { parseNoteTime } from '../src/domain/incident/noteTime.ts';
import { parseCommands, tokenize, type ParsedCommand } from '../src/domain/commands/parseCommands.ts';
import { mergeIndex } from '../src/domain/postmortem/postmortemIndex.ts';
import { bareTitle } from '../src/domain/postmortem/postmortemView.ts';
import { Pseudonyms } from '../src/domain/postmortem/pseudonyms.ts';
import { readCommand } from '../src/domain/commands/readCommand.ts';
import { matches } from '../src/domain/alerts/routeAlert.ts';
import { parseReminderMarkers } from '../src/domain/sweep/reminderMarker.ts';
import { commentFactsOf } from '../src/features/sweeps/readIncidents.ts';
import { alertmanagerSilenceLink } from '../src/adapters/intake/alertmanager.ts';
import { datadogTitle, parseTags } from '../src/adapters/intake/datadog.ts';
import { normalizerFor } from '../src/adapters/intake/normalizers.ts';
import { alertFixture, type AlertFixtureSource } from './support/alertFixtures.ts';
import { readAckToken } from '../src/domain/paging/ackToken.ts';
import { readPageRecord, realMentions } from '../src/domain/paging/pageRecord.ts';
import { escalatedLogins } from '../src/domain/paging/planPages.ts';
import { FIREWATCH } from './support/identity.ts';
import { HiddenBlockTooLargeError } from '../src/domain/errors/errors.ts';

const LENGTH = 100_000;
const BOUND_MS = 250;

/** `unit` repeated to LENGTH characters, then a character that makes the match fail at the end. */
const run = (unit: string, suffix = 'x') => unit.repeat(Math.ceil(LENGTH / unit.length)) + suffix;

/** Runs of one character and repeated markers, each followed by a rejecting suffix. */
export const BAD_SHAPES: Record<string, string> = {
  spaces: run(' '),
  tabs: run('\t'),
  newlines: run('\n'),
  crlf: run('\r\n'),
  'line separators': run('\u2028'),
  'spaces then line separator': `/note${run(' ', '\u2028x')}`,
  backticks: run('`'),
  tildes: run('~'),
  'backtick pairs': run('`a'),
  slashes: run('/'),
  dashes: run('-'),
  dots: run('.'),
  bars: run('|'),
  brackets: run('['),
  'escaped brackets': run('\\['),
  'unclosed links': run('[x]('),
  quotes: run('"'),
  'service quotes': run(' service="'),
  digits: run('1'),
  'digit units': run('1m'),
  'at signs': run('@'),
  mentions: run('@a-'),
  'comment openers': run('<!--'),
  'comment closers': run('-->'),
  'state markers': run('<!-- firewatch:state {'),
  'newlines then state marker': `${run('\n', '')}<!-- firewatch:state {"a":1} --`,
  'event markers': run('<!-- firewatch:event {"type":"x"} '),
  'section begins': run('<!-- firewatch:begin a -->'),
  'section begins, many names': Array.from({ length: 4_000 }, (_, i) => `<!-- firewatch:begin s${i} -->`).join(''),
  urls: run('https://'),
  'pull paths': run('https://a/acme/post_mortems/pull/'),
  'bump words': run('bump '),
  'datadog prefix': `[Triggered on${run(' ')}`,
  'table row': `|${run(' | ')}`,
  'template braces': run('{{'),
  'command lines': run('/a\n'),
  'fence lines': run('```\n'),
  'quoted lines': run('> /ack\n'),
  'code span openers': run('`<!--'),
};

function milliseconds(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/** The fastest of up to three runs: one slow run on a busy machine is noise, three are not. */
function timed(work: () => unknown): number {
  let best = Infinity;
  for (let attempt = 0; attempt < 3 && best >= BOUND_MS; attempt++) best = Math.min(best, milliseconds(work));
  return best;
}

/** The shape at a quarter of its length, keeping its end (the part that makes a match fail). */
const quarter = (text: string): string => text.slice(0, Math.floor(text.length / 4) - 40) + text.slice(-40);

/**
 * Slow and superlinear: at least BOUND_MS at full length and more than 8 times the quarter length
 * (linear work grows 4 times, quadratic 16). A parser that is merely busy on a loaded machine
 * (a whole Markdown renderer takes ~2 µs a character) is not flagged; a backtracking one is.
 */
function expectLinear(parse: (text: string) => unknown): void {
  // Compiled before it is timed.
  for (const text of Object.values(BAD_SHAPES).slice(0, 2)) parse(text.slice(0, 100));
  const slow = Object.entries(BAD_SHAPES)
    .map(([shape, text]) => ({ shape, ms: Math.round(timed(() => parse(text))), text }))
    .filter(({ ms }) => ms >= BOUND_MS)
    .map(({ shape, ms, text }) => ({ shape, ms, quarterMs: Math.round(Math.min(...[1, 2, 3].map(() => milliseconds(() => parse(quarter(text)))))) }))
    .filter(({ ms, quarterMs }) => ms > 8 * Math.max(quarterMs, 1));
  expect(slow, `shapes that took ${BOUND_MS} ms or more at ${LENGTH} characters and over 8 times as long as at a quarter of it`).toEqual([]);
}

/** Every string in a real payload replaced by `text`, one field at a time would be slow: all at once. */
function withStrings(value: unknown, text: string, keep: ReadonlySet<string>, key = ''): unknown {
  if (typeof value === 'string') return keep.has(key) ? value : text;
  if (Array.isArray(value)) return value.map((item) => withStrings(item, text, keep, key));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, withStrings(child, text, keep, name)]));
}

const commandOptions = { author: 'bob', now: new Date('2026-01-14T12:00:00Z'), timezone: 'UTC' };
const repo = { owner: 'acme', repo: 'post_mortems' };
const rendered = `${section('summary', 'S')}\n\n<!-- firewatch:state {"n":1} -->\n`;

const PARSERS: Record<string, (text: string) => unknown> = {
  parseCommands: (text) => parseCommands(text),
  'parseCommands after a command word': (text) => parseCommands(`/note ${text}`),
  tokenize: (text) => tokenize(text),
  parseNoteTime: (text) => parseNoteTime(text, commandOptions),
  findHiddenJson: (text) => findHiddenJson('state', text),
  parseStateBlock: (text) => parseStateBlock(text),
  stripStateBlocks: (text) => stripStateBlocks(text),
  parseEventMarker: (text) => parseEventMarker(text),
  parseReminderMarkers: (text) => parseReminderMarkers(text),
  parseFollowupMarker: (text) => parseFollowupMarker(text),
  parseSuspectsBlock: (text) => parseSuspectsBlock(text),
  parseRollbackLink: (text) => parseRollbackLink(text),
  findSections: (text) => findSections(text),
  'mergeBody (a body people edited)': (text) => mergeBody(text, rendered),
  escapeMarkdown: (text) => escapeMarkdown(text),
  escapeInline: (text) => escapeInline(text),
  tableCell: (text) => tableCell(text),
  inlineCode: (text) => inlineCode(text),
  markdownUrl: (text) => markdownUrl(text),
  markdownToPlain: (text) => markdownToPlain(text),
  'markdownToPlain of escaped text': (text) => markdownToPlain(escapeInline(text)),
  safeLink: (text) => safeLink(text, text),
  truncateBody: (text) => {
    try {
      return truncateBody(text);
    } catch (error) {
      // Hidden blocks ending the body that cannot fit are refused, never cut: what matters is how soon.
      if (error instanceof HiddenBlockTooLargeError) return undefined;
      throw error;
    }
  },
  pseudonyms: (text) => {
    const people = new Pseudonyms();
    people.scan(text, ['alice', 'bob']);
    return people.text(text);
  },
  bareTitle: (text) => bareTitle(text),
  mergeIndex: (text) => mergeIndex(text, { date: '2026-01-14', title: 't', path: 'p.md', severity: 'P1', duration: '1h', status: 'draft' }),
  'comment facts (postmortem links)': (text) => commentFactsOf([{ id: 1, html_url: 'https://example.test', created_at: '2026-01-14T12:00:00Z', body: text, user: { login: 'eve', type: 'User' } }], repo, FIREWATCH),
  readPullReference: (text) => readPullReference(text),
  'dependency bump title': (text) => dependencyBump({ title: text, paths: [], labels: [] } as never, {} as never),
  'alert file references': (text) => fileReferences(text),
  'alert identifier words': (text) => splitIdentifier(text),
  parseDuration: (text) => parseDuration(text),
  parseSince: (text) => parseSince(text, commandOptions.now),
  'config strings': (text) =>
    validateConfig({ timezone: text, routing: { services: [{ name: text, match: { team: text, env: { regex: 'prod|staging' } } }], labels: [text] }, alerts: { reopenWindow: text } }),
  'label matchers (RE2)': (text) => matches({ labels: { env: text }, service: text, source: 'generic', title: text } as never, { env: { regex: '(a+)+|(\\s+)+$|.*x.*y' } }),
  datadogTitle: (text) => datadogTitle(text),
  'datadog tags': (text) => parseTags(text),
  alertmanagerSilenceLink: (text) => alertmanagerSilenceLink(text, { alertname: text }),
  'paging: real mentions in a comment': (text) => realMentions(text),
  'paging: page record of a comment': (text) => readPageRecord([{ id: 1, body: text }]),
  'paging: who an /escalate entry named': (text) => escalatedLogins({ at: '2026-01-14T12:00:00Z', type: 'escalated', actor: 'bob', text: `Escalated to ${text}` }),
  'paging: acknowledge link token': (text) => readAckToken(text),
};

// Every command's argument reader, on a command line carrying the shape on one line. The line is
// parsed once per shape (parseCommands has its own entries above): this times the reader alone.
const parsedLines = new Map<string, ParsedCommand>();
function commandLine(text: string): ParsedCommand {
  let line = parsedLines.get(text);
  if (!line) {
    const [parsed] = parseCommands(`/note ${text.replace(/[\r\n\u2028\u2029]/g, ' ')}`);
    if (parsed?.kind !== 'command') throw new Error('not a command line');
    parsedLines.set(text, (line = parsed));
  }
  return line;
}
for (const command of COMMANDS) {
  PARSERS[`readCommand /${command.name}`] = (text) => {
    const line = commandLine(text);
    return readCommand({ ...line, command, invokedAs: command.name }, commandOptions);
  };
}

const FIXTURES: [AlertFixtureSource, string][] = [
  ['alertmanager', 'firing-group'],
  ['grafana', 'firing-values'],
  ['datadog', 'triggered'],
  ['sentry', 'issue-created'],
  ['sentry', 'event-alert'],
];
// Fields whose values decide the payload's shape; every other string carries the attack.
const KEEP = new Set(['status', 'action', 'version', 'startsAt', 'endsAt', 'date', 'last_updated', 'timestamp', 'datetime', 'firstSeen', 'lastSeen', 'transition', 'alert_transition', 'level']);
for (const [source, name] of FIXTURES) {
  PARSERS[`${source} payload (${name})`] = (text) => normalizerFor(source)?.(withStrings(alertFixture(source, name), text, KEEP), { receivedAt: commandOptions.now });
}
PARSERS['generic payload'] = (text) =>
  normalizerFor('generic')?.({ title: text, service: text, severity: text, description: text, fingerprint: text, labels: { a: text }, links: [{ url: text, text }] }, { receivedAt: commandOptions.now });

describe('no parser of untrusted text backtracks (ReDoS)', () => {
  it.each(Object.keys(PARSERS))('%s stays linear on 100k-character adversarial input', (name) => {
    const parse = PARSERS[name];
    if (!parse) throw new Error(name);
    expectLinear(parse);
  });
});
