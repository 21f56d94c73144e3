// The little of a logger the activities use; pino's Logger fits it, and so does a test's recorder.

export interface ActivityLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export const silentLogger: ActivityLogger = { info: () => undefined, warn: () => undefined };
