// Types for cpuTime.mjs (plain JavaScript, shared with scripts/bench.mjs), for the TypeScript benchmarks.
/** CPU seconds (user + system) a process has used, with its descendants; NaN once it is gone. */
export function cpuSeconds(pid: number | 'self'): number;
