// ESLint for Tend: typed rules everywhere, and the Temporal workflow sandbox rules under workflows/.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** An import pattern for one of our top-level folders, as relative imports spell it. */
const folder = (name) => [`**/${name}`, `**/${name}/**`];

/** Folders nothing in the product imports: the launcher, the suites and the benchmarks, and provisioning. */
const outside = ['bin', 'scripts', 'test', 'bench'];

/**
 * Above what each folder may import: one row for every top-level folder with code (`playbooks/` and `docs/`
 * hold none). `above` are folders it must never import; `typesOnly` are folders it may import types from but
 * no values (`import type`, erased before the code runs or is bundled).
 */
export const LAYERS = {
  compiler: {
    above: [
      'contract',
      'domain',
      'db',
      'activities',
      'workflows',
      'worker',
      'preview',
      'api',
      'cli',
      ...outside,
    ],
  },
  contract: {
    above: ['domain', 'db', 'activities', 'workflows', 'worker', 'preview', 'api', 'cli', ...outside],
  },
  db: { above: ['domain', 'activities', 'workflows', 'worker', 'preview', 'api', 'cli', ...outside] },
  domain: { above: ['activities', 'workflows', 'worker', 'preview', 'api', 'cli', ...outside] },
  activities: { above: ['worker', 'preview', 'api', 'cli', ...outside], typesOnly: ['workflows'] },
  workflows: {
    above: ['worker', 'preview', 'api', 'cli', ...outside],
    typesOnly: ['activities', 'domain', 'db'],
  },
  worker: { above: ['preview', 'api', 'cli', ...outside] },
  preview: { above: ['activities', 'worker', 'api', 'cli', ...outside] },
  api: { above: ['activities', 'worker', 'cli', ...outside] },
  cli: { above: ['activities', 'worker', 'api', ...outside] },
  // `npx tend`: starts the CLI (by a dynamic import through tsx) and nothing else.
  bin: {
    above: ['compiler', 'contract', 'domain', 'db', 'activities', 'workflows', 'worker', 'preview', 'api'],
  },
  // Provisioning runs before `npm install` has finished: Node built-ins (and `yaml`, once installed). The dev
  // stack's console link is loaded at run time through tsx, not imported.
  scripts: {
    above: [
      'compiler',
      'contract',
      'domain',
      'db',
      'activities',
      'workflows',
      'worker',
      'preview',
      'api',
      'cli',
      'bin',
      'test',
      'bench',
    ],
  },
  // The suites import everything (and scripts/, to start the real servers); only the benchmarks import them.
  test: { above: ['bin', 'bench'] },
  bench: { above: ['bin'] },
};

const upwardMessage = (name) =>
  `${name}/ may not import from here: the arrows go compiler -> contract -> domain, db -> activities -> ` +
  'workflows -> worker, preview -> api, cli; nothing in the product imports bin/, scripts/, test/ or bench/ ' +
  '(docs/architecture.md).';

/** Workflow code runs in Temporal's deterministic sandbox: no Node built-ins and no I/O libraries. */
const workflowSandboxPaths = [
  ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code is sandboxed: no Node built-ins.' })),
  ...['mongoose', 'mongodb', 'nodemailer', 'fastify', 'pino', '@temporalio/client', '@temporalio/worker'].map(
    (name) => ({ name, message: 'Workflow code does no I/O: call an activity instead.' }),
  ),
];

function layerRules() {
  return Object.entries(LAYERS).map(([name, { above, typesOnly = [] }]) => {
    const isWorkflows = name === 'workflows';
    return {
      files: [`${name}/**/*.{ts,mts,js,mjs}`],
      rules: {
        '@typescript-eslint/no-restricted-imports': [
          'error',
          {
            paths: isWorkflows ? workflowSandboxPaths : [],
            patterns: [
              { group: above.flatMap(folder), message: upwardMessage(name) },
              ...(typesOnly.length === 0
                ? []
                : [
                    {
                      group: typesOnly.flatMap(folder),
                      allowTypeImports: true,
                      message: `${name}/ imports ${typesOnly.join(', ')} as types only: \`import type ...\`.`,
                    },
                  ]),
              ...(isWorkflows
                ? [
                    {
                      group: ['**/contract/config', '**/contract/config.js'],
                      message: 'Workflows read configuration through activities.',
                    },
                  ]
                : []),
            ],
          },
        ],
        ...(isWorkflows
          ? {
              'no-restricted-globals': [
                'error',
                { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
                { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
                { name: 'process', message: 'Workflows read configuration through activities.' },
              ],
            }
          : {}),
      },
    };
  });
}

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'coverage/', 'bench/out/', 'preview-out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Plain JavaScript (scripts/ runs before npm install finishes, eslint.config.js itself): no type info.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  // The layers, bottom up (docs/architecture.md): compiler -> contract -> domain and db -> activities ->
  // workflows -> worker, preview -> api, cli, with bin/, scripts/, test/ and bench/ outside the product. Each
  // folder may import the folders below it; an import against the arrows fails here, except `import type`
  // where a folder is marked as typed-only.
  ...layerRules(),
  prettier,
);
