import { closest } from './closest.ts';
import { COMMANDS, commandWords, findCommand, type CommandSpec } from './commands.ts';

export interface ParsedCommand {
  kind: 'command';
  command: CommandSpec;
  /** The word as typed (may be an alias), lower-cased. */
  invokedAs: string;
  /** Positional arguments, quotes removed. */
  args: string[];
  /** `key=value` arguments. */
  options: Record<string, string>;
  /** Everything after the command word, untouched (for free text such as a note). */
  rest: string;
  /** 1-based line number in the comment. */
  line: number;
  text: string;
}

export interface UnknownCommand {
  kind: 'unknown';
  invokedAs: string;
  /** Closest known command name or alias, when the word looks like a typo of one. */
  suggestion?: string;
  line: number;
  text: string;
}

export type CommandLine = ParsedCommand | UnknownCommand;

// Up to three spaces of indentation are still a paragraph in Markdown; four make code.
const COMMAND_LINE = /^ {0,3}\/([A-Za-z][\w-]*)(?:[ \t]+(.*))?$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const QUOTE = /^ {0,3}>/;

/**
 * The commands in a comment, in order. A command is a line that starts with `/name`, outside
 * fenced code blocks, block quotes and HTML comments. Pure and total: any string is fine.
 */
export function parseCommands(body: string, table: readonly CommandSpec[] = COMMANDS): CommandLine[] {
  const found: CommandLine[] = [];
  let fence: { char: string; length: number } | undefined;
  let inHtmlComment = false;
  const lines = body.split(/\r\n|\r|\n/);
  lines.forEach((rawLine, index) => {
    const line = rawLine.replace(/\s+$/, '');
    if (fence) {
      const close = FENCE.exec(line);
      if (close?.[1] && close[1][0] === fence.char && close[1].length >= fence.length && !close[2]?.trim()) fence = undefined;
      return;
    }
    if (inHtmlComment) {
      if (line.includes('-->')) inHtmlComment = false;
      return;
    }
    const open = FENCE.exec(line);
    // A backtick fence's info string may not contain backticks (CommonMark), else it is inline code.
    if (open?.[1] && !(open[1][0] === '`' && open[2]?.includes('`'))) {
      fence = { char: open[1][0] ?? '`', length: open[1].length };
      return;
    }
    if (/^ {0,3}<!--/.test(line) && !line.includes('-->')) {
      inHtmlComment = true;
      return;
    }
    if (QUOTE.test(line)) return;
    const match = COMMAND_LINE.exec(line);
    if (!match?.[1]) return;
    const word = match[1].toLowerCase();
    const rest = (match[2] ?? '').trim();
    const command = findCommand(word, table);
    if (command) {
      found.push({ kind: 'command', command, invokedAs: word, ...tokenize(rest), rest, line: index + 1, text: line.trim() });
    } else {
      const suggestion = closest(word, commandWords(table));
      found.push({ kind: 'unknown', invokedAs: word, ...(suggestion ? { suggestion } : {}), line: index + 1, text: line.trim() });
    }
  });
  return found;
}

const OPEN_QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };
const OPTION = /^([A-Za-z][\w-]*)=([\s\S]*)$/;

/**
 * Splits arguments on whitespace; double, single and typographic quotes group words (a backslash
 * escapes the closing quote); `key=value` (the value may be quoted) becomes an option. An
 * unterminated quote runs to the end of the line instead of failing.
 */
export function tokenize(text: string): { args: string[]; options: Record<string, string> } {
  const args: string[] = [];
  const options: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) break;
    const startsQuoted = OPEN_QUOTES[text[i] ?? ''] !== undefined;
    let token = '';
    let quoted = false;
    while (i < text.length && !/\s/.test(text[i] ?? '')) {
      const char = text[i] ?? '';
      const close = OPEN_QUOTES[char];
      if (close) {
        quoted = true;
        i++;
        while (i < text.length && text[i] !== close) {
          if (text[i] === '\\' && (text[i + 1] === close || text[i + 1] === '\\')) i++;
          token += text[i] ?? '';
          i++;
        }
        i++;
      } else {
        token += char;
        i++;
      }
    }
    const option = OPTION.exec(token);
    // `key=value` only when the key itself was not quoted: `"a=b"` stays a positional argument.
    if (option?.[1] !== undefined && option[2] !== undefined && !startsQuoted) {
      options[option[1]] = option[2];
    } else if (token || quoted) {
      args.push(token);
    }
  }
  return { args, options };
}

function quote(value: string): string {
  if (value !== '' && !/[\s"'“”‘’\\=]/.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The comment line that runs `name` with these arguments; `parseCommands` reads it back as such. */
export function formatCommand(name: string, args: readonly string[] = [], options: Readonly<Record<string, string>> = {}): string {
  const parts = [`/${name}`, ...args.map(quote), ...Object.entries(options).map(([key, value]) => `${key}=${quote(value)}`)];
  return parts.join(' ');
}
