import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitIdentifier, stem, termKeys, terms } from '../../../src/domain/correlation/terms.ts';

describe('terms', () => {
  it('splits identifiers the way engineers read them: camelCase, snake_case, kebab-case, paths', () => {
    expect(splitIdentifier('OrderReservationTimeout')).toEqual(['Order', 'Reservation', 'Timeout']);
    expect(splitIdentifier('HTTPClient2')).toEqual(['HTTP', 'Client', '2']);
    expect([...termKeys('consumer_group ledger-projector app/refunds/ledger.py:88')]).toEqual(['consum', 'consumergroup', 'group', 'ledg', 'ledgerprojector', 'projector', 'refund']);
  });

  it('meets word forms: plurals, -ing, -ed, -er and a final e', () => {
    expect(['timeouts', 'timeout'].map(stem)).toEqual(['timeout', 'timeout']);
    expect(['throttling', 'throttled', 'throttle'].map(stem)).toEqual(['throttl', 'throttl', 'throttl']);
    expect(['snapshots', 'batches', 'retries', 'queues', 'queue'].map(stem)).toEqual(['snapshot', 'batch', 'retry', 'queu', 'queu']);
    expect(['dropped', 'drop'].map(stem)).toEqual(['drop', 'drop']);
  });

  it('drops what every alert and change says, numbers, hashes and file extensions', () => {
    expect([...termKeys('HighErrorRate in production: 503 requests failing on host 10.0.3.7, commit 3f9a2b1c, main.py')]).toEqual([]);
  });

  it('joins the words of one identifier into compounds, keeping how they were written', () => {
    expect(terms('max_connections HomeFeed').filter((t) => t.compound)).toEqual([
      { key: 'maxconnection', shown: 'max_connections', compound: true, parts: ['max', 'connection'] },
      { key: 'homefeed', shown: 'HomeFeed', compound: true, parts: ['home', 'feed'] },
    ]);
    // Two telling-less words make no compound.
    expect(terms('error_rate').filter((t) => t.compound)).toEqual([]);
  });

  it('never throws and yields lower-case keys for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        for (const term of terms(text)) expect(term.key).toMatch(/^[a-z0-9]+$/);
      }),
    );
  });
});
