// Summarises a V8 heap snapshot (`TEND_HEAP_SNAPSHOT_DIR` and `kill -USR2` on a worker, or DevTools): the
// memory its objects hold themselves (self size), by kind and by constructor, as a Markdown table for
// bench/RESULTS.md. With --base, each row is the difference from an earlier snapshot of the same thread
// (idle against runs asleep), largest growth first.
//
//   node scripts/heapSummary.mjs <file.heapsnapshot> [rows] [--base <earlier.heapsnapshot>] [--per <count>]
//
// --per: also each row's bytes divided by <count> (per run asleep, per cached run).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { base: { type: 'string' }, per: { type: 'string' } },
});
const [file, rowsArg] = positionals;
if (!file) {
  console.error(
    'usage: node scripts/heapSummary.mjs <file.heapsnapshot> [rows] [--base <file>] [--per <count>]',
  );
  process.exit(1);
}
const rows = Number(rowsArg ?? 20);
const per = values.per === undefined ? null : Number(values.per);

/**
 * Self size and count per group: objects by constructor name, everything else (strings, code, arrays the
 * engine keeps, closures) by its kind.
 */
function groups(snapshotFile) {
  const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8'));
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
  const { nodes, strings } = snapshot;
  const byGroup = new Map();
  let total = 0;
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + typeAt]];
    const size = nodes[i + sizeAt];
    const name = strings[nodes[i + nameAt]];
    const key = type === 'object' ? name : `(${type})`;
    const group = byGroup.get(key) ?? { bytes: 0, count: 0 };
    group.bytes += size;
    group.count += 1;
    byGroup.set(key, group);
    total += size;
  }
  return { byGroup, total };
}

const now = groups(file);
const base = values.base === undefined ? null : groups(values.base);
const entries = [...now.byGroup].map(([key, group]) => {
  const before = base?.byGroup.get(key) ?? { bytes: 0, count: 0 };
  return { key, bytes: group.bytes - before.bytes, count: group.count - before.count };
});
if (base) {
  for (const [key, group] of base.byGroup) {
    if (!now.byGroup.has(key)) entries.push({ key, bytes: -group.bytes, count: -group.count });
  }
}
entries.sort((a, b) => b.bytes - a.bytes);

const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const totalBytes = now.total - (base?.total ?? 0);
console.log(
  `${path.basename(file)}${base ? ` against ${path.basename(values.base)}` : ''}: ${mib(totalBytes)} MiB of self size`,
);
console.log('');
const perHeader = per === null ? '' : ` bytes per ${per} |`;
console.log(`| what | objects | MiB |${perHeader}`);
console.log(`|---|---:|---:|${per === null ? '' : '---:|'}`);
for (const entry of entries.slice(0, rows)) {
  const perCell = per === null ? '' : ` ${Math.round(entry.bytes / per)} |`;
  console.log(
    `| ${entry.key.slice(0, 60).replaceAll('|', '\\|')} | ${entry.count} | ${mib(entry.bytes)} |${perCell}`,
  );
}
