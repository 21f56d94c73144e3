// The workflows of the API tests' worker: the real ingestion and fan-out, and a stand-in run that keeps the
// events routed to it (the API tests are about which runs start and which runs an event reaches; the real
// run is exercised end to end in test/api/endToEnd.test.ts).
export { playbookRun } from '../../worker/support/standInRun.js';
export { eventQueue } from '../../../workflows/eventQueue.js';
export { ingestEvents } from '../../../workflows/ingestEvents.js';
export { fanOut } from '../../../workflows/fanOut.js';
