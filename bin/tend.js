#!/usr/bin/env node
// `npx tend ...`: runs the TypeScript CLI through tsx, in this process, so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
