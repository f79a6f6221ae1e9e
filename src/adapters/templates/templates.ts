import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { tableCell } from '../../domain/text/markdown.ts';
import { TemplatesNotFoundError } from '../../domain/errors/errors.ts';

/** The templates {@link renderTemplate} renders; each is `templates/<name>.md.hbs`. */
export const TEMPLATE_NAMES = ['incident', 'help', 'invalid-config', 'config-problems', 'summary', 'followup', 'suspects'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

const MARKER_FILE = 'incident.md.hbs';

/**
 * Where the templates are: the repository's templates folder, seen from this file (tsx, tests) or
 * from the bundled `dist/index.js`; a bundle copied
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
    // From src/adapters/templates/ (tsx, tests), and from the bundle in dist/.
    fileURLToPath(new URL('../../../templates/', import.meta.url)),
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
 * Helpers every firewatch template may use:
 * - `{{cell value}}` or `{{#cell}}…{{/cell}}`: Markdown made fit for one GFM table cell (one line,
 *   every `|` escaped), so no value, however hostile, adds or removes a column.
 * - `{{quote value}}`: Markdown (several lines) as a block quote, each line prefixed with `> `.
 */
export function registerTemplateHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('cell', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Handlebars.HelperOptions;
    const content = typeof options.fn === 'function' ? options.fn(this) : args.map((value) => (value === undefined || value === null ? '' : String(value))).join('');
    return tableCell(content);
  });
  handlebars.registerHelper('quote', (value: unknown) =>
    String(value ?? '')
      .split('\n')
      .map((line) => (line.trim() ? `> ${line}` : '>'))
      .join('\n'),
  );
}

export interface TemplateFailure {
  /** `suspects`, or `partials/alerts` */
  name: string;
  error: unknown;
}

export interface TemplateRenderer<Name extends string> {
  (name: Name, view: object): string;
  /**
   * Compiles the partials and these templates now rather than on first use (Handlebars compiles a
   * template on its first call, so each is called once with an empty view); returns the ones that
   * do not compile or render.
   */
  compileAll(names: readonly Name[]): TemplateFailure[];
}

/**
 * Compiles every template and partial in `dir` once. Values are inserted without HTML escaping:
 * view models escape user text for Markdown themselves (src/domain/markdown.ts), and HTML
 * entities would show up literally inside code spans.
 */
export function loadTemplates<Name extends string = TemplateName>(dir: string = templatesDir()): TemplateRenderer<Name> {
  const handlebars = Handlebars.create();
  registerTemplateHelpers(handlebars);
  const partialsDir = join(dir, 'partials');
  if (existsSync(partialsDir)) {
    for (const file of readdirSync(partialsDir)) {
      if (file.endsWith('.hbs')) handlebars.registerPartial(file.replace(/(\.md)?\.hbs$/, ''), readFileSync(join(partialsDir, file), 'utf8'));
    }
  }
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  const templateFor = (name: string) => {
    let template = compiled.get(name);
    if (!template) {
      const file = join(dir, `${name}.md.hbs`);
      if (!existsSync(file)) throw new TemplatesNotFoundError([file]);
      template = handlebars.compile(readFileSync(file, 'utf8'), { noEscape: true });
      compiled.set(name, template);
    }
    return template;
  };
  const render = (name: Name, view: object) => `${templateFor(name)(view).replace(/^\s+/, '').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
  return Object.assign(render, {
    compileAll(names: readonly Name[]) {
      const failed: TemplateFailure[] = [];
      // Partials registered as source would be compiled on first use too; compiled here once instead.
      for (const [name, partial] of Object.entries(handlebars.partials as Record<string, unknown>)) {
        if (typeof partial !== 'string') continue;
        try {
          const template = handlebars.compile(partial, { noEscape: true });
          template({});
          handlebars.registerPartial(name, template);
        } catch (error) {
          failed.push({ name: `partials/${name}`, error });
        }
      }
      for (const name of names) {
        try {
          templateFor(name)({});
        } catch (error) {
          failed.push({ name, error });
        }
      }
      return failed;
    },
  });
}

let shared: TemplateRenderer<TemplateName> | undefined;

/** Renders with the templates found by {@link templatesDir}, compiled on first use. */
export const renderTemplate: Render = (name, view) => {
  shared ??= loadTemplates();
  return shared(name, view);
};

/**
 * Compiles every template {@link renderTemplate} uses now. A server does this at start-up, so the
 * first incident of a storm is not held up (nor the alerts arriving with it) by compiling, and a
 * broken template is reported at start rather than at the first incident. Returns the templates that
 * failed to compile.
 */
export function precompileTemplates(): TemplateFailure[] {
  shared ??= loadTemplates();
  return shared.compileAll(TEMPLATE_NAMES);
}
