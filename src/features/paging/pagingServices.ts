import type { IdentitySource } from '../../services/identity.ts';
import type { Channels } from '../../adapters/channels/index.ts';
import type { Clock } from '../../domain/time/clock.ts';
import type { Contacts } from '../../domain/paging/contacts.ts';
import type { StateSeal } from '../../domain/incident/stateSeal.ts';
import { trimEndChars } from '../../domain/text/trimChars.ts';

/** Runs `task` while holding the lock for `key` (in-process, plus Redis when there are replicas). */
export type PagingLock = <T>(key: string, task: () => Promise<T>) => Promise<T>;

/** Where acknowledge links point and what signs them. */
export interface AckLinks {
  /** The firewatch server as people reach it, e.g. https://firewatch.example.com */
  baseUrl: string;
  /** HMAC key held by the server only (FIREWATCH_ACK_KEY). */
  key: string;
}

/**
 * What paging needs from the process, built once by each runtime (server, Action, sandbox):
 * the channels set up in its environment, the contacts (read from a file or secret, never from
 * the repository), the acknowledge-link key, the state seal, the clock and the lock.
 */
export interface PagingServices {
  channels: Channels;
  /** The contacts now (a file may change while the server runs); null when none were given. */
  contacts: () => Contacts | null;
  ackLinks: AckLinks | null;
  /**
   * Verifies the incident state paging reads and seals what the acknowledge link writes: the
   * runtime's own seal, so a state block someone else wrote pages nobody (docs/incident-state.md).
   */
  stateSeal: StateSeal;
  clock: Clock;
  lock: PagingLock;
  /** Who firewatch is: only its own markers (pages sent, steps brought in) are its state. */
  identity: IdentitySource;
}

export function ackUrl(links: AckLinks, token: string): string {
  return `${trimEndChars(links.baseUrl, '/')}/ack/${token}`;
}
