import type { FirewatchConfig } from '../../domain/config/config.ts';
import type { RepoRef } from '../../domain/repo/repoRef.ts';
import type { Log } from '../../services/log.ts';
import type { SweepOctokit, SweepResult } from './sweep.ts';

/**
 * Work that runs after a repository's sweep, on the same lease and config (status page refresh,
 * incident metrics). A failing task is logged and never fails the sweep or the other tasks.
 */
export interface AfterSweepTask<O extends SweepOctokit = SweepOctokit> {
  /** For logs, e.g. `status-page`. */
  name: string;
  run(context: { octokit: O; repo: RepoRef; config: FirewatchConfig; result: SweepResult; now: Date; log: Log }): Promise<void>;
}
