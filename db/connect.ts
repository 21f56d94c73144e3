// The one way Tend's processes open their MongoDB connection. An outage must fail an operation within
// seconds rather than hold it: the API then answers 503 while the client can still retry, and an activity
// attempt fails and is retried by Temporal with its backoff. The driver reconnects by itself when the server
// is back, so nothing needs restarting.

import mongoose, { type Connection } from 'mongoose';

/** How long an operation waits for a reachable server before failing with MongoServerSelectionError. */
const SERVER_SELECTION_TIMEOUT_MS = 3_000;

export function connectDatabase(uri: string): Promise<Connection> {
  return mongoose
    .createConnection(uri, {
      // Indexes are built by ensureIndexes(), once, not by every model on first use.
      autoIndex: false,
      serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
      // mongoose would queue operations while disconnected (10 s by default); the driver's server selection
      // above already waits the time worth waiting, so an operation goes straight to it.
      bufferCommands: false,
    })
    .asPromise();
}
