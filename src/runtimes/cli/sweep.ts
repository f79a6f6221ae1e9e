/**
 * `firewatch oncall` and `firewatch sweep`, and the schedule warnings `validate-config` prints.
 * Kept beside cli.ts so the command table there only gains rows.
 */
import { tokenIdentity } from '../../services/identity.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { CONFIG_PATH, parseConfigText, type ConfigResult, type FirewatchConfig } from '../../domain/config/config.ts';
import { scheduleWarnings } from '../../domain/schedule/scheduleWarnings.ts';
import { toICalendar } from '../../domain/schedule/ics.ts';
import { shiftsBetween } from '../../domain/schedule/shifts.ts';
import { oncallTable, parseWhen } from '../../features/commands/oncall.ts';
import { describeAction, sweep } from '../../features/sweeps/sweep.ts';
import { loadConfig } from '../../adapters/github/loadConfig.ts';
import { describeRefresh, refreshStatusPageAfterSweep } from '../../features/statusPage/statusPageAfterSweep.ts';
import { botLogin, cliOctokit, connection, type Io, parseRepo, text, USAGE_ERROR, type Values } from './support.ts';

const WARNING_HORIZON_MS = 12 * 7 * 86_400_000;

/** Runbook warnings about the `oncall` section over the next twelve weeks, paths prefixed `oncall.`. */
export function onCallWarnings(config: FirewatchConfig, now: Date): { path: string; message: string }[] {
  return scheduleWarnings(config.oncall, { from: now, to: new Date(now.getTime() + WARNING_HORIZON_MS) }).map((warning) => ({ path: `oncall.${warning.path}`, message: warning.message }));
}

export function formatWarnings(warnings: readonly { path: string; message: string }[]): string {
  if (warnings.length === 0) return '';
  return [`${warnings.length} on-call ${warnings.length === 1 ? 'warning' : 'warnings'} (the runbook's advice; the config is still valid):`, ...warnings.map((warning) => `  warning ${warning.path}: ${warning.message}`), ''].join('\n');
}

function readConfigFile(file: string, io: Io): ConfigResult | undefined {
  try {
    return parseConfigText(readFileSync(file, 'utf8'));
  } catch (error) {
    io.stderr.write(`error: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}

export async function oncallCli(input: { values: Values }, io: Io, now: Date = new Date()): Promise<number> {
  const { values } = input;
  const file = text(values, 'config') ?? CONFIG_PATH;
  const result = readConfigFile(file, io);
  if (!result) return USAGE_ERROR;
  for (const problem of result.problems) io.stderr.write(`warning: ${file}: ${problem.path || '(root)'}: ${problem.message}\n`);
  const zone = result.config.timezone;
  const from = parseWhen(text(values, 'from'), zone, now);
  const to = text(values, 'to') === undefined && from ? new Date(from.getTime() + 28 * 86_400_000) : parseWhen(text(values, 'to'), zone, now);
  if (!from || !to || to <= from) {
    io.stderr.write('error: --from and --to must be dates (YYYY-MM-DD, or an ISO date-time) with --to after --from\n');
    return USAGE_ERROR;
  }
  const output = values['ics']
    ? toICalendar(shiftsBetween(result.config.oncall, from, to), { calendarName: text(values, 'name') ?? 'On call', generatedAt: now })
    : oncallTable(result.config.oncall, from, to, zone);
  const out = text(values, 'out');
  if (!out) {
    io.stdout.write(output);
    return 0;
  }
  writeFileSync(out, output);
  const shifts = shiftsBetween(result.config.oncall, from, to).length;
  io.stdout.write(`wrote ${out}: ${values['ics'] ? 'iCalendar' : 'the schedule'}, ${shifts} ${shifts === 1 ? 'shift' : 'shifts'} from ${from.toISOString()} to ${to.toISOString()}\n`);
  return 0;
}

export async function sweepCli(input: { values: Values }, io: Io): Promise<number> {
  const { values } = input;
  const repo = parseRepo(text(values, 'repo') ?? io.env['FIREWATCH_REPO'] ?? 'acme/shop');
  if (!repo) {
    io.stderr.write('error: --repo (or FIREWATCH_REPO) must be owner/name\n');
    return USAGE_ERROR;
  }
  const nowText = text(values, 'now');
  const now = nowText === undefined ? new Date() : new Date(nowText);
  if (Number.isNaN(now.getTime())) {
    io.stderr.write(`error: --now "${nowText}" is not an ISO-8601 time\n`);
    return USAGE_ERROR;
  }
  const octokit = cliOctokit(connection(values, io.env));
  const file = text(values, 'config');
  const result = file ? readConfigFile(file, io) : await loadConfig(octokit, repo);
  if (!result) return USAGE_ERROR;
  for (const problem of result.problems) io.stderr.write(`warning: config ${problem.path || '(root)'}: ${problem.message}\n`);
  const dryRun = values['dry-run'] === true;
  // With a person's token the reminders are theirs: their markers count as ours on the next run, as the app's bot's do.
  const identity = await tokenIdentity(octokit, { also: [botLogin(io.env)] });
  const outcome = await sweep({ octokit, repo, config: result.config, clock: () => now, dryRun, identity });
  io.stdout.write(`Sweep of ${repo.owner}/${repo.repo} at ${now.toISOString()}: ${outcome.plan.length} ${outcome.plan.length === 1 ? 'action' : 'actions'}${dryRun ? ' (dry run: nothing posted)' : ''}\n`);
  for (const action of outcome.plan) io.stdout.write(`  ${describeAction(action)}\n`);
  for (const problem of outcome.problems) io.stderr.write(`warning: ${problem}\n`);
  if (!dryRun) io.stdout.write(`posted ${outcome.executed.length} of ${outcome.plan.length}\n`);
  if (!dryRun) {
    try {
      const refreshed = await refreshStatusPageAfterSweep({ octokit, repo, config: result.config, now });
      if (refreshed) io.stdout.write(`${describeRefresh(refreshed)}\n`);
    } catch (error) {
      io.stderr.write(`warning: status page not published: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  return 0;
}
