import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { templatesDir, TemplatesNotFoundError } from '../../templates.ts';

export type SweepTemplate = 'sweep-ack-slo' | 'sweep-escalation' | 'sweep-stale' | 'sweep-postmortem' | 'incident-review' | 'shift-handoff';
export type RenderSweep = (name: SweepTemplate, view: object) => string;

/**
 * Renders the sweep's templates from the same directory as the others (so bundles and
 * FIREWATCH_TEMPLATES_DIR work alike). Views escape user text themselves, as everywhere else.
 */
export function loadSweepTemplates(dir: string = templatesDir()): RenderSweep {
  const handlebars = Handlebars.create();
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  return (name, view) => {
    let template = compiled.get(name);
    if (!template) {
      const file = join(dir, `${name}.md.hbs`);
      if (!existsSync(file)) throw new TemplatesNotFoundError([file]);
      template = handlebars.compile(readFileSync(file, 'utf8'), { noEscape: true });
      compiled.set(name, template);
    }
    return `${template(view).replace(/^\s+/, '').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
  };
}

let shared: RenderSweep | undefined;

export const renderSweep: RenderSweep = (name, view) => {
  shared ??= loadSweepTemplates();
  return shared(name, view);
};
