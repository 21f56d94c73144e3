// ESLint for Tend: typed rules everywhere, and the Temporal workflow sandbox rules under workflows/.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

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
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries, and only
    // type imports of activities, so that replay can never take a different path.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'Workflow code is sandboxed: no Node built-ins.',
            })),
            ...[
              'mongoose',
              'mongodb',
              'nodemailer',
              'fastify',
              'pino',
              '@temporalio/client',
              '@temporalio/worker',
            ].map((name) => ({ name, message: 'Workflow code does no I/O: call an activity instead.' })),
          ],
          patterns: [
            {
              group: ['**/activities/*', '**/activities/**', '**/db/**'],
              allowTypeImports: true,
              message: 'Import activities as types only: `import type * as activities from ...`.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
        { name: 'process', message: 'Workflows read configuration through activities.' },
      ],
    },
  },
  prettier,
);
