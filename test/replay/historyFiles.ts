// Where the committed workflow histories live: at least one per shipped playbook (`<playbook>.json`), and
// more for paths worth keeping (`<playbook>.<variant>.json`: an exit, a held send). The end-to-end tests
// record them under `npm run histories`; replay.test.ts replays them against the current workflow code.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { History } from '@temporalio/common/lib/proto-utils.js';
import protos from '@temporalio/proto';

export const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));
export const PLAYBOOKS_DIR = fileURLToPath(new URL('../../playbooks/', import.meta.url));

/** Set (to "1") while `npm run histories` runs the end-to-end tests: they then save what they ran. */
export const RECORD_HISTORIES = 'TEND_RECORD_HISTORIES';

/** `name`: a playbook id, or `<playbook>.<variant>`. */
function historyFile(name: string): string {
  return path.join(HISTORIES_DIR, `${name}.json`);
}

// The files hold the history message as protobufjs writes it as JSON (64-bit ids as strings, enums by name,
// times as seconds and nanos), and are read back through the same message type, which checks every field.
// (The SDK's own proto-JSON converters fail in this install: its protobufjs copies do not agree.)
const { History: HistoryMessage } = protos.temporal.api.history.v1;

export async function writeHistory(name: string, history: History): Promise<void> {
  await writeFile(historyFile(name), JSON.stringify(HistoryMessage.fromObject(history), null, 2) + '\n');
}

export async function readHistory(name: string): Promise<History> {
  const parsed: unknown = JSON.parse(await readFile(historyFile(name), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('events' in parsed) || !Array.isArray(parsed.events))
    throw new Error(`${historyFile(name)} is not a workflow history: it has no events`);
  return HistoryMessage.fromObject(parsed);
}

/** The names of the committed histories, sorted. */
export async function committedHistoryNames(): Promise<string[]> {
  const files = await readdir(HISTORIES_DIR);
  return files
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** The ids of the playbooks that ship in playbooks/ (every .yaml but community.yaml). */
export async function shippedPlaybooks(): Promise<string[]> {
  const files = await readdir(PLAYBOOKS_DIR);
  return files
    .filter((file) => file.endsWith('.yaml') && file !== 'community.yaml')
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}
