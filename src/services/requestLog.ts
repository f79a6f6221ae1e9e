/** What `GET v2/alerts/requests/{requestId}` answers once a request is processed (Opsgenie's `data`). */
export interface RequestStatus {
  success: boolean;
  action: string;
  processedAt: string;
  integrationId: string;
  isSuccess: boolean;
  status: string;
  alertId: string;
  alias: string;
}

/**
 * The outcome of processed Opsgenie requests. Not GitHub: one write per request would spend a
 * content-creating request on every alert notification (80 a minute is all GitHub allows). In
 * Redis when configured (shared by replicas, kept a week across restarts); otherwise in memory,
 * the last 10,000, gone with the process. A request not processed yet is not found, as in Opsgenie.
 */
export interface RequestLog {
  put(id: string, status: RequestStatus): Promise<void>;
  get(id: string): Promise<RequestStatus | undefined>;
}

export function createMemoryRequestLog(limit = 10_000): RequestLog {
  const entries = new Map<string, RequestStatus>();
  return {
    async put(id, status) {
      entries.delete(id);
      entries.set(id, status);
      while (entries.size > limit) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    async get(id) {
      return entries.get(id);
    },
  };
}
