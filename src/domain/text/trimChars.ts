/**
 * `text` without the given characters at its end (or both ends). A loop, not `/x+$/`: such a
 * pattern is retried at every position of a long run and takes quadratic time on untrusted text
 * (a URL of 100,000 slashes and a letter).
 */
export function trimEndChars(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1] ?? '')) end--;
  return text.slice(0, end);
}

export function trimChars(text: string, chars: string): string {
  let start = 0;
  while (start < text.length && chars.includes(text[start] ?? '')) start++;
  return trimEndChars(text.slice(start), chars);
}
