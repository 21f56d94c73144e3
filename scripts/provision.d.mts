// Types for provision.mjs (plain JavaScript so it runs before npm install), for the TypeScript that imports it.
export const rootDir: string;
export const toolsDir: string;
export class ProvisionError extends Error {}

export type TemporalSource = { address: string } | { binary: string } | { sdkDownload: true };
export type TestServerSource = { binary: string } | { sdkDownload: true };
export type MongoSource = { uri: string } | { mongod: string } | { ferretdb: string };
export interface Provisioned {
  temporal?: TemporalSource;
  testServer?: TestServerSource;
  mongo?: MongoSource;
  chromium?: { binary: string };
  postgresql?: { binDir: string };
}

export function firstHostPort(
  address: string,
  defaultPort: number,
): { host: string; port: number } | undefined;
export function findChromium(env?: NodeJS.ProcessEnv): string | undefined;
export function findPostgresql(): string | undefined;
export const POSTGRESQL_MISSING: string;
export function provision(want: {
  temporal?: boolean;
  testServer?: boolean;
  mongo?: boolean;
  chromium?: boolean;
  postgresql?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): Promise<Provisioned>;
