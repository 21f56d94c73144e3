// Summarises a V8 CPU profile (`BENCH_CPU_PROFILE`, `node --cpu-prof`): where the process spent its time,
// by function (self time) and by package or project folder, as Markdown tables for bench/RESULTS.md.
//
//   node scripts/profileSummary.mjs <file.cpuprofile> [rows] [--from <s>] [--window <from>-<to>] [--per <count>]
//
// --from: only the samples taken at least <s> seconds after the profile began (a benchmark's later phase).
// --window: only the samples within a phase, as the benchmark printed it under BENCH_CPU_PROFILE ("cpu phase
//   window: <from>-<to>", microseconds of the monotonic clock every thread's profile shares).
// --per: also each row's CPU milliseconds divided by <count> (per email, per event), idle left out.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { from: { type: 'string' }, window: { type: 'string' }, per: { type: 'string' } },
});
const [file, rowsArg] = positionals;
if (!file) {
  console.error(
    'usage: node scripts/profileSummary.mjs <file.cpuprofile> [rows] [--from <s>] [--window <from>-<to>] [--per <count>]',
  );
  process.exit(1);
}
const rows = Number(rowsArg ?? 15);
const fromMicros = Number(values.from ?? 0) * 1e6;
const per = values.per === undefined ? null : Number(values.per);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const [windowFrom, windowTo] = (values.window ?? '').split('-').map(Number);
const inWindow = (micros) =>
  values.window === undefined || (micros >= (windowFrom ?? 0) && micros <= (windowTo ?? Infinity));
const root = process.cwd();

// Each sample names the node that was on the CPU; its time is the gap to the next sample.
const selfMicros = new Map();
let elapsed = 0;
profile.samples.forEach((nodeId, i) => {
  const delta = profile.timeDeltas[i + 1] ?? 0;
  elapsed += profile.timeDeltas[i] ?? 0;
  if (elapsed < fromMicros || !inWindow(profile.startTime + elapsed)) return;
  selfMicros.set(nodeId, (selfMicros.get(nodeId) ?? 0) + delta);
});
const total = [...selfMicros.values()].reduce((sum, micros) => sum + micros, 0);

/** `node_modules/<package>`, a project folder, `node:` internals, or V8's own entries. */
function area(url) {
  if (!url) return '(V8, GC, idle)';
  const local = url.startsWith('file://') ? url.slice('file://'.length) : url;
  const modules = local.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const [scope, name] = local.slice(modules + 'node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? '?');
  }
  if (local.startsWith('node:')) return 'node internals';
  const relative = path.relative(root, local);
  return relative.startsWith('..') ? local : `${relative.split(path.sep)[0]}/`;
}

const byFunction = new Map();
const byArea = new Map();
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (micros === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${area(url)} ${path.basename(url)}:${lineNumber + 1}` : '';
  const name = `${functionName || '(anonymous)'}${where ? ` (${where})` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  const place = functionName === '(idle)' ? '(idle)' : area(url);
  byArea.set(place, (byArea.get(place) ?? 0) + micros);
}

const percent = (micros) => `${((100 * micros) / total).toFixed(1)}%`;
const perUnit = (micros) => (per === null ? '' : ` ${(micros / 1000 / per).toFixed(2)} |`);
const table = (title, entries) =>
  [
    `| ${title} | self time |${per === null ? '' : ` ms each of ${per} |`}`,
    `|---|---:|${per === null ? '' : '---:|'}`,
    ...[...entries]
      .filter(([name]) => per === null || !name.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, rows)
      .map(([name, micros]) => `| ${name.replaceAll('|', '\\|')} | ${percent(micros)} |${perUnit(micros)}`),
  ].join('\n');

console.log(`${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled\n`);
console.log(table('where (package or folder)', byArea));
console.log('');
console.log(table('function', byFunction));
