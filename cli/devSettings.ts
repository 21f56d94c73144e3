// A command typed in a second terminal while `npm run dev` runs uses the dev stack: dev writes the settings it
// chose (servers, ports, generated keys) to <DATA_DIR>/dev-settings.json, and a setting the environment lacks
// is taken from there. The environment always wins, so production and the tests are unaffected.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../contract/config.js';

/** The file scripts/dev.mjs writes, under DATA_DIR (`.data` by default). */
export const DEV_SETTINGS_FILE = 'dev-settings.json';

type Env = Record<string, string | undefined>;

/** The settings of the dev stack that `env` lacks; none when dev has not run here. */
export function missingFromDevSettings(env: Env): Record<string, string> {
  const file = path.resolve(env.DATA_DIR?.trim() || '.data', DEV_SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${file} is not JSON: delete it, and npm run dev writes it again`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${file} is not an object of settings: delete it, and npm run dev writes it again`);
  }
  return Object.fromEntries(
    Object.entries(parsed).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && !env[entry[0]]?.trim(),
    ),
  );
}
