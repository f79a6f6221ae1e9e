import { incidentView } from '../domain/incidentView.ts';
import { renderStateBlock, type IncidentState } from '../domain/incidentState.ts';
import { truncateBody } from '../domain/markdown.ts';
import { mergeBody } from '../domain/mergeBody.ts';
import type { StateScope } from '../domain/stateSeal.ts';
import { renderTemplate, type Render } from '../templates.ts';

/**
 * The incident issue body for `state`: the template's generated sections merged into the
 * existing body (human edits kept), the state block last (sealed with `scope`), and the whole
 * within GitHub's limit.
 */
export function renderIncidentBody(state: IncidentState, options: { timezone: string; existingBody?: string | null; render?: Render; scope: StateScope }): string {
  const render = options.render ?? renderTemplate;
  const stateBlock = renderStateBlock(state, options.scope);
  const rendered = `${render('incident', incidentView(state, { timezone: options.timezone }))}\n${stateBlock}\n`;
  const merged = mergeBody(options.existingBody, rendered);
  const main = merged.slice(0, merged.lastIndexOf(stateBlock)).trimEnd();
  return truncateBody(main, { tail: `\n\n${stateBlock}\n` });
}
