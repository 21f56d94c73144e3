// `tend schema [--write [dir]]`: the playbook JSON schema, for editors. Printed, or written into a playbooks
// folder as playbook.schema.json, where `# yaml-language-server: $schema=./playbook.schema.json` finds it.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PLAYBOOK_SCHEMA_FILE, playbookJsonSchema } from '../compiler/schema/jsonSchema.js';

export const USAGE = 'usage: tend schema [--write [dir]]   (dir: PLAYBOOKS_DIR, else ./playbooks)';

export async function schemaCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { write: { type: 'boolean' } }, allowPositionals: true });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const text = `${JSON.stringify(playbookJsonSchema(), null, 2)}\n`;
  if (parsed.values.write !== true) {
    process.stdout.write(text);
    return 0;
  }
  const file = path.join(parsed.positionals[0] ?? env.PLAYBOOKS_DIR ?? './playbooks', PLAYBOOK_SCHEMA_FILE);
  await writeFile(file, text);
  console.log(`wrote ${file}`);
  return 0;
}
