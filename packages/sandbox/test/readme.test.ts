/**
 * The README's promises stay true: its examples are the example tests, verbatim; its list of REST
 * routes is the router's; every export of the package is described.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from '../src/public.ts';
import { Sandbox } from '../src/index.ts';

const packageRoot = new URL('..', import.meta.url);
const readme = readFileSync(new URL('README.md', packageRoot), 'utf8');

/** The fenced block right after `<!-- marker -->`. */
function blockAfter(marker: string): string | undefined {
  const at = readme.indexOf(`<!-- ${marker} -->\n`);
  if (at === -1) return undefined;
  const open = readme.indexOf('\n', readme.indexOf('```', at)) + 1;
  const close = readme.indexOf('\n```\n', open);
  return readme.slice(open, close + 1);
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'readme' });
});
afterAll(() => sandbox.close());

describe('the README', () => {
  it.each(['test/examples/octokit.test.ts', 'test/examples/probot.test.ts'])('shows %s as it is', (path) => {
    expect(blockAfter(`example: ${path}`), `README.md's block after <!-- example: ${path} --> must be the file's content`).toBe(readFileSync(new URL(path, packageRoot), 'utf8'));
  });

  it('lists exactly the REST routes the router serves', () => {
    const served = sandbox.router
      .list()
      .map(({ method, template }) => ({ method, template }))
      .sort((a, b) => (a.template === b.template ? a.method.localeCompare(b.method) : a.template < b.template ? -1 : 1))
      .map(({ method, template }) => `${method} ${template}`);
    const listed = (blockAfter('routes') ?? '').split('\n').filter(Boolean);
    expect({ missing: served.filter((r) => !listed.includes(r)), extra: listed.filter((r) => !served.includes(r)) }, 'README.md "What it implements"').toEqual({ missing: [], extra: [] });
    expect(listed).toEqual(served);
  });

  it('describes every export of the package', () => {
    const exports = Object.keys(api);
    expect(exports.length).toBeGreaterThan(10);
    expect(exports.filter((name) => !readme.includes(`\`${name}`))).toEqual([]);
  });
});
