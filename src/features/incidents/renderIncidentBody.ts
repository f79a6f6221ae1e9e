import { fitState } from '../../domain/incident/boundState.ts';
import { incidentView, MAX_ALERT_ROWS } from '../../domain/incident/incidentView.ts';
import { renderStateBlock, type IncidentState } from '../../domain/incident/incidentState.ts';
import { GITHUB_BODY_LIMIT, truncateBody } from '../../domain/text/markdown.ts';
import { mergeBody } from '../../domain/incident/mergeBody.ts';
import type { StateScope } from '../../domain/incident/stateSeal.ts';
import { renderTemplate, type Render } from '../../adapters/templates/templates.ts';

/** Alert rows tried, most first, until the body fits GitHub's limit; the rest is summed up as "… and N more". */
const ALERT_ROW_STEPS = [MAX_ALERT_ROWS, 10, 3, 0];

/**
 * The incident issue body for `state`: the template's generated sections merged into the
 * existing body (human edits kept), the state block last, whole and sealed with `scope`, and the whole within GitHub's
 * limit. A body that would be too long shows fewer alert rows first; only if that is not enough is
 * the visible part cut (with a note). The state block is never cut: a state too large for it is
 * made to fit first ({@link fitState}), by tracking fewer alerts.
 */
export function renderIncidentBody(state: IncidentState, options: { timezone: string; existingBody?: string | null; render?: Render; scope: StateScope }): string {
  const render = options.render ?? renderTemplate;
  const fitted = fitState(state);
  const stateBlock = renderStateBlock(fitted, options.scope);
  const tail = `\n\n${stateBlock}\n`;
  let main = '';
  for (const alertRows of ALERT_ROW_STEPS) {
    const rendered = `${render('incident', incidentView(fitted, { timezone: options.timezone, alertRows }))}\n${stateBlock}\n`;
    const merged = mergeBody(options.existingBody, rendered);
    main = merged.slice(0, merged.lastIndexOf(stateBlock)).trimEnd();
    if (main.length + tail.length <= GITHUB_BODY_LIMIT) break;
  }
  return truncateBody(main, { tail });
}
