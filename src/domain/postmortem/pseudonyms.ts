/**
 * Blameless by default: people become `team-member-1`, `team-member-2`, ... in the order they are
 * first seen, the same person always the same name (logins compare case-insensitively). Works on
 * free text too: `@mentions` of anyone, and bare logins of known people inside notes, titles and
 * URLs. With `enabled: false` everything passes through unchanged.
 */
import { escapeRegExp } from '../text/escapeRegExp.ts';

export class Pseudonyms {
  private readonly names = new Map<string, string>();
  private pattern: RegExp | null = null;
  /** `scan`'s pattern for the last candidates it was given (callers pass the same list for every line). */
  private scanning: { key: string; pattern: RegExp } | null = null;

  constructor(private readonly enabled = true) {}

  /** Registers a person (bots are not people) and returns how they are shown. */
  person(login: string): string {
    const clean = login.replace(/^@/, '').trim();
    if (!this.enabled || !clean || isBot(clean)) return clean;
    const key = clean.toLowerCase();
    let name = this.names.get(key);
    if (!name) {
      name = `team-member-${this.names.size + 1}`;
      this.names.set(key, name);
      this.pattern = null;
    }
    return name;
  }

  /**
   * Registers, in the order they occur in `input`, everyone `@mentioned` and every `candidates`
   * login written as a word: this is what makes numbering follow first appearance in the text.
   */
  scan(input: string, candidates: readonly string[]): void {
    if (!this.enabled || !input) return;
    // Each login once (a long timeline names its few people thousands of times).
    const words = [...new Set(candidates.filter((login) => login && !isBot(login)).map((login) => login.toLowerCase()))].map(escapeRegExp);
    const key = words.sort((a, b) => b.length - a.length || a.localeCompare(b)).join('|');
    if (this.scanning?.key !== key) {
      const known = words.length ? `|(?<![A-Za-z\\d-])(${key})(?![A-Za-z\\d]|-[A-Za-z\\d])` : '';
      this.scanning = { key, pattern: new RegExp(`(?<![\\w@/.-])@([A-Za-z\\d](?:[A-Za-z\\d]|-(?=[A-Za-z\\d])){0,38})(?![\\w/-])${known}`, 'gi') };
    }
    const { pattern } = this.scanning;
    for (const match of input.matchAll(pattern)) this.person(match[1] ?? match[2] ?? '');
  }

  /** Every login registered so far (lower case), e.g. for checks that none leaks. */
  logins(): string[] {
    return [...this.names.keys()];
  }

  /** Free text with every person replaced: `@login` mentions first (registering them), then known logins as words. */
  text(input: string): string {
    if (!this.enabled || !input) return input;
    const mentioned = input.replace(/(?<![\w@/.-])@([A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38})(?![\w/-])/g, (_match, login: string) => this.person(login));
    return this.names.size === 0 ? mentioned : mentioned.replace(this.loginPattern(), (match) => this.names.get(match.toLowerCase()) ?? match);
  }

  private loginPattern(): RegExp {
    if (!this.pattern) {
      const alternatives = [...this.names.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = new RegExp(`(?<![A-Za-z\\d-])(?:${alternatives.join('|')})(?![A-Za-z\\d]|-[A-Za-z\\d])`, 'gi');
    }
    return this.pattern;
  }
}

function isBot(login: string): boolean {
  return login.endsWith('[bot]');
}
