// `npm run histories`: runs the playbooks' end-to-end tests with recording on, so that each saves the
// history of its journey to test/replay/histories/<playbook>.json. Run it after a deliberate change to the
// workflow (behind patched()), review the diff, and commit the files.
import { startVitest } from 'vitest/node';
import { RECORD_HISTORIES } from './historyFiles.js';

process.env[RECORD_HISTORIES] = '1';
const vitest = await startVitest('test', ['test/e2e'], { watch: false });
const failed = vitest.state.getCountOfFailedTests() > 0 || vitest.state.getUnhandledErrors().length > 0;
await vitest.close();
process.exitCode = failed ? 1 : 0;
