import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/domain/commands/commands.ts';
import { formatCommand, parseCommands, tokenize } from '../../src/domain/commands/parseCommands.ts';
import { closest, editDistance } from '../../src/domain/text/closest.ts';

const names = (body: string) => parseCommands(body).map((line) => (line.kind === 'command' ? line.command.name : `?${line.invokedAs}`));

describe('parseCommands', () => {
  it('finds a command on its own line', () => {
    const [line] = parseCommands('/help');
    expect(line).toMatchObject({ kind: 'command', invokedAs: 'help', args: [], options: {}, line: 1 });
  });

  it('runs several command lines in order and ignores prose', () => {
    expect(names('Looking into it.\n/help\nmore text\n  /HELP help\n')).toEqual(['help', 'help']);
  });

  it('ignores commands inside fenced code, block quotes and HTML comments', () => {
    const body = ['```', '/help', '```', '> /help', '~~~~md', '/help', '~~~', '/still-in-fence', '~~~~', '<!--', '/help', '-->', '    /help indented code', '/help'].join('\n');
    expect(names(body)).toEqual(['help']);
  });

  it('ignores commands inside an HTML comment opened mid-line, as GitHub hides them', () => {
    expect(names('Looks fine <!--\n/severity P5\n-->')).toEqual([]);
    expect(names('Looks fine <!-- still\nhidden\n/ack\n--> shown\n/help')).toEqual(['help']);
    // `<!-->` and `<!--->` are whole comments; what follows them is visible.
    expect(names('a <!--> b\n/help\nc <!---> d\n/help')).toEqual(['help', 'help']);
    // Several comments on one line: only an unclosed last one hides the next lines.
    expect(names('<!-- a --> text <!-- b --> more <!--\n/ack\n-->\n/help')).toEqual(['help']);
  });

  it('does not take `<!--` inside code for a comment', () => {
    expect(names('Use `<!--` to hide text\n/help')).toEqual(['help']);
    expect(names('```html\n<!--\n```\n/help')).toEqual(['help']);
    expect(names('``code ` <!--`` and\n/help')).toEqual(['help']);
    // An unmatched backtick is literal, so the comment after it is real.
    expect(names('a ` b <!--\n/ack\n-->')).toEqual([]);
  });

  it('does not run commands in an HTML comment inside a block quote', () => {
    expect(names('> quoted <!--\n/ack\n-->\n/help')).toEqual(['help']);
  });

  it('does not take paths or mid-line slashes for commands', () => {
    expect(names('/usr/bin/env is broken\nsee a/help b\n/help, please')).toEqual([]);
  });

  it('reports unknown commands with the closest suggestion', () => {
    expect(parseCommands('/hepl')).toEqual([{ kind: 'unknown', invokedAs: 'hepl', suggestion: 'help', line: 1, text: '/hepl' }]);
    expect(parseCommands('/deploy-everything')[0]).toEqual({ kind: 'unknown', invokedAs: 'deploy-everything', line: 1, text: '/deploy-everything' });
  });

  it('parses every example in the command table as that command (help round-trip)', () => {
    for (const command of COMMANDS) {
      for (const example of command.examples) {
        const parsed = parseCommands(example);
        expect(parsed, example).toHaveLength(1);
        expect(parsed[0]).toMatchObject({ kind: 'command', command: { name: command.name } });
      }
    }
  });

  it('never throws, whatever the comment (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (body) => {
      expect(() => parseCommands(body)).not.toThrow();
    }));
    fc.assert(fc.property(fc.array(fc.constantFrom('/help', '```', '~~~', '> /help', '<!--', '-->', '/x "a', 'text', '/help "', ''), { maxLength: 20 }), (lines) => {
      expect(() => parseCommands(lines.join('\n'))).not.toThrow();
    }));
  });
});

describe('tokenize', () => {
  it('groups quoted words and reads key=value options', () => {
    expect(tokenize('add "Payments team" reason=\'db is down\' --force x=1')).toEqual({
      args: ['add', 'Payments team', '--force'],
      options: { reason: 'db is down', x: '1' },
    });
  });

  it('accepts typographic quotes and escaped quotes', () => {
    expect(tokenize('“hello world” "say \\"hi\\""')).toEqual({ args: ['hello world', 'say "hi"'], options: {} });
  });

  it('keeps a quoted key=value positional and an empty quoted argument', () => {
    expect(tokenize('"a=b" ""')).toEqual({ args: ['a=b', ''], options: {} });
  });

  it('runs an unterminated quote to the end of the line', () => {
    expect(tokenize('"never closed')).toEqual({ args: ['never closed'], options: {} });
  });
});

describe('formatCommand', () => {
  it('is read back by the parser as the same command (property)', () => {
    const text = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n\u2028\u2029\u0085]/g, ' '));
    const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
    fc.assert(fc.property(fc.array(text, { maxLength: 5 }), fc.dictionary(key, text, { maxKeys: 3 }), (args, options) => {
      const line = formatCommand('help', args, options);
      const [parsed] = parseCommands(line);
      expect(parsed).toMatchObject({ kind: 'command', args, options });
    }));
  });
});

describe('closest', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('hepl', 'help')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only plausible typos', () => {
    expect(closest('hlep', ['help', 'ack'])).toBe('help');
    expect(closest('x', ['help', 'ack'])).toBeUndefined();
    expect(closest('rollback', ['help'])).toBeUndefined();
  });
});
