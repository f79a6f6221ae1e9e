/**
 * Error pages (404 for unknown repositories and issues, 400/413/415 for bad requests) with a way
 * back, in the same shell as every other page.
 */
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';

export function renderErrorPage(status: number, heading: string, message: string): SafeHtml {
  return layout({
    title: `${status} ${heading}`,
    body: html`<h1>${heading}</h1>
<p class="notice notice-error" role="alert">${message}</p>
<p><a href="/">Back to the repositories</a></p>`,
  });
}
