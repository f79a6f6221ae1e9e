import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** The templates firewatch renders; each is `templates/<name>.md.hbs`. */
export type TemplateName = 'incident' | 'help' | 'invalid-config' | 'config-problems' | 'summary' | 'followup' | 'suspects';

const MARKER_FILE = 'incident.md.hbs';

/** A template directory that was asked for or searched for but is not usable. */
export class TemplatesNotFoundError extends Error {
  constructor(readonly searched: string[]) {
    super(`firewatch templates not found (looked for ${MARKER_FILE} in: ${searched.join(', ')}); set FIREWATCH_TEMPLATES_DIR to the templates directory`);
    this.name = 'TemplatesNotFoundError';
  }
}

/**
 * Where the templates are. From `src/templates.ts` (tsx, tests) and from the bundled
 * `dist/index.js` alike, `../templates/` is the repository's templates folder; a bundle copied
 * elsewhere may carry them beside itself, or the environment names them.
 */
export function templatesDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['FIREWATCH_TEMPLATES_DIR'];
  if (configured) {
    const dir = resolve(configured);
    if (!existsSync(join(dir, MARKER_FILE))) throw new TemplatesNotFoundError([dir]);
    return dir;
  }
  const candidates = [
    fileURLToPath(new URL('../templates/', import.meta.url)),
    fileURLToPath(new URL('./templates/', import.meta.url)),
    resolve(process.cwd(), 'templates'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, MARKER_FILE)));
  if (!found) throw new TemplatesNotFoundError(candidates);
  return found;
}

export type Render = (name: TemplateName, view: object) => string;

/**
 * Compiles every template and partial in `dir` once. Values are inserted without HTML escaping:
 * view models escape user text for Markdown themselves (src/domain/markdown.ts), and HTML
 * entities would show up literally inside code spans.
 */
export function loadTemplates<Name extends string = TemplateName>(dir: string = templatesDir()): (name: Name, view: object) => string {
  const handlebars = Handlebars.create();
  const partialsDir = join(dir, 'partials');
  if (existsSync(partialsDir)) {
    for (const file of readdirSync(partialsDir)) {
      if (file.endsWith('.hbs')) handlebars.registerPartial(file.replace(/(\.md)?\.hbs$/, ''), readFileSync(join(partialsDir, file), 'utf8'));
    }
  }
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

let shared: Render | undefined;

/** Renders with the templates found by {@link templatesDir}, compiled on first use. */
export const renderTemplate: Render = (name, view) => {
  shared ??= loadTemplates();
  return shared(name, view);
};
