// docker-compose.yml cannot start here (no Docker engine), so it is checked for what would break it: the
// Compose Specification's JSON Schema (as shipped in the dclint package), services that can scale, health
// checks behind every `service_healthy`, and app services configured with exactly what loadConfig reads.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../contract/config.js';

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const record = (value: unknown, what: string): Json => {
  if (!isRecord(value)) throw new Error(`${what} is not a mapping`);
  return value;
};

const rootDir = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const schemaFile = path.join(
  path.dirname(require.resolve('dclint/package.json')),
  'schemas',
  'compose.schema.json',
);

async function composeValidator() {
  const schema: unknown = JSON.parse(await readFile(schemaFile, 'utf8'));
  // The spec's own formats (durations, ports) are not standard JSON Schema formats; their shapes are still typed.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, validateSchema: false });
  return ajv.compile(record(schema, 'the Compose schema'));
}

// Compose resolves YAML anchors and `<<` merge keys before it reads the file; so does this parse.
const compose = record(
  parse(await readFile(path.join(rootDir, 'docker-compose.yml'), 'utf8'), { merge: true }),
  'docker-compose.yml',
);
const services = record(compose.services, 'services');
const service = (name: string) => record(services[name], `service ${name}`);

/** The settings loadConfig reads as numbers. */
const NUMBERS = new Set(['PORT', 'TEND_WORKER_CACHED_RUNS', 'TEND_WORKER_HEAP_GROWTH']);

/** The variables loadConfig reads, found by handing it an environment that records every lookup. */
function variablesLoadConfigReads(): string[] {
  const read = new Set<string>();
  const complete: Record<string, string> = new Proxy(
    {},
    {
      get(_target, name) {
        if (typeof name === 'string') read.add(name);
        return NUMBERS.has(String(name)) ? '3000' : 'a-value-long-enough-for-any-check';
      },
    },
  );
  loadConfig(complete);
  return [...read].sort();
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', async () => {
    const validate = await composeValidator();
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('would be rejected by the same schema if it were malformed', async () => {
    const validate = await composeValidator();
    expect(validate({ ...compose, servics: {} })).toBe(false);
    expect(validate({ services: { api: { image: 'tend', depends_on: 42 } } })).toBe(false);
  });

  it.each(['api', 'worker'])('gives %s exactly the variables loadConfig reads', (name) => {
    const environment = record(service(name).environment, `${name} environment`);
    const expected = variablesLoadConfigReads();
    expect(expected.length).toBeGreaterThan(5);
    expect(Object.keys(environment).sort()).toEqual(expected);
  });

  it('lets the worker scale: no container name and no host port', () => {
    const worker = service('worker');
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
  });

  it('has a health check behind every service_healthy dependency', () => {
    for (const [name, definition] of Object.entries(services)) {
      const dependsOn = record(record(definition, name).depends_on ?? {}, `${name} depends_on`);
      for (const [dependency, condition] of Object.entries(dependsOn)) {
        expect(services, `${name} depends on ${dependency}`).toHaveProperty(dependency);
        if (record(condition, dependency).condition === 'service_healthy') {
          expect(service(dependency).healthcheck, `${dependency} needs a healthcheck`).toBeDefined();
        }
      }
    }
  });

  it('runs Temporal on PostgreSQL with its UI, MongoDB 7 and Mailpit', () => {
    expect(service('temporal').depends_on).toHaveProperty('postgresql');
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:/);
    expect(service('mongodb').image).toBe('mongo:7');
    expect(service('mailpit').image).toMatch(/^axllent\/mailpit:/);
  });
});
