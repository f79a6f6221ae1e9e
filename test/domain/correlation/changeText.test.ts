import { describe, expect, it } from 'vitest';
import { changeDocument, readPatch } from '../../../src/domain/correlation/changeText.ts';
import { pull } from './support.ts';

describe('readPatch', () => {
  it('reads hunks as new-side line ranges and the changed lines in them', () => {
    const patch = '@@ -83,9 +83,9 @@ def post_refund(book, refund):\n     amount = Decimal(refund.amount)\n     if amount <= 0:\n         raise ValueError\n     fee = book.fee_for(entry)\n-    entry.balance -= amount + fee\n+    entry.balance -= amount + fee * entry.partial_ratio\n     book.append(entry)\n@@ -120 +120,2 @@\n-x = 1\n+x = 2\n+y = 3';
    expect(readPatch(patch)).toEqual({
      lines: [87, 87, 120, 120, 121],
      hunks: [
        { from: 83, to: 91 },
        { from: 120, to: 121 },
      ],
      text: ['    entry.balance -= amount + fee', '    entry.balance -= amount + fee * entry.partial_ratio', 'x = 1', 'x = 2', 'y = 3'],
      // The three unchanged lines above each change, once; a new hunk starts without any.
      context: ['    if amount <= 0:', '        raise ValueError', '    fee = book.fee_for(entry)'],
      // What the change writes, without what it removes.
      added: ['    entry.balance -= amount + fee * entry.partial_ratio', 'x = 2', 'y = 3'],
    });
  });
});

describe('changeDocument', () => {
  it('keeps where a change says each word, the strongest place first: paths and title over description and diff', () => {
    const document = changeDocument(pull(1, { title: 'Digest: one task per subscriber', body: 'Adds small tasks to the emails queue', paths: ['notifier/tasks/digest.py'], patches: { 'notifier/tasks/digest.py': '@@ -1 +1 @@\n-send_bulk(batch)\n+send_digest_to.delay(user_id)' } }));
    expect(document.terms.get('digest')).toEqual({ field: 'path', shown: 'digest', path: 'notifier/tasks/digest.py' });
    expect(document.terms.get('subscrib')).toEqual({ field: 'title', shown: 'subscriber' });
    expect(document.terms.get('email')?.field).toBe('body');
    expect(document.terms.get('delay')).toEqual({ field: 'patch', shown: 'delay', path: 'notifier/tasks/digest.py' });
    expect(document.changedLines.get('notifier/tasks/digest.py')?.lines).toEqual([1, 1]);
  });
});
