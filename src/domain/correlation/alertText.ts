/**
 * What an incident's alerts say, as correlation reads it: the words of the alert's name, summary,
 * description, value, labels and annotations (each remembering where it was said), and the source
 * files a stack trace or an error names (`app/refunds/ledger.py:88`, `LabelRenderer.java:213`,
 * `app.billing.proration`). Words that only name the alerting service are left out: the service's
 * paths speak for those already.
 */
import type { AlertStatement, IncidentFacts } from './candidate.ts';
import { alertDomains, type DomainCue } from './alertDomain.ts';
import { alertValues, stripUrls, type AlertValue } from './alertValues.ts';
import { connectionFailure, externalSignals, type ExternalSignal } from './externalCause.ts';
import { MAX_STATEMENT_LENGTH } from './incidentFacts.ts';
import { splitIdentifier, stem, terms } from './terms.ts';
import { writtenFiles } from './writtenFiles.ts';

/** Labels that say how or where an alert fired, not what is failing. */
const SKIPPED_LABELS = new Set([
  'alertname',
  'severity',
  'priority',
  'level',
  'environment',
  'env',
  'stage',
  'deployment_environment',
  'deployment.environment',
  'region',
  'zone',
  'availability-zone',
  'availability_zone',
  'cluster',
  'instance',
  'prometheus',
  'prometheus_replica',
  'receiver',
  'monitor',
  'platform',
  'project',
  'release',
  'version',
  'image',
  'image_tag',
  'commit',
  'sha',
  'revision',
  'uid',
  'id',
  'le',
  'quantile',
]);
/** Annotations that are links, ids or text read elsewhere. */
const SKIPPED_ANNOTATIONS = new Set(['runbook', 'runbook_url', 'dashboard', 'dashboard_url', 'summary', 'description', 'message', 'value', 'issue_id', 'event_id', 'short_id', 'status', 'action', 'level', 'platform', 'release', 'environment', 'rule']);

/** How much a word counts by where the alert says it: its name and labels name the failing thing. */
const WHERE_FACTOR: Record<AlertWordSource, number> = { name: 1.0, label: 1.0, summary: 0.9, annotation: 0.8, description: 0.8, value: 0.5 };

type AlertWordSource = 'name' | 'label' | 'summary' | 'description' | 'annotation' | 'value';

export interface AlertWord {
  key: string;
  /** As the alert wrote it. */
  shown: string;
  /** Where the alert says it: `name`, `label queue`, `description`. */
  where: string;
  factor: number;
  compound: boolean;
}

export interface FileReference {
  /** As written: `app/refunds/ledger.py`, `LabelRenderer.java`, `app.billing.proration`. */
  written: string;
  /** Path segments, lower case, without the extension of the last: `['app', 'refunds', 'ledger']`. */
  segments: string[];
  extension: string;
  line?: number;
  /** A dotted module name (`app.billing.proration`), not a file path: trailing parts may be functions. */
  module: boolean;
  /** The frame where it failed (the first of a trace, the last of a Python traceback): weighs most. */
  primary: boolean;
}

export interface AlertText {
  words: AlertWord[];
  files: FileReference[];
  /** What the alert says about a cause outside the service's changes (`externalCause.ts`). */
  external: ExternalSignal[];
  /** What the alert says of a failed connection (`ECONNREFUSED`, `server closed the connection`), when it does. */
  connectionFailure?: string;
  /** The areas the alert is about: the database, memory, queues (`alertDomain.ts`). */
  domains: DomainCue[];
  /** Literal values it quotes: numbers, codes, URL paths, messages (`alertValues.ts`). */
  values: AlertValue[];
  /** Installed packages whose own files its stack trace runs through: `packageKey` → the frame (`node_modules/node-fetch`). */
  packageFrames: Map<string, string>;
  /** Package names its text writes out, by `packageKey` (`date-fns` in an error's link): names with a `-`, `.`, `/` or `@`, not words. */
  packagesNamed: Map<string, string>;
}

/** Where installed packages live in a stack trace: npm, pip, gems, Go modules. Group 1 is the package. */
const PACKAGE_FRAMES = [
  /node_modules\/((?:@[\w.-]+\/)?[\w.-]+)/g,
  /(?:site|dist)-packages\/([A-Za-z][\w.-]*?)(?:\/|-\d)/g,
  /gems\/([A-Za-z][\w-]*?)-\d[\w.]*\//g,
  /pkg\/mod\/([\w.-]+(?:\/[\w.-]+)*)@v/g,
];

/** A package's name as traces and bump titles both write it: `SQLAlchemy`, `sqlalchemy`, `sentry_sdk`, `sentry-sdk`. */
export const packageKey = (name: string): string => name.toLowerCase().replace(/[-_.]/g, '');

/** `date-fns`, `@sentry/node`, `jackson-databind`, `sentry_sdk`: a name too punctuated to be an English word. */
const PACKAGE_NAME = /(?<![\w@./-])((?:@[a-z][\w.-]*\/)?[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+)(?![\w@/-]|\.[a-z])/gi;

const PROJECT_LINK = /\b(?:github|gitlab)\.com\/[\w.-]+\/([\w.-]+?)(?:\.git)?(?=[/#?\s)]|$)/gi;

function packagesInText(text: string): Map<string, string> {
  const found = new Map<string, string>();
  // A link to a project's repository names the project (`github.com/date-fns/date-fns/blob/…`).
  for (const m of text.matchAll(PROJECT_LINK)) if (m[1] && m[1].length >= 3) found.set(packageKey(m[1]), m[1]);
  for (const m of stripUrls(text).matchAll(PACKAGE_NAME)) if (m[1] && m[1].length >= 5) found.set(packageKey(m[1]), m[1]);
  return found;
}

function packagesInFrames(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const pattern of PACKAGE_FRAMES) for (const m of text.matchAll(pattern)) if (m[1]) found.set(packageKey(m[1]), m[0]);
  return found;
}

const SOURCE_WHERE: Record<AlertStatement['source'], string> = { name: 'name', summary: 'summary', description: 'description', value: 'value' };

const CODE_EXTENSIONS = 'py|rb|go|java|kt|kts|scala|groovy|ts|tsx|js|jsx|mjs|cjs|rs|ex|exs|erl|php|cs|fs|swift|c|cc|cpp|h|hpp|m|mm|dart|lua|pl|sql|tf|ya?ml|json|toml|conf|proto';
/** For {@link writtenFiles}: `ya?ml` written out. */
const FILE_EXTENSIONS: ReadonlySet<string> = new Set(CODE_EXTENSIONS.replace('ya?ml', 'yaml|yml').split('|'));
const PYTHON_FRAME = /File "([^"\n]+)", line (\d+)/g;
/** Frames of installed libraries and runtimes, not of the service's own code. */
const LIBRARY_PATH = /(^|\/)(node_modules|site-packages|dist-packages|vendor|gems|\.cargo|go\/pkg\/mod|usr\/lib|usr\/local\/lib|usr\/local\/go|lib\/python\d[\d.]*|jdk|java\.base|rustc)\//;
/** Sentry's culprit, `module in function` (`auth.oidc in exchange_code`, `app/models/user.rb in display_name`). */
const CULPRIT_PATTERN = /(?:^|\n|Culprit: )([A-Za-z_][\w.]*\.[A-Za-z_]\w*) in [\w.<>$]+/g;
/** `app.billing.proration`, `com.acme.shipping.label.LabelRenderer.render`, `ChatWeb.RoomChannel.join`. */
const MODULE_PATTERN = /(?<![\w./-])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*){1,})(?![\w-]|\/[A-Za-z_]|\.[A-Za-z_])/g;

/** Top-level domains a host in an alert ends with (`cdn.vendor.net/widget.js` is a script on a host, not our file). */
const HOST_SUFFIX = /\.(?:com|org|net|io|dev|app|cloud|co|ai|sh|so|me|tech|cdn|us|eu|de|uk|fr)$/i;

/** `www.example.com`, `cdn.reviewsvendor.net/widget.js`: a host, or a path on one. */
function isHostPath(written: string): boolean {
  const first = written.split('/')[0] ?? '';
  return /^www\./i.test(first) || (first.includes('.') && (written.includes('/') || /^[\w-]+\.(?:com|org|net|io)$/i.test(first)) && HOST_SUFFIX.test(first));
}

function urlsRemoved(text: string): string {
  return text.replace(/\bhttps?:\/\/\S+/g, ' ');
}

function segmentsOf(path: string): { segments: string[]; extension: string } {
  const parts = path.replace(/\\/g, '/').split('/').filter(Boolean);
  const file = parts.pop() ?? '';
  const dot = file.lastIndexOf('.');
  return { segments: [...parts, dot > 0 ? file.slice(0, dot) : file].map((s) => s.toLowerCase()), extension: dot > 0 ? file.slice(dot + 1).toLowerCase() : '' };
}

/** Source files an alert's text names, the failing frame marked `primary`. */
export function fileReferences(text: string): FileReference[] {
  const found: { ref: Omit<FileReference, 'primary'>; at: number }[] = [];
  const seen = new Set<string>();
  const push = (ref: Omit<FileReference, 'primary'>, at: number): void => {
    const key = `${ref.segments.join('/')}.${ref.extension}:${ref.line ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ ref, at });
  };
  const clean = urlsRemoved(text);
  const framed: [number, number][] = [];
  for (const match of clean.matchAll(PYTHON_FRAME)) {
    framed.push([match.index ?? 0, (match.index ?? 0) + match[0].length]);
    if (LIBRARY_PATH.test(match[1] ?? '')) continue;
    const { segments, extension } = segmentsOf(match[1] ?? '');
    push({ written: match[1] ?? '', segments, extension, line: Number(match[2]), module: false }, match.index ?? 0);
  }
  for (const match of writtenFiles(clean, FILE_EXTENSIONS)) {
    const { written } = match;
    // Inside a Python frame, already read with its line.
    if (framed.some(([from, to]) => match.index >= from && match.index < to)) continue;
    // A version (`v1.2.json`), a host name or a library's frame is no file of ours.
    if (/^v?\d/.test(written) || isHostPath(written) || LIBRARY_PATH.test(written)) continue;
    const { segments, extension } = segmentsOf(written);
    const { line } = match;
    push({ written, segments, extension, ...(line ? { line: Number(line) } : {}), module: false }, match.index);
  }
  for (const match of clean.matchAll(CULPRIT_PATTERN)) {
    const written = match[1] ?? '';
    if (CODE_EXTENSIONS.split('|').includes((written.split('.').pop() ?? '').toLowerCase())) continue;
    push({ written, segments: written.split('.').map((p) => p.toLowerCase()), extension: '', module: true }, match.index ?? 0);
  }
  for (const match of clean.matchAll(MODULE_PATTERN)) {
    const written = match[1] ?? '';
    const parts = written.split('.');
    // Class and module names are capitalised (`com.acme.label.LabelRenderer`, `ChatWeb.RoomChannel`);
    // lower-case dotted names are mostly metrics (`trace.servlet.request`) and hosts.
    if (parts.length < 2 || !parts.some((part) => /^[A-Z]/.test(part))) continue;
    if (CODE_EXTENSIONS.split('|').includes((parts[parts.length - 1] ?? '').toLowerCase())) continue;
    push({ written, segments: parts.map((p) => p.toLowerCase()), extension: '', module: true }, match.index ?? 0);
  }
  if (found.length === 0) return [];
  found.sort((a, b) => a.at - b.at);
  // A Python traceback lists the failing frame last; every other trace lists it first.
  const pythonTraceback = /Traceback \(most recent call last\)/.test(text);
  const frames = found.filter((f) => !f.ref.module);
  const primaryFrame = pythonTraceback ? frames[frames.length - 1] : frames[0];
  const primary = primaryFrame ?? found[0];
  return found.map((f) => ({ ...f.ref, primary: f === primary || (f.ref.module && !primaryFrame) }));
}

/** Words of the service's own name, which every change of the service carries. */
function serviceWords(service: string): Set<string> {
  const words = terms(service).map((t) => t.key);
  return new Set([...words, ...splitIdentifier(service).map((w) => stem(w.toLowerCase()))]);
}

/** Everything the incident's alerts say that a change could match. */
export function alertText(facts: Pick<IncidentFacts, 'service' | 'labels' | 'annotations' | 'statements'>): AlertText {
  const own = serviceWords(facts.service);
  const words = new Map<string, AlertWord>();
  const add = (text: string, source: AlertWordSource, where: string): void => {
    for (const term of terms(urlsRemoved(text))) {
      // `CheckoutHigh` from `CheckoutHighErrorRate` says no more than the service's name.
      if (own.has(term.key) || term.parts?.some((part) => own.has(part))) continue;
      const factor = WHERE_FACTOR[source];
      const known = words.get(term.key);
      if (!known || known.factor < factor) words.set(term.key, { key: term.key, shown: term.shown, where, factor, compound: term.compound === true });
    }
  };
  const statements = facts.statements ?? [];
  for (const statement of statements) add(statement.text, statement.source, SOURCE_WHERE[statement.source]);
  for (const [key, value] of Object.entries(facts.labels)) {
    if (!SKIPPED_LABELS.has(key.toLowerCase()) && value.length <= 200) add(value, 'label', `label ${key}`);
  }
  const annotationTexts: string[] = [];
  for (const [key, value] of Object.entries(facts.annotations)) {
    if (SKIPPED_ANNOTATIONS.has(key.toLowerCase()) || /_url$/i.test(key)) continue;
    // Bounded like statements: annotations may carry whole log excerpts.
    const text = value.slice(0, MAX_STATEMENT_LENGTH);
    add(text, 'annotation', `annotation ${key}`);
    annotationTexts.push(text);
  }
  // Stack traces and errors live in descriptions, summaries and culprit annotations.
  const said = [...statements.filter((s) => s.source !== 'value').map((s) => s.text), ...annotationTexts].join('\n');
  const files = fileReferences(said);
  const labelled = Object.entries(facts.labels)
    .filter(([key]) => !SKIPPED_LABELS.has(key.toLowerCase()) || key === 'alertname')
    .map(([key, value]) => `${key} ${value}`);
  const failure = connectionFailure(said);
  return {
    words: [...words.values()],
    files,
    external: externalSignals(said, facts.labels),
    ...(failure ? { connectionFailure: failure } : {}),
    domains: alertDomains([said, ...labelled].join('\n')),
    packageFrames: packagesInFrames([said, ...Object.values(facts.annotations)].join('\n')),
    packagesNamed: packagesInText(said),
    values: alertValues([said, ...Object.entries(facts.labels).filter(([key]) => !SKIPPED_LABELS.has(key.toLowerCase())).map(([, value]) => value)].join('\n'), facts.service),
  };
}
