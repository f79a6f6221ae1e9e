import type { IdentitySource } from '../../services/identity.ts';
import { Counter, type Registry } from 'prom-client';
import { isDue, type Clock } from '../../domain/time/clock.ts';
import type { ConfigResult } from '../../domain/config/config.ts';
import { sweep, SweepMemory, type SweepOctokit, type SweepResult } from '../../features/sweeps/sweep.ts';
import type { RenderSweep } from '../../features/sweeps/renderSweep.ts';
import type { Log } from '../../services/log.ts';
import type { RepoRef } from '../../adapters/github/types.ts';
import type { KeyLock } from '../../services/keyLock.ts';
import type { StateSeal } from '../../domain/incident/stateSeal.ts';
import { PRIORITY, withPriority } from '../../adapters/octokit/requestPriority.ts';
import type { AfterSweepTask } from '../../features/sweeps/afterSweepTask.ts';
import { LockTimeoutError } from '../../domain/errors/errors.ts';

export type { AfterSweepTask } from '../../features/sweeps/afterSweepTask.ts';

interface SweepMetrics {
  sweeps: Counter<'outcome'>;
  actions: Counter<'reason'>;
  ackSloBreaches: Counter;
}

const metricsByRegistry = new WeakMap<Registry, SweepMetrics>();

/** The sweep's counters on a registry, created once per registry. */
function sweepMetrics(registry: Registry): SweepMetrics {
  let metrics = metricsByRegistry.get(registry);
  if (!metrics) {
    const registers = [registry];
    metrics = {
      sweeps: new Counter({ name: 'firewatch_sweeps_total', help: 'Scheduled sweeps by outcome: ok, failed, skipped (another replica held the lease).', labelNames: ['outcome'], registers }),
      actions: new Counter({ name: 'firewatch_sweep_actions_total', help: 'Writes made by sweeps, by reason (ack-slo, escalation, stale, postmortem, review, handoff).', labelNames: ['reason'], registers }),
      ackSloBreaches: new Counter({ name: 'firewatch_ack_slo_breaches_total', help: 'Incidents that were not acknowledged within their ack SLO.', registers }),
    };
    metricsByRegistry.set(registry, metrics);
  }
  return metrics;
}


export interface SweepRunnerOptions<O extends SweepOctokit = SweepOctokit> {
  /**
   * The repositories to sweep, or a function giving them on every run (the server's list of
   * installed repositories, cached so a quiet tick costs no request for it).
   */
  repos: readonly RepoRef[] | (() => Promise<readonly RepoRef[]>);
  /** Run after each repository's sweep (not on a dry run, not when the sweep failed). */
  after?: readonly AfterSweepTask<NoInfer<O>>[];
  octokitFor: (repo: RepoRef) => Promise<O>;
  loadConfig: (octokit: O, repo: RepoRef) => Promise<ConfigResult>;
  clock: Clock;
  log: Log;
  /** A shared lease (Redis) so replicas never sweep one repository at the same time; default in-process only. */
  lock?: KeyLock;
  /** The per-incident serialization every writer of an incident shares (`Coordination.serialize`): reminders are re-checked and written under it. */
  serialize?: KeyLock;
  registry?: Registry;
  render?: RenderSweep;
  /** Config is re-read after this long (real time); sweeping every minute should not read it every minute. */
  configTtlMs?: number;
  /** Real time, for the config cache (tests inject it). */
  monotonicNow?: () => number;
  /** Verifies incident state blocks; default none. */
  stateSeal?: StateSeal;
  /** Who firewatch is: only its own markers count as reminders sent. */
  identity: IdentitySource;
}

export interface SweepRunner {
  /**
   * Sweeps every repository whose interval (`sweeps.intervalMinutes`, on the injected clock) has
   * passed, or all of them with `force`. Resolves when done; never rejects (failures are logged).
   */
  run(options?: { force?: boolean }): Promise<SweepResult[]>;
  /** Reads the config of `repo` (of every repository, without one) again at its next sweep: a push changed it. */
  forgetConfig(repo?: RepoRef): void;
}

/** One sweep at a time per process; a sweep asked for while one runs is run once after it. */
export function createSweepRunner<O extends SweepOctokit>(options: SweepRunnerOptions<O>): SweepRunner {
  const memory = new SweepMemory();
  const metrics = options.registry ? sweepMetrics(options.registry) : undefined;
  const monotonicNow = options.monotonicNow ?? (() => performance.now());
  const ttl = options.configTtlMs ?? 5 * 60_000;
  const configs = new Map<string, { result: ConfigResult; readAt: number }>();
  const lastSweep = new Map<string, number>();
  let running: Promise<SweepResult[]> = Promise.resolve([]);

  async function configOf(octokit: O, repo: RepoRef): Promise<ConfigResult> {
    const key = `${repo.owner}/${repo.repo}`.toLowerCase();
    const cached = configs.get(key);
    if (cached && monotonicNow() - cached.readAt < ttl) return cached.result;
    const result = await options.loadConfig(octokit, repo);
    if (result.problems.length) options.log.warn({ repo: key, problems: result.problems }, 'sweep: config has problems; the valid parts and defaults are used');
    configs.set(key, { result, readAt: monotonicNow() });
    return result;
  }

  async function sweepRepo(repo: RepoRef, force: boolean): Promise<SweepResult | null> {
    const key = `${repo.owner}/${repo.repo}`.toLowerCase();
    const octokit = await options.octokitFor(repo);
    const { config } = await configOf(octokit, repo);
    const now = options.clock().getTime();
    const last = lastSweep.get(key);
    if (!force && !isDue(last, now, config.sweeps.intervalMinutes * 60_000)) return null;
    lastSweep.set(key, now);
    const task = async () => {
      // A sweep waits behind new incidents and notices when GitHub's budget binds; what runs after it (status page, metrics, paging) behind it.
      const result = await withPriority(PRIORITY.sweep, async () => sweep({ octokit, repo, config, clock: options.clock, memory, log: options.log, identity: await options.identity.resolve(), ...(options.stateSeal ? { stateSeal: options.stateSeal } : {}), ...(options.render ? { render: options.render } : {}), ...(options.serialize ? { serialize: options.serialize } : {}) }));
      for (const after of options.after ?? []) {
        try {
          await withPriority(after.name === 'paging' ? PRIORITY.sweep : PRIORITY.report, () => after.run({ octokit, repo, config, result, now: result.at, log: options.log }));
        } catch (error) {
          options.log.warn({ err: error, repo: key, task: after.name }, `sweep: ${after.name} failed; the next sweep tries again`);
        }
      }
      return result;
    };
    const result = options.lock ? await options.lock(`sweep:${key}`, task) : await task();
    for (const action of result.executed) {
      metrics?.actions.inc({ reason: action.reason });
      if (action.reason === 'ack-slo' && action.kind === 'comment') metrics?.ackSloBreaches.inc();
    }
    metrics?.sweeps.inc({ outcome: 'ok' });
    return result;
  }

  async function runAll(force: boolean): Promise<SweepResult[]> {
    const results: SweepResult[] = [];
    let repos: readonly RepoRef[];
    try {
      repos = typeof options.repos === 'function' ? await options.repos() : options.repos;
    } catch (error) {
      metrics?.sweeps.inc({ outcome: 'failed' });
      options.log.error({ err: error }, 'sweep: cannot tell which repositories to sweep; the next tick retries');
      return [];
    }
    for (const repo of repos) {
      try {
        const result = await sweepRepo(repo, force);
        if (result) results.push(result);
      } catch (error) {
        if (error instanceof LockTimeoutError) {
          metrics?.sweeps.inc({ outcome: 'skipped' });
          options.log.debug({ repo: `${repo.owner}/${repo.repo}` }, 'sweep: another replica holds the lease; skipped');
          continue;
        }
        metrics?.sweeps.inc({ outcome: 'failed' });
        options.log.error({ err: error, repo: `${repo.owner}/${repo.repo}` }, 'sweep failed; the next one retries');
      }
    }
    return results;
  }

  return {
    run({ force = false } = {}) {
      running = running.then(() => runAll(force));
      return running;
    },
    forgetConfig(repo) {
      if (repo) configs.delete(`${repo.owner}/${repo.repo}`.toLowerCase());
      else configs.clear();
    },
  };
}

export interface SweepScheduler {
  /** Sweeps now, whatever the interval (the sandbox calls it when its clock moves). */
  runNow(): Promise<SweepResult[]>;
  stop(): Promise<void>;
}

/** Ticks every `tickMs` (default a minute) of real time; each tick sweeps the repositories that are due. */
export function startSweepScheduler(runner: SweepRunner, options: { tickMs?: number } = {}): SweepScheduler {
  let last: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    last = runner.run();
  }, options.tickMs ?? 60_000);
  timer.unref();
  return {
    runNow() {
      const run = runner.run({ force: true });
      last = run;
      return run;
    },
    async stop() {
      clearInterval(timer);
      await last.catch(() => {});
    },
  };
}
