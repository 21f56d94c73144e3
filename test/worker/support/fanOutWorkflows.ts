// The fan-out tests' workflows: the real audience fan-out, starting stand-in runs (the runs themselves are
// not what these tests are about).
export { fanOut } from '../../../workflows/fanOut.js';
export { playbookRun } from './standInRun.js';
