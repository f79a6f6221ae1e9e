import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describeAlert } from '../../src/domain/incident/incidentView.ts';
import { mergeTasks } from '../../src/domain/incident/mergeBody.ts';
import { describe, expect, it } from 'vitest';
import { escapeInline, escapeMarkdown, GITHUB_BODY_LIMIT, inlineCode, markdownToPlain, markdownUrl, quietMention, safeLink, splitHiddenTail, tableCell, tableRow, truncateBody } from '../../src/domain/text/markdown.ts';

/** How GitHub recognises a mention: `@` then a login character, not inside a word. */
const PINGABLE = /(^|[^\w`])@[A-Za-z0-9]/;

const hostile = fc.oneof(
  fc.string(),
  fc.stringMatching(/^[ @<>/a-z\-_`*[\]()#|&!.0-9\n]{0,40}$/),
  fc.constantFrom('@acme/everyone', 'cc @bob', '<img src=x onerror=alert(1)>', '<!-- x -->', '# heading', '- [ ] task', '1. one', '[link](javascript:alert(1))', '| a | b |'),
);

describe('mentions in untrusted text', () => {
  it('become inline code: readable, copyable as typed, never a notification', () => {
    expect(escapeMarkdown('ping @alice and @acme/oncall.')).toBe('ping `@alice` and `@acme/oncall`.');
    expect(escapeInline('cc @bob-smith, @carol_x')).toBe('cc `@bob-smith`, `@carol_x`');
    expect(escapeMarkdown('no mention: a @ b, bob@example.com')).toBe('no mention: a @ b, bob@example.com');
  });

  it('never carry an invisible character (property)', () => {
    fc.assert(fc.property(hostile, (text) => {
      for (const out of [escapeMarkdown(text), escapeInline(text), quietMention('alice')]) expect(out).not.toMatch(/[\u200b-\u200d\u2060\ufeff]/);
    }));
  });

  it('show a person without notifying them', () => {
    expect(quietMention('carol')).toBe('`@carol`');
    expect(quietMention('@carol')).toBe('`@carol`');
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
    expect(safeLink('click', 'JaVaScRiPt:alert(1)')).toBe('click');
    expect(safeLink('relative', '/runbooks/x')).toBe('relative');
  });

  it('keeps a hostile URL inside its link: no image, no second link (issue 16, item 11)', () => {
    const url = 'https://ok.example/)![pwn](https://evil.example/i.png)[Silence it](https://evil.example/';
    const link = safeLink('runbook', url);
    expect(link).toBe('[runbook](https://ok.example/%29!%5Bpwn%5D%28https://evil.example/i.png%29%5BSilence%20it%5D%28https://evil.example/)');
    const html = new MarkdownIt().renderInline(link);
    expect(html).toBe('<a href="https://ok.example/%29!%5Bpwn%5D%28https://evil.example/i.png%29%5BSilence%20it%5D%28https://evil.example/">runbook</a>');
  });

  it('gives one link to any http(s) URL, in a table cell too (property)', () => {
    const md = new MarkdownIt();
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string({ maxLength: 30 }), (base, junk) => {
        const url = `${base}${junk}`;
        const target = markdownUrl(url);
        if (target === null) return;
        const html = md.render(`| a |\n| --- |\n| ${tableCell(safeLink('x', url))} |\n`);
        expect(html.match(/<a /g)).toHaveLength(1);
        expect(html).not.toContain('<img');
        expect(html.match(/<td>/g)).toHaveLength(1);
      }),
    );
  });
});

describe('tableCell and tableRow', () => {
  it('escape every pipe by the parity of the backslashes before it, and keep one line', () => {
    expect(tableCell('a | b')).toBe('a \\| b');
    expect(tableCell('`x|y`')).toBe('`x\\|y`');
    expect(tableCell('already \\| escaped')).toBe('already \\| escaped');
    expect(tableCell('two \\\\| backslashes')).toBe('two \\\\\\| backslashes');
    expect(tableCell('line\nbreak')).toBe('line break');
    expect(tableRow(['a|b', 2])).toBe('| a\\|b | 2 |');
  });

  it('is linear on long runs of backslashes (no backtracking)', () => {
    const started = performance.now();
    tableCell(`${'\\'.repeat(100_000)}|`);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('escaping, cells, hidden tails and checklists stay fast on 100 k-character adversarial input', () => {
    const inputs = [
      `@${'a'.repeat(100_000)}`,
      `@a/${'b.'.repeat(50_000)}!`,
      `${' '.repeat(100_000)}x`,
      `${'\n'.repeat(100_000)}x`,
      `${'<!-- firewatch:'.repeat(7_000)}`,
      `${'-->'.repeat(33_000)}`,
      `${'<!-- firewatch:x {} -->\n'.repeat(4_000)}`,
      `- [x] **${'*'.repeat(100_000)}`,
    ];
    for (const input of inputs) {
      const started = performance.now();
      escapeMarkdown(input);
      tableCell(input);
      splitHiddenTail(input);
      mergeTasks(`<!-- firewatch:begin first-steps tasks -->\n${input}\n<!-- firewatch:end first-steps -->`, '<!-- firewatch:begin first-steps tasks -->\n- [ ] **Acknowledge**: x\n<!-- firewatch:end first-steps -->');
      describeAlert(input);
      expect(performance.now() - started, input.slice(0, 20)).toBeLessThan(1_000);
    }
  });
});

describe('markdownUrl', () => {
  it('percent-encodes what ends a link target or splits a table cell, and nothing a server needs as is', () => {
    expect(markdownUrl('https://grafana.example/d/node_exporter?var-x=a|b&y=(1)')).toBe('https://grafana.example/d/node_exporter?var-x=a%7Cb&y=%281%29');
    expect(markdownUrl('ftp://x.example/')).toBeNull();
    expect(markdownUrl('not a url')).toBeNull();
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

describe('hidden blocks at the end of a body', () => {
  const state = '<!-- firewatch:state {"a":"x--\\u003e"} -->';

  it('are split off whole, several of them too', () => {
    expect(splitHiddenTail(`text\n\n${state}\n`)).toEqual({ main: 'text', tail: `\n\n${state}\n` });
    expect(splitHiddenTail(`text\n${state}\n<!-- firewatch:event {} -->`)).toEqual({ main: 'text', tail: `\n${state}\n<!-- firewatch:event {} -->` });
    expect(splitHiddenTail('text <!-- other --> end')).toEqual({ main: 'text <!-- other --> end', tail: '' });
  });

  it('are never cut when a body without an explicit tail is too long (issue 16, item 7)', () => {
    const out = truncateBody(`${'x'.repeat(70_000)}\n\n${state}\n`);
    expect(out.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(out.endsWith(`\n\n${state}\n`)).toBe(true);
    expect(out).toContain('Cut to fit');
  });

  it('that cannot fit are refused, not cut', () => {
    expect(() => truncateBody(`x\n<!-- firewatch:state {"a":"${'y'.repeat(70_000)}"} -->`)).toThrow(/hidden firewatch block/);
  });
});

describe('markdownToPlain', () => {
  it('reads back what firewatch wrote as the text a reader sees', () => {
    const written = `Rollback ${safeLink('acme/post_mortems#3 [rollback]', 'https://github.com/acme/post_mortems/pull/3')} of ${escapeInline('a*b <c>')} by ${inlineCode('bob')}`;
    expect(markdownToPlain(written)).toBe('Rollback acme/post_mortems#3 [rollback] of a*b <c> by bob');
  });
});
