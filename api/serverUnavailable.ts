// A server Tend depends on is down or unreachable: that is an outage, not a bug, and the client should try
// again. The one error handler asks this module whether an error means that, so that every route answers 503
// with Retry-After (never 500) whichever server is away, and answers normally once it is back (the MongoDB
// driver and the gRPC channel reconnect by themselves).

import { isGrpcServiceError } from '@temporalio/client';
import mongoose from 'mongoose';
import { ServiceUnavailable } from './errors.js';

const { MongoNetworkError, MongoServerSelectionError, MongoTopologyClosedError, MongoNotConnectedError } =
  mongoose.mongo;

/** The driver's errors for "no server to talk to" (a timeout is a MongoNetworkError too). */
function isMongoOutage(error: Error): boolean {
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoNotConnectedError
  ) {
    return true;
  }
  // mongoose queues an operation while its connection is down and fails it after bufferTimeoutMS.
  return error.name === 'MongooseError' && /buffering timed out/.test(error.message);
}

/**
 * gRPC codes a Temporal call ends with when the server is down, restarting, or too slow to answer:
 * DEADLINE_EXCEEDED (4) and UNAVAILABLE (14), as numbered by the gRPC specification.
 */
const TEMPORAL_OUTAGE_CODES = new Set([4, 14]);

function isTemporalOutage(error: Error): boolean {
  return isGrpcServiceError(error) && TEMPORAL_OUTAGE_CODES.has(error.code);
}

/**
 * A socket to a server closed or refused under the client: the MongoDB driver lets some of these through
 * as they are (EPIPE when it writes on a pooled connection the killed server had closed).
 */
const CONNECTION_ERRNOS = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH']);

function isConnectionLoss(error: Error): boolean {
  return 'code' in error && typeof error.code === 'string' && CONNECTION_ERRNOS.has(error.code);
}

/** The outage an error (or one of its causes: the Temporal client wraps gRPC errors) stands for, or null. */
export function asOutage(error: unknown): ServiceUnavailable | null {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (isMongoOutage(cause)) return outage('MongoDB', error);
    if (isTemporalOutage(cause)) return outage('Temporal', error);
    if (isConnectionLoss(cause)) return outage('one of its servers', error);
    cause = cause.cause;
  }
  return null;
}

function outage(server: string, cause: unknown): ServiceUnavailable {
  return new ServiceUnavailable(`Tend cannot reach ${server} at the moment: try again in a few seconds`, {
    cause,
  });
}
