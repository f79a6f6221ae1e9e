import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeInline, escapeMarkdown, GITHUB_BODY_LIMIT, inlineCode, markdownToPlain, neutralizeMentions, safeLink, truncateBody } from '../../src/domain/markdown.ts';

/** How GitHub recognises a mention: `@` then a login character, not inside a word. */
const PINGABLE = /(^|[^\w`])@[A-Za-z0-9]/;

const hostile = fc.oneof(
  fc.string(),
  fc.stringMatching(/^[ @<>/a-z\-_`*[\]()#|&!.0-9\n]{0,40}$/),
  fc.constantFrom('@acme/everyone', 'cc @bob', '<img src=x onerror=alert(1)>', '<!-- x -->', '# heading', '- [ ] task', '1. one', '[link](javascript:alert(1))', '| a | b |'),
);

describe('neutralizeMentions', () => {
  it('makes users and teams inert but keeps them readable', () => {
    expect(neutralizeMentions('ping @alice and @acme/oncall')).toBe('ping @\u200balice and @\u200bacme/oncall');
    expect(neutralizeMentions('no mention: a @ b')).toBe('no mention: a @ b');
  });
});

describe('escapeMarkdown', () => {
  it('shows HTML as text', () => {
    expect(escapeMarkdown('<b>bold</b> & co')).toBe('&lt;b&gt;bold&lt;/b&gt; &amp; co');
  });

  it('escapes Markdown that would change the rendering', () => {
    expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
    expect(escapeMarkdown('- not a list\n1. nor this')).toBe('\\- not a list\n1\\. nor this');
    expect(escapeMarkdown('*a* _b_ `c` [d](e) |f| ~g~')).toBe('\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\|f\\| \\~g\\~');
    expect(escapeMarkdown('5.2% of 1-2 requests')).toBe('5.2% of 1-2 requests');
  });

  it('never lets a mention or a tag from the input through (property)', () => {
    fc.assert(fc.property(hostile, (text) => {
      for (const out of [escapeMarkdown(text), escapeInline(text)]) {
        expect(out).not.toMatch(PINGABLE);
        expect(out).not.toContain('<');
        expect(out).not.toContain('>');
      }
      expect(escapeInline(text)).not.toContain('\n');
    }));
  });
});

describe('inlineCode', () => {
  it('fences text containing backticks with a longer fence', () => {
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`x`')).toBe('`` `x` ``');
  });
});

describe('safeLink', () => {
  it('links only http(s) URLs', () => {
    expect(safeLink('runbook', 'https://wiki/x y')).toBe('[runbook](https://wiki/x%20y)');
    expect(safeLink('click', 'javascript:alert(1)')).toBe('click');
  });
});

describe('truncateBody', () => {
  it('leaves short bodies alone', () => {
    expect(truncateBody('hello', { tail: '\nT' })).toBe('hello\nT');
  });

  it('cuts long bodies to the limit with a note, keeping the tail intact', () => {
    const tail = '\n<!-- firewatch:state {} -->\n';
    const out = truncateBody('x'.repeat(70_000), { tail });
    expect(out.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(out.endsWith(tail)).toBe(true);
    expect(out).toMatch(/Cut to fit GitHub's 65,536-character limit \([\d,]+ characters not shown\)/);
  });

  it('never splits a surrogate pair and always fits (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 300 }), fc.integer({ min: 150, max: 400 }), (text, limit) => {
      const out = truncateBody(text, { limit, tail: '🔥' });
      expect(out.length).toBeLessThanOrEqual(Math.max(limit, text.length + 2));
      if (text.length + 2 > limit) expect(out.length).toBeLessThanOrEqual(limit);
      expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }));
  });
});

describe('markdownToPlain', () => {
  it('reads back what firewatch wrote as the text a reader sees', () => {
    const written = `Rollback ${safeLink('acme/post_mortems#3 [rollback]', 'https://github.com/acme/post_mortems/pull/3')} of ${escapeInline('a*b <c>')} by ${inlineCode('bob')}`;
    expect(markdownToPlain(written)).toBe('Rollback acme/post_mortems#3 [rollback] of a*b <c> by bob');
  });
});
