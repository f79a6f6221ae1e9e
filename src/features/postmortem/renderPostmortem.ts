import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { PostmortemView } from '../../domain/postmortem/postmortemView.ts';
import { mergePostmortem } from '../../domain/postmortem/postmortemDocument.ts';
import { registerTemplateHelpers, templatesDir } from '../../adapters/templates/templates.ts';

export type PostmortemRenderer = (view: PostmortemView, existing: string | null) => string;

/**
 * A renderer for postmortem files: our `templates/postmortem.md.hbs`, or an organization's
 * template text (which may use our `postmortem-*` partials and the `generated` block helper:
 * `{{#generated "timeline"}}...{{/generated}}` fences a section firewatch refreshes). Front matter
 * is written from `view.frontMatter`, never by the template, so it is always valid YAML.
 */
export function postmortemRenderer(options: { template?: string; dir?: string } = {}): PostmortemRenderer {
  const dir = options.dir ?? templatesDir();
  const handlebars = Handlebars.create();
  registerTemplateHelpers(handlebars);
  const partials = join(dir, 'partials');
  if (existsSync(partials)) {
    for (const file of readdirSync(partials)) {
      if (file.endsWith('.hbs')) handlebars.registerPartial(file.replace(/(\.md)?\.hbs$/, ''), readFileSync(join(partials, file), 'utf8'));
    }
  }
  handlebars.registerHelper('generated', function (this: unknown, name: unknown, block: Handlebars.HelperOptions) {
    const id = String(name).replace(/[^\w-]/g, '-');
    return `<!-- firewatch:generated:${id}:start -->\n${block.fn(this).trim()}\n<!-- firewatch:generated:${id}:end -->\n`;
  });
  const source = options.template ?? readFileSync(join(dir, 'postmortem.md.hbs'), 'utf8');
  const template = handlebars.compile(source, { noEscape: true });
  return (view, existing) => {
    const body = `${template(view).replace(/^\s+/, '').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
    return mergePostmortem(existing, { frontMatter: view.frontMatter, body });
  };
}
