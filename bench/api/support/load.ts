// Runs the load generator (loadGenerator.mjs) in a process of its own and reads back autocannon's figures.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const GENERATOR = fileURLToPath(new URL('./loadGenerator.mjs', import.meta.url));

export interface LoadOptions {
  url: string;
  apiKey: string;
  memberIds: string[];
  /** Events per request: 1 posts single events, more posts arrays. */
  batch: number;
  connections: number;
  /** Requests per second from all connections together; null: as fast as the API answers. */
  overallRate: number | null;
}

const LoadReport = Type.Object({
  latency: Type.Object({ p50: Type.Number(), p99: Type.Number(), average: Type.Number() }),
  requests: Type.Object({ total: Type.Number() }),
  '2xx': Type.Number(),
  non2xx: Type.Number(),
  errors: Type.Number(),
  duration: Type.Number(),
});
export type LoadReport = Static<typeof LoadReport>;

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const { stdout } = await promisify(execFile)(process.execPath, [GENERATOR, JSON.stringify(options)], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const report: unknown = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  if (!Value.Check(LoadReport, report))
    throw new Error(`the load generator's report is not autocannon's: ${stdout}`);
  return report;
}
