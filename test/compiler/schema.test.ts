// playbooks/playbook.schema.json is the schema the compiler validates with, written out for editors: the two
// cannot drift, and an editor that reads the file accepts and refuses what the compiler does.

import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { playbookJsonSchema } from '../../compiler/schema/jsonSchema.js';
import { compilePlaybooks } from '../../compiler/index.js';
import { BASE_FILES, sourcesFrom } from './sources.js';
import { LANGUAGE_PAGE_EXAMPLES } from './languageExamples.js';

async function schemaFile(): Promise<Record<string, unknown>> {
  const parsed: unknown = JSON.parse(await readFile('playbooks/playbook.schema.json', 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('not a JSON schema');
  return { ...parsed };
}

describe('playbooks/playbook.schema.json', () => {
  it('is the schema the compiler uses (run `npm run schema` after changing it)', async () => {
    expect(await schemaFile()).toEqual(playbookJsonSchema());
  });

  it('accepts every example of the language page', async () => {
    const validate = new Ajv({ strict: false }).compile(await schemaFile());
    for (const [name, text] of Object.entries(LANGUAGE_PAGE_EXAMPLES)) {
      expect(validate(parse(text)), name).toBe(true);
    }
  });

  it.each([
    ['a misspelt step', 'steps: [{ send_mail: welcome }]'],
    ['two kinds in one step', 'steps: [{ wait: 1d, send_email: welcome }]'],
    ['a misspelt field of a step', 'steps: [{ send_email: { tempalte: welcome } }]'],
    ['an unknown top-level field', 'steps: [{ wait: 1d }]\nstpes: []'],
    ['a nested step that is wrong', 'steps: [{ if: { member.status: active }, then: [{ wait: 3 }] }]'],
  ])('refuses %s, as the compiler does', async (_name, steps) => {
    const validate = new Ajv({ strict: false }).compile(await schemaFile());
    const text = `name: Onboarding\ntrigger: { event: member.approved }\n${steps}\n`;
    const playbook: unknown = parse(text);
    expect(validate(playbook)).toBe(false);
    expect(compilePlaybooks(sourcesFrom({ ...BASE_FILES, 'onboarding.yaml': text })).ok).toBe(false);
  });
});
