import type { RepoRef } from '../repo/repoRef.ts';

/**
 * Every error firewatch throws on purpose, in one place, by what went wrong. Each says where it is
 * caught and what the person in front of firewatch sees then; anything else thrown is a bug and
 * reaches the runtime's edge (the server logs it, the CLI prints it and exits 1, the Action fails).
 *
 * Kinds:
 * - `input`: what someone gave firewatch is refused (a file, a folder, a body it cannot carry);
 * - `setup`: firewatch itself is not set up to run (variables, templates, the repository to act on);
 * - `upstream`: another service (a vendor API, GitHub, the app being toured) answered unusably;
 * - `busy`: another process holds the work (a lock); someone else does it;
 * - `invariant`: a caller broke a rule of the domain (a programming error, never a user's).
 */
export type ErrorKind = 'input' | 'setup' | 'upstream' | 'busy' | 'invariant';

export abstract class FirewatchError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

// input ------------------------------------------------------------------------------------------

/**
 * A vendor export folder (`firewatch import --from-dump`) is missing a file or has one of the wrong
 * shape. The CLI prints the message (which file, what is wrong) and exits 1.
 */
export class DumpError extends FirewatchError {
  readonly kind = 'input';
}

/**
 * The hidden data a body must carry is larger than GitHub accepts: cutting it would corrupt it.
 * The write is not made; the runtime logs the failure (the event is not half-written).
 */
export class HiddenBlockTooLargeError extends FirewatchError {
  readonly kind = 'input';
  constructor(
    readonly length: number,
    readonly limit: number,
  ) {
    super(`the hidden firewatch block is ${length.toLocaleString('en-US')} characters, over GitHub's ${limit.toLocaleString('en-US')}-character limit for a body`);
  }
}

// setup ------------------------------------------------------------------------------------------

/** A template directory that was asked for or searched for but is not usable. Start-up fails with the message, which names `FIREWATCH_TEMPLATES_DIR`. */
export class TemplatesNotFoundError extends FirewatchError {
  readonly kind = 'setup';
  constructor(
    readonly searched: string[],
    markerFile = 'incident.md.hbs',
  ) {
    super(`firewatch templates not found (looked for ${markerFile} in: ${searched.join(', ')}); set FIREWATCH_TEMPLATES_DIR to the templates directory`);
  }
}

/** One environment variable and what is wrong with it. */
export interface EnvProblem {
  variable: string;
  message: string;
}

/** The environment is unusable (`runtimes/env.ts`). The CLI and the server list every bad variable and exit 2. */
export class EnvError extends FirewatchError {
  readonly kind = 'setup';
  constructor(readonly problems: EnvProblem[]) {
    super(`invalid environment:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

/** The app is not installed on the repository alerts should go to. The alert is refused and not retried; the log says which repository. */
export class NotInstalledError extends FirewatchError {
  readonly kind = 'setup';
  constructor(readonly repo: RepoRef) {
    super(`the firewatch app is not installed on ${repo.owner}/${repo.repo}`);
  }
}

/** No repository to file incidents in: neither the config's routes nor the environment names one. The alert is not retried. */
export class NoIncidentRepoError extends FirewatchError {
  readonly kind = 'setup';
  constructor() {
    super('no incident repository is configured');
  }
}

/** The Action's scheduled sweep lacks `GITHUB_REPOSITORY` or a token. The step fails with the message (what to pass). */
export class ActionSweepError extends FirewatchError {
  readonly kind = 'setup';
}

// upstream ---------------------------------------------------------------------------------------

/**
 * PagerDuty or Opsgenie could not be reached or answered unusably (`firewatch import`). `status` is
 * the HTTP status when there was one (403 and 404 on optional endpoints are tolerated). The CLI
 * prints the message (vendor, request, why, and a hint for 401/403) and exits 1.
 */
export class VendorApiError extends FirewatchError {
  readonly kind = 'upstream';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** GitHub's GraphQL answer about a repository's changes has an unexpected shape. Nothing is written from a guess: the error reaches the runtime's edge, which logs it. */
export class ChangesResponseError extends FirewatchError {
  readonly kind = 'upstream';
  constructor(
    readonly repo: string,
    readonly problem: string,
  ) {
    super(`unexpected GitHub GraphQL response for ${repo}: ${problem}`);
  }
}

/** `firewatch demo`: the app or the sandbox did not react as the tour expects. The CLI prints `error: <message>` (what it waited for, what to check) and exits 1. */
export class DemoStepError extends FirewatchError {
  readonly kind = 'upstream';
}

// busy -------------------------------------------------------------------------------------------

/** Another process holds the lock for `key`. The scheduler logs that the holder sweeps and skips this run; nobody else sees it. */
export class LockTimeoutError extends FirewatchError {
  readonly kind = 'busy';
  constructor(
    readonly key: string,
    waitedMs: number,
  ) {
    super(`could not take the lock for ${key} within ${waitedMs} ms`);
  }
}

// invariant --------------------------------------------------------------------------------------

/** Correlation was asked about an incident without alerts; callers only correlate alert-born incidents. */
export class NoAlertsError extends FirewatchError {
  readonly kind = 'invariant';
  constructor() {
    super('an incident needs at least one alert to correlate');
  }
}
