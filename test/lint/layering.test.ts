// The lint rule that keeps the arrows one way (eslint.config.js, docs/architecture.md) must fail on an import
// against them. Each case lints a planted source text as if it were a file in the folder named, with the
// repository's own ESLint configuration.
import { readdirSync } from 'node:fs';
import path from 'node:path';
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

  it('fails when the product imports the suites, or provisioning imports the product', async () => {
    const fromApi = await layeringErrors(
      'api/planted.ts',
      "import { useTestDatabase } from '../test/support/mongo.js';\nexport const planted = useTestDatabase;\n",
    );
    expect(fromApi).toHaveLength(1);
    const fromScripts = await layeringErrors(
      'scripts/planted.mjs',
      "import { emailPolicy } from '../domain/delivery/policy.js';\nexport const planted = emailPolicy;\n",
    );
    expect(fromScripts).toHaveLength(1);
    expect(fromScripts[0]).toContain('scripts/ may not import from here');
  });

  it('has a row for every top-level folder with code', async () => {
    const withCode = readdirSync('.', { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
      .map((entry) => entry.name)
      .filter((folder) => hasCode(folder));
    expect(withCode.length).toBeGreaterThan(10);
    for (const folder of withCode) {
      const config: unknown = await eslint.calculateConfigForFile(`${folder}/planted.ts`);
      expect(layeringRule(config), `${folder}/ has no LAYERS row in eslint.config.js`).toBeDefined();
    }
  });

  it('lets an import that follows the arrows through', async () => {
    const errors = await layeringErrors(
      'domain/delivery/planted.ts',
      "import { INVALID_ACTIVITY_INPUT } from '../../contract/errors.js';\nexport const planted = INVALID_ACTIVITY_INPUT;\n",
    );
    expect(errors).toEqual([]);
  });
});

function hasCode(folder: string): boolean {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).some(
    (file) => /\.(ts|mts|js|mjs)$/.test(file) && !file.split(path.sep).includes('node_modules'),
  );
}

/** The layering rule's setting in a calculated config, if the config has one. */
function layeringRule(config: unknown): unknown {
  if (typeof config !== 'object' || config === null || !('rules' in config)) return undefined;
  const { rules } = config;
  return typeof rules === 'object' && rules !== null ? Reflect.get(rules, RULE) : undefined;
}
