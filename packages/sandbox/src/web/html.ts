/**
 * HTML built from tagged templates: every interpolated value is escaped unless it is already
 * `SafeHtml`, so user text (titles, logins, label names, query echoes) cannot become markup by
 * forgetting a call. Only `trustedHtml` (Markdown renderer output) bypasses escaping.
 */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  // `false`/`null`/`undefined` render nothing so `${cond && html`...`}` reads naturally.
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** For markup produced by our own sanitizing renderer only. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
