import { loadTemplates, templatesDir } from '../../adapters/templates/templates.ts';

type SweepTemplate = 'sweep-ack-slo' | 'sweep-escalation' | 'sweep-stale' | 'sweep-postmortem' | 'incident-review' | 'shift-handoff';
export type RenderSweep = (name: SweepTemplate, view: object) => string;

/**
 * Renders the sweep's templates from the same directory as the others (so bundles and
 * FIREWATCH_TEMPLATES_DIR work alike). Views escape user text themselves, as everywhere else.
 */
export function loadSweepTemplates(dir: string = templatesDir()): RenderSweep {
  return loadTemplates<SweepTemplate>(dir);
}

let shared: RenderSweep | undefined;

export const renderSweep: RenderSweep = (name, view) => {
  shared ??= loadSweepTemplates();
  return shared(name, view);
};
