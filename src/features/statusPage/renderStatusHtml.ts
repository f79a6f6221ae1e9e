import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { StatusPageView } from '../../domain/statusPage/statusPageView.ts';
import { templatesDir } from '../../adapters/templates/templates.ts';

const compiled = new Map<string, HandlebarsTemplateDelegate<StatusPageView>>();

/**
 * The status page as HTML from `templates/statuspage/`. Unlike the Markdown templates, these keep
 * Handlebars' HTML escaping on: every value is text, and responders' messages are untrusted.
 */
export function renderStatusHtml(view: StatusPageView, dir: string = join(templatesDir(), 'statuspage')): string {
  let template = compiled.get(dir);
  if (!template) {
    const handlebars = Handlebars.create();
    handlebars.registerPartial('incident', readFileSync(join(dir, 'incident.html.hbs'), 'utf8'));
    template = handlebars.compile<StatusPageView>(readFileSync(join(dir, 'index.html.hbs'), 'utf8'), { strict: true });
    compiled.set(dir, template);
  }
  return template(view);
}
