// Types for ports.mjs (plain JavaScript so it runs before npm install), for the TypeScript that imports it.
export class PortTakenError extends Error {}
export function freePort(): Promise<number>;
export function assertPortFree(port: number, variable: string, what: string): Promise<void>;
export function waitForPort(options: {
  host?: string;
  port: number;
  what: string;
  timeoutMs?: number;
  exited?: () => string | undefined;
}): Promise<void>;
export function isReachable(host: string, port: number): Promise<boolean>;
