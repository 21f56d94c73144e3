// The lint rule that keeps the arrows one way (eslint.config.js, docs/architecture.md) must fail on an import
// against them. Each case lints a planted source text as if it were a file in the folder named, with the
// repository's own ESLint configuration.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const RULE = '@typescript-eslint/no-restricted-imports';

// The planted files are not on disk, so the type-aware rules (which need the TypeScript project) are off;
// the layering rule reads import declarations only.
const eslint = new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked });

async function layeringErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === RULE)
    .map((message) => message.message);
}

describe('the layering lint rule', () => {
  it('fails when db/ imports a value from activities/', async () => {
    const errors = await layeringErrors(
      'db/planted.ts',
      "import { startRun } from '../activities/runs/startRun.js';\nexport const planted = startRun;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('db/ may not import from here');
  });

  it('fails when activities/ imports a value from workflows/, and lets a type import through', async () => {
    const value = await layeringErrors(
      'activities/runs/planted.ts',
      "import { playbookRun } from '../../workflows/playbookRun.js';\nexport const planted = playbookRun;\n",
    );
    expect(value).toHaveLength(1);
    expect(value[0]).toContain('as types only');
    const typeOnly = await layeringErrors(
      'activities/runs/planted.ts',
      "import type { playbookRun } from '../../workflows/playbookRun.js';\nexport type Planted = typeof playbookRun;\n",
    );
    expect(typeOnly).toEqual([]);
  });

  it('fails when api/ or cli/ import activities/, even as types', async () => {
    for (const filePath of ['api/routes/planted.ts', 'cli/planted.ts']) {
      const errors = await layeringErrors(
        filePath,
        "import type { ActivityDeps } from '../../activities/index.js';\nexport type Planted = ActivityDeps;\n",
      );
      expect(errors, filePath).toHaveLength(1);
    }
  });

  it('fails when the shared preview engine imports activities/ or the CLI that uses it', async () => {
    for (const target of ['../activities/index.js', '../cli/preview/previewFiles.js']) {
      const errors = await layeringErrors(
        'preview/planted.ts',
        `import { planted as source } from '${target}';\nexport const planted = source;\n`,
      );
      expect(errors, target).toHaveLength(1);
      expect(errors[0]).toContain('preview/ may not import from here');
    }
  });

  it('fails when the contract reaches up into the domain', async () => {
    const errors = await layeringErrors(
      'contract/planted.ts',
      "import { decideDelivery } from '../domain/delivery/policy.js';\nexport const planted = decideDelivery;\n",
    );
    expect(errors).toHaveLength(1);
  });

  it('lets an import that follows the arrows through', async () => {
    const errors = await layeringErrors(
      'domain/delivery/planted.ts',
      "import { INVALID_ACTIVITY_INPUT } from '../../contract/errors.js';\nexport const planted = INVALID_ACTIVITY_INPUT;\n",
    );
    expect(errors).toEqual([]);
  });
});
