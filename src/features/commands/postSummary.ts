import { incidentView } from '../../domain/incident/incidentView.ts';
import type { Executor } from './commandContext.ts';

/** `/summary`: where the incident stands, as a reply. No GitHub calls of its own. */
export const postSummary: Executor = async ({ session, config, render }) => {
  if (!session.state) return { ok: false, reply: '⚠️ `/summary` works on incident issues only.' };
  return { ok: true, reply: render('summary', incidentView(session.state, { timezone: config.timezone })) };
};
