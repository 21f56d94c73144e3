// Where the CPU went in one phase of a benchmark: this process (Tend's code, the SDK's worker threads and the
// load the bench makes) and each server `npm run bench` started for it (BENCH_SERVER_PIDS, from
// scripts/bench.mjs). On 2 cores the phases compete with the servers for the same CPU, so a ratio against a
// baseline is only as fair as the CPU each side needed; this says how much that was, per workflow.

import { cpuSeconds } from '../../../scripts/cpuTime.mjs';

interface Server {
  what: string;
  pid: number;
}

export interface CpuUsed {
  /** CPU seconds by process: 'this process' first, then each server. */
  readonly seconds: ReadonlyMap<string, number>;
  readonly wallSeconds: number;
}

const THIS_PROCESS = 'Tend (this process)';

const SERVERS: Server[] = (JSON.parse(process.env.BENCH_SERVER_PIDS ?? '[]') as Partial<Server>[]).filter(
  (server): server is Server => typeof server.pid === 'number' && !!server.what,
);

function snapshot(): Map<string, number> {
  const usage = process.cpuUsage();
  const seconds = new Map([[THIS_PROCESS, (usage.user + usage.system) / 1e6]]);
  for (const server of SERVERS) seconds.set(server.what, cpuSeconds(server.pid));
  return seconds;
}

/** Starts measuring; the function it returns gives the CPU used since. */
export function measureCpu(): () => CpuUsed {
  const before = snapshot();
  const started = performance.now();
  const phaseFrom = monotonicMicros();
  return () => {
    // Under BENCH_CPU_PROFILE, each phase's window on the profiles' clock, for profileSummary's --window.
    if (process.env.BENCH_CPU_PROFILE) console.error(`cpu phase window: ${phaseFrom}-${monotonicMicros()}`);
    const after = snapshot();
    const seconds = new Map([...after].map(([what, value]) => [what, value - (before.get(what) ?? 0)]));
    return { seconds, wallSeconds: (performance.now() - started) / 1000 };
  };
}

/**
 * A Markdown table of the CPU milliseconds each phase used per workflow (or per event, per email: `unit`), by
 * process, with the wall time per workflow and the cores kept busy (CPU seconds over wall seconds; 2 is all
 * this machine has).
 */
export function cpuTable(unit: string, rows: { label: string; count: number; used: CpuUsed }[]): string[] {
  const processes = [...new Set(rows.flatMap((row) => [...row.used.seconds.keys()]))];
  const ms = (seconds: number, count: number) => ((seconds * 1000) / count).toFixed(1);
  return [
    `| CPU ms per ${unit} | ${processes.join(' | ')} | all | wall ms per ${unit} | cores busy |`,
    `|---|${processes.map(() => '---:|').join('')}---:|---:|---:|`,
    ...rows.map(({ label, count, used }) => {
      const total = [...used.seconds.values()].reduce((sum, value) => sum + value, 0);
      const cells = processes.map((what) => ms(used.seconds.get(what) ?? 0, count));
      return `| ${label} | ${cells.join(' | ')} | ${ms(total, count)} | ${ms(used.wallSeconds, count)} | ${(total / used.wallSeconds).toFixed(2)} |`;
    }),
  ];
}

/** The monotonic clock V8's CPU profiles stamp their samples with, in microseconds. */
function monotonicMicros(): string {
  return (process.hrtime.bigint() / 1000n).toString();
}
