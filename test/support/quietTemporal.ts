// Temporal workers log every state change at INFO; in a test run that buries the failures. Keep WARN and up.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
