/**
 * What an alert is about, in the broad terms an engineer sorts changes by before reading them: a
 * database alert (statement timeouts, deadlocks, database CPU) makes the change to queries and the
 * data-access layer the first to read, an out-of-memory alert the change that caches or buffers, a
 * queue backlog the change to consumers and workers. The alert and the change rarely share a word
 * here ("SQL timeouts" against `.Include(o => o.Lines)`), so exact word matching misses it.
 *
 * A change to the area the alert is about weighs +0.6 (`features.ts`): in postmortems the change
 * behind a database incident touched queries or the data layer most of the time, and only a
 * minority of bystanders do. Pure.
 */
import type { ChangeCandidate } from './candidate.ts';
import { changeDocument } from './changeText.ts';

type AlertDomain = 'database' | 'memory' | 'queue';

export interface DomainCue {
  domain: AlertDomain;
  /** As the alert said it. */
  said: string;
}

/** Identifiers split so `SqlCommandTimeouts` and `PostgresCPUHigh` read as words. */
export function spaced(text: string): string {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ');
}

const ALERT_CUES: Record<AlertDomain, RegExp> = {
  database: /\b(sql|sql ?exception|sqlstate|databases?|db|postgres(?:ql)?|mysql|mariadb|mssql|sql server|aurora|rds|deadlocks?|statement[_ ]timeouts?|slow quer(?:y|ies)|quer(?:y|ies)|replication lag|replica lag|lock waits?|lock timeouts?|seq scans?|connection pool|datname)\b/i,
  memory: /\b(oom|oom ?killed|out of memory|out ?of ?memory ?error|memory|heap|rss|gc pauses?|garbage collection)\b/i,
  queue: /\b(queues?|backlog|consumer(?: group)?s?|consumer lag|kafka|rabbit ?mq|sqs|pub ?sub|celery|sidekiq|dead[- ]letter|dlq)\b/i,
};

/** Path segments and file names of each area. */
const PATH_CUES: Record<AlertDomain, RegExp> = {
  database: /(^|\/)(repositor(?:y|ies)|repos?|daos?|dal|persistence|db|database|queries|query|sql|orm|models?|entities|entity)(\/|$)|(repository|repo|dao|queries|query|model|models)\.[a-z]+$|\.sql$|(^|\/)schema\.prisma$/i,
  memory: /(^|\/)(caches?|caching|memo|buffers?|pools?)(\/|$)|(cache|buffer|pool|memo)\.[a-z]+$/i,
  queue: /(^|\/)(workers?|consumers?|producers?|queues?|jobs|tasks|subscribers?|listeners?|handlers?|celery|sidekiq)(\/|$)|(worker|consumer|producer|queue|task|tasks|job|subscriber|listener)\.[a-z]+$/i,
};

/** Words of titles and descriptions, and constructs of changed lines, of each area. */
const TEXT_CUES: Record<AlertDomain, RegExp> = {
  database:
    /\b(quer(?:y|ies)|eager(?:ly)?|lazy[- ]load(?:s|ing)?|preload(?:s|ing)?|n\+1|sql|orm|joins?|indexe?s?|transactions?)\b|\.(?:Include|ThenInclude|includes|preload|eager_load|joins|where|select_related|prefetch_related|findMany|findAll|query)\(|\b(?:selectinload|joinedload|subqueryload)\b|\bSELECT\b[^;\n]*\bFROM\b|\bJOIN\b/,
  memory: /\b(cach(?:e|es|ed|ing)|memoi[sz](?:e|es|ed|ing)|buffer(?:s|ing)?|in-memory|LRU|preload(?:s|ing)?|load(?:s|ing)? (?:all|everything))\b|\bnew Map\b|\bmemory:\s*\S+|-Xmx\d/i,
  queue: /\b(consumers?|producers?|queues?|enqueue[sd]?|publish(?:es|ed)?|subscri(?:be|ber|ption)s?|prefetch|concurrency|celery|sidekiq|kafka|batch(?:es|ing)?|acks?|redeliver(?:y|ed))\b/i,
};

/** The areas an alert is about, with the words that said so. */
export function alertDomains(text: string): DomainCue[] {
  const words = spaced(text);
  const found: DomainCue[] = [];
  for (const domain of Object.keys(ALERT_CUES) as AlertDomain[]) {
    const match = ALERT_CUES[domain].exec(words);
    if (match) found.push({ domain, said: match[0] });
  }
  return found;
}

const NOUN: Record<AlertDomain, string> = { database: 'queries or the data layer', memory: 'caching or buffering', queue: 'consumers, workers or queues' };

/** Where this change touches one of the alert's areas: the area and what showed it. */
export function domainTouched(candidate: ChangeCandidate, cues: readonly DomainCue[]): { cue: DomainCue; what: string; noun: string } | undefined {
  const document = changeDocument(candidate);
  for (const cue of cues) {
    const path = candidate.paths.find((p) => PATH_CUES[cue.domain].test(p));
    if (path) return { cue, what: path, noun: NOUN[cue.domain] };
    const said = TEXT_CUES[cue.domain].exec(candidate.title)?.[0] ?? TEXT_CUES[cue.domain].exec(document.changedText.join('\n'))?.[0] ?? TEXT_CUES[cue.domain].exec((candidate.body ?? '').slice(0, 2000))?.[0];
    if (said) return { cue, what: said.trim(), noun: NOUN[cue.domain] };
  }
  return undefined;
}
