// `npm run build:workflows [file]`: bundles Tend's workflow code once, ahead of time (the Docker image does it
// at build), so that a worker started with TEND_WORKFLOW_BUNDLE=<file> loads it instead of running the bundler
// at every start. The bundler's memory stays with the process that ran it: a worker that bundled for itself
// sat some 120 MiB higher, idle, than one that loaded a bundle (bench/RESULTS.md, worker memory).

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { bundleTendWorkflows } from './buildWorker.js';

const file = path.resolve(process.argv[2] ?? 'dist/workflows.js');
Runtime.install({ logger: new DefaultLogger('WARN') });
const { code } = await bundleTendWorkflows();
await mkdir(path.dirname(file), { recursive: true });
await writeFile(file, code);
console.log(`workflow bundle written to ${file} (${(code.length / 1024 / 1024).toFixed(1)} MiB)`);
