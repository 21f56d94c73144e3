// CPU time from /proc, for the benchmarks: what a process and every process it started used, so that a
// benchmark can say where the machine's CPU went (its own process, the Temporal server, FerretDB and the
// PostgreSQL backends behind it).
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat, from field 3 (state) on; empty when the process is gone. */
function statFields(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  } catch {
    return [];
  }
}
// After the command: state is field 3, ppid 4, utime 14, stime 15, cutime 16, cstime 17 (man 5 proc).
const field = (fields, number) => Number(fields[number - 3] ?? Number.NaN);
const CLOCK_TICKS = 100;

/**
 * CPU seconds (user + system) a process has used, with its descendants, living and exited: a PostgreSQL
 * server does its work in one backend process per connection. `self` gives this process's waited-for
 * children instead. NaN once the process is gone.
 * @param {number | 'self'} pid
 */
export function cpuSeconds(pid) {
  const own = statFields(pid);
  if (own.length === 0) return Number.NaN;
  if (pid === 'self') return (field(own, 16) + field(own, 17)) / CLOCK_TICKS;
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = field(statFields(entry), 4);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  let ticks = 0;
  for (const pending = [Number(pid)]; pending.length > 0;) {
    const next = pending.pop() ?? 0;
    const fields = next === Number(pid) ? own : statFields(next);
    if (fields.length > 0)
      ticks += field(fields, 14) + field(fields, 15) + field(fields, 16) + field(fields, 17);
    pending.push(...(children.get(next) ?? []));
  }
  return ticks / CLOCK_TICKS;
}
