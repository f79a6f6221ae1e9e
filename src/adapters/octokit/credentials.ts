export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the app talks to a real GitHub: as a GitHub App (normal) or with one token (tests, scripts). */
export type GitHubCredentials =
  | { kind: 'app'; appId: number; privateKey: string; webhookSecret: string; baseUrl?: string }
  | { kind: 'token'; token: string; webhookSecret?: string; baseUrl?: string };
