/** `firewatch import --help` lines, apart from the command so the help table does not load the importers. */
export const IMPORT_DETAILS = [
  '--from DIR          a dump folder written by the migration guide\'s curl commands (or by --save)',
  '--key KEY           fetch with this read-only API key instead (default $PAGERDUTY_API_KEY / $OPSGENIE_API_KEY)',
  '--people FILE       YAML of "e-mail: github-login" lines (and "Vendor schedule or team: \'@org/team\'")',
  '--schedule A,B      only these schedules (ids or names; default all)',
  '--policy P          the escalation policy to import (id or name; default the one paging those schedules)',
  '--since ISO         start of the four weeks fetched and checked (with --key; default now)',
  '--out FILE          write the oncall section there (a new file, or one holding only oncall) instead of stdout',
  '--save DIR          with --key, also keep the fetched API responses there (re-run later with --from DIR)',
  '--region us|eu      Opsgenie only: api.opsgenie.com (default) or api.eu.opsgenie.com',
  '--api-url URL       the vendor API base (default https://api.pagerduty.com or the Opsgenie region\'s)',
  '',
  'Prints the self-check: every difference between firewatch\'s shifts and the vendor\'s own rendered',
  'schedule over the four weeks, what could not be expressed and why, and everyone not in --people.',
  'Exit code 1 when the self-check found differences (the section is written all the same).',
  'Guides: docs/migrating-from-pagerduty.md, docs/migrating-from-opsgenie.md.',
];
