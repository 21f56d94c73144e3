// Every workflow the worker registers (its bundle's entry point). One export line per workflow.
export { playbookRun } from './playbookRun.js';
export { fanOut } from './fanOut.js';
export { eventQueue } from './eventQueue.js';
export { ingestEvents } from './ingestEvents.js';
