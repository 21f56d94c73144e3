// The one place errors become responses. Our own error classes carry their status; Fastify's client errors
// (bad JSON, a body too large, an unsupported content type) are rewritten into the same classes with a
// readable message; a server Tend depends on being down is an outage (503 with Retry-After, serverUnavailable.ts);
// anything else is our bug: a 500 that is logged with the request id, and says no more.

import type { FastifyError, FastifyRequest } from 'fastify';
import {
  BadRequest,
  HttpError,
  NotFound,
  PayloadTooLarge,
  TooManyRequests,
  Unauthorized,
  UnsupportedMediaType,
} from './errors.js';
import { renderPage } from './pages/render.js';
import { asOutage } from './serverUnavailable.js';
import type { TendApp } from './typeProvider.js';

export function installErrorHandling(app: TendApp, communityName: () => Promise<string>): void {
  app.setNotFoundHandler((request) => {
    throw new NotFound(
      `there is no ${request.method} ${request.url.split('?')[0] ?? ''}: see /docs for the routes`,
    );
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const known = asHttpError(error, request);
    if (known === null) request.log.error({ err: error }, 'request failed: a bug in Tend');
    else if (known.statusCode >= 500)
      request.log.warn({ err: error, status: known.statusCode, reason: known.message }, 'request refused');
    else
      request.log.info(
        { status: known.statusCode, code: known.code, reason: known.message },
        'request refused',
      );
    const status = known?.statusCode ?? 500;
    const code = known?.code ?? 'internal';
    const message =
      known?.message ?? `something went wrong on our side; it is logged as request ${request.id}`;
    reply.status(status);
    if (known?.retryAfterSeconds !== undefined) reply.header('retry-after', String(known.retryAfterSeconds));
    if (!wantsPage(request)) return reply.send({ error: { code, message } });
    const title = status >= 500 ? 'Something went wrong' : 'This did not work';
    const page = renderPage(await communityName(), { name: 'message', title, values: { message } });
    return reply.type('text/html; charset=utf-8').send(page);
  });
}

/** Pages for people, JSON for programs: a page route answers JSON only when asked to. */
export function wantsPage(request: FastifyRequest): boolean {
  return (
    request.routeOptions.config.page === true && !(request.headers.accept ?? '').includes('application/json')
  );
}

function asHttpError(error: FastifyError, request: FastifyRequest): HttpError | null {
  if (error instanceof HttpError) return error;
  const outage = asOutage(error);
  if (outage !== null) return outage;
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500) return null;
  const options = { cause: error };
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaType(
        `this route does not take ${request.headers['content-type'] === undefined ? 'a body without a Content-Type' : `Content-Type ${JSON.stringify(request.headers['content-type'])}`}: see /docs`,
        options,
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLarge(
        `the body is larger than the ${request.routeOptions.bodyLimit} bytes this route takes`,
        options,
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BadRequest('the body is empty: send a JSON document, or no Content-Type', options);
  }
  if (error instanceof SyntaxError)
    return new BadRequest(`the body is not valid JSON: ${error.message}`, options);
  if (status === 401) return new Unauthorized(error.message, options);
  if (status === 404) return new NotFound(error.message, options);
  if (status === 429) return new TooManyRequests(error.message, options);
  return new ClientError(status, error.message, options);
}

/** A client error Fastify detected that has no class of its own here (e.g. a Content-Length mismatch). */
class ClientError extends HttpError {
  readonly code = 'bad_request';
  constructor(
    readonly statusCode: number,
    message: string,
    options: { cause?: unknown },
  ) {
    super(message, options);
  }
}
