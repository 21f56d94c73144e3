// Every route Fastify's router holds, read from `printRoutes()` (a tree: each line is a path segment under
// the line above it, indented four characters per level, with its methods). Tests use it so that a route
// added later is checked without anyone adding it to a list.

import type { TendApp } from '../../../api/typeProvider.js';

/** `METHOD /full/path` for every route, HEAD left out (Fastify adds it beside every GET). */
export function routerRoutes(app: TendApp): string[] {
  const segments: string[] = [];
  const routes = new Set<string>();
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)(?:[├└]── )?(\S+?)(?: \(([^)]+)\))?$/.exec(line.trimEnd());
    if (match === null || match[2] === undefined) continue;
    const depth = (match[1] ?? '').length / 4;
    segments.length = depth;
    segments.push(match[2]);
    for (const method of (match[3] ?? '').split(', ').filter((name) => name !== '' && name !== 'HEAD')) {
      routes.add(`${method} ${segments.join('')}`);
    }
  }
  return [...routes].sort();
}
