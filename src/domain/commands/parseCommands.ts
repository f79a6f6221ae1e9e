import { closest } from '../text/closest.ts';
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

interface UnknownCommand {
  kind: 'unknown';
  invokedAs: string;
  /** Closest known command name or alias, when the word looks like a typo of one. */
  suggestion?: string;
  line: number;
  text: string;
}

export type CommandLine = ParsedCommand | UnknownCommand;

// Up to three spaces of indentation are still a paragraph in Markdown; four make code.
// No pattern here may backtrack: comments are written by anyone, and `/\s+$/` on 65,000 spaces and
// an `x` held the event loop for seconds. Each one is anchored and bounded, or the scan is by hand.
const COMMAND_WORD = /^[A-Za-z][\w-]*/;
const QUOTE = /^ {0,3}>/;
/** Distinct unknown words per comment that get a "did you mean" (runners answer at most 10 lines). */
const SUGGESTED_UNKNOWN_WORDS = 50;

/** Columns of indentation (spaces only, as CommonMark counts them for these constructs), at most 4. */
function indentOf(line: string): number {
  let i = 0;
  while (i < 4 && line[i] === ' ') i++;
  return i;
}

/** A code fence line: its marker (3 or more backticks or tildes) and the info string after it. */
function readFence(line: string): { char: string; length: number; info: string } | undefined {
  const indent = indentOf(line);
  if (indent > 3) return undefined;
  const char = line[indent];
  if (char !== '`' && char !== '~') return undefined;
  let end = indent;
  while (line[end] === char) end++;
  if (end - indent < 3) return undefined;
  return { char, length: end - indent, info: line.slice(end) };
}

/** `/word rest`: the command word, and what follows it after a space or tab. */
function readCommandLine(line: string): { word: string; rest: string } | undefined {
  const indent = indentOf(line);
  if (indent > 3 || line[indent] !== '/') return undefined;
  // A command word is short; looking at a bounded slice keeps this linear whatever follows.
  const word = COMMAND_WORD.exec(line.slice(indent + 1, indent + 101))?.[0];
  if (!word) return undefined;
  const after = line[indent + 1 + word.length];
  if (after !== undefined && after !== ' ' && after !== '\t') return undefined;
  return { word, rest: line.slice(indent + 1 + word.length) };
}

/**
 * Where HTML comments hide text, as GitHub renders a comment: from `<!--` to the next `-->`
 * (`<!-->` and `<!--->` are whole comments), outside code spans, in a paragraph as well as at the
 * start of a line. `open` says whether the line starts inside a comment; the result whether it
 * ends inside one. Errs towards hidden: an unclosed `<!--` in a paragraph shows as text on
 * GitHub, but a command after it does not run (what is seen to run is what people meant).
 */
function commentStateAfter(line: string, open: boolean): boolean {
  let i = 0;
  let inComment = open;
  // Backtick runs on this line, so a code span's closing run is found without searching again.
  const runs = backtickRuns(line);
  let run = 0;
  while (i < line.length) {
    if (inComment) {
      const close = line.indexOf('-->', i);
      if (close === -1) return true;
      inComment = false;
      i = close + 3;
      continue;
    }
    while (run < runs.length && (runs[run]?.start ?? 0) < i) run++;
    const nextComment = line.indexOf('<!--', i);
    const nextRun = runs[run];
    if (nextComment === -1) return false;
    if (nextRun !== undefined && nextRun.start < nextComment) {
      // A code span hides `<!--` inside it; an unmatched run is literal backticks.
      const closing = nextRun.closing;
      i = closing === undefined ? nextRun.start + nextRun.length : (runs[closing]?.start ?? 0) + nextRun.length;
      run++;
      continue;
    }
    inComment = true;
    // Search for `-->` from the second `-`, so `<!-->` and `<!--->` close themselves.
    i = nextComment + 2;
  }
  return inComment;
}

interface BacktickRun {
  start: number;
  length: number;
  /** Index of the next run of the same length (the code span's end), if any. */
  closing?: number;
}

function backtickRuns(line: string): BacktickRun[] {
  const runs: BacktickRun[] = [];
  for (let i = line.indexOf('`'); i !== -1; i = line.indexOf('`', i)) {
    const start = i;
    while (line[i] === '`') i++;
    runs.push({ start, length: i - start });
  }
  const later = new Map<number, number>();
  for (let index = runs.length - 1; index >= 0; index--) {
    const current = runs[index];
    if (!current) continue;
    const closing = later.get(current.length);
    if (closing !== undefined) current.closing = closing;
    later.set(current.length, index);
  }
  return runs;
}

/**
 * The commands in a comment, in order. A command is a line that starts with `/name`, outside
 * fenced code blocks, block quotes and HTML comments (whole lines or inside a paragraph, as
 * GitHub hides them). Pure, total and linear in the length of the comment: any string is fine.
 */
export function parseCommands(body: string, table: readonly CommandSpec[] = COMMANDS): CommandLine[] {
  const found: CommandLine[] = [];
  let fence: { char: string; length: number } | undefined;
  let inHtmlComment = false;
  const words = commandWords(table);
  const suggestions = new Map<string, string | undefined>();
  const lines = body.split(/\r\n|\r|\n/);
  lines.forEach((rawLine, index) => {
    const line = rawLine.trimEnd();
    if (fence) {
      const close = readFence(line);
      if (close && close.char === fence.char && close.length >= fence.length && !close.info.trim()) fence = undefined;
      return;
    }
    const startsInComment = inHtmlComment;
    if (!startsInComment) {
      const open = readFence(line);
      // A backtick fence's info string may not contain backticks (CommonMark), else it is inline code.
      if (open && !(open.char === '`' && open.info.includes('`'))) {
        fence = { char: open.char, length: open.length };
        return;
      }
    }
    inHtmlComment = commentStateAfter(line, startsInComment);
    if (startsInComment || QUOTE.test(line)) return;
    const match = readCommandLine(line);
    if (!match) return;
    const word = match.word.toLowerCase();
    const rest = match.rest.trim();
    const command = findCommand(word, table);
    if (command) {
      found.push({ kind: 'command', command, invokedAs: word, ...tokenize(rest), rest, line: index + 1, text: line.trim() });
    } else {
      // Suggestions for the first few only: no reply shows more, and a flood of them would cost seconds.
      if (!suggestions.has(word) && suggestions.size < SUGGESTED_UNKNOWN_WORDS) suggestions.set(word, closest(word, words));
      const suggestion = suggestions.get(word);
      found.push({ kind: 'unknown', invokedAs: word, ...(suggestion ? { suggestion } : {}), line: index + 1, text: line.trim() });
    }
  });
  return found;
}

const OPEN_QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

/** `\s` as one character, with printable ASCII answered without a regular expression (a 100k-character line is common in a flood). */
function isSpace(char: string): boolean {
  if (char > ' ' && char <= '~') return false;
  return /\s/.test(char);
}
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
    while (i < text.length && isSpace(text[i] ?? '')) i++;
    if (i >= text.length) break;
    const startsQuoted = OPEN_QUOTES[text[i] ?? ''] !== undefined;
    let token = '';
    let quoted = false;
    while (i < text.length && !isSpace(text[i] ?? '')) {
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
