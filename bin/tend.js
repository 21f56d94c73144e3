#!/usr/bin/env node
// `npx tend ...`: runs the TypeScript CLI through tsx, in this process, so there is no build step to forget.
//
// On Node 20, tsx's module hooks run on a separate thread, and every module loaded through them costs a round
// trip to it. The compiler's dependencies are plain JavaScript that tsx has nothing to do to, so they are
// loaded first, directly: `tend validate` starts about a third faster.
const dependencies = [
  '@sinclair/typebox',
  'yaml',
  'ajv',
  'handlebars',
  'luxon',
  'cron-parser',
  'fastest-levenshtein',
];
await Promise.all(dependencies.map((name) => import(name)));
const { register } = await import('tsx/esm/api');
register();
await import('../cli/main.ts');
