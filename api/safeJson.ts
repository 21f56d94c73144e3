// Free-form JSON (an event's `data`, a webhook's payload) travels into MongoDB documents and workflow
// inputs. Before it goes anywhere, every key at every depth must be one that can be neither an operator
// (`$set`), a dotted path, nor a prototype key, and the nesting must stay shallow enough that no recursive
// step (serialisers, validators) can run out of stack.

import { SAFE_KEY, SAFE_KEY_RULE } from './schemas/common.js';

const MAX_JSON_DEPTH = 16;

/** The first problem found, naming where it is (`body.data.address["$where"]`), or null if the value is safe. */
export function findUnsafeJson(value: unknown, root: string): string | null {
  // Iterative on purpose: the point is to survive inputs that would overflow a recursive walk.
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= MAX_JSON_DEPTH) return `${next.path} is nested more than ${MAX_JSON_DEPTH} levels deep`;
    if (Array.isArray(next.value)) {
      next.value.forEach((item: unknown, index) =>
        pending.push({ value: item, path: `${next.path}[${index}]`, depth: next.depth + 1 }),
      );
      continue;
    }
    for (const [key, item] of Object.entries(next.value)) {
      if (!SAFE_KEY.test(key))
        return `${next.path} has a field named ${JSON.stringify(key)}: ${SAFE_KEY_RULE}`;
      pending.push({ value: item, path: `${next.path}.${key}`, depth: next.depth + 1 });
    }
  }
  return null;
}
