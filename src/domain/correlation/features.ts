/**
 * The evidence that one change caused an incident. Each feature is a pure function of one
 * candidate and the incident facts, returning its weight and the reason in plain words.
 *
 * A weight is a log likelihood ratio (natural log): how much more likely this observation is
 * when the change is the culprit than when it is an innocent bystander. Weights add up; the
 * posterior that `rankSuspects` turns them into is the score. They are modelled from how
 * incidents happen, not fitted to the benchmark scenarios:
 *
 * - Timing. Innocent changes are spread evenly over the window (density 1/W). A culprit's
 *   symptoms follow its arrival with a heavy tail: most within the hour, some (leaks, caches,
 *   the next traffic peak) hours later. Modelled as a Lomax density with scale τ,
 *   f(Δ) = (1/τ)/(1+Δ/τ)², so the log ratio is ln(W/τ) − 2·ln(1+Δ/τ). With W = 24 h and
 *   τ = 60 min that is +3.2 right after a deploy, +1.8 after an hour, 0 near 4 h, −2 after 12 h.
 *   The clock starts when the change reaches the alerting environment. For a repository that
 *   records no deployments there, merging is taken as deploying, with a wider τ (90 min) for the
 *   unknown merge-to-live lag. A change that has not reached the alerting environment of a
 *   repository that does deploy there can hardly be running there: −2.0 (some still act through
 *   shared databases or config read at run time). Changes that start after the first alert are
 *   allowed a few minutes of clock skew, then lose 0.4 per minute.
 * - Where. With service globs configured, a culprit's runtime files are in the service's paths
 *   (~0.6 of culprits), only in shared code: root files, libraries, migrations, manifests (~0.35),
 *   or only in other services' directories (~0.05). A bystander in a shared repository: 0.25,
 *   0.25 and 0.5. Log ratios: +0.9, +0.3 and −2.3. Changes of only docs, tests or CI definitions
 *   never run in production: −3.0. A path segment named by the alert's service, job or container
 *   is weaker evidence than a configured glob: +1.0, and only when no glob already matched.
 * - Alert hints. An alert naming the commit or release tag that is running (image tag, version
 *   label) points at the changes that build shipped: +3.0.
 * - What the alert says (`alertMatch.ts`): files and lines of a stack trace, and the alert's words
 *   in a change's paths, title, description and diff, rare words weighing most: up to +3.5 and +3.0;
 *   matching nothing a telling alert names −0.5 to −1.0. The literal values it quotes (`5000`,
 *   `CH-ZH`, `'vat_rate'`) found in the change: up to +2.4 (`alertValues.ts`). A stack running
 *   into the files of a package this PR bumps: +1.5. When the error is a failed connection, the
 *   frame and the words around it count half.
 * - A cause outside the changes (`externalCause.ts`): a provider's 503 (−0.8), a node or broker
 *   gone (−1.0), one zone only (−2.3), a traffic surge (−0.8), a provider's or platform's own
 *   notice (−2.5), the service's own work said unchanged (−1.5), an identifier space used up
 *   (−4.0) and more, for every change; calls to a named dependency timing out (−1.2) for the
 *   changes that do not touch it. At most −5.0 together.
 * - What rarely breaks production. Developer tooling config (`.eslintrc*`, `.prettierrc`, editor
 *   settings), like docs, tests and CI: −3.0; so does a development-only dependency update
 *   (`deps-dev`, Dependabot's `direct:development`, a dev requirements file, a linter by name).
 *   In a monorepo, another package's dependency update (its manifest, and the root lockfile that
 *   follows it) counts as that package's code: −2.3; so do feature-flag files of another service
 *   (`flags/search.yaml` when checkout alerts), and the service's own flags as its config: +0.9.
 *   A PR titled as only logs, metrics, spans or dashboards: −1.0, unless the alert is about what
 *   telemetry fills.
 * - Deployments mean what they say. A failed deployment shipped nothing (−2.0, as not deployed),
 *   unless its status says it stopped part-way (`4 of 12 pods updated`): then its timing counts
 *   half. A repository no glob of a service with globs applies to belongs wholly to the service:
 *   its changes count as the service's (+0.9).
 * - Kind of change. Postmortem studies put config changes and schema migrations far above
 *   their share of changes; infrastructure and dependency bumps also over-represented: migration
 *   +1.0, config +0.8 (+1.2 when it is the alerting environment's config), infrastructure +0.8,
 *   dependency bump +0.5 (+0.9 for a major version), a `risky` label +0.7 (authors know). A change
 *   only to another environment's settings cannot act in the alerting one: −2.0.
 * - Size. Defect counts grow with lines changed, sublinearly: +0.25·log2(1 + lines/100), at most
 *   +0.8. Tiny changes are not exonerated: a one-line config typo is a classic outage.
 * - Reverts (a revert PR, or a deployment of an older commit) undo a change: −1.5.
 * - Change events (PagerDuty Change Events) act when they are reported (timing as a deployment);
 *   one reported for the alerting service +0.9 (as its paths would), for another service −1.0
 *   (milder than another service's code: shared databases and networks carry changes across).
 * Reverted changes are not scored at all: `rankSuspects` excludes and notes them.
 */
import { domainTouched, spaced } from './alertDomain.ts';
import { valueOccurrence, type AlertValue } from './alertValues.ts';
import { fileEvidence, MATCH_WEIGHTS, mismatchEvidence, plainReason, valueEvidence, wordEvidence, type Corpus, type ReasonPart } from './alertMatch.ts';
import { packageKey, type AlertText } from './alertText.ts';
import { candidateReference, changedAt, type ChangeCandidate, type DeploymentState, type IncidentFacts, type ShippedDeployment } from './candidate.ts';
import { areaOf, canonicalEnvironment, classifyPath, environmentsNamedBy, flagFileOwner, INERT_KINDS, isDevelopmentManifest, isRootDependencyFile, isSharedPath, sameEnvironment, type PathKind } from './classifyPath.ts';
import { changeDocument } from './changeText.ts';
import { CREDENTIAL_SETTINGS, DATASTORE_SETTINGS, DATE_HANDLING, EXPIRING_CREDENTIALS, EXTERNAL_MAX, EXTERNAL_WEIGHTS, type ExternalKind } from './externalCause.ts';
import { firstMatchingGlob } from './globs.ts';
import { isDevelopmentSection, manifestChanges } from './manifestSections.ts';
import { periodWithSlackMs, type JobSchedule } from './schedule.ts';
import { terms } from './terms.ts';
import { escapeRegExp } from '../text/escapeRegExp.ts';

export const WEIGHTS = {
  /** τ of the deploy → symptom delay, minutes. */
  deployDelayScaleMinutes: 60,
  /** τ when the merge time stands in for the deploy time, minutes. */
  mergeDelayScaleMinutes: 90,
  /** Clock skew tolerated for changes that start after the first alert: weight lost per minute. */
  afterAlertPerMinute: 0.4,
  /** A failed deployment that stopped part-way (some of it runs): its timing counts half. */
  failedDeploymentFactor: 0.5,
  /** A failed deployment that shipped nothing: as good as not deployed. */
  failedDeployment: -2.0,
  notDeployed: -2.0,
  /** What a change that never ran would do (its matches, its kind, where it is) counts this much at most, together. */
  unshippedContentMax: 1.0,
  servicePaths: 0.9,
  /** A change event its routing key files under the alerting service, or under another one (which may still share a database or a network). */
  changeForService: 0.9,
  changeForOtherService: -1.0,
  sharedPaths: 0.3,
  otherServicePaths: -2.3,
  inertOnly: -3.0,
  componentHint: 1.0,
  commitHint: 3.0,
  migration: 1.0,
  config: 0.8,
  configForAlertingEnvironment: 1.2,
  infrastructure: 0.8,
  /** τ of a config or infrastructure culprit whose symptom the alert does not name, as a share of the usual τ: it breaks when loaded. */
  settledDelayShare: 1 / 3,
  dependencyBump: 0.5,
  majorDependencyBump: 0.9,
  packageNamed: 1.5,
  riskyLabel: 0.7,
  otherEnvironmentOnly: -2.0,
  sizePerDoubling: 0.25,
  sizeMax: 0.8,
  revert: -1.5,
  alertDomain: 0.6,
  presentationOnly: -1.0,
  telemetryOnly: -1.0,
  connectionFrameFactor: 0.5,
} as const;

type FeatureName =
  | 'timing'
  | 'alert_file'
  | 'alert_words'
  | 'alert_mismatch'
  | 'external_cause'
  | 'alert_domain'
  | 'presentation_only'
  | 'telemetry_only'
  | 'alert_value'
  | 'package_frame'
  | 'service_paths'
  | 'flag_owner'
  | 'inert_change'
  | 'component_hint'
  | 'commit_hint'
  | 'migration'
  | 'config'
  | 'infrastructure'
  | 'dependency_bump'
  | 'risky_label'
  | 'other_environment'
  | 'size'
  | 'revert'
  | 'change_service'
  | 'not_shipped';

export interface Evidence {
  feature: FeatureName;
  /** Log likelihood ratio this observation contributes (positive incriminates). */
  weight: number;
  reason: string;
  /** The reason in pieces, quotes marked, for renderers that show quotes as code. */
  parts?: ReasonPart[];
}

/** What features need besides the candidate: the incident and a few facts derived once per ranking. */
export interface FeatureContext {
  facts: IncidentFacts;
  firstAlertMs: number;
  /** Length of the window before the first alert, minutes (the spread of innocent changes). */
  windowBeforeMinutes: number;
  /** Canonical name of the environment the alerts come from. */
  alertingEnvironment: string;
  /** Whether a repository records deployments to the alerting environment. */
  deploysToAlertingEnvironment: (repo: string) => boolean;
  /** What the alerts say (words, files), and how many of the window's changes carry each. */
  alert: AlertText;
  corpus: Corpus;
  /** The alert is about a scheduled job (`schedule.ts`): symptoms wait for its next run. */
  schedule?: JobSchedule | undefined;
}

export type Feature = (candidate: ChangeCandidate, context: FeatureContext) => Evidence | undefined;

const MINUTE = 60_000;

/** `12 min`, `3 h 20 min`, `14 h`, `2 days`. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / MINUTE);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 10) return rest ? `${hours} h ${rest} min` : `${hours} h`;
  if (hours < 48) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} days`;
}

function relative(atMs: number, firstAlertMs: number): string {
  const delta = firstAlertMs - atMs;
  return delta >= 0 ? `${formatDuration(delta)} before the first alert` : `${formatDuration(delta)} after the first alert`;
}

/** Log likelihood ratio of a change arriving `deltaMinutes` before the first alert (negative: after). */
export function recencyWeight(deltaMinutes: number, scaleMinutes: number, windowMinutes: number): number {
  const base = Math.log(windowMinutes / scaleMinutes);
  if (deltaMinutes >= 0) return base - 2 * Math.log(1 + deltaMinutes / scaleMinutes);
  return base - WEIGHTS.afterAlertPerMinute * Math.abs(deltaMinutes);
}

/** Jobs that run this often or more fail right after the change, like any other code. */
const FREQUENT_JOB_MINUTES = 120;

/**
 * The same for an alert about a scheduled job: a culprit's failure waits for the job's next run,
 * anywhere in the period after the change (uniform), or, less often, shows at once (the deploy
 * restarted the job, or the job runs often): a mixture of the two, `share` of it uniform (0.75
 * when the alert says the cadence, 0.5 when it only says it is a job). A change older than the
 * period had a run to fail at and did not: only the heavy tail speaks for it.
 */
export function jobRecencyWeight(deltaMinutes: number, scaleMinutes: number, windowMinutes: number, schedule: JobSchedule): number {
  const periodMinutes = periodWithSlackMs(schedule) / MINUTE;
  if (deltaMinutes < 0 || schedule.periodMs / MINUTE < FREQUENT_JOB_MINUTES) return recencyWeight(deltaMinutes, scaleMinutes, windowMinutes);
  const share = schedule.cadenceKnown ? 0.75 : 0.5;
  const uniform = deltaMinutes <= periodMinutes ? 1 / periodMinutes : 0;
  const tail = 1 / scaleMinutes / (1 + deltaMinutes / scaleMinutes) ** 2;
  return Math.log(windowMinutes * (share * uniform + (1 - share) * tail));
}

const REACHED: ReadonlySet<DeploymentState> = new Set(['success', 'inactive', 'in_progress']);
const FAILED: ReadonlySet<DeploymentState> = new Set(['failure', 'error']);

/** A deploy tool's words for a rollout that stopped part-way, leaving some of the new version running. */
const PARTIAL_ROLLOUT = /\b(partial(ly)?|part[- ]way|half[- ]way|half[- ]rolled|progress deadline|\d+\s*(of|\/)\s*\d+\s*(pods?|instances?|hosts?|nodes?|replicas?|tasks?|targets?|machines?|servers?)|some (pods|instances|hosts|nodes|replicas|tasks|targets)|rolled back|rolling back|rollback|canary|unhealthy (pods|instances|targets))\b/i;
/**
 * …unless it says the part that ran was taken back whole (an aborted canary with its traffic back on
 * the stable version): then nothing of it runs any more.
 */
const BACK_ON_STABLE = /\b(?:traffic (?:is |was )?(?:back )?(?:on|to) (?:the )?stable|(?:all|100%) (?:of )?traffic (?:on|to) (?:the )?(?:stable|previous)|(?:rolled|scaled) back to (?:the )?(?:stable|previous) (?:version|revision|release|replicaset)|canary (?:scaled (?:down )?to (?:0|zero)|removed)|fully rolled back|rollback (?:complete|completed|finished|succeeded))\b/i;
/** …and for a deployment that stopped before anything ran. */
const FAILED_BEFORE_ROLLOUT = /\b(build|image|compile|compilation|lint|tests?|npm|pip|bundle|docker build|artifact|approval|queued|cancel+ed|permission|credentials?)\b/i;

/**
 * A failed deployment shipped nothing, unless the deploy tool says it stopped part-way (a rollout
 * that timed out with 4 of 12 pods updated): then the new version runs on part of the fleet.
 */
export function halfRolled(deployment: Pick<ShippedDeployment, 'description'>): boolean {
  const said = deployment.description ?? '';
  return PARTIAL_ROLLOUT.test(said) && !FAILED_BEFORE_ROLLOUT.test(said) && !BACK_ON_STABLE.test(said);
}

/** The deployment that brought the change to the alerting environment last before the alert (or first after it). */
function arrival(deployments: ShippedDeployment[], firstAlertMs: number): ShippedDeployment | undefined {
  const sorted = [...deployments].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const before = sorted.filter((d) => Date.parse(d.at) <= firstAlertMs);
  return before[before.length - 1] ?? sorted[0];
}

/** What the timing reason adds for a job alert: why an old change still counts. */
function jobNote(schedule: JobSchedule | undefined, deltaMinutes: number): string {
  if (!schedule || schedule.periodMs / MINUTE < FREQUENT_JOB_MINUTES || deltaMinutes < 0) return '';
  if (deltaMinutes > periodWithSlackMs(schedule) / MINUTE) return `; the alert is about a scheduled job (${schedule.said}), which has run since`;
  return `; the alert is about a scheduled job (${schedule.said}), which fails at its first run after a change`;
}

/** How a change reached the alerting environment, as its deployments there say. */
type Delivery =
  /** A deployment there succeeded, or is rolling out. */
  | { kind: 'deployed'; deployment: ShippedDeployment; atMs: number }
  /** Its deployment there failed part-way: part of it runs. */
  | { kind: 'half_rolled'; deployment: ShippedDeployment; atMs: number }
  /** Its deployment there failed before anything ran. */
  | { kind: 'failed'; deployment: ShippedDeployment; atMs: number }
  /** The repository deploys there, and this change never did. */
  | { kind: 'not_deployed' }
  /** The repository records no deployments there: merging (publishing) is taken as deploying. */
  | { kind: 'assumed'; atMs: number };

function delivery(candidate: ChangeCandidate, context: Pick<FeatureContext, 'firstAlertMs' | 'alertingEnvironment' | 'deploysToAlertingEnvironment'>): Delivery {
  // A reported change (a change event) runs where and when it is reported.
  if (candidate.kind === 'change') return { kind: 'assumed', atMs: Date.parse(candidate.reportedAt) };
  const here = candidate.deployments.filter((d) => sameEnvironment(d.environment, context.alertingEnvironment));
  const reached = arrival(
    here.filter((d) => REACHED.has(d.state)),
    context.firstAlertMs,
  );
  if (reached) return { kind: 'deployed', deployment: reached, atMs: Date.parse(reached.at) };
  const failed = arrival(
    here.filter((d) => FAILED.has(d.state)),
    context.firstAlertMs,
  );
  if (failed) return { kind: halfRolled(failed) ? 'half_rolled' : 'failed', deployment: failed, atMs: Date.parse(failed.at) };
  if (context.deploysToAlertingEnvironment(candidate.repo)) return { kind: 'not_deployed' };
  return { kind: 'assumed', atMs: Date.parse(changedAt(candidate)) };
}

/** A change that never ran in the alerting environment: its deployment failed before anything ran, or it was never deployed there. */
const didNotShip = (d: Delivery): boolean => d.kind === 'failed' || d.kind === 'not_deployed';

/** When the change started running in the alerting environment and the τ its timing is read with, if it runs there. */
function liveSince(d: Delivery): { atMs: number; scaleMinutes: number } | undefined {
  if (d.kind === 'deployed' || d.kind === 'half_rolled') return { atMs: d.atMs, scaleMinutes: WEIGHTS.deployDelayScaleMinutes };
  if (d.kind === 'assumed') return { atMs: d.atMs, scaleMinutes: WEIGHTS.mergeDelayScaleMinutes };
  return undefined;
}

export const timing: Feature = (candidate, context) => {
  const { firstAlertMs, windowBeforeMinutes, alertingEnvironment, schedule } = context;
  const recency = (deltaMinutes: number, scaleMinutes: number): number =>
    schedule ? jobRecencyWeight(deltaMinutes, scaleMinutes, windowBeforeMinutes, schedule) : recencyWeight(deltaMinutes, scaleMinutes, windowBeforeMinutes);
  if (candidate.kind === 'change') {
    // A reported change acts where and when it is reported: its time is its arrival.
    const at = Date.parse(candidate.reportedAt);
    return { feature: 'timing', weight: recency((firstAlertMs - at) / MINUTE, WEIGHTS.deployDelayScaleMinutes), reason: `reported ${relative(at, firstAlertMs)}${jobNote(schedule, (firstAlertMs - at) / MINUTE)}` };
  }
  const how = delivery(candidate, context);
  switch (how.kind) {
    case 'deployed': {
      const delta = (firstAlertMs - how.atMs) / MINUTE;
      const weight = recency(delta, WEIGHTS.deployDelayScaleMinutes);
      const verb = how.deployment.state === 'in_progress' ? `rollout to ${how.deployment.environment} started` : `deployed to ${how.deployment.environment}`;
      return { feature: 'timing', weight, reason: `${verb} ${relative(how.atMs, firstAlertMs)}${jobNote(schedule, delta)}` };
    }
    case 'half_rolled':
    case 'failed': {
      const said = how.deployment.description ? ` (“${how.deployment.description.slice(0, 100)}”)` : '';
      if (how.kind === 'half_rolled') {
        const full = recency((firstAlertMs - how.atMs) / MINUTE, WEIGHTS.deployDelayScaleMinutes);
        return { feature: 'timing', weight: full > 0 ? full * WEIGHTS.failedDeploymentFactor : full, reason: `rollout to ${how.deployment.environment} failed part-way ${relative(how.atMs, firstAlertMs)}${said}, so part of it may run` };
      }
      return { feature: 'timing', weight: WEIGHTS.failedDeployment, reason: `deployment to ${how.deployment.environment} failed ${relative(how.atMs, firstAlertMs)}${said}: it did not ship` };
    }
    case 'not_deployed': {
      const at = Date.parse(changedAt(candidate));
      const verb = candidate.kind === 'pull' ? 'merged' : candidate.kind === 'release' ? 'published' : `deployed to ${candidate.environment}`;
      const elsewhere = [...new Set(candidate.deployments.filter((d) => REACHED.has(d.state)).map((d) => d.environment))];
      const reason = elsewhere.length
        ? `deployed to ${elsewhere.join(' and ')} only, not to ${alertingEnvironment}`
        : `${verb} ${relative(at, firstAlertMs)}, not deployed to ${alertingEnvironment}`;
      return { feature: 'timing', weight: WEIGHTS.notDeployed, reason };
    }
    case 'assumed': {
      const verb = candidate.kind === 'pull' ? 'merged' : candidate.kind === 'release' ? 'published' : `deployed to ${candidate.environment}`;
      const delta = (firstAlertMs - how.atMs) / MINUTE;
      const weight = recency(delta, WEIGHTS.mergeDelayScaleMinutes);
      return { feature: 'timing', weight, reason: `${verb} ${relative(how.atMs, firstAlertMs)} (no deployments to ${alertingEnvironment} recorded, so taken as live)${jobNote(schedule, delta)}` };
    }
  }
};

const QUALIFIED_GLOB = /^([\w.-]+\/[\w.-]+):(.+)$/;

/** The service globs that apply to one repository (`owner/name:glob` applies to that repository only). */
export function globsForRepo(servicePaths: readonly string[], repo: string): string[] {
  const globs: string[] = [];
  for (const entry of servicePaths) {
    const qualified = QUALIFIED_GLOB.exec(entry);
    if (!qualified) globs.push(entry);
    else if (qualified[1]?.toLowerCase() === repo.toLowerCase() && qualified[2]) globs.push(qualified[2]);
  }
  return globs;
}

function runtimePaths(candidate: ChangeCandidate): string[] {
  return candidate.paths.filter((path) => !INERT_KINDS.has(classifyPath(path)));
}

function listed(items: string[], max = 2): string {
  const unique = [...new Set(items)];
  return unique.length > max ? `${unique.slice(0, max).join(', ')} and ${unique.length - max} more` : unique.join(', ');
}

/** `Bump lodash from 4.17.20 to 4.17.21 in /apps/admin`: the directory Dependabot updated. */
const DEPENDABOT_DIRECTORY = /\bin \/([\w@./-]+)\s*$/;

/**
 * Dependency files that follow another package of a monorepo: when a PR changes the manifests of
 * packages outside the service's paths (`apps/admin/package.json`, or a Dependabot title `… in
 * /apps/admin`), the root lockfile it also rewrites is that package's update, not shared code.
 */
function otherPackagesOnly(candidate: ChangeCandidate, runtime: string[], globs: string[]): string[] | undefined {
  const nested = runtime.filter((path) => classifyPath(path) === 'dependency' && !isRootDependencyFile(path));
  const directory = DEPENDABOT_DIRECTORY.exec(candidate.title)?.[1]?.replace(/\/$/, '');
  const owners = [...nested.map((path) => path.split('/').slice(0, -1).join('/')), ...(directory ? [directory] : [])];
  if (owners.length === 0) return undefined;
  if (owners.some((owner) => firstMatchingGlob(`${owner}/package.json`, globs))) return undefined;
  if (!runtime.every((path) => isRootDependencyFile(path) || nested.includes(path))) return undefined;
  return [...new Set(owners)];
}

export const servicePaths: Feature = (candidate, { facts }) => {
  const globs = globsForRepo(facts.servicePaths, candidate.repo);
  const runtime = runtimePaths(candidate);
  if (runtime.length === 0) return undefined;
  if (globs.length === 0) {
    // Globs name the service's part of other repositories; this one it has to itself.
    if (facts.servicePaths.length === 0) return undefined;
    return { feature: 'service_paths', weight: WEIGHTS.servicePaths, reason: `changes ${candidate.repo}, which belongs wholly to ${facts.service}` };
  }
  const matched = runtime.flatMap((path) => firstMatchingGlob(path, globs) ?? []);
  if (matched.length) return { feature: 'service_paths', weight: WEIGHTS.servicePaths, reason: `changes ${listed(matched)}, the alerting service ${facts.service}` };
  const others = otherPackagesOnly(candidate, runtime, globs);
  if (others) return { feature: 'service_paths', weight: WEIGHTS.otherServicePaths, reason: `updates dependencies of ${listed(others)} only (the root lockfile follows them), outside ${facts.service}'s paths` };
  const shared = runtime.filter(isSharedPath);
  if (shared.length) return { feature: 'service_paths', weight: WEIGHTS.sharedPaths, reason: `changes shared code (${listed(shared)}), none of ${facts.service}'s paths` };
  return { feature: 'service_paths', weight: WEIGHTS.otherServicePaths, reason: `changes only ${listed(runtime.map(areaOf))}, outside ${facts.service}'s paths` };
};

/** Words that say nothing about whose flags a file holds. */
const GENERIC_FLAG_WORDS = new Set(['flag', 'flags', 'feature', 'features', 'toggle', 'toggles', 'default', 'defaults', 'global', 'common', 'shared', 'all', 'base', 'config', 'settings', 'production', 'prod', 'staging', 'dev', 'development', 'values', 'index', 'main']);

/**
 * Feature-flag files say whose flags they are (`flags/search.yaml`). A change to another service's
 * flags only acts on that service, like a change to its code; the alerting service's own flags are
 * its configuration. Weighed only where the service's path globs do not already decide.
 */
export const flagOwner: Feature = (candidate, context) => {
  if (globsForRepo(context.facts.servicePaths, candidate.repo).length > 0) return undefined;
  const runtime = runtimePaths(candidate);
  const owners = runtime.map((path) => ({ path, words: (flagFileOwner(path) ?? []).flatMap((segment) => terms(segment).map((t) => t.key)).filter((w) => !GENERIC_FLAG_WORDS.has(w)) }));
  if (runtime.length === 0 || owners.some((o) => flagFileOwner(o.path) === undefined)) return undefined;
  const own = new Set([...componentTokens(context.facts).keys()].flatMap((name) => terms(name).map((t) => t.key)));
  const ours = owners.filter((o) => o.words.some((w) => own.has(w)));
  if (ours.length) return { feature: 'flag_owner', weight: WEIGHTS.servicePaths, reason: `changes ${context.facts.service}'s own feature flags (${listed(ours.map((o) => o.path), 1)})` };
  if (owners.every((o) => o.words.length > 0)) {
    return { feature: 'flag_owner', weight: WEIGHTS.otherServicePaths, reason: `changes only feature flags of other services (${listed(owners.map((o) => o.path), 1)}), not ${context.facts.service}'s` };
  }
  return undefined;
};

export const inertChange: Feature = (candidate) => {
  if (candidate.paths.length === 0) return undefined;
  const kinds = new Set(candidate.paths.map(classifyPath));
  if (![...kinds].every((kind) => INERT_KINDS.has(kind))) return undefined;
  const names = [...kinds].map((kind) => ({ docs: 'documentation', test: 'tests', ci: 'CI workflows', build: 'build tooling', tooling: 'developer tooling config' })[kind as 'docs' | 'test' | 'ci' | 'build' | 'tooling']);
  return { feature: 'inert_change', weight: WEIGHTS.inertOnly, reason: `changes only ${names.join(' and ')}, nothing that runs in production` };
};

/** Labels whose values name the workload that is failing. */
const COMPONENT_LABELS = ['service', 'job', 'container', 'container_name', 'app', 'app_kubernetes_io_name', 'component', 'deployment', 'workload', 'k8s_container', 'kubernetes_container_name', 'pod', 'task', 'function'];
const GENERIC_NAMES = new Set(['api', 'app', 'web', 'www', 'server', 'service', 'services', 'main', 'default', 'node', 'kube', 'prod', 'production', 'staging', 'backend', 'frontend', 'worker', 'unknown', 'src', 'lib', 'cmd']);

function componentName(value: string): string {
  return value
    .toLowerCase()
    .replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, '') // Kubernetes pod suffix of a Deployment's ReplicaSet
    .replace(/-\d+$/, '') // StatefulSet ordinal
    .replace(/[-_](api|service|svc|server|worker|app|web|daemon)$/, '');
}

function componentTokens(facts: IncidentFacts): Map<string, string> {
  const tokens = new Map<string, string>();
  const add = (label: string, value: string | undefined): void => {
    if (!value) return;
    const last = value.split('/').pop() ?? value;
    const name = componentName(last);
    if (name.length >= 3 && !GENERIC_NAMES.has(name) && !tokens.has(name)) tokens.set(name, `${label}=${value}`);
  };
  add('service', facts.service);
  for (const label of COMPONENT_LABELS) add(label, facts.labels[label]);
  return tokens;
}

export const componentHint: Feature = (candidate, context) => {
  const byGlob = servicePaths(candidate, context);
  if (byGlob && byGlob.weight > 0) return undefined;
  const tokens = componentTokens(context.facts);
  // In the service's own repository (`acme/profile-api` for profile-api), a directory named after the service is every change's.
  const repoName = componentName(candidate.repo.split('/').pop() ?? '');
  for (const [name, hint] of tokens) if (hint.startsWith('service=') && name === repoName) tokens.delete(name);
  if (tokens.size === 0) return undefined;
  for (const path of runtimePaths(candidate)) {
    const segments = path.split('/');
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] ?? '';
      const stem = i === segments.length - 1 ? segment.replace(/\.[^.]+$/, '') : segment;
      const hint = tokens.get(componentName(stem));
      if (hint) {
        const where = i === segments.length - 1 ? path : `${segments.slice(0, i + 1).join('/')}/`;
        return { feature: 'component_hint', weight: WEIGHTS.componentHint, reason: `changes ${where}, named by the alert (${hint})` };
      }
    }
  }
  return undefined;
};

/** Hex strings of 7–40 characters with a digit in them: commit SHAs in image tags, version labels, annotations. */
function hintedShas(facts: IncidentFacts): { sha: string; label: string }[] {
  const found: { sha: string; label: string }[] = [];
  for (const [label, value] of [...Object.entries(facts.labels), ...Object.entries(facts.annotations)]) {
    for (const token of value.toLowerCase().split(/[^0-9a-z]+/)) {
      if (/^[0-9a-f]{7,40}$/.test(token) && /\d/.test(token)) found.push({ sha: token, label });
    }
  }
  return found;
}

function hintedVersions(facts: IncidentFacts): { version: string; label: string }[] {
  const found: { version: string; label: string }[] = [];
  for (const [label, value] of [...Object.entries(facts.labels), ...Object.entries(facts.annotations)]) {
    for (const token of value.split(/[\s:@/,=]+/)) {
      const version = token.replace(/^v/i, '');
      if (/^\d+\.\d+(\.\d+)?([-+][\w.]+)?$/.test(version)) found.push({ version, label });
    }
  }
  return found;
}

/** How long a named release may have run before the error for the name to count in full. */
const RELEASE_RAN_MS = 2 * 3_600_000;

/**
 * The alert names the commit or release it ran (a Sentry `release` tag, an image tag). That says
 * the change was running; it says the change brought the error when the error began with it. A
 * release that had run for hours before the first error counts half: it ran that long without it.
 */
export const commitHint: Feature = (candidate, { facts, firstAlertMs, alertingEnvironment }) => {
  const matches = (sha: string | undefined, hint: string): boolean => sha !== undefined && sha !== '' && (sha.toLowerCase().startsWith(hint) || hint.startsWith(sha.toLowerCase()));
  for (const hint of hintedShas(facts)) {
    const own = matches(candidate.sha, hint.sha);
    const shipping = candidate.deployments.filter((d) => own || matches(d.sha, hint.sha));
    if (!own && shipping.length === 0) continue;
    // How long it ran where the alert fires: a later deployment of the same commit to staging says nothing about that.
    const here = shipping.filter((d) => sameEnvironment(d.environment, alertingEnvironment));
    const deployed = (here.length ? here : shipping).map((d) => Date.parse(d.at)).filter((at) => at <= firstAlertMs);
    const ranMs = deployed.length ? firstAlertMs - Math.max(...deployed) : 0;
    const reason = `the alert names commit ${hint.sha.slice(0, 7)} (${hint.label}), which shipped this change`;
    if (ranMs <= RELEASE_RAN_MS) return { feature: 'commit_hint', weight: WEIGHTS.commitHint, reason };
    return { feature: 'commit_hint', weight: WEIGHTS.commitHint / 2, reason: `${reason}; it ran ${formatDuration(ranMs)} before the first alert` };
  }
  if (candidate.kind === 'release') {
    const tag = candidate.tag.replace(/^v/i, '');
    const hint = hintedVersions(facts).find((h) => h.version === tag);
    if (hint) return { feature: 'commit_hint', weight: WEIGHTS.commitHint, reason: `the alert names release ${candidate.tag} (${hint.label})` };
  }
  return undefined;
};

function pathsOfKind(candidate: ChangeCandidate, kind: PathKind, alertingEnvironment: string): string[] {
  // Settings of another environment only cannot act here; `otherEnvironment` speaks for those.
  return candidate.paths.filter((path) => classifyPath(path) === kind && !namesOnlyOtherEnvironments(path, alertingEnvironment));
}

function namesOnlyOtherEnvironments(path: string, alertingEnvironment: string): boolean {
  const named = environmentsNamedBy(path);
  return named.length > 0 && !named.includes(canonicalEnvironment(alertingEnvironment));
}

const hasLabel = (candidate: ChangeCandidate, names: readonly string[]): string | undefined => candidate.labels.find((label) => names.includes(label.toLowerCase()));

export const migration: Feature = (candidate, { alertingEnvironment }) => {
  const paths = pathsOfKind(candidate, 'migration', alertingEnvironment);
  const label = hasLabel(candidate, ['migration', 'db-migration', 'database-migration', 'schema-change']);
  if (!paths.length && !label) return undefined;
  return { feature: 'migration', weight: WEIGHTS.migration, reason: paths.length ? `database migration (${listed(paths, 1)})` : `database migration (labelled ${label})` };
};

/** The alert names something this change touches: a file, its words, the area it is about. */
function matchesAlert(candidate: ChangeCandidate, { alert, corpus }: FeatureContext): boolean {
  return fileEvidence(candidate, alert, corpus) !== undefined || (wordEvidence(candidate, alert, corpus)?.weight ?? 0) >= RELATED_WORDS || domainTouched(candidate, alert.domains) !== undefined;
}

/**
 * Config and infrastructure act when they are loaded: a bad value fails at start-up or at the
 * first request, so most such culprits show within minutes. The ones that wait (a pool too small
 * for the morning peak, a memory limit a slow leak reaches) wait for a symptom the alert then
 * names. So a config or infrastructure change that ran for hours before an alert naming nothing it
 * sets weighs less than its kind alone says: modelled as a delay with a third of the usual scale
 * (τ/3, the `timing` feature's Lomax), the log ratio of the two densities, only where negative:
 * −0.6 after 2 h, −0.8 after 4 h, towards −1.1. Not for jobs that run less often than every two
 * hours (their next run is the symptom's time).
 */
function settledWeight(candidate: ChangeCandidate, context: FeatureContext): { weight: number; said: string } | undefined {
  if (context.schedule && context.schedule.periodMs / MINUTE >= FREQUENT_JOB_MINUTES) return undefined;
  const live = liveSince(delivery(candidate, context));
  if (!live) return undefined;
  const delta = (context.firstAlertMs - live.atMs) / MINUTE;
  if (delta <= 0 || matchesAlert(candidate, context)) return undefined;
  const fast = live.scaleMinutes * WEIGHTS.settledDelayShare;
  const weight = Math.log(live.scaleMinutes / fast) - 2 * Math.log((1 + delta / fast) / (1 + delta / live.scaleMinutes));
  if (weight > -0.05) return undefined;
  return { weight, said: `; live ${formatDuration(delta * MINUTE)} before the alert, which names nothing it sets: such changes break when loaded` };
}

export const config: Feature = (candidate, context) => {
  const { alertingEnvironment } = context;
  const paths = pathsOfKind(candidate, 'config', alertingEnvironment);
  const label = hasLabel(candidate, ['config', 'configuration', 'feature-flag', 'feature-flags']);
  if (!paths.length && !label) return undefined;
  const forHere = paths.filter((path) => environmentsNamedBy(path).includes(canonicalEnvironment(alertingEnvironment)));
  const settled = settledWeight(candidate, context);
  const weight = (forHere.length ? WEIGHTS.configForAlertingEnvironment : WEIGHTS.config) + (settled?.weight ?? 0);
  const reason = forHere.length ? `${alertingEnvironment} config change (${listed(forHere, 1)})` : paths.length ? `config change (${listed(paths, 1)})` : `config change (labelled ${label})`;
  return { feature: 'config', weight, reason: reason + (settled?.said ?? '') };
};

export const infrastructure: Feature = (candidate, context) => {
  const paths = pathsOfKind(candidate, 'infrastructure', context.alertingEnvironment);
  const label = hasLabel(candidate, ['infrastructure', 'infra', 'terraform']);
  if (!paths.length && !label) return undefined;
  const settled = settledWeight(candidate, context);
  const reason = paths.length ? `infrastructure change (${listed(paths, 1)})` : `infrastructure change (labelled ${label})`;
  return { feature: 'infrastructure', weight: WEIGHTS.infrastructure + (settled?.weight ?? 0), reason: reason + (settled?.said ?? '') };
};

const BUMP_TITLE = /\b(bump|bumps|update|upgrade)\b.*?\b(?:from\s+v?(\d+)(?:[a-z_.+-][\w.+-]*)?\s+)?to\s+v?(\d+)([\w.+-]*)/i;
const DEPENDENCY_TITLE = /^(build|chore|fix)\(deps(-dev)?\)|^bump |^update (dependency|module|gem|package)|dependabot|renovate/i;

/** Packages only developers run: linters, formatters, type definitions, test runners, git hooks, component workshops. */
const DEVELOPMENT_PACKAGE_NAMES = String.raw`@types\/[\w.-]+|@typescript-eslint\/[\w.-]+|typescript-eslint|eslint[\w.-]*|@eslint\/[\w.-]+|prettier[\w.-]*|stylelint[\w.-]*|jest|ts-jest|babel-jest|@jest\/[\w.-]+|vitest|@vitest\/[\w.-]+|mocha|chai|sinon|nyc|c8|@testing-library\/[\w.-]+|playwright|@playwright\/test|cypress|husky|lint-staged|@commitlint\/[\w.-]+|commitlint|nodemon|storybook|@storybook\/[\w.-]+|chromatic|@changesets\/cli|typescript|ts-node|pytest[\w.-]*|black|ruff|flake8[\w.-]*|mypy|types-[\w.-]+|pylint|isort|coverage|tox|pre-commit|ipdb|freezegun|rubocop[\w.-]*|rspec[\w.-]*|simplecov|pry[\w.-]*|byebug|golangci-lint|phpunit\/phpunit|phpstan\/phpstan|squizlabs\/php_codesniffer|ktlint|detekt|junit[\w.-]*|mockito[\w.-]*|assertj[\w.-]*|criterion|proptest`;
const DEVELOPMENT_PACKAGES = new RegExp(String.raw`(^|[\s/\`"'[(])(${DEVELOPMENT_PACKAGE_NAMES})(?=$|[\s\`"')\],:@]|\sfrom\s|\sto\s)`, 'i');
const DEVELOPMENT_PACKAGE = new RegExp(String.raw`^(?:${DEVELOPMENT_PACKAGE_NAMES})$`, 'i');

/** Lockfiles: they follow the manifests, so what changed is read from the manifests. */
const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'go.sum', 'poetry.lock', 'pipfile.lock', 'uv.lock', 'gemfile.lock', 'cargo.lock', 'composer.lock', 'mix.lock', 'packages.lock.json', 'gradle.lockfile']);
const isLockfile = (path: string): boolean => LOCKFILES.has((path.split('/').pop() ?? '').toLowerCase());

/**
 * From the patches, when known: every changed line of the manifests is in a development section
 * (`devDependencies`, a Poetry dev group, `require-dev`) or names a development tool.
 */
function developmentByPatch(candidate: ChangeCandidate, runtime: string[]): string | undefined {
  const manifests = runtime.filter((path) => !isLockfile(path));
  const patches = candidate.patches;
  if (!patches || manifests.length === 0 || !manifests.every((path) => patches[path] !== undefined)) return undefined;
  const changes = manifests.flatMap((path) => manifestChanges(patches[path] ?? ''));
  if (changes.length === 0) return undefined;
  const sections = new Set<string>();
  for (const change of changes) {
    if (change.section && isDevelopmentSection(change.section)) sections.add(change.section);
    else if (!(change.name && DEVELOPMENT_PACKAGE.test(change.name))) return undefined;
  }
  return sections.size ? `development dependencies only (${[...sections].slice(0, 2).join(', ')} of ${listed(manifests, 1)})` : `development tools only (${listed(manifests, 1)})`;
}

/**
 * A dependency update that only touches development tools (`chore(deps-dev)`, Dependabot's
 * `dependency-type: direct:development`, a dev requirements file, a linter or test runner by name,
 * or, when the diff is known, only the development sections of the manifests) never reaches
 * production: the why, or undefined.
 */
export function developmentOnly(candidate: ChangeCandidate): string | undefined {
  const runtime = runtimePaths(candidate);
  if (runtime.length === 0 || !runtime.every((path) => classifyPath(path) === 'dependency')) return undefined;
  const body = candidate.body ?? '';
  if (/dependency-type:\s*direct:production/i.test(body)) return undefined;
  if (/\(deps-dev\)|\bdev[- ]?dependenc/i.test(candidate.title)) return `a development dependency (${candidate.title})`;
  if (/dependency-type:\s*direct:development/i.test(body)) return 'a development dependency, per its description (dependency-type: direct:development)';
  if (runtime.every(isDevelopmentManifest)) return `development requirements only (${listed(runtime, 1)})`;
  const byPatch = developmentByPatch(candidate, runtime);
  if (byPatch) return byPatch;
  const named = DEVELOPMENT_PACKAGES.exec(candidate.title)?.[2];
  if (named && /\b(bump|bumps|update|upgrade)\b/i.test(candidate.title)) return `a development tool (${named})`;
  return undefined;
}

export const dependencyBump: Feature = (candidate) => {
  const paths = candidate.paths.filter((path) => classifyPath(path) === 'dependency');
  const label = hasLabel(candidate, ['dependencies', 'dependency', 'deps']);
  const titled = DEPENDENCY_TITLE.test(candidate.title);
  if (!paths.length && !label && !titled) return undefined;
  const development = developmentOnly(candidate);
  if (development) return { feature: 'dependency_bump', weight: WEIGHTS.inertOnly, reason: `updates ${development}, which does not run in production` };
  // GitHub keeps titles to 256 characters; a bound keeps the lazy scan linear for any other source.
  const bump = BUMP_TITLE.exec(candidate.title.slice(0, 256));
  const from = bump?.[2];
  const to = bump?.[3];
  // Renovate titles a major update "Update dependency x to v8" (no minor part); Dependabot gives both versions.
  const major = from !== undefined ? from !== to : Boolean(to && bump?.[4] === '' && /\bv\d+\b/i.test(candidate.title));
  const what = paths.length ? listed(paths, 1) : candidate.title;
  return major
    ? { feature: 'dependency_bump', weight: WEIGHTS.majorDependencyBump, reason: `major dependency bump (${candidate.title})` }
    : { feature: 'dependency_bump', weight: WEIGHTS.dependencyBump, reason: `dependency bump (${what})` };
};

/** The package a bump's title names: `Bump node-fetch from 2.7.0 to 3.3.2`, `Update dependency pg to v8`. */
const BUMPED_PACKAGE = /\b(?:bump|bumps|update|upgrade)\s+(?:the\s+)?(?:dependency\s+|module\s+|gem\s+|package\s+)?([@\w./-]+?)\s+(?:from|to|requirement)\b/i;

/**
 * The alert's stack trace runs into an installed package's own files (`node_modules/node-fetch/…`,
 * `site-packages/sqlalchemy/…`) and this change bumps that package: the error is raised inside
 * what the bump replaced. An innocent change that touches the calling file names the caller only.
 */
export const packageFrame: Feature = (candidate, { alert }) => {
  if (candidate.kind !== 'pull' || (alert.packageFrames.size === 0 && alert.packagesNamed.size === 0)) return undefined;
  const bumped = BUMPED_PACKAGE.exec(candidate.title.slice(0, 256))?.[1];
  if (!bumped) return undefined;
  // `@sentry/node` may be written without its scope in a trace; a package ships its engine as
  // `<name>-core` or `<name>-common` (`puppeteer` installs `puppeteer-core`), which its bump brings
  // too, and its family as `<name>-<part>` (`pg` brings `pg-pool`; a version, `pg-1.5.4`, is no part).
  const key = packageKey(bumped);
  const bare = bumped.replace(/^@[\w.-]+\//, '');
  const family = new RegExp(`(?:^|/)${escapeRegExp(bare)}[-_](?!\\d)`, 'i');
  const frame =
    alert.packageFrames.get(key) ??
    alert.packageFrames.get(packageKey(bare)) ??
    [...alert.packageFrames].find(([name]) => name === `${key}core` || name === `${key}common`)?.[1] ??
    [...alert.packageFrames.values()].find((written) => family.test(written));
  if (frame) return { feature: 'package_frame', weight: WEIGHTS.packageNamed, reason: `the alert's stack runs into \`${frame}\`; this PR bumps ${bumped}` };
  // The error names the library itself (`see github.com/date-fns/date-fns/…`): what raised it is what the bump replaced.
  const named = alert.packagesNamed.get(key) ?? alert.packagesNamed.get(packageKey(bare));
  if (!named) return undefined;
  return { feature: 'package_frame', weight: WEIGHTS.packageNamed, reason: `the alert names \`${named}\`; this PR bumps ${bumped}` };
};

export const riskyLabel: Feature = (candidate) => {
  const label = hasLabel(candidate, ['risky', 'high-risk', 'risk:high', 'risk: high', 'breaking', 'breaking-change', 'breaking change']);
  return label ? { feature: 'risky_label', weight: WEIGHTS.riskyLabel, reason: `labelled ${label}` } : undefined;
};

export const otherEnvironment: Feature = (candidate, { alertingEnvironment }) => {
  const runtime = runtimePaths(candidate);
  const settingOfElsewhere = (path: string): boolean => ['config', 'infrastructure'].includes(classifyPath(path)) && namesOnlyOtherEnvironments(path, alertingEnvironment);
  if (runtime.length === 0 || !runtime.every(settingOfElsewhere)) return undefined;
  const named = [...new Set(runtime.flatMap(environmentsNamedBy))];
  return { feature: 'other_environment', weight: WEIGHTS.otherEnvironmentOnly, reason: `changes only ${named.join(' and ')} settings (${listed(runtime, 1)}), not ${alertingEnvironment}` };
};

export const size: Feature = (candidate) => {
  const lines = candidate.additions + candidate.deletions;
  const weight = Math.min(WEIGHTS.sizeMax, WEIGHTS.sizePerDoubling * Math.log2(1 + lines / 100));
  if (weight < 0.1) return undefined;
  const count = lines.toLocaleString('en-US');
  return { feature: 'size', weight, reason: lines >= 500 ? `large change (${count} lines)` : `change of ${count} lines` };
};

/** Change events say which service they are for (their routing key's): the alerting one, or another. */
const changeService: Feature = (candidate, { facts }) => {
  if (candidate.kind !== 'change' || !candidate.service) return undefined;
  if (candidate.service.toLowerCase() === facts.service.toLowerCase()) return { feature: 'change_service', weight: WEIGHTS.changeForService, reason: `reported for ${facts.service}, the alerting service` };
  return { feature: 'change_service', weight: WEIGHTS.changeForOtherService, reason: `reported for ${candidate.service}, not ${facts.service}` };
};

export const revert: Feature = (candidate) => {
  if (!candidate.isRevert) return undefined;
  const reason = candidate.kind === 'deployment' ? 'deploys an older commit than what ran before (a rollback)' : 'is itself a revert of an earlier change';
  return { feature: 'revert', weight: WEIGHTS.revert, reason };
};

/**
 * The alert names a file the change touches. When the error is a failed connection, the frame is
 * only where the call was made (every caller of that client fails alike), so the file counts half.
 */
const alertFile: Feature = (candidate, { alert, corpus }) => {
  const match = fileEvidence(candidate, alert, corpus);
  if (!match) return undefined;
  const parts: ReasonPart[] = [...match.parts];
  let weight = match.weight;
  if (alert.connectionFailure) {
    parts.push(' (the error is a failed connection, ', { code: alert.connectionFailure }, ', raised wherever the call was made)');
    weight *= WEIGHTS.connectionFrameFactor;
  }
  const missing = quotedElsewhere(candidate, alert, corpus);
  if (missing) {
    parts.push('; its diff does not have ', { code: missing.text }, ', which the error quotes and another change does');
    weight *= MATCH_WEIGHTS.farFromLine;
  }
  return { feature: 'alert_file', weight, reason: plainReason(parts), parts };
};

/**
 * A name the error quotes (`KeyError: 'vat_rate'`) that another change's diff carries while this
 * one's known diff does not: the named file is where the name is read, the other change is where
 * it was written. The file then counts as a file changed far from the failing line.
 */
function quotedElsewhere(candidate: ChangeCandidate, alert: FeatureContext['alert'], corpus: Corpus): AlertValue | undefined {
  if (changeDocument(candidate).changedTextByPath.size === 0) return undefined;
  return alert.values.find((value, index) => value.kind === 'quoted' && (corpus.valueFrequency[index] ?? 0) > 0 && valueOccurrence(candidate, value) === undefined);
}

const alertValue: Feature = (candidate, { alert, corpus }) => {
  const match = valueEvidence(candidate, alert, corpus);
  return match ? { feature: 'alert_value', weight: match.weight, reason: plainReason(match.parts), parts: match.parts } : undefined;
};

const alertWords: Feature = (candidate, context) => {
  const match = wordEvidence(candidate, context.alert, context.corpus);
  if (!match) return undefined;
  // A named file already says most of what its path's words would; a failed connection names the caller and the endpoint, not the fault.
  const halved = fileEvidence(candidate, context.alert, context.corpus) ? match.weight / 2 : match.weight;
  const weight = context.alert.connectionFailure ? halved * WEIGHTS.connectionFrameFactor : halved;
  return { feature: 'alert_words', weight, reason: plainReason(match.parts), parts: match.parts };
};

/**
 * The change matches nothing the alert says (`mismatchEvidence`), or, for an alert about the
 * database, memory or a queue (`alertDomain.ts`) that names too little to go by, it touches
 * neither that area nor anything the alert names: the engineer reads it last. A culprit of such an
 * alert touches the area most of the time (a query, a cache, a consumer), a bystander rarely, so
 * not touching it weighs a little against: −0.5, like a telling alert matched by nothing.
 */
export const alertMismatch: Feature = (candidate, { alert, corpus }) => {
  // Touching what the alert is about (its database, its queue) is a match of a kind.
  if (domainTouched(candidate, alert.domains)) return undefined;
  const match = mismatchEvidence(candidate, alert, corpus);
  if (match) return { feature: 'alert_mismatch', weight: match.weight, reason: plainReason(match.parts), parts: match.parts };
  const cue = alert.domains[0];
  if (!cue || fileEvidence(candidate, alert, corpus) || (wordEvidence(candidate, alert, corpus)?.weight ?? 0) >= 0.3) return undefined;
  const parts: ReasonPart[] = [`it touches nothing of what the alert is about (${DOMAIN_NOUN[cue.domain]}: `, { code: cue.said }, ')'];
  return { feature: 'alert_mismatch', weight: MATCH_WEIGHTS.unmatchedWords, reason: plainReason(parts), parts };
};

const DOMAIN_NOUN = { database: 'the database', memory: 'memory', queue: 'a queue' } as const;

/**
 * A change to the data store itself rather than to the service that uses it: a migration, an
 * infrastructure change (nodes, disks, instance sizes), or one whose paths, title or diff set the
 * store's shards, replicas, replication, retention or disk. It may well bring about the store's
 * own states (`externalCause.ts`, `datastore`), so those do not weigh against it.
 */
function touchesDataStore(candidate: ChangeCandidate): boolean {
  if (candidate.paths.some((path) => ['migration', 'infrastructure'].includes(classifyPath(path)))) return true;
  const text = [candidate.title, ...candidate.paths, ...changeDocument(candidate).changedText].join('\n');
  return DATASTORE_SETTINGS.test(text);
}

/** A change to certificates, TLS settings or secrets: it may well break a handshake or be the rotation. */
function touchesCredentials(candidate: ChangeCandidate): boolean {
  return [candidate.title, ...candidate.paths].some((text) => CREDENTIAL_SETTINGS.test(text));
}

/**
 * A change that replaces or issues a certificate, key or secret: only such a change makes one
 * expire (a TLS version or cipher setting cannot), so only it is spared an expiry.
 */
function replacesCredentials(candidate: ChangeCandidate): boolean {
  return [candidate.title, ...candidate.paths].some((text) => EXPIRING_CREDENTIALS.test(text));
}

/** A change to how dates and times are handled: a date the code meets for the first time may trip it. */
function touchesDateHandling(candidate: ChangeCandidate): boolean {
  return [candidate.title, ...candidate.paths, ...changeDocument(candidate).changedText].some((text) => DATE_HANDLING.test(spaced(text)));
}

/** Alert words it takes for a change to count as touching the dependency the alert names. */
const RELATED_WORDS = 0.7;

const EXTERNAL_REASONS: Record<ExternalKind, [string, string]> = {
  provider: ['the alert says a dependency failed (', '), which a change here rarely causes'],
  platform: ['the alert says the platform failed (', '), which a deploy rarely causes'],
  datastore: ['the alert says the data store itself is unhealthy (', '), which a deploy of the service rarely causes'],
  zone: ['the alert says the failure is confined to one zone or region (', '), while a deploy reaches all of them'],
  demand: ['the alert says traffic surged (', '), whatever changed'],
  dependency: ['the alert says calls to a dependency fail (', ') and this change does not touch it'],
  expiry: ['the alert says a certificate or credential expired (', '), which happens on a date, not with a deploy; this change touches no certificate or secret'],
  quota: ['the alert says a usage quota is used up (', '), which use fills over days, not a change'],
  growth: ['the alert says a resource grew steadily over days (', '), a trend older than this change'],
  shared: ['the alert says other services fail the same way (', '), which a deploy of this one does not reach'],
  notice: ['the provider or platform announces its own incident or maintenance (', '), which no change here brings about'],
  unchanged: ['the alert says the service\'s own work is unchanged (', '), which a change to it would not leave'],
  neighbour: ['the alert names another workload as the load (', '), which this change does not touch'],
  clock: ['the alert says a clock is off (', '), which fails every release alike'],
  exhausted: ['the alert says an identifier space ran out (', '), which rows fill over years, not a deploy'],
  dns: ['the alert says name resolution itself fails (', '), which a wrong name in a change would answer with NXDOMAIN instead'],
  retired: ['the alert says the other side retired what the service calls (', '), which goes on its date, not with a deploy'],
  rotated: ['the alert says a secret changed outside the service\'s changes (', '), and the failures began with it'],
  recurring: ['the alert says the failure happens without this change too (', '), on an older release or long before'],
  standing: ['the alert says the condition began days ago (', '), before the changes in the window'],
  hardware: ['the alert says hardware failed (', '), which no deploy reaches'],
  scoped: ['the alert says only part of what runs the same release fails (', '), so what sets that part apart is not the code'],
  calendar: ['the alert says the failure comes with a date (', '), which code that has run for years meets for the first time; this change does not touch date handling'],
};

/** Whether the change carries the name of the workload the alert names as the load (its own job, its own role). */
function namesWorkload(candidate: ChangeCandidate, said: string): boolean {
  const words = said.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4 && !['queries', 'query', 'analytics'].includes(w));
  if (words.length === 0) return false;
  const text = [candidate.title, candidate.body ?? '', ...candidate.paths, ...changeDocument(candidate).changedText].join('\n').toLowerCase();
  return words.some((w) => text.includes(w));
}

/**
 * What the alert says about a cause outside the changes (`externalCause.ts`): each kind it says
 * weighs against every change, except that a change carrying the alert's words is spared the
 * ambiguous `dependency` kind (a lowered client timeout is a classic culprit of timeouts).
 */
export const externalCause: Feature = (candidate, { alert, corpus }) => {
  if (alert.external.length === 0) return undefined;
  const related = fileEvidence(candidate, alert, corpus) !== undefined || (wordEvidence(candidate, alert, corpus)?.weight ?? 0) >= RELATED_WORDS;
  const applied = alert.external.filter(
    (signal) =>
      (signal.kind !== 'dependency' || !related) &&
      (signal.kind !== 'datastore' || !touchesDataStore(candidate)) &&
      (signal.kind !== 'expiry' || !replacesCredentials(candidate)) &&
      (signal.kind !== 'rotated' || !touchesCredentials(candidate)) &&
      (signal.kind !== 'neighbour' || !namesWorkload(candidate, signal.said)) &&
      (signal.kind !== 'calendar' || !touchesDateHandling(candidate)),
  );
  const strongest = [...applied].sort((a, b) => EXTERNAL_WEIGHTS[a.kind] - EXTERNAL_WEIGHTS[b.kind])[0];
  if (!strongest) return undefined;
  const weight = Math.max(Math.min(EXTERNAL_MAX, EXTERNAL_WEIGHTS[strongest.kind]), applied.reduce((sum, signal) => sum + EXTERNAL_WEIGHTS[signal.kind], 0));
  const [before, after] = EXTERNAL_REASONS[strongest.kind];
  const more = applied.length > 1 ? `; it also says ${applied.filter((s) => s !== strongest).map((s) => `\`${s.said}\``).join(', ')}` : '';
  const parts: ReasonPart[] = [before, { code: strongest.said }, after + more];
  return { feature: 'external_cause', weight, reason: plainReason(parts), parts };
};

/**
 * The alert is about the database, memory or a queue (`alertDomain.ts`) and this change touches
 * that area (a repository class, a cache, a consumer): the change an engineer reads first.
 */
export const alertDomain: Feature = (candidate, { alert }) => {
  const touched = domainTouched(candidate, alert.domains);
  if (!touched) return undefined;
  const parts: ReasonPart[] = [`the alert is about ${DOMAIN_NOUN[touched.cue.domain]} (`, { code: touched.cue.said }, `); this ${candidate.kind === 'pull' ? 'PR' : candidate.kind} touches ${touched.noun} (`, { code: touched.what }, ')'];
  return { feature: 'alert_domain', weight: WEIGHTS.alertDomain, reason: plainReason(parts), parts };
};

/** Alerts about what a page shows or how fast it paints: styles and images can cause those. */
const FRONTEND_ALERT = /\b(lcp|cls|inp|fid|web vitals|render(?:ing)?|hydration|page ?views?|layout|browser|javascript|frontend|ui|css|images?)\b/i;

/**
 * Styles, translations and images only: they ship, but rarely break a service (a missing
 * translation names its key, and then the alert's words speak). Weighs against the change unless
 * the alert is about a page's rendering or names what the change touches.
 */
export const presentationOnly: Feature = (candidate, { alert, corpus, facts }) => {
  const runtime = runtimePaths(candidate);
  if (runtime.length === 0 || !runtime.every((path) => classifyPath(path) === 'presentation')) return undefined;
  if (fileEvidence(candidate, alert, corpus) || (wordEvidence(candidate, alert, corpus)?.weight ?? 0) >= RELATED_WORDS) return undefined;
  const said = [...(facts.statements ?? []).map((s) => s.text), ...Object.values(facts.labels)].join('\n');
  if (FRONTEND_ALERT.test(spaced(said))) return undefined;
  return { feature: 'presentation_only', weight: WEIGHTS.presentationOnly, reason: `changes only styles, translations or images (${listed(runtime, 1)}), which rarely break a service` };
};

/** Titles of changes that only add or adjust what the service reports about itself. */
const TELEMETRY_TITLE = /\b(?:log(?:s|ging)?|metrics?|spans?|tracing|traces|histograms?|instrument(?:ation)?|telemetry|dashboards?|panels?)\b/i;
/** …unless the title says it also changes what the service does or stores. */
const NOT_ONLY_TELEMETRY = /\b(?:audit|format|parse[rs]?|retention|rotat\w*|sampl\w*|fix\w*|retr(?:y|ies)|timeouts?|cache|limits?|queue|batch\w*|schema|table|migrat\w*)\b/i;
/** Alerts about what telemetry itself can exhaust: disks, memory, CPU, the metrics or log pipeline. */
const TELEMETRY_ALERT = /\b(?:(?:disk|volume)s?\b[^.;\n]{0,20}?\b(?:space|usage|full|free|filling|fills|pressure|\d+%)|(?:disk|volume) (?:space|usage|full|pressure)|no space left|inode|memory|oom\w*|heap|gc|garbage|cpu|logging|log (?:volume|rate|lines|bytes|size|ingest\w*|shipping)|cardinality|series|metrics? (?:pipeline|ingest\w*|backend)|ingest\w*|telemetry|otel)\b/i;

/**
 * A change that only adds a log line, a metric, a span's attributes or a dashboard panel: it ships,
 * but what the service does is the same, so it rarely breaks production (a high-cardinality tag
 * filling memory, debug logging filling a disk are the exceptions, and their alerts say so). Read
 * from the title; weighs against the change unless the alert is about what telemetry can exhaust.
 */
export const telemetryOnly: Feature = (candidate, { facts }) => {
  if (candidate.kind !== 'pull' || !TELEMETRY_TITLE.test(candidate.title) || NOT_ONLY_TELEMETRY.test(candidate.title)) return undefined;
  if (runtimePaths(candidate).length === 0) return undefined;
  const said = [facts.service, ...(facts.statements ?? []).map((s) => s.text), ...Object.values(facts.labels)].join('\n');
  if (TELEMETRY_ALERT.test(spaced(said))) return undefined;
  return { feature: 'telemetry_only', weight: WEIGHTS.telemetryOnly, reason: `only adds to what the service reports about itself (${candidate.title}), which rarely breaks it` };
};

/** Every feature, in the order their evidence is listed when weights tie. */
const FEATURES: readonly { name: FeatureName; evaluate: Feature }[] = [
  { name: 'timing', evaluate: timing },
  { name: 'commit_hint', evaluate: commitHint },
  { name: 'alert_file', evaluate: alertFile },
  { name: 'alert_words', evaluate: alertWords },
  { name: 'alert_value', evaluate: alertValue },
  { name: 'alert_mismatch', evaluate: alertMismatch },
  { name: 'external_cause', evaluate: externalCause },
  { name: 'alert_domain', evaluate: alertDomain },
  { name: 'presentation_only', evaluate: presentationOnly },
  { name: 'telemetry_only', evaluate: telemetryOnly },
  { name: 'service_paths', evaluate: servicePaths },
  { name: 'change_service', evaluate: changeService },
  { name: 'flag_owner', evaluate: flagOwner },
  { name: 'component_hint', evaluate: componentHint },
  { name: 'inert_change', evaluate: inertChange },
  { name: 'other_environment', evaluate: otherEnvironment },
  { name: 'migration', evaluate: migration },
  { name: 'config', evaluate: config },
  { name: 'infrastructure', evaluate: infrastructure },
  { name: 'dependency_bump', evaluate: dependencyBump },
  { name: 'package_frame', evaluate: packageFrame },
  { name: 'risky_label', evaluate: riskyLabel },
  { name: 'size', evaluate: size },
  { name: 'revert', evaluate: revert },
];

/** Evidence that says what a change does, which matters only if it runs; timing says whether it does, a named commit that it does. */
const RUNNING_FEATURES: ReadonlySet<FeatureName> = new Set(['timing', 'commit_hint']);

/**
 * A change that never ran in the alerting environment (its deployment failed before anything
 * ran, or it was never deployed there) cannot have caused what fails there, however well what it
 * changes matches the alert: a match says the alert is about what the change touches, not that it
 * runs. Only a wrong record (a rollout outside the deploy tool, a status that lies) would make it
 * the culprit, and a match makes that no likelier. So its positive evidence of what it does counts
 * together at most `unshippedContentMax`; the rest is taken back here, in words. A half-rolled
 * deployment runs in part and is not held back; neither is a change whose commit the alert names.
 */
export function unshipped(candidate: ChangeCandidate, context: FeatureContext, evidence: readonly Evidence[]): Evidence | undefined {
  const how = delivery(candidate, context);
  if (!didNotShip(how) || evidence.some((e) => e.feature === 'commit_hint')) return undefined;
  const positive = evidence.filter((e) => !RUNNING_FEATURES.has(e.feature) && e.weight > 0).reduce((sum, e) => sum + e.weight, 0);
  if (positive <= WEIGHTS.unshippedContentMax) return undefined;
  const what = how.kind === 'failed' ? 'its deployment failed before it ran' : 'it was never deployed there';
  return { feature: 'not_shipped', weight: WEIGHTS.unshippedContentMax - positive, reason: `it does not run in ${context.alertingEnvironment} (${what}), so what it changes counts for little` };
}

export function evaluateFeatures(candidate: ChangeCandidate, context: FeatureContext): Evidence[] {
  const evidence = FEATURES.flatMap(({ evaluate }) => evaluate(candidate, context) ?? []);
  const held = unshipped(candidate, context, evidence);
  return held ? [...evidence, held] : evidence;
}

/** The note shown for a change left out because it is already reverted. */
export function revertedNote(candidate: ChangeCandidate, mainRepo?: string): string {
  const by = candidate.revertedBy === undefined ? '' : ` by ${candidate.repo === mainRepo ? '' : candidate.repo}#${candidate.revertedBy}`;
  return `${candidateReference(candidate, mainRepo)} already reverted${by} (excluded)`;
}
