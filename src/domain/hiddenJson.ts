/**
 * JSON inside an HTML comment (`<!-- firewatch:KIND {...} -->`). `<`, `>`, `&` and `@` are written as
 * JSON unicode escapes, so no user text inside the JSON can close the comment early or open a tag;
 * `JSON.parse` turns them back.
 */
export function renderHiddenJson(kind: string, value: unknown): string {
  // `@` too: a mention inside a hidden comment must not be able to notify anyone either.
  const json = JSON.stringify(value).replace(/[<>&@\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<!-- firewatch:${kind} ${json} -->`;
}

/** Every `<!-- firewatch:KIND {...} -->` in a text, parsed; unparsable ones are skipped. */
export function findHiddenJson(kind: string, text: string): unknown[] {
  const pattern = new RegExp(`<!-- firewatch:${kind} (\\{[^>]*\\}) -->`, 'g');
  const found: unknown[] = [];
  for (const match of text.matchAll(pattern)) {
    try {
      found.push(JSON.parse(match[1] ?? ''));
    } catch {
      // A hand-edited or foreign block is not ours to trust; callers treat it as absent.
    }
  }
  return found;
}
