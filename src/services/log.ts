/** The logging firewatch's features do: pino's (and so Probot's) loggers fit this shape. */
export interface Log {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}
