// The API's connection to Temporal. The SDK retries a call that finds the server unavailable up to ten times
// with a backoff of up to 5 s each, about half a minute: longer than a client waits for an answer. The API
// retries briefly instead (a blip, a restart in progress), then the error handler answers 503 with
// Retry-After and the client retries; the gRPC channel reconnects by itself when the server is back.

import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

/** Attempts per call while Temporal is unavailable: about half a second in all with the SDK's backoff. */
const API_CALL_ATTEMPTS = 3;

export function connectTemporalForApi(address: string): Promise<Connection> {
  return Connection.connect({
    address,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: API_CALL_ATTEMPTS }))],
  });
}
