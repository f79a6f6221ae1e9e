import type { CommandName } from './commands.ts';
import { readCorrelationCommand, type CorrelationRequest } from '../correlation/readCorrelationCommand.ts';
import { INCIDENT_STATUSES } from '../incident/incidentStatus.ts';
import { parseNoteTime } from '../incident/noteTime.ts';
import { readPostmortemCommand, type PostmortemRequest } from '../postmortem/readPostmortemCommand.ts';
import { splitWord } from '../text/splitWord.ts';

;
import { readOncallCommand, type OncallRequest } from '../sweep/readOncallCommand.ts';
import type { ParsedCommand } from './parseCommands.ts';
import { isSeverity, type Severity } from '../incident/severity.ts';

/** Free text (notes, reasons, titles) longer than this is refused rather than cut silently. */
const MAX_TEXT_LENGTH = 2_000;
const MAX_TITLE_LENGTH = 200;

const LOGIN = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/;
const TEAM = /^([A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38})\/([A-Za-z\d][\w.-]{0,99})$/;

export type EscalationTarget = { kind: 'user'; login: string } | { kind: 'team'; org: string; slug: string };
const STATUS_COMMAND_VALUES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type StatusCommandValue = (typeof STATUS_COMMAND_VALUES)[number];

/** A command line read into what it asks for, arguments checked. */
export type CommandRequest =
  | { name: 'help'; topic?: string }
  | { name: 'summary' }
  | { name: 'incident'; severity?: Severity; title: string; service?: string }
  | { name: 'ack' }
  | { name: 'severity'; severity: Severity; reason?: string }
  | { name: 'status'; status: StatusCommandValue; message?: string; internal: boolean }
  | { name: 'commander' | 'comms'; login: string }
  | { name: 'responder'; action: 'add' | 'remove'; login: string }
  | { name: 'note'; at?: string; text: string }
  | { name: 'escalate'; target?: EscalationTarget; reason?: string }
  | { name: 'resolve'; summary?: string }
  | { name: 'cancel'; reason?: string }
  | { name: 'reopen' }
  | { name: 'followup'; title: string }
  | CorrelationRequest
  | PostmortemRequest
  | OncallRequest;

export type ReadCommandResult = { ok: true; request: CommandRequest } | { ok: false; message: string };

export interface ReadCommandOptions {
  /** Who wrote the command (for `me`). */
  author: string;
  now: Date;
  timezone: string;
}


function optionalText(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed ? trimmed : undefined;
}

function tooLong(text: string | undefined, what: string, limit = MAX_TEXT_LENGTH): string | undefined {
  return text !== undefined && text.length > limit ? `the ${what} is ${text.length} characters long; keep it under ${limit}` : undefined;
}

/** `@alice`, `alice` or `me` → a login. */
function readLogin(word: string, author: string): string | undefined {
  if (word.toLowerCase() === 'me') return author;
  const login = word.replace(/^@/, '');
  return LOGIN.test(login) ? login : undefined;
}

/** `@alice` → user, `@acme/payments` → team; anything else is not a target. */
function readTarget(word: string): EscalationTarget | undefined {
  if (!word.startsWith('@')) return undefined;
  const team = TEAM.exec(word.slice(1));
  if (team?.[1] && team[2]) return { kind: 'team', org: team[1], slug: team[2] };
  const login = word.slice(1);
  return LOGIN.test(login) ? { kind: 'user', login } : undefined;
}

function usage(line: ParsedCommand, problem: string): { ok: false; message: string } {
  const name = line.command.name;
  const example = line.command.examples[0] ?? `/${name}`;
  return { ok: false, message: `\`/${name}\` ${problem}. Usage: \`/${name}${line.command.args ? ` ${line.command.args}` : ''}\`, e.g. \`${example}\`.` };
}

/**
 * Reads a parsed command line into a typed request, or says what is wrong with its arguments
 * (with the synopsis and an example from the command table). Pure.
 */
export function readCommand(line: ParsedCommand, options: ReadCommandOptions): ReadCommandResult {
  const name = line.command.name as CommandName;
  const rest = line.rest;
  switch (name) {
    case 'help':
      return { ok: true, request: { name, ...(line.args[0] ? { topic: line.args[0] } : {}) } };
    case 'summary':
    case 'ack':
    case 'reopen':
      return { ok: true, request: { name } };
    case 'incident': {
      let text = rest.replace(/(^|\s)service=("[^"]*"|'[^']*'|\S*)/g, ' ').trim();
      const { word, rest: after } = splitWord(text);
      const severity = word.toUpperCase();
      if (isSeverity(severity)) text = after;
      const service = line.options['service']?.trim();
      if (service !== undefined && !/^[\w.-]{1,64}$/.test(service)) return usage(line, 'needs a service name of letters, digits, `.`, `_` or `-`');
      const title = text.replace(/^["“](.*)["”]$/, '$1').trim();
      if (!title) return usage(line, 'needs a title saying what is wrong');
      const long = tooLong(title, 'title', MAX_TITLE_LENGTH);
      if (long) return usage(line, long);
      return { ok: true, request: { name, title, ...(isSeverity(severity) ? { severity } : {}), ...(service ? { service } : {}) } };
    }
    case 'severity': {
      const { word, rest: reason } = splitWord(rest);
      const severity = word.toUpperCase();
      if (!isSeverity(severity)) return usage(line, word ? `does not know the severity ${JSON.stringify(word)} (use P1 for the worst … P5 for informational)` : 'needs a severity, P1 (worst) to P5');
      const long = tooLong(reason, 'reason');
      if (long) return usage(line, long);
      return { ok: true, request: { name, severity, ...(optionalText(reason) ? { reason: reason.trim() } : {}) } };
    }
    case 'status': {
      const internal = /(^|\s)--internal(?=\s|$)/i.test(rest);
      const { word, rest: message } = splitWord(rest.replace(/(^|\s)--internal(?=\s|$)/gi, ' '));
      const status = word.toLowerCase();
      if (!(STATUS_COMMAND_VALUES as readonly string[]).includes(status)) {
        const other = (INCIDENT_STATUSES as readonly string[]).includes(status) ? ` (${status} is set by \`/${status === 'acknowledged' ? 'ack' : status === 'canceled' ? 'cancel' : 'reopen'}\`)` : '';
        return usage(line, `needs one of ${STATUS_COMMAND_VALUES.join(', ')}${word ? `, not ${JSON.stringify(word)}` : ''}${other}`);
      }
      const long = tooLong(message, 'message');
      if (long) return usage(line, long);
      return { ok: true, request: { name, status: status as StatusCommandValue, internal, ...(optionalText(message) ? { message: message.trim() } : {}) } };
    }
    case 'commander':
    case 'comms': {
      const { word, rest: extra } = splitWord(rest);
      const login = readLogin(word, options.author);
      if (!login || extra) return usage(line, word ? `needs one GitHub user (\`@login\` or \`me\`), not ${JSON.stringify(rest)}` : 'needs a GitHub user (`@login` or `me`)');
      return { ok: true, request: { name, login } };
    }
    case 'responder': {
      const { word, rest: who } = splitWord(rest);
      const action = word.toLowerCase();
      if (action !== 'add' && action !== 'remove') return usage(line, 'needs `add` or `remove`, then a user');
      const login = readLogin(who, options.author);
      if (!login) return usage(line, `needs one GitHub user to ${action} (\`@login\` or \`me\`)`);
      return { ok: true, request: { name, action, login } };
    }
    case 'note': {
      const time = parseNoteTime(rest, { now: options.now, timezone: options.timezone });
      if (!time.ok) return { ok: false, message: `\`/${line.invokedAs}\` cannot record that: ${time.message}` };
      if (!time.text) return usage(line, 'needs the text of the entry');
      const long = tooLong(time.text, 'note');
      if (long) return usage(line, long);
      return { ok: true, request: { name, text: time.text, ...(time.at ? { at: time.at } : {}) } };
    }
    case 'escalate': {
      const { word, rest: reason } = splitWord(rest);
      const target = readTarget(word);
      if (word.startsWith('@') && !target) return usage(line, `cannot read ${JSON.stringify(word)} as \`@user\` or \`@org/team\``);
      const why = target ? reason : rest;
      const long = tooLong(why, 'reason');
      if (long) return usage(line, long);
      return { ok: true, request: { name, ...(target ? { target } : {}), ...(optionalText(why) ? { reason: why.trim() } : {}) } };
    }
    case 'resolve':
    case 'cancel': {
      const text = optionalText(rest);
      const long = tooLong(text, name === 'resolve' ? 'summary' : 'reason');
      if (long) return usage(line, long);
      return { ok: true, request: name === 'resolve' ? { name, ...(text ? { summary: text } : {}) } : { name, ...(text ? { reason: text } : {}) } };
    }
    case 'postmortem':
      return readPostmortemCommand(line);
    case 'oncall':
      return readOncallCommand(line);
    case 'deploys':
    case 'rollback':
    case 'redeploy':
      return readCorrelationCommand(line);
    case 'followup': {
      const title = rest.replace(/^["“](.*)["”]$/, '$1').trim();
      if (!title) return usage(line, 'needs a title for the follow-up issue');
      const long = tooLong(title, 'title', MAX_TITLE_LENGTH);
      if (long) return usage(line, long);
      return { ok: true, request: { name, title } };
    }
  }
}
