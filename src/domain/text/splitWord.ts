/** The first whitespace-separated word and what follows it, as typed. */
export function splitWord(text: string): { word: string; rest: string } {
  const trimmed = text.trim();
  // `search` for one character class cannot backtrack; `^(\S+)\s*([\s\S]*)$` could, on untrusted text.
  const space = trimmed.search(/\s/);
  return space === -1 ? { word: trimmed, rest: '' } : { word: trimmed.slice(0, space), rest: trimmed.slice(space).trim() };
}
