/**
 * Alerts about scheduled work: a nightly export, a weekly report, a CronJob, an Airflow DAG. Such
 * a job fails at its first run after the change that broke it, which may be many hours later, so
 * the usual "symptoms follow the deploy within the hour" says little: an engineer asks what
 * changed since the job last ran. Read from what the alert says (labels such as `cronjob`,
 * `job_name`, `dag_id`, `schedule`, `monitor.slug`; words such as nightly, weekly, CronJob;
 * a cron expression), with the job's cadence when the alert gives one.
 *
 * Pure: facts in, a schedule (or none) out.
 */
import type { IncidentFacts } from './candidate.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Longest cadence worth looking back for: beyond a week the window would hold too many bystanders. */
const MAX_JOB_PERIOD_MS = 7 * DAY;

export interface JobSchedule {
  /** How often the job runs, as far as the alert says (a day when it does not). */
  periodMs: number;
  /** Whether the alert says the cadence (`nightly`, `0 2 * * *`), or only that it is a job. */
  cadenceKnown: boolean;
  /** What said so, for the evidence: `label cronjob=weekly-digest`, `nightly`. */
  said: string;
}

/** Labels that only scheduled work carries. */
const JOB_LABELS = ['cronjob', 'cron_job', 'cronjob_name', 'cron', 'job_name', 'dag_id', 'dag', 'schedule', 'scheduled_task', 'monitor.slug', 'monitor_slug', 'scheduler'];

/**
 * A cadence word used for a metric or an allowance, not a job: `daily active users`, `daily budget`,
 * `monthly quota`, `daily credits`, `monthly request limit`.
 */
const METRIC = String.raw`(?!\s+(?:active|budget|budgets|limit|limits|quota|quotas|cap|caps|spend|traffic|peak|users|volume|total|totals|average|rate|revenue|orders|signups|credits?|allowances?|requests?|api|calls|usage|costs?|units|tokens|partitions?|indices|indexes|tables?|shards?|buckets?|snapshots? (?:kept|retained|on disk))\b)`;

/** Words that name a cadence; the first found wins. */
const CADENCES: { pattern: RegExp; periodMs: number }[] = [
  { pattern: /\b(every\s+(\d+)\s*(?:min|minute)s?)\b/i, periodMs: -1 },
  { pattern: new RegExp(String.raw`\b(hourly|every hour)\b${METRIC}`, 'i'), periodMs: HOUR },
  { pattern: new RegExp(String.raw`\b(nightly|daily|every night|every day|each night)\b${METRIC}`, 'i'), periodMs: DAY },
  { pattern: new RegExp(String.raw`\b(weekly|every week|each week)\b${METRIC}`, 'i'), periodMs: 7 * DAY },
  { pattern: new RegExp(String.raw`\b(monthly|every month)\b${METRIC}`, 'i'), periodMs: MAX_JOB_PERIOD_MS },
];

/** Words that say the failing thing is scheduled, without saying how often it runs. */
const JOB_WORDS = /\b(cron ?jobs?|cron|crontab|scheduled(?! (?:maintenance|downtime|there|on|onto|to (?:nodes?|hosts?)|(?:operating system |os |system |database |engine |minor |major )?(?:upgrade|update|patch\w*|reboot|restart|window|event|failover)))|batch jobs?|dag|dags|dag runs?|job runs?|jobs? (?:failed|failing|did not complete|not completed|timed out|aborted))\b/i;
/** …and the same said in identifiers: `CronJobFailed`, `KubeJobFailed`, `ReservationReleaseJobFailing`. */
const JOB_IDENTIFIER = /CronJob|(?:^|[a-z\d])Job(?=Failed|Failing|Failure|NotCompleted|Incomplete|Missed|Stuck|Aborted|Errors?\b|Timeout)/;

function saysJob(text: string): string | undefined {
  return JOB_WORDS.exec(text)?.[0] ?? JOB_IDENTIFIER.exec(text)?.[0].replace(/^[a-z]/, '');
}

/** A five-field cron expression (`0 2 * * *`, `*\/5 * * * *`, `15 16 * * 1-5`). */
const CRON = /(?:^|\s|=|")((?:\*\/\d+|[\d,\-*/]+)\s+(?:[\d,\-*/]+)\s+(?:[\d,\-*/?LW]+)\s+(?:[\d,\-*/A-Za-z]+)\s+(?:[\d,\-*/A-Za-z?L#]+))(?:$|\s|")/;

/** How often a cron expression fires, roughly: minutes, hours, days or weeks. */
export function cronPeriodMs(expression: string): number | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute = '', hour = '', dayOfMonth = '', , dayOfWeek = ''] = fields;
  const step = (field: string): number | undefined => {
    const match = /^\*\/(\d+)$/.exec(field);
    return match ? Number(match[1]) : undefined;
  };
  if (minute === '*' || step(minute) !== undefined) return (step(minute) ?? 1) * MINUTE;
  if (hour === '*') return HOUR;
  if (step(hour) !== undefined) return (step(hour) ?? 1) * HOUR;
  if (/^\d+$/.test(dayOfMonth)) return MAX_JOB_PERIOD_MS;
  if (/^[\dA-Za-z]+$/.test(dayOfWeek) && dayOfWeek !== '*') return 7 * DAY;
  return DAY;
}

function texts(facts: Pick<IncidentFacts, 'labels' | 'annotations' | 'statements'>): { text: string; where: string }[] {
  return [
    ...(facts.statements ?? []).filter((s) => s.source !== 'value').map((s) => ({ text: s.text, where: s.source })),
    ...Object.entries(facts.labels).map(([key, value]) => ({ text: value, where: `label ${key}` })),
    ...Object.entries(facts.annotations).map(([key, value]) => ({ text: value, where: `annotation ${key}` })),
  ];
}

/** The alert is about a scheduled job: how often it runs, and what said so. */
export function scheduledJob(facts: Pick<IncidentFacts, 'labels' | 'annotations' | 'statements'>): JobSchedule | undefined {
  const said = texts(facts);
  const labelled = Object.entries(facts.labels).find(([key, value]) => JOB_LABELS.includes(key.toLowerCase()) && value.trim() !== '');
  const worded = said.find(({ text }) => saysJob(text) !== undefined);
  for (const { text, where } of said) {
    const cron = CRON.exec(text)?.[1];
    const period = cron ? cronPeriodMs(cron) : undefined;
    if (cron && period !== undefined && (labelled || worded || /schedule|cron/i.test(where))) return { periodMs: period, cadenceKnown: true, said: `${where} ${cron}` };
  }
  for (const { pattern, periodMs } of CADENCES) {
    for (const { text, where } of said) {
      const match = pattern.exec(text);
      if (!match) continue;
      // "every 5 minutes" is a cadence only when something says it is a job.
      if (periodMs < 0) {
        if (!labelled && !worded) continue;
        return { periodMs: Number(match[2]) * MINUTE, cadenceKnown: true, said: match[1] ?? match[0] };
      }
      return { periodMs, cadenceKnown: true, said: where.startsWith('label') ? `${where}=${text}` : (match[1] ?? match[0]).toLowerCase() };
    }
  }
  if (labelled) return { periodMs: DAY, cadenceKnown: false, said: `label ${labelled[0]}=${labelled[1]}` };
  if (worded) return { periodMs: DAY, cadenceKnown: false, said: saysJob(worded.text) ?? 'job' };
  return undefined;
}

/** Slack after a period for the run itself and the alert's delay. */
export function periodWithSlackMs(schedule: Pick<JobSchedule, 'periodMs'>): number {
  return schedule.periodMs + Math.min(6 * HOUR, Math.max(30 * MINUTE, schedule.periodMs / 4));
}

/**
 * How far back to look for the cause: the configured window, or, for a job that runs less often,
 * back to before its previous run (a weekly job's culprit may be six days old).
 */
export function lookBackMs(facts: Pick<IncidentFacts, 'labels' | 'annotations' | 'statements'>, configuredMs: number): number {
  const schedule = scheduledJob(facts);
  if (!schedule || !schedule.cadenceKnown) return configuredMs;
  return Math.max(configuredMs, Math.min(periodWithSlackMs(schedule), MAX_JOB_PERIOD_MS + DAY));
}
