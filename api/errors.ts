// The errors a route may throw. Each is a small class that names what went wrong in the client's terms; the
// one error handler (errorHandler.ts) turns them into a status code and `{ error: { code, message } }`.
// Anything that is not one of these is our own bug: a 500, logged with the request id.

export abstract class HttpError extends Error {
  abstract readonly statusCode: number;
  /** Stable, machine-readable: clients branch on it, people read the message. */
  abstract readonly code: string;

  /** Seconds the client should wait before trying again (the Retry-After header), when that is known. */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options);
    this.name = new.target.name;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

export class BadRequest extends HttpError {
  readonly statusCode = 400;
  readonly code = 'bad_request';
}

export class Unauthorized extends HttpError {
  readonly statusCode = 401;
  readonly code = 'unauthorized';
}

export class NotFound extends HttpError {
  readonly statusCode = 404;
  readonly code = 'not_found';
}

export class Conflict extends HttpError {
  readonly statusCode = 409;
  readonly code = 'conflict';
}

export class PayloadTooLarge extends HttpError {
  readonly statusCode = 413;
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaType extends HttpError {
  readonly statusCode = 415;
  readonly code = 'unsupported_media_type';
}

export class Unprocessable extends HttpError {
  readonly statusCode = 422;
  readonly code = 'unprocessable';
}

export class TooManyRequests extends HttpError {
  readonly statusCode = 429;
  readonly code = 'too_many_requests';
}

/** Seconds a client is told to wait after a 503: about how long a server takes to reconnect or restart. */
export const RETRY_AFTER_SECONDS = 5;

/** Not now, try again: a server Tend depends on is away, or the API is not ready. Always with Retry-After. */
export class ServiceUnavailable extends HttpError {
  readonly statusCode = 503;
  readonly code = 'unavailable';

  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { retryAfterSeconds: RETRY_AFTER_SECONDS, ...options });
  }
}

export class Forbidden extends HttpError {
  readonly statusCode = 403;
  readonly code = 'forbidden';
}
