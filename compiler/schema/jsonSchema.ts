// playbooks/playbook.schema.json: the playbook schema as editors read it (`# yaml-language-server: $schema=`).
// It is PlaybookDocument itself, written out; a test keeps the file and the schema the compiler uses equal.

import { PlaybookDocument } from './playbook.js';

export const PLAYBOOK_SCHEMA_FILE = 'playbook.schema.json';

/** The schema as plain JSON (TypeBox's own markers are symbols, which JSON leaves out), draft-07 declared. */
export function playbookJsonSchema(): Record<string, unknown> {
  const plain: unknown = JSON.parse(JSON.stringify(PlaybookDocument));
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...(isRecord(plain) ? plain : {}) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
