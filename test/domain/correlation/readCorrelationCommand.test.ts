import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCorrelationCommand, readPullReference } from '../../../src/domain/correlation/readCorrelationCommand.ts';
import { parseCommands, type ParsedCommand } from '../../../src/domain/commands/parseCommands.ts';

function read(text: string) {
  const [line] = parseCommands(text);
  if (line?.kind !== 'command') throw new Error(`not a command: ${text}`);
  return readCorrelationCommand(line as ParsedCommand);
}

describe('readCorrelationCommand', () => {
  it('reads /rollback targets in every form people paste', () => {
    expect(read('/rollback #123')).toEqual({ ok: true, request: { name: 'rollback', target: { number: 123 }, force: false } });
    expect(read('/rollback 123')).toEqual({ ok: true, request: { name: 'rollback', target: { number: 123 }, force: false } });
    expect(read('/rollback acme/web#45 --force')).toEqual({ ok: true, request: { name: 'rollback', target: { repo: 'acme/web', number: 45 }, force: true } });
    expect(read('/rollback https://github.com/acme/web/pull/45')).toEqual({ ok: true, request: { name: 'rollback', target: { repo: 'acme/web', number: 45 }, force: false } });
    expect(read('/rollback')).toEqual({ ok: true, request: { name: 'rollback', force: false } });
  });

  it('refuses what is not a pull request, with usage', () => {
    const result = read('/rollback the-bad-one');
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.message).toContain('cannot read "the-bad-one" as a pull request');
    expect(!result.ok && result.message).toContain('Usage: `/rollback #PR [--force]`');
    expect(read('/rollback #1 #2')).toMatchObject({ ok: false });
  });

  it('reads /deploys windows up to 7 days', () => {
    expect(read('/deploys')).toEqual({ ok: true, request: { name: 'deploys' } });
    expect(read('/deploys 48h')).toEqual({ ok: true, request: { name: 'deploys', windowBeforeMs: 48 * 3_600_000, window: '48h' } });
    expect(read('/deploys 8d')).toMatchObject({ ok: false });
    expect(read('/deploys soon')).toMatchObject({ ok: false });
  });

  it('reads /redeploy environment and ref, refusing odd characters', () => {
    expect(read('/redeploy production v2.3.1')).toEqual({ ok: true, request: { name: 'redeploy', environment: 'production', ref: 'v2.3.1' } });
    expect(read('/redeploy staging')).toEqual({ ok: true, request: { name: 'redeploy', environment: 'staging' } });
    expect(read('/redeploy production main..evil')).toMatchObject({ ok: false });
    expect(read('/redeploy prod$ction')).toMatchObject({ ok: false });
  });

  it('never throws on any /rollback argument', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const [line] = parseCommands(`/rollback ${text.replace(/[\r\n]/g, ' ')}`);
        if (line?.kind === 'command') readCorrelationCommand(line);
      }),
    );
  });
});

describe('readPullReference', () => {
  it('keeps the repository when one is named', () => {
    expect(readPullReference('acme/shop#7')).toEqual({ repo: 'acme/shop', number: 7 });
    expect(readPullReference('#7')).toEqual({ number: 7 });
    expect(readPullReference('acme/shop')).toBeUndefined();
  });
});
