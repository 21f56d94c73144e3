// bench/RESULTS.md: one section per area ("## Engine"), one block per benchmark inside it, each replaced by
// the benchmark's latest run so that the file always shows the figures of the code as it is.

import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('../../RESULTS.md', import.meta.url));

/** Replaces (or adds) the block `id` under `## <section>` with `markdown`. */
export async function recordResult(section: string, id: string, markdown: string): Promise<void> {
  const text = await readFile(RESULTS, 'utf8').catch(() => '# Benchmarks\n\nWritten by `npm run bench`.\n');
  const begin = `<!-- ${id} -->`;
  const end = `<!-- /${id} -->`;
  const block = `${begin}\n${markdown.trim()}\n${end}`;
  let next: string;
  if (text.includes(begin) && text.includes(end)) {
    next = text.slice(0, text.indexOf(begin)) + block + text.slice(text.indexOf(end) + end.length);
  } else {
    const heading = `## ${section}`;
    const withSection = text.includes(heading) ? text : `${text.trimEnd()}\n\n${heading}\n`;
    const at = withSection.indexOf(heading) + heading.length;
    const nextSection = withSection.indexOf('\n## ', at);
    const insertAt = nextSection === -1 ? withSection.length : nextSection;
    next = `${withSection.slice(0, insertAt).trimEnd()}\n\n${block}\n${withSection.slice(insertAt)}`;
  }
  await writeFile(RESULTS, next.trimEnd() + '\n');
}

/**
 * When and where: the date, Node, the cores, the load average as the benchmark reports (the 1-minute
 * figure includes the benchmark's own work; a 15-minute figure well above the cores means other work shared
 * the machine, and the ratios are then not to be trusted) and the MongoDB-wire server `npm run bench` started
 * (FerretDB on SQLite or on PostgreSQL: TEND_MONGO_BACKEND).
 */
export function measuredOn(): string {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  const store = process.env.TEND_BENCH_MONGO;
  return (
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ` +
    `${availableParallelism()} cores, load average ${one.toFixed(2)} / ${five.toFixed(2)} / ${fifteen.toFixed(2)} (1 / 5 / 15 min) at the end` +
    `${store ? `, on ${store}` : ''}.`
  );
}
