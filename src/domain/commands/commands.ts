import type { RequirableLevel } from './permissions.ts';

/**
 * One row per slash command. The parser, the permission check and `/help` all read this table,
 * so a command exists for users exactly when it has a row here. Only commands that work have one.
 */
export interface CommandSpec {
  name: string;
  aliases: readonly string[];
  /** Argument synopsis as shown in help, e.g. `[command]` or `P1..P5 [reason]`. */
  args: string;
  /** Default minimum permission; `.github/firewatch.yml` `commands.permissions` may override it. */
  permission: RequirableLevel;
  /** One line for the /help table. */
  summary: string;
  /** Longer explanation for `/help <command>`. */
  help: string;
  /** Complete comment lines that run the command; the parser is tested against every one. */
  examples: readonly string[];
  /** `any`: works on every issue and pull request; `incident`: only on incident issues. */
  scope: 'any' | 'incident';
}

/*
 * Default permissions follow GitHub's own roles: reading the incident is `read`; anything that
 * changes labels, assignees or the timeline is what `triage` may already do by hand in GitHub's
 * UI; closing and reopening an incident (which ends paging and starts the postmortem clock) is
 * `write`. `/incident` is `triage`: declaring opens or relabels issues and pages people, which a
 * read-only user cannot do by hand either.
 */
export const COMMANDS = [
  {
    name: 'incident',
    aliases: ['declare'],
    args: '[P1..P5] <title> [service=<name>]',
    permission: 'triage',
    summary: 'Declare an incident from this issue or pull request.',
    help: 'Raises an incident. On an ordinary issue in the incident repository, turns that issue into the incident (labels, live summary, timeline) and keeps what was written. On a pull request, or when incidents live in another repository, opens a new incident issue there and links both ways. The severity defaults to the configured one; service= names the affected service (default: the repository name).',
    examples: ['/incident P2 Checkout fails for card payments', '/incident Search is slow service=search', '/declare P1 "Login down"'],
    scope: 'any',
  },
  {
    name: 'ack',
    aliases: ['acknowledge'],
    args: '',
    permission: 'triage',
    summary: 'Acknowledge: you are on it (triggered → acknowledged).',
    help: 'Tells everyone someone is on the incident: records the time to acknowledge, assigns you and moves the status from triggered to acknowledged. Only a triggered incident can be acknowledged.',
    examples: ['/ack', '/acknowledge'],
    scope: 'incident',
  },
  {
    name: 'severity',
    aliases: ['sev'],
    args: 'P1..P5 [reason]',
    permission: 'triage',
    summary: 'Change the severity (P1 = worst), with the reason in the timeline.',
    help: 'Sets the severity label and the title prefix. Give the reason: how many users are affected, whether it reproduces, whether it is new. The change and the reason go into the timeline.',
    examples: ['/severity P1 all card payments fail', '/sev P3'],
    scope: 'incident',
  },
  {
    name: 'status',
    aliases: [],
    args: 'investigating|identified|monitoring|resolved [message] [--internal]',
    permission: 'triage',
    summary: 'Set the public-facing status, with a status update message.',
    help: 'Moves the incident to investigating (looking for the cause), identified (cause known, fix under way), monitoring (fix applied, watching; this marks the time of mitigation) or resolved (same as /resolve). The message is kept as the status update; add --internal to keep it off public status pages.',
    examples: ['/status investigating Error rate up since 09:00, looking at the last deploy', '/status monitoring Rolled back; error rate back to normal', '/status identified bad config in the payment client --internal'],
    scope: 'incident',
  },
  {
    name: 'commander',
    aliases: ['ic'],
    args: '@user',
    permission: 'triage',
    summary: 'Name the incident commander (facilitates; assigned to the issue).',
    help: 'The incident commander facilitates the response: pulls in people, delegates communication, decides. The commander is assigned to the issue. `me` names yourself.',
    examples: ['/commander @alice', '/ic me'],
    scope: 'incident',
  },
  {
    name: 'comms',
    aliases: [],
    args: '@user',
    permission: 'triage',
    summary: 'Name the communications officer (status updates, stakeholders).',
    help: 'The communications officer keeps stakeholders and the status page updated and records findings in the timeline. They are assigned to the issue. `me` names yourself.',
    examples: ['/comms @carol', '/comms me'],
    scope: 'incident',
  },
  {
    name: 'responder',
    aliases: ['responders'],
    args: 'add|remove @user',
    permission: 'triage',
    summary: 'Add or remove a responder (assigned to the issue).',
    help: 'Responders work on the incident with the commander. Adding one assigns them; removing one unassigns them unless they also hold a role.',
    examples: ['/responder add @bob', '/responder remove @bob'],
    scope: 'incident',
  },
  {
    name: 'note',
    aliases: ['timeline'],
    args: '[time] <text>',
    permission: 'triage',
    summary: 'Add a timeline entry, optionally at a past time.',
    help: 'Records something that happened. The time may be `14:05` (today, in the configured time zone), `-15m` or `-1h30m` (that long ago), or ISO-8601 such as `2026-01-14T09:05Z`; without one, the entry is now. Times in the future are refused.',
    examples: ['/note Restarted the payment workers', '/note 09:05 Deploy of checkout v2.3 started', '/timeline -15m first customer report in support'],
    scope: 'incident',
  },
  {
    name: 'escalate',
    aliases: [],
    args: '[@user | @org/team] [reason]',
    permission: 'triage',
    summary: 'Bring in help: mention and assign them, label `escalated`.',
    help: 'Mentions the person or team (so they are notified), assigns the person, adds the `escalated` label and records it in the timeline. Without a target it brings in the next step of the escalation policy (`oncall.escalation`) nobody paged yet, or, without a policy, the people on call who are not assigned yet.',
    examples: ['/escalate @alice payment provider errors, need someone who knows the client', '/escalate @acme/payments', '/escalate still no ack from the primary'],
    scope: 'incident',
  },
  {
    name: 'resolve',
    aliases: [],
    args: '[summary]',
    permission: 'write',
    summary: 'Resolve: the impact is over; closes the issue as completed.',
    help: 'Marks the incident resolved, records the time to resolve and closes the issue as completed. Say what fixed it; the summary goes into the timeline.',
    examples: ['/resolve Rolled back checkout v2.3; error rate normal for 30 minutes', '/resolve'],
    scope: 'incident',
  },
  {
    name: 'cancel',
    aliases: [],
    args: '[reason]',
    permission: 'write',
    summary: 'Not an incident after all: closes the issue as not planned.',
    help: 'For alerts and reports that turn out not to be incidents. Marks the incident canceled and closes the issue as not planned. Say why; point people to where the bug is tracked.',
    examples: ['/cancel false alarm: synthetic check misconfigured', '/cancel'],
    scope: 'incident',
  },
  {
    name: 'reopen',
    aliases: [],
    args: '',
    permission: 'write',
    summary: 'Reopen a resolved or canceled incident.',
    help: 'The impact is back, or it was an incident after all. Reopens the issue; the status goes back to investigating (or triggered if nobody acknowledged it) and the time to resolve restarts.',
    examples: ['/reopen'],
    scope: 'incident',
  },
  {
    name: 'followup',
    aliases: ['follow-up'],
    args: '<title>',
    permission: 'triage',
    summary: "Open a follow-up issue in the service's repository, tracked here.",
    help: "Opens an issue for work that remains after the incident (root cause fix, missing alert, runbook update) in the service's repository, and lists it in the incident's follow-up task list; its box is ticked when that issue is closed.",
    examples: ['/followup Alert on payment queue depth', '/follow-up "Runbook: rolling back checkout"'],
    scope: 'incident',
  },
  {
    name: 'deploys',
    aliases: ['suspects'],
    args: '[window]',
    permission: 'triage',
    summary: 'Rank the recent merges and deploys that may have caused this incident.',
    help: "Recomputes the incident's Suspected changes comment now (it is also computed when the incident opens and when alerts join): merged PRs, deployments and releases of the service's repositories around the first alert, scored with the evidence in plain words and the command that rolls each back. A window such as 48h looks further back than the configured one (at most 7d).",
    examples: ['/deploys', '/deploys 48h'],
    scope: 'incident',
  },
  {
    name: 'rollback',
    aliases: [],
    args: '#PR [--force]',
    permission: 'write',
    summary: 'Open a revert PR of a merged PR, linked to this incident.',
    help: "Opens a pull request reverting a merged PR (GitHub's Revert), titled and labelled rollback and linked to the incident both ways; merging it rolls back, and the merge is recorded in the timeline. Refused when the PR is not merged, is already reverted, is not in a repository of the service (--force overrides that), or does not revert cleanly (the conflicting files are named). Without a PR, lists the top suspects with their commands. With rollback.method deployment or workflow it is refused with the /redeploy to use instead.",
    examples: ['/rollback #123', '/rollback acme/checkout-config#45 --force', '/rollback'],
    scope: 'incident',
  },
  {
    name: 'redeploy',
    aliases: [],
    args: '<environment> [ref]',
    permission: 'write',
    summary: 'Deploy an earlier ref again: the given one, or the last good one before the suspect.',
    help: 'For teams that deploy by ref. Creates a deployment (Deployments API) of the ref, or of the last successful deployment before the top suspect arrived, or of what ran before the current deployment; with rollback.method workflow it dispatches the configured workflow with inputs instead. Its outcome (the deployment status, or the workflow run conclusion) is recorded in the timeline.',
    examples: ['/redeploy production', '/redeploy production v2.3.1', '/redeploy staging 1a2b3c4'],
    scope: 'incident',
  },
  {
    name: 'postmortem',
    aliases: ['pm'],
    args: '[skip <reason> | reviewed]',
    permission: 'write',
    summary: 'Draft or refresh the blameless postmortem as a draft PR; skip it; or mark it reviewed.',
    help: "Drafts the postmortem from the incident's timeline as a draft pull request into the post_mortems repository (config `postmortem.repo`), or refreshes it: generated sections are rewritten, text people wrote is kept, the same branch and PR are reused. People appear as pseudonyms (team-member-1, ...) with their roles. `skip <reason>` records that none is needed; `reviewed` (after the incident review) sets its status to reviewed and marks the PR ready for review. Drafted automatically on /resolve (or when the issue is closed by hand) for incidents that need one (P1-P3, rollbacks, long incidents, data-loss label by default).",
    examples: ['/postmortem', '/postmortem skip duplicate of #12', '/postmortem reviewed'],
    scope: 'incident',
  },
  {
    name: 'summary',
    aliases: [],
    args: '',
    permission: 'read',
    summary: 'Post the current state, roles, durations and timeline.',
    help: 'Replies with where the incident stands: severity, status, roles, the latest status update, the time to acknowledge, mitigate and resolve, follow-ups and the whole timeline.',
    examples: ['/summary'],
    scope: 'incident',
  },
  {
    name: 'oncall',
    aliases: [],
    args: '[time]',
    permission: 'read',
    summary: 'Who is on call now, or at a given time (from the schedule in the config).',
    help: 'Answers with the people on call in each layer of the on-call schedule (`oncall` in .github/firewatch.yml), now or at the time given: a date and time in the configured time zone (2026-03-02 14:00) or with an offset (2026-03-02T14:00Z). Gaps in the schedule are shown as such. Nobody is notified.',
    examples: ['/oncall', '/oncall 2026-03-02 14:00', '/oncall 2026-03-02T14:00Z'],
    scope: 'any',
  },
  {
    name: 'help',
    aliases: [],
    args: '[command]',
    permission: 'read',
    summary: 'List the commands you may run here, or explain one command.',
    help: 'Without an argument, lists every command your permission on this repository allows, with examples. With a command name, explains that command, its arguments and who may run it.',
    examples: ['/help', '/help help', '/help note'],
    scope: 'any',
  },
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof COMMANDS)[number]['name'];
export const COMMAND_NAMES = COMMANDS.map((command) => command.name) as [CommandName, ...CommandName[]];

/** A command by its name or one of its aliases, case-insensitively. */
export function findCommand(word: string, table: readonly CommandSpec[] = COMMANDS): CommandSpec | undefined {
  const wanted = word.toLowerCase();
  return table.find((command) => command.name === wanted || command.aliases.includes(wanted));
}

/** Every word that invokes a command (names and aliases), for typo suggestions. */
export function commandWords(table: readonly CommandSpec[] = COMMANDS): string[] {
  return table.flatMap((command) => [command.name, ...command.aliases]);
}

/** `/help [command]` */
export function synopsis(command: CommandSpec): string {
  return command.args ? `/${command.name} ${command.args}` : `/${command.name}`;
}
